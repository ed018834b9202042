"""Lataa tiedot / Upload: read, name the source, preview, confirm or cancel; history with restore and delete.

Uploaded text (file, sheet and source names, cell values) is shown with st.text, in tables, or
Markdown-escaped: never rendered.
"""

import datetime as dt
import hashlib

import streamlit as st

from pages.common import audit_log, coverage_grid, history, logged, template_bytes, view
from vvr_metrics import store
from vvr_metrics.exports import rejected_xlsx, removed_rows_xlsx
from vvr_metrics.formatting import (
    audit_display,
    change_display,
    history_display,
    md_escape,
    preview_display,
    problems_display,
)
from vvr_metrics.i18n import t, ui
from vvr_metrics.uploads import (
    UploadRefused,
    changes_since,
    commit_uploads,
    indicator_change,
    plan_upload,
    read_upload,
    versions_together,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Warnings that must be seen: shown above the preview, never folded away.
PROMINENT = (
    "overlap",
    "looks_like_version",
    "similar_name",
    "target_overridden",
    "personal_data_columns",
    "sheet_read_as",
    "ignored_sheet",
    "stray_cells",
    "hidden_rows",
    "no_rows",
    "unknown_columns",
    "duplicate_column",
    "empty_workbook",
)

v = view()
lang = v.lang
v.require(v.permissions.upload)
state = st.session_state
upload_round = state.setdefault("upload_round", 0)  # a new round clears the drop zone and every field


def finish(flash: tuple[str, str], upload_done: bool = True) -> None:
    """Show ``flash`` after a rerun; ending an upload also clears the drop zone, the previews and the fields."""
    if upload_done:
        state.upload_round = upload_round + 1
        for key in ("parsed", "parsed_for", "plans_cache"):
            state.pop(key, None)
    state.upload_flash = flash
    st.rerun()


def flash_error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, store.StoreBusy):
        return ("error", ui("busy", lang))
    if isinstance(exc, store.StaleUpload):
        return ("error", ui("stale", lang, source=exc.args[0]))
    if isinstance(exc, store.StoreFault):
        return ("error", ui(f"store_{exc.reason}", lang))
    if isinstance(exc, KeyError):
        return ("error", ui("gone", lang))
    return (
        "error",
        ui(
            "store_failed",
            lang,
            reason=t(exc.args[0], lang) if exc.args[0] == "duplicate_source" else ui(f"refused_{exc.args[0]}", lang),
        ),
    )


def set_source(key: str, source: str) -> None:
    state[key] = source


def version_label(version: int | None) -> str:
    return ui("version_n", lang, v=version) if version is not None else ui("not_in_use", lang)


def changed_line(key: str, source: str, seen: int | None, now: int | None) -> str:
    """What another session changed between the drawing of this page and the click."""
    return ui(key, lang, source=source, seen=version_label(seen), now=version_label(now))


st.title(ui("upload_title", lang))
st.caption(ui("upload_help", lang))

if flash := state.pop("upload_flash", None):
    getattr(st, flash[0])(md_escape(flash[1]))  # may quote source names: uploaded text

files = st.file_uploader(
    ui("upload_title", lang),
    type=None,  # any file: a CSV, a Word document or a PDF gets the reader's own message, in the UI's language
    accept_multiple_files=True,
    key=f"upload_files_{upload_round}",
    label_visibility="collapsed",
)
signature = (
    hashlib.sha256(b"".join(f.name.encode() + hashlib.sha256(f.getvalue()).digest() for f in files)).hexdigest()
    if files
    else None
)

if signature and state.get("parsed_for") != signature:
    bar = st.progress(0.0)
    parsed = []
    for i, f in enumerate(files, start=1):
        # the progress text is Markdown: the file name is escaped
        bar.progress((i - 1) / len(files), text=md_escape(ui("reading", lang, name=f.name, i=i, n=len(files))))
        parsed.append(read_upload(f.getvalue(), f.name))
    bar.progress(1.0, text=ui("read_done", lang, n=len(files)))
    state.parsed, state.parsed_for, state.plans_cache = parsed, signature, {}

