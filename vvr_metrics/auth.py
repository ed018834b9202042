"""Sign-in: password hashes (scrypt, or PBKDF2), roles and what each may do, and throttling of failures.

The hashes live in ``.streamlit/secrets.toml`` under ``[auth]`` (``viewer_password_hash``,
``staff_password_hash``); ``python -m vvr_metrics hash-password`` makes one. Nothing here stores a
password.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

VIEWER, STAFF, DEMO = "viewer", "staff", "demo"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
CLIENT_CHECKS = 5  # wrong passwords a client may have checked within WINDOW_S, whatever its sessions
WINDOW_S = 900.0  # a quarter hour: a failure counts against its client for this long
GLOBAL_FREE_ATTEMPTS = 20  # failures from anyone within WINDOW_S before everyone is slowed down a little
GLOBAL_DELAY_S = 2.0  # the most that others' guessing can delay a person with the right password


@dataclass(frozen=True)
class Permissions:
    """What a role may do. Checked where the action happens, not only by hiding its button."""

    upload: bool = False  # upload, replace
    restore: bool = False
    delete: bool = False
    drill_down: bool = False  # see source records
    notes: bool = False  # see free-text notes
    internal_figures: bool = False  # see and export figures without small-number protection, at any date
    audit: bool = False  # see the audit log


PERMISSIONS = {
    VIEWER: Permissions(),
    STAFF: Permissions(
        upload=True, restore=True, delete=True, drill_down=True, notes=True, audit=True, internal_figures=True
    ),
    # the open demo without sign-in (example data only): everything to look at, nothing that would store the
    # project's own records where anyone may read them
    DEMO: Permissions(drill_down=True, notes=True, audit=True, internal_figures=True),
}
DEMO_SWITCH = "VVR_DEMO"  # "1": the open demo may upload, on any store (a local trial, never a server)


def demo_switched_on(environ: Mapping[str, str] | None = None) -> bool:
    return (os.environ if environ is None else environ).get(DEMO_SWITCH, "").strip() == "1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` of ``password``."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a stored scrypt or PBKDF2 (``pbkdf2_sha256$iterations$salt$hash``) hash."""
    try:
        kind, *parts = stored.split("$")
        if kind == "scrypt":
            n, r, p, salt, digest = parts
            expected = base64.b64decode(digest)
            got = hashlib.scrypt(
                password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
            )
        elif kind == "pbkdf2_sha256":
            iterations, salt, digest = parts
            expected = base64.b64decode(digest)
            got = hashlib.pbkdf2_hmac(
                "sha256", password.encode(), base64.b64decode(salt), int(iterations), dklen=len(expected)
            )
        else:
            return False
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


AUTH_KEYS = ("viewer_password_hash", "staff_password_hash")


MIN_SALT_BYTES, MIN_DIGEST_BYTES = 8, 16
MIN_PBKDF2_ITERATIONS, MAX_PBKDF2_ITERATIONS = 1000, 10_000_000


