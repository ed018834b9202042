# Two commands do all the setup: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint bench mutation sample clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python dashboard.py --server.port 8501 --server.address localhost

test: lint
	$(BIN)/python -m pytest -q

# ruff, and the layers of pyproject.toml's [tool.importlinter] (settings/format -> reading -> store -> analysis ->
# output -> pages/CLI)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/page_cpu.py --store example
	$(BIN)/python bench/first_paint.py
	$(BIN)/python bench/ws_load.py --store example
	$(BIN)/python bench/ws_load.py --store large
	$(BIN)/python bench/hostile_files.py
	$(BIN)/python bench/release.py --store example
	$(BIN)/python bench/release.py --store large --runs 3

# Mutation testing of the core modules (minutes; not part of `make test` or CI). The result is in the README.
MUTATION_STAMP := $(VENV)/.mutation-$(shell cksum < requirements-mutation.txt | cut -d' ' -f1)
$(MUTATION_STAMP): $(STAMP) requirements-mutation.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-mutation.txt
	touch $(MUTATION_STAMP)

mutation: $(MUTATION_STAMP)
	$(BIN)/python bench/mutation.py

# Regenerate the committed example workbooks (deterministic).
sample: $(STAMP)
	$(BIN)/python -m vvr_metrics sample data/sample

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
