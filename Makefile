# Two commands do all the setup: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint bench sample clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python dashboard.py --server.port 8501 --server.address localhost

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/page_cpu.py --store example
	$(BIN)/python bench/first_paint.py
	$(BIN)/python bench/ws_load.py --store example
	$(BIN)/python bench/ws_load.py --store large

# Regenerate the committed example workbooks (deterministic).
sample: $(STAMP)
	$(BIN)/python -m vvr_metrics sample data/sample

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
