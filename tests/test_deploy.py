"""The deployment in deploy/ works as written: the real nginx (Debian's) in front of the real app, with TLS."""

import asyncio
import contextlib
import os
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.streamlit_client import open_session
from tests.test_browser import ARTIFACTS, ROOT, _free_port, _settled, _start, signed_in_folder

NGINX = Path("/usr/sbin/nginx")


@contextlib.contextmanager
def behind_nginx(app_url: str, nginx_dir: Path):
    """deploy/vvr-metrics.nginx.conf (Debian's nginx) in front of the app at ``app_url``: (https url, http url)."""
    if not NGINX.exists():
        if os.environ.get("VVR_REQUIRE_NGINX"):
            pytest.fail("no /usr/sbin/nginx (.ci/run installs Debian's nginx)")
        pytest.skip("no /usr/sbin/nginx (CI installs it)")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(nginx_dir / "key.pem"), "-out", str(nginx_dir / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port, http_port = _free_port(), _free_port()
    site = (ROOT / "deploy" / "vvr-metrics.nginx.conf").read_text()
    for old, new in {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "/etc/ssl/certs/vvr.example.fi.pem": str(nginx_dir / "cert.pem"),
        "/etc/ssl/private/vvr.example.fi.key": str(nginx_dir / "key.pem"),
        "127.0.0.1:8501": app_url.removeprefix("http://"),
    }.items():
        assert old in site, old  # the test runs the shipped file, changed only where a machine differs
        site = site.replace(old, new)
    (nginx_dir / "site.conf").write_text(site)
    temp = "".join(f"{k}_temp_path {nginx_dir / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (nginx_dir / "nginx.conf").write_text(
        f"daemon off;\nworker_processes 1;\npid {nginx_dir / 'nginx.pid'};\nerror_log {nginx_dir / 'error.log'};\n"
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"events {{ worker_connections 256; }}\nhttp {{\naccess_log off;\n{temp}include {nginx_dir / 'site.conf'};\n}}\n"
    )
    proxy = subprocess.Popen([str(NGINX), "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf")])
    url = f"https://127.0.0.1:{https_port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/_stcore/health", verify=False, timeout=2)
            break
        except requests.ConnectionError:
            if proxy.poll() is not None:
                pytest.fail("nginx did not start: " + (nginx_dir / "error.log").read_text()[-2000:])
            time.sleep(0.2)
    try:
        yield url, f"http://127.0.0.1:{http_port}"
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


@pytest.fixture(scope="module")
def proxied(sample_db, tmp_path_factory):
    """The signed-in dashboard behind deploy/vvr-metrics.nginx.conf on 127.0.0.1: (https url, http url, app url)."""
    if not NGINX.exists() and not os.environ.get("VVR_REQUIRE_NGINX"):
        pytest.skip("no /usr/sbin/nginx (CI installs it)")
    app, app_url = _start(*signed_in_folder(tmp_path_factory.mktemp("deployed"), sample_db))
    try:
        with behind_nginx(app_url, tmp_path_factory.mktemp("nginx")) as (url, http_url):
            yield url, http_url, app_url
    finally:
        app.terminate()
        app.wait(timeout=20)


def test_the_proxy_sends_the_security_headers_and_redirects_to_https(proxied):
    url, plain, _ = proxied
    page = requests.get(url, verify=False, timeout=10)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    # an error response carries them too
    assert requests.get(f"{url}/_stcore/metrics", verify=False, timeout=10).headers["X-Frame-Options"] == "DENY"
    redirect = requests.get(f"{plain}/funding", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301 and redirect.headers["Location"].startswith("https://")


def test_the_policy_allows_exactly_the_inline_scripts_of_the_installed_streamlit():
    import base64
    import hashlib
    import re

    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
    conf = (ROOT / "deploy" / "vvr-metrics.nginx.conf").read_text()
    script_src = re.search(r"script-src ([^;]+);", conf).group(1).split()
    assert set(script_src) == {"'self'", *hashes}


def test_the_metrics_endpoint_is_closed_behind_the_proxy(proxied):
    url, _, app_url = proxied
    assert requests.get(f"{url}/_stcore/metrics", verify=False, timeout=10).status_code == 404
    # the app itself answers it: the proxy is what closes it
    assert requests.get(f"{app_url}/_stcore/metrics", timeout=10).status_code == 200


def test_the_websocket_works_through_the_proxy(proxied):
    url, _, _ = proxied

    async def visit():
        session = await open_session(url, "funding")
        await session.ws.close()
        return session

    session = asyncio.run(visit())
    assert session.session_id and not session.exceptions
    # a first visitor's bookmarked /funding gets the sign-in form, nothing of the page
    assert "text_input" in session.elements and "plotly_chart" not in session.elements


def test_an_upload_over_the_limit_is_refused_by_the_proxy(proxied):
    url, _, _ = proxied
    response = requests.put(
        f"{url}/_stcore/upload_file/any-session/any-file",
        data=b"\0" * (52 * 1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
        verify=False,
        timeout=60,
    )
    assert response.status_code == 413


def test_the_dashboard_runs_in_chromium_under_the_content_security_policy(proxied):
    from playwright.sync_api import sync_playwright

    url, _, _ = proxied
    refused = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1600}, ignore_https_errors=True)
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        outside = []  # nothing is fetched from anywhere but the server (no font or icon CDN)
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
        page.goto(url)
        page.get_by_label("Nimesi (tapahtumalokiin)").fill("Testi Käyttäjä")
        page.get_by_label("Salasana").fill("tekija")
        page.get_by_role("button", name="Kirjaudu").click()
        page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut')", timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)  # plotly draws under the policy
        _settled(page)
        page.screenshot(path=str(ARTIFACTS / "deployed_overview.png"))
        browser.close()
    assert refused == [] and outside == []
