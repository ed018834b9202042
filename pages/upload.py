"""Lataa tiedot / Upload: preview per sheet, confirm or cancel, rejected rows, history with restore and delete."""

import hashlib
import io

import streamlit as st

from pages.common import history, template_bytes, view
from vvr_metrics import store
from vvr_metrics.exports import write_rejected
from vvr_metrics.formatting import audit_display, history_display, md_escape, preview_display, problems_display
from vvr_metrics.i18n import t, ui
from vvr_metrics.uploads import UploadRefused, commit_uploads, prepare_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

v = view()
lang = v.lang
v.require(v.permissions.upload)


def confirmed(action: str, label: str) -> bool:
    """A button that acts only when its "I confirm" box is ticked (keys: {action}_confirm, {action}_button)."""
    sure = st.checkbox(ui("confirm_check", lang), key=f"{action}_confirm")
    if not st.button(label, key=f"{action}_button"):
        return False
    if not sure:
        st.warning(ui("confirm_first", lang))
    return sure


st.title(ui("upload_title", lang))
st.caption(ui("upload_help", lang))

if flash := st.session_state.pop("upload_flash", None):
    getattr(st, flash[0])(md_escape(flash[1]))  # may quote source names: uploaded text

files = st.file_uploader(ui("upload_title", lang), type=["xlsx", "xlsm", "xls", "ods"], accept_multiple_files=True,
                         key="upload_files", label_visibility="collapsed")
signature = hashlib.sha256(b"".join(f.name.encode() + hashlib.sha256(f.getvalue()).digest()
                                    for f in files or [])).hexdigest() if files else None

if signature and signature != st.session_state.get("plans_for") and signature != st.session_state.get("done_for"):
    bar = st.progress(0.0)
    plans = []
    for i, f in enumerate(files, start=1):
        bar.progress((i - 1) / len(files), text=ui("reading", lang, name=f.name, i=i, n=len(files)))
        plans.append(prepare_upload(f.getvalue(), f.name, v.db, isolate=True))
    bar.progress(1.0, text=ui("read_done", lang, n=len(files)))
    st.session_state.plans = plans
    st.session_state.plans_for = signature
    rejected_book = io.BytesIO()
    if any(p.n_rejected for p in plans):
        write_rejected(plans, rejected_book, lang)
    st.session_state.rejected_book = rejected_book.getvalue()

plans = st.session_state.get("plans") if signature and st.session_state.get("plans_for") == signature else None
if plans:
    st.subheader(ui("preview", lang))
    for plan in plans:
        head = (ui("source_replace", lang, file=plan.file_name, source=plan.source, version=plan.previous_version)
                if plan.previous_version else ui("source_new", lang, file=plan.file_name, source=plan.source))
        st.text(head)  # st.text, not Markdown: file and source names are uploaded text
        if plan.blocked:
            st.error(md_escape(ui("blocked", lang, reason=" ".join(p.message(lang) for p in plan.errors[:3]))))
        else:
            st.dataframe(preview_display(plan, lang), hide_index=True, width="stretch")
        for warning in plan.warnings:
            if warning.code in ("overlap", "target_overridden", "personal_data_columns"):
                st.warning(md_escape(warning.line(lang)))
        if plan.problems:
            with st.expander(f"{ui('problems', lang)} ({len(plan.problems)})", expanded=plan.has_rejections):
                st.dataframe(problems_display(plan.problems, lang), hide_index=True, width="stretch")
    blocked = any(p.blocked for p in plans)
    rejected = sum(p.n_rejected for p in plans)
    if rejected:
        st.warning(ui("has_rejected", lang, n=rejected))
        st.download_button(ui("download_rejected", lang), st.session_state.rejected_book, "hylatyt_rivit.xlsx",
                           XLSX, key="download_rejected")
    left, right = st.columns(2)
    has_rejections = any(p.has_rejections for p in plans)
    store_clicked = left.button(ui("confirm_valid" if has_rejections else "confirm", lang), type="primary",
                                disabled=blocked, key="confirm_upload")
    cancel_clicked = right.button(ui("cancel", lang), key="cancel_upload")
    if cancel_clicked:
        st.session_state.done_for = signature
        st.session_state.plans = None
        st.session_state.upload_flash = ("info", ui("cancelled", lang))
        st.rerun()
    if store_clicked:
        v.require(v.permissions.upload)
        try:
            stored = commit_uploads(plans, v.db, skip_invalid=True, actor=v.role)
            what = ", ".join(f"{s.source} v{s.version} ({s.rows})" for s in stored) or "–"
            st.session_state.upload_flash = ("success", ui("stored", lang, what=what))
        except store.StoreBusy:
            st.session_state.upload_flash = ("error", ui("busy", lang))
        except store.StaleUpload as exc:
            st.session_state.upload_flash = ("error", ui("stale", lang, source=exc.args[0]))
        except UploadRefused as exc:
            st.session_state.upload_flash = ("error", ui("store_failed", lang, reason=t(exc.args[0], lang)
                                                         if exc.args[0] == "duplicate_source" else exc.args[0]))
        st.session_state.done_for = signature
        st.session_state.plans = None
        st.rerun()

st.download_button(ui("template", lang), template_bytes(), "seurantatyokirja.xlsx", XLSX, key="download_template")

st.subheader(ui("history", lang))
hist = history(v.db, v.status.data_version)
if hist.empty:
    st.caption(ui("history_empty", lang))
else:
    st.dataframe(history_display(hist, lang), hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ui('restore', lang)}**")
        source = st.selectbox(ui("h_source", lang), sorted(hist["source"].unique()), key="restore_source")
        version = st.selectbox(ui("h_version", lang), hist.loc[hist["source"] == source, "version"].tolist(),
                               key="restore_version")
        if confirmed("restore", ui("restore_button", lang)):
            v.require(v.permissions.restore)
            store.restore_version(v.db, source, int(version), actor=v.role)
            st.session_state.upload_flash = ("success", ui("restored", lang, source=source, version=version))
            st.rerun()
    with right:
        st.markdown(f"**{ui('delete', lang)}**")
        active = sorted(hist.loc[hist["active"], "source"].unique())
        if active:
            source = st.selectbox(ui("h_source", lang), active, key="delete_source")
            if confirmed("delete", ui("delete_button", lang)):
                v.require(v.permissions.delete)
                store.delete_source(v.db, source, actor=v.role)
                st.session_state.upload_flash = ("success", ui("deleted", lang, source=source))
                st.rerun()

if v.permissions.audit:
    st.subheader(ui("audit", lang))
    st.dataframe(audit_display(store.events(v.db), lang), hide_index=True, width="stretch")