def _b64_strict(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def hash_problem(stored: object) -> str | None:
    """What makes a stored hash unusable, or None. Every part is checked, and the hash is computed once with its
    own parameters (as ``verify_password`` would): a hash that no password can match must not pass."""
    return _text_hash_problem(stored) if isinstance(stored, str) else "not text"


@functools.lru_cache(maxsize=16)  # the configuration is checked on every rerun; the trial costs a hash
def _text_hash_problem(stored: str) -> str | None:
    kind, *parts = stored.split("$")
    try:
        if kind == "scrypt" and len(parts) == 5:
            n, r, p = (int(x) for x in parts[:3])
            salt, digest = _b64_strict(parts[3]), _b64_strict(parts[4])
            if n < 2 or n & (n - 1) or r < 1 or p < 1:
                return "scrypt parameters out of range (N a power of two, r and p at least 1)"
        elif kind == "pbkdf2_sha256" and len(parts) == 3:
            iterations = int(parts[0])
            salt, digest = _b64_strict(parts[1]), _b64_strict(parts[2])
            if not MIN_PBKDF2_ITERATIONS <= iterations <= MAX_PBKDF2_ITERATIONS:
                return f"iterations outside {MIN_PBKDF2_ITERATIONS}–{MAX_PBKDF2_ITERATIONS}"
        else:
            return "not scrypt$N$r$p$salt$hash or pbkdf2_sha256$iterations$salt$hash"
    except ValueError:
        return "a part is not a number or not base64"
    if len(salt) < MIN_SALT_BYTES or len(digest) < MIN_DIGEST_BYTES:
        return f"salt under {MIN_SALT_BYTES} or hash under {MIN_DIGEST_BYTES} bytes"
    if kind == "scrypt":
        try:  # as verify_password computes it: a hash that needs more memory than scrypt is given never matches
            hashlib.scrypt(b"", salt=salt, n=n, r=r, p=p, dklen=len(digest))
        except (ValueError, MemoryError):
            return "scrypt parameters this machine cannot compute (memory)"
    return None


def config_problems(section: Mapping) -> list[str]:
    """What is wrong with an ``[auth]`` section: keys missing, misspelt (unknown) or hashes of no known shape.
    An empty list means sign-in can be trusted; anything else must stop the dashboard, never open it."""
    problems = [f"missing: {k}" for k in AUTH_KEYS if k not in section]
    problems += [f"unknown key: {k}" for k in section if k not in AUTH_KEYS]
    problems += [
        f"not a password hash: {k} ({hash_problem(section[k])})"
        for k in AUTH_KEYS
        if k in section and hash_problem(section[k])
    ]
    return problems


def configured(auth: Mapping | None) -> bool:
    """Sign-in is on when ``[auth]`` holds at least one password hash."""
    return bool(auth) and any(auth.get(k) for k in ("viewer_password_hash", "staff_password_hash"))


def role_for(password: str, auth: Mapping) -> str | None:
    """The role whose password this is (staff first), or None."""
    for role in (STAFF, VIEWER):
        stored = auth.get(f"{role}_password_hash")
        if stored and verify_password(password, str(stored)):
            return role
    return None


class Throttle:
    """Failures counted per client (its address behind the proxy, else its session), never reset by a success: a
    viewer who knows the viewer password cannot clear their own guesses at the staff password by signing in
    between them.

    A client has at most CLIENT_CHECKS wrong passwords checked within any WINDOW_S; then it waits until the oldest
    of them is WINDOW_S old, in every session. Across all clients, many failures in a row slow every attempt by
    at most GLOBAL_DELAY_S, so that nobody else's guessing keeps a person with the right password out for longer
    than that (unless they share the guesser's address). Passwords are checked one at a time (``checking``)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.RLock()
        self._clients: dict[str, list[float]] = {}  # client -> times of its failures within the window
        self._recent: list[float] = []  # times of the latest failures from anyone

    def checking(self):
        """Held while a password is checked: parallel guesses are taken one after another."""
        return self._lock

    def _window(self, client: str, now: float) -> list[float]:
        times = [t for t in self._clients.get(client, ()) if now - t < WINDOW_S]
        if times:
            self._clients[client] = times
        else:
            self._clients.pop(client, None)
        return times

    def wait_seconds(self, client: str = "") -> float:
        with self._lock:
            now = self._clock()
            times = self._window(client, now)
            own = times[-CLIENT_CHECKS] + WINDOW_S - now if len(times) >= CLIENT_CHECKS else 0.0
            self._recent = [t for t in self._recent if now - t <= WINDOW_S]
            crowd = self._recent[-1] + GLOBAL_DELAY_S if len(self._recent) >= GLOBAL_FREE_ATTEMPTS else 0.0
            return max(0.0, own, min(GLOBAL_DELAY_S, crowd - now))

    def failure(self, client: str = "") -> None:
        with self._lock:
            now = self._clock()
            self._clients[client] = [*self._window(client, now), now]
            self._recent.append(now)

    def success(self, client: str = "") -> None:
        """A success clears nothing (see the class note); it is here so that callers say what happened."""


class Attempt(NamedTuple):
    """One sign-in attempt: the role (None: refused), the seconds before the client's next try, and whether the
    password was checked at all (a throttled attempt is refused unchecked)."""

    role: str | None
    wait: float
    checked: bool


def sign_in(password: str, auth: Mapping, throttle: Throttle, client: str = "") -> Attempt:
    """Try a password from ``client``. Refused unchecked while that client (or, briefly, everyone) is throttled;
    one password is checked at a time."""
    with throttle.checking():
        wait = throttle.wait_seconds(client)
        if wait > 0:
            return Attempt(None, wait, False)
        role = role_for(password, auth)
        if role is None:
            throttle.failure(client)
            return Attempt(None, throttle.wait_seconds(client), True)
        throttle.success(client)
        return Attempt(role, 0.0, True)


LOOPBACK = ("127.0.0.1", "::1")


def trusted_proxies(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The addresses whose ``X-Real-IP`` is believed: ``VVR_TRUSTED_PROXIES`` (comma-separated), else loopback,
    where deploy/'s nginx runs."""
    environ = os.environ if environ is None else environ
    listed = tuple(a.strip() for a in environ.get("VVR_TRUSTED_PROXIES", "").split(",") if a.strip())
    return listed or LOOPBACK


def client_address(peer: str | None, headers: Mapping[str, str], trusted: tuple[str, ...] = LOOPBACK) -> str | None:
    """Who is asking, for throttling. Behind the proxy of ``deploy/`` every peer is the proxy, so its
    ``X-Real-IP`` names the client; from any other peer the header is the client's own claim and is ignored."""
    if peer in trusted:
        real = next((v for k, v in headers.items() if k.lower() == "x-real-ip"), "").strip()
        if real:
            return real
    return peer or None


# Single sign-on: Streamlit's st.login reads [auth]; who may see what is [access] (e-mail addresses).
OIDC_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
ACCESS_KEYS = ("staff", "viewers")


def oidc_problems(section: Mapping, access: Mapping) -> list[str]:
    """What is wrong with single sign-on: ``[auth]`` keys missing, password hashes left there (they belong under
    ``[passwords]``), or an ``[access]`` list that is missing, misspelt or not a list of e-mail addresses."""
    problems = [f"[auth] missing: {k}" for k in OIDC_KEYS if not section.get(k)]
    problems += [f"[auth] holds a password hash: move {k} to [passwords]" for k in AUTH_KEYS if k in section]
    problems += [f"[access] unknown key: {k}" for k in access if k not in ACCESS_KEYS]
    lists = [access.get(k, []) for k in ACCESS_KEYS]
    if not any(lists):
        problems.append("[access] names nobody: list e-mail addresses under staff and viewers")
    for key, people in zip(ACCESS_KEYS, lists):
        if not isinstance(people, list | tuple) or not all(isinstance(p, str) and "@" in p for p in people):
            problems.append(f"[access] {key} is not a list of e-mail addresses")
    return problems


def role_for_email(email: object, access: Mapping) -> str | None:
    """The role of a signed-in person by their e-mail address (case-insensitive; staff first), or None."""
    if not isinstance(email, str) or "@" not in email:
        return None
    wanted = email.strip().casefold()
    for role, key in ((STAFF, "staff"), (VIEWER, "viewers")):
        if any(wanted == str(p).strip().casefold() for p in access.get(key, ())):
            return role
    return None


def log_sign_in_problem(action: str, detail: str, who: str) -> None:
    """A failed or refused sign-in goes to the audit log; a store that cannot take it is logged, never raised
    (the sign-in form must still answer)."""
    from . import store
    from .errors import StoreBusy, StoreFault, log_unexpected

    try:
        store.log_event(None, action, detail, who)
    except (StoreBusy, StoreFault):
        log_unexpected(f"audit log: {action}")