if signature and state.get("parsed_for") == signature:
    cache = state.plans_cache
    # The plans the previous drawing showed: a click confirms those, not plans rebuilt against a store that another
    # session changed in between.
    shown = state.get("plans_shown") if state.get("plans_shown_for") == (signature, upload_round) else None
    plans = []
    st.subheader(ui("preview", lang))
    for i, parsed in enumerate(state.parsed):
        field = f"source_{upload_round}_{i}"
        wanted = state.get(field)
        key = (i, wanted, v.status.data_version)
        if key not in cache:
            cache[key] = plan_upload(parsed, v.db, wanted)
        plan = cache[key]
        plans.append(plan)
        st.divider()
        st.text(parsed.file_name)
        if parsed.blocked:
            st.error(md_escape(ui("blocked", lang, reason=" ".join(p.line(lang) for p in plan.errors[:3]))))
            continue
        if field not in state:
            state[field] = plan.source
        st.text_input(ui("source_name", lang), key=field, help=ui("source_help", lang))
        head = (
            ui("source_replace", lang, file=plan.file_name, source=plan.source, version=plan.previous_version)
            if plan.previous_version
            else ui("source_new", lang, file=plan.file_name, source=plan.source)
        )
        st.text(head)  # st.text, not Markdown: file and source names are uploaded text
        other = plan.replace_candidate.source if plan.replace_candidate else None
        if other and other != plan.source:
            st.button(
                ui("replace_instead", lang, source=other),
                key=f"cand_{upload_round}_{i}",
                type="primary",
                on_click=set_source,
                args=(field, other),
            )
        for match in plan.overlaps:
            if match.source != other:
                st.button(
                    ui("replace_instead", lang, source=match.source),
                    key=f"ovl_{upload_round}_{i}_{match.source}",
                    on_click=set_source,
                    args=(field, match.source),
                )
        if plan.similar_name and plan.similar_name not in (other, *(m.source for m in plan.overlaps)):
            st.button(
                ui("replace_instead", lang, source=plan.similar_name),
                key=f"sim_{upload_round}_{i}",
                on_click=set_source,
                args=(field, plan.similar_name),
            )
        if plan.identical:
            st.info(md_escape(ui("identical", lang, source=plan.source)))
        for table, rows in plan.removed_tables:
            st.warning(md_escape(ui("table_removed", lang, sheet=ui(f"table_{table}", lang), n=rows)))
        for warning in plan.warnings:
            if warning.code in PROMINENT:
                st.warning(md_escape(warning.line(lang)))
        st.dataframe(preview_display(plan, lang), hide_index=True, width="stretch")
        if plan.n_removed:
            st.download_button(
                ui("download_removed", lang, n=plan.n_removed),
                logged(v, f"removed rows {plan.source}", False, lambda plan=plan: removed_rows_xlsx(plan, lang)),
                ui("removed_file", lang, source=plan.source) + ".xlsx",
                XLSX,
                key=f"removed_{upload_round}_{i}",
                on_click="ignore",
            )
        errors = [p for p in plan.problems if p.code not in PROMINENT]
        if errors:
            with st.expander(f"{ui('problems', lang)} ({len(errors)})", expanded=True):
                st.dataframe(problems_display(errors, lang), hide_index=True, width="stretch")

    st.divider()
    together_key = ("together", tuple(p.file_sha256 for p in plans))  # the files' records, not their names
    if together_key not in cache:
        cache[together_key] = versions_together(plans)
    for older, newer, share in cache[together_key]:  # names files: uploaded text
        st.warning(
            md_escape(
                ui(
                    "versions_together",
                    lang,
                    file=older.file_name,
                    other=newer.file_name,
                    share=f"{round(share * 100)} %",
                )
            )
        )
    blocked = any(p.blocked for p in plans)
    example = store.example_sources(v.db) if not blocked else []
    remove_example = False
    if example:
        st.warning(ui("example_question", lang))
        remove_example = st.checkbox(ui("example_remove", lang), value=True, key=f"remove_example_{upload_round}")
    if not blocked:
        change_key = ("change", tuple(p.source for p in plans), remove_example, v.status.data_version)
        if change_key not in cache:
            cache[change_key] = indicator_change(plans, v.db, remove_example)
        st.markdown(f"**{ui('change_title', lang)}**")
        st.dataframe(change_display(cache[change_key], lang), hide_index=True, width="stretch")
    rejected = sum(p.n_rejected for p in plans)
    if rejected:
        st.warning(ui("has_rejected", lang, n=rejected))
        sources = "_".join(p.source for p in plans if p.n_rejected)
        st.download_button(
            ui("download_rejected", lang),
            logged(v, f"rejected rows {sources}", False, lambda: rejected_xlsx(plans, lang)),
            ui("rejected_file", lang, source=sources) + ".xlsx",
            XLSX,
            key=f"download_rejected_{upload_round}",
            on_click="ignore",
        )
    nothing = all(p.identical or not p.n_valid for p in plans) and not remove_example
    left, right = st.columns(2)
    has_rejections = any(p.has_rejections for p in plans)
    store_clicked = left.button(
        ui("confirm_valid" if has_rejections else "confirm", lang),
        type="primary",
        disabled=blocked or nothing,
        key=f"confirm_upload_{upload_round}",
    )
    if right.button(ui("cancel", lang), key=f"cancel_upload_{upload_round}"):
        finish(("info", ui("cancelled", lang)))
    if store_clicked:
        v.require(v.permissions.upload)
        changes = changes_since(shown, plans) if shown is not None else None
        if changes is None:
            st.warning(ui("preview_redrawn", lang))
        elif changes:
            for c in changes:  # names a source: uploaded text
                st.warning(md_escape(changed_line("preview_changed", c.source, c.seen, c.now)))
        else:
            try:
                stored = commit_uploads(shown, v.db, skip_invalid=True, actor=v.actor, remove_example=remove_example)
                what = ", ".join(f"{s.source} v{s.version} ({s.rows})" for s in stored) or "–"
                finish(("success", ui("stored", lang, what=what)))
            except store.StaleUpload as exc:  # changed between this rerun's check and the commit
                st.warning(md_escape(ui("stale_kept", lang, source=exc.args[0])))
            except (store.StoreBusy, store.StoreFault, UploadRefused) as exc:
                finish(flash_error(exc))
    state.plans_shown, state.plans_shown_for = plans, (signature, upload_round)

