"""Sign-in: password hashes (scrypt, or PBKDF2), roles and what each may do, and throttling of failures.

The hashes live in ``.streamlit/secrets.toml`` under ``[auth]`` (``viewer_password_hash``,
``staff_password_hash``); ``python -m vvr_metrics hash-password`` makes one. Nothing here stores a
password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

VIEWER, STAFF = "viewer", "staff"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
FREE_ATTEMPTS = 5  # a client's failures before its delay starts
MAX_DELAY_S = 300.0
FORGET_S = 900.0  # a client's failures are forgotten after 15 minutes without one
GLOBAL_FREE_ATTEMPTS = 20  # failures from anyone within FORGET_S before everyone is slowed down a little
GLOBAL_DELAY_S = 2.0  # the most that others' guessing can delay a person with the right password


@dataclass(frozen=True)
class Permissions:
    """What a role may do. Checked where the action happens, not only by hiding its button."""

    upload: bool = False  # upload, replace
    restore: bool = False
    delete: bool = False
    drill_down: bool = False  # see source records
    notes: bool = False  # see free-text notes
    audit: bool = False  # see the audit log


PERMISSIONS = {
    VIEWER: Permissions(),
    STAFF: Permissions(upload=True, restore=True, delete=True, drill_down=True, notes=True, audit=True),
}


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


def _hash_format_ok(stored: object) -> bool:
    """Whether a stored hash has the shape ``scrypt$N$r$p$salt$hash`` or ``pbkdf2_sha256$iterations$salt$hash``."""
    if not isinstance(stored, str):
        return False
    kind, *parts = stored.split("$")
    try:
        if kind == "scrypt" and len(parts) == 5:
            int(parts[0]), int(parts[1]), int(parts[2])
            base64.b64decode(parts[3], validate=True), base64.b64decode(parts[4], validate=True)
            return True
        if kind == "pbkdf2_sha256" and len(parts) == 3:
            int(parts[0])
            base64.b64decode(parts[1], validate=True), base64.b64decode(parts[2], validate=True)
            return True
    except ValueError:
        return False
    return False


def config_problems(section: Mapping) -> list[str]:
    """What is wrong with an ``[auth]`` section: keys missing, misspelt (unknown) or hashes of no known shape.
    An empty list means sign-in can be trusted; anything else must stop the dashboard, never open it."""
    problems = [f"missing: {k}" for k in AUTH_KEYS if k not in section]
    problems += [f"unknown key: {k}" for k in section if k not in AUTH_KEYS]
    problems += [f"not a password hash: {k}" for k in AUTH_KEYS if k in section and not _hash_format_ok(section[k])]
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
    """Failures counted per client (address, else session), never reset by a success: a viewer who knows the
    viewer password cannot clear their own guesses at the staff password by signing in between them.

    After FREE_ATTEMPTS failures a client waits a doubling delay (2, 4, 8 … s, at most 300 s); a client's count
    is forgotten after FORGET_S without a failure. Across all clients, many failures in a row slow every
    attempt by at most GLOBAL_DELAY_S, so that nobody else's guessing keeps a person with the right password
    out for longer than that. Passwords are checked one at a time (``checking``)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.RLock()
        self._clients: dict[str, tuple[int, float, float]] = {}  # client -> (failures, not before, last failure)
        self._recent: list[float] = []  # times of the latest failures from anyone

    def checking(self):
        """Held while a password is checked: parallel guesses are taken one after another."""
        return self._lock

    def wait_seconds(self, client: str = "") -> float:
        with self._lock:
            now = self._clock()
            failures, not_before, last = self._clients.get(client, (0, 0.0, 0.0))
            if failures and now - last > FORGET_S:
                self._clients.pop(client, None)
                not_before = 0.0
            self._recent = [t for t in self._recent if now - t <= FORGET_S]
            crowd = self._recent[-1] + GLOBAL_DELAY_S if len(self._recent) >= GLOBAL_FREE_ATTEMPTS else 0.0
            return max(0.0, not_before - now, min(GLOBAL_DELAY_S, crowd - now))

    def failure(self, client: str = "") -> None:
        with self._lock:
            now = self._clock()
            failures, _, last = self._clients.get(client, (0, 0.0, 0.0))
            failures = 1 if failures and now - last > FORGET_S else failures + 1
            delay = min(MAX_DELAY_S, 2.0 ** (failures - FREE_ATTEMPTS + 1)) if failures >= FREE_ATTEMPTS else 0.0
            self._clients[client] = (failures, now + delay, now)
            self._recent.append(now)

    def success(self, client: str = "") -> None:
        """A success clears nothing (see the class note); it is here so that callers say what happened."""


def sign_in(password: str, auth: Mapping, throttle: Throttle, client: str = "") -> tuple[str | None, float]:
    """Try a password from ``client``: (role or None, seconds to wait before its next try). Refused while that
    client (or, briefly, everyone) is throttled; one password is checked at a time."""
    with throttle.checking():
        wait = throttle.wait_seconds(client)
        if wait > 0:
            return None, wait
        role = role_for(password, auth)
        if role is None:
            throttle.failure(client)
            return None, throttle.wait_seconds(client)
        throttle.success(client)
        return role, 0.0


LOOPBACK = ("127.0.0.1", "::1")


def client_address(peer: str | None, headers: Mapping[str, str]) -> str | None:
    """Who is asking, for throttling. Behind the proxy of ``deploy/`` every peer is the proxy on loopback, so its
    ``X-Real-IP`` names the client; from any other peer the header is the client's own claim and is ignored."""
    if peer in LOOPBACK:
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
