"""Password hashes, roles and throttling."""

import base64
import hashlib

from vvr_metrics import auth


def test_scrypt_hash_round_trip_and_no_plain_text():
    stored = auth.hash_password("salasana123")
    assert stored.startswith("scrypt$") and "salasana123" not in stored
    assert auth.verify_password("salasana123", stored)
    assert not auth.verify_password("salasana124", stored)
    assert auth.hash_password("salasana123") != stored  # salted


def test_pbkdf2_hashes_are_accepted():
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"kumppani", salt, 100_000)
    stored = f"pbkdf2_sha256$100000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert auth.verify_password("kumppani", stored)
    assert not auth.verify_password("x", stored)
    assert not auth.verify_password("x", "md5$abc")
    assert not auth.verify_password("x", "scrypt$garbage")


def test_roles_and_permissions():
    config = {
        "viewer_password_hash": auth.hash_password("katsoja"),
        "staff_password_hash": auth.hash_password("tekija"),
    }
    assert auth.configured(config) and not auth.configured({}) and not auth.configured(None)
    assert auth.role_for("tekija", config) == auth.STAFF
    assert auth.role_for("katsoja", config) == auth.VIEWER
    assert auth.role_for("arvaus", config) is None
    viewer, staff = auth.PERMISSIONS[auth.VIEWER], auth.PERMISSIONS[auth.STAFF]
    assert not (viewer.upload or viewer.restore or viewer.delete or viewer.drill_down or viewer.notes)
    assert staff.upload and staff.restore and staff.delete and staff.drill_down and staff.notes


def test_failures_are_throttled_with_a_growing_delay():
    now = [1000.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    config = {"staff_password_hash": auth.hash_password("oikea")}
    for _ in range(4):
        assert auth.sign_in("väärä", config, throttle) == (None, 0.0)
    role, wait = auth.sign_in("väärä", config, throttle)
    assert role is None and wait == 2.0
    # while throttled even the right password is refused
    assert auth.sign_in("oikea", config, throttle) == (None, 2.0)
    now[0] += 2.0
    role, wait = auth.sign_in("väärä", config, throttle)
    assert wait == 4.0
    now[0] += 4.0
    assert auth.sign_in("oikea", config, throttle) == ("staff", 0.0)
    assert throttle.wait_seconds() == 0.0