st.download_button(ui("template", lang), template_bytes(), "seurantatyokirja.xlsx", XLSX, key="download_template")

st.subheader(ui("coverage", lang))
grid, gaps, (start, until) = coverage_grid(v.db, v.status.data_version, dt.date.today(), lang)
if grid is None:
    st.caption(t("cov_empty", lang))
else:
    for line in gaps:  # names sources: uploaded text
        st.warning(md_escape(line))
    if not gaps:
        st.success(t("cov_ok", lang, start=start, until=until))
    st.caption(t("cov_caption", lang, start=start, until=until))
    st.dataframe(grid, hide_index=True, width="stretch")

st.subheader(ui("history", lang))
hist = history(v.db, v.status.data_version)
if v.status.example_data:
    if st.button(ui("example_remove_now", lang), key="remove_example_now"):
        try:
            store.remove_example_data(v.db, actor=v.actor)
            finish(("success", ui("example_removed", lang)), False)
        except (store.StoreBusy, store.StoreFault) as exc:
            finish(flash_error(exc), False)
if hist.empty:
    st.caption(ui("history_empty", lang))
else:
    st.dataframe(history_display(hist, lang), hide_index=True, width="stretch")
    nonce = state.setdefault("confirm_nonce", 0)
    active_ids = dict(zip(hist.loc[hist["active"], "source"], hist.loc[hist["active"], "upload_id"]))
    in_use = {src: (None, None) for src in hist["source"].unique()} | {
        r.source: (int(r.upload_id), int(r.version)) for r in hist[hist["active"]].itertuples()
    }
    # What the previous drawing showed in use: a restore or delete acts on that state or on nothing.
    seen_in_use = {**in_use, **state.get("history_shown", {})}
    state.history_shown = in_use
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ui('restore', lang)}**")
        source = st.selectbox(ui("h_source", lang), sorted(hist["source"].unique()), key="restore_source")
        version = st.selectbox(
            ui("h_version", lang), hist.loc[hist["source"] == source, "version"].tolist(), key="restore_version"
        )
        # The tick belongs to this source and version: another choice is another, unticked box.
        sure = st.checkbox(ui("confirm_check", lang), key=f"restore_confirm_{nonce}_{source}_{version}")
        if st.button(ui("restore_button", lang), key="restore_button"):
            v.require(v.permissions.restore)
            state.confirm_nonce = nonce + 1
            if not sure:
                finish(("warning", ui("confirm_first", lang)), False)
            seen_id, seen_version = seen_in_use[source]
            if seen_id != in_use[source][0]:
                finish(("warning", changed_line("changed_meanwhile", source, seen_version, in_use[source][1])), False)
            try:
                store.restore_version(v.db, source, int(version), actor=v.actor, expected_upload=seen_id)
                finish(("success", ui("restored", lang, source=source, version=version)), False)
            except (store.StoreBusy, store.StaleUpload, store.StoreFault, KeyError) as exc:
                finish(flash_error(exc), False)
    with right:
        st.markdown(f"**{ui('delete', lang)}**")
        active = sorted(active_ids)
        if active:
            source = st.selectbox(ui("h_source", lang), active, key="delete_source")
            sure = st.checkbox(ui("confirm_check", lang), key=f"delete_confirm_{nonce}_{source}")
            if st.button(ui("delete_button", lang), key="delete_button"):
                v.require(v.permissions.delete)
                state.confirm_nonce = nonce + 1
                if not sure:
                    finish(("warning", ui("confirm_first", lang)), False)
                seen_id, seen_version = seen_in_use[source]
                if seen_id != in_use[source][0]:
                    finish(
                        ("warning", changed_line("changed_meanwhile", source, seen_version, in_use[source][1])), False
                    )
                try:
                    store.delete_source(v.db, source, actor=v.actor, expected_upload=seen_id)
                    finish(("success", ui("deleted", lang, source=source)), False)
                except (store.StoreBusy, store.StaleUpload, store.StoreFault, KeyError) as exc:
                    finish(flash_error(exc), False)

if v.permissions.audit:
    st.subheader(ui("audit", lang))
    st.dataframe(audit_display(audit_log(v.db, v.status.last_event), lang), hide_index=True, width="stretch")
