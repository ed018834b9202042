"""A Streamlit client without a browser: the websocket protocol as the browser speaks it
(../shared/engineering-notes.md, "Streamlit's websocket protocol"), and the upload endpoint."""

from __future__ import annotations

import asyncio
import http.cookiejar
import urllib.request
import uuid
from dataclasses import dataclass, field


@dataclass
class Session:
    """One browser-like session: its id, the XSRF cookie, and what its last page run sent."""

    url: str
    xsrf: str
    ws: object
    session_id: str = ""
    elements: list = field(default_factory=list)  # element types of the last run's deltas
    exceptions: list = field(default_factory=list)
    media: list = field(default_factory=list)  # /media/ URLs of the last run's non-deferred download buttons
    texts: list = field(default_factory=list)  # the last run's headings, markdown and alerts, in order
    page_lists: list = field(default_factory=list)  # every page list the server sent (new_session, navigation)
    seen: list = field(default_factory=list)  # every heading, markdown and alert of the session, early runs too
    headings: list = field(default_factory=list)  # the last run's headings (st.title, st.subheader)
    page_not_found: bool = False
    widget_ids: dict = field(default_factory=dict)  # user key -> element id, of the text inputs and buttons drawn
    status: int = -1  # the last run's ScriptFinishedStatus


def _tls(url: str):
    """For https (a test proxy with a self-signed certificate): TLS without verification; else None."""
    if not url.startswith("https"):
        return None
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _xsrf_cookie(url: str) -> str:
    jar = http.cookiejar.CookieJar()
    handlers = [urllib.request.HTTPCookieProcessor(jar)]
    if _tls(url):
        handlers.append(urllib.request.HTTPSHandler(context=_tls(url)))
    opener = urllib.request.build_opener(*handlers)
    opener.open(f"{url}/_stcore/health", timeout=10).read()
    return next(c.value for c in jar if c.name == "_streamlit_xsrf")


async def open_session(url: str, page: str = "", timeout: float = 60) -> Session:
    """Connect, run ``page`` (its URL path; "" is the default page) and wait for ``script_finished``."""
    import websockets

    xsrf = _xsrf_cookie(url)
    ws = await websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit", xsrf],
        additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}", "Origin": url},
        max_size=None,
        ssl=_tls(url),
    )
    session = Session(url, xsrf, ws)
    await rerun(session, page, timeout)
    return session


async def submit(session: Session, values: dict[str, str], button: str, page: str = "", timeout: float = 60) -> None:
    """Fill a form's text inputs (by key) and press its submit button, as the browser sends it: one rerun with
    the form's values and the button's trigger."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    states = []
    for key, value in values.items():
        states.append(WidgetState(id=session.widget_ids[key], string_value=value))
    states.append(WidgetState(id=session.widget_ids[button], trigger_value=True))
    await rerun(session, page, timeout, states)


async def rerun(session: Session, page: str = "", timeout: float = 60, widgets: list | None = None) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page
    if widgets:
        msg.rerun_script.widget_states.widgets.extend(widgets)
    await session.ws.send(msg.SerializeToString())
    session.elements, session.exceptions, session.media, session.texts, session.headings = [], [], [], [], []
    async with asyncio.timeout(timeout):
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await session.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                session.session_id = forward.new_session.initialize.session_id
                session.page_lists.append([p.page_name for p in forward.new_session.app_pages])
            elif kind == "navigation":
                session.page_lists.append([p.page_name for p in forward.navigation.app_pages])
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element.WhichOneof("type")
                session.elements.append(element)
                if element in ("text_input", "button"):
                    widget_id = getattr(forward.delta.new_element, element).id
                    session.widget_ids[widget_id.split("-", 2)[-1]] = widget_id  # "$$ID-<hash>-<key>"
                if element == "exception":
                    session.exceptions.append(forward.delta.new_element.exception.message)
                elif element == "download_button" and forward.delta.new_element.download_button.url:
                    session.media.append(forward.delta.new_element.download_button.url)
                elif element in ("heading", "markdown", "alert"):
                    session.texts.append(getattr(forward.delta.new_element, element).body)
                    session.seen.append(session.texts[-1])
                    if element == "heading":
                        session.headings.append(session.texts[-1])
            elif kind == "page_not_found":
                session.page_not_found = True
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    # the run that follows is the page
                    session.elements, session.exceptions, session.media, session.texts, session.headings = (
                        [],
                        [],
                        [],
                        [],
                        [],
                    )
                    continue
                session.status = forward.script_finished
                return


def upload(session: Session, data: bytes, name: str = "x.xlsx") -> int:
    """PUT a file to the session's upload endpoint as the browser's uploader does; the HTTP status."""
    import requests

    response = requests.put(
        f"{session.url}/_stcore/upload_file/{session.session_id}/{uuid.uuid4()}",
        files={"file": (name, data, "application/octet-stream")},
        headers={"X-Xsrftoken": session.xsrf, "Origin": session.url},
        cookies={"_streamlit_xsrf": session.xsrf},
        timeout=120,
        verify=not session.url.startswith("https"),
    )
    return response.status_code


def fetch_media(session: Session) -> int:
    """GET every non-deferred download's file, as the browser's frontend does after a run; the bytes read."""
    total = 0
    for url in session.media:
        with urllib.request.urlopen(session.url + url if url.startswith("/") else url, timeout=60) as response:
            total += len(response.read())
    return total
