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


def test_five_wrong_passwords_per_quarter_hour_then_nothing_is_checked():
    now = [1000.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    config = {"staff_password_hash": auth.hash_password("oikea")}
    for _ in range(4):
        assert auth.sign_in("väärä", config, throttle) == (None, 0.0, True)
        now[0] += 60
    # the 5th is checked; the next may come when the 1st is a quarter hour old (15 min − 4 min)
    assert auth.sign_in("väärä", config, throttle) == (None, 660.0, True)
    # while throttled nothing is checked, not even the right password
    assert auth.sign_in("oikea", config, throttle) == (None, 660.0, False)
    now[0] += 660.0
    assert auth.sign_in("väärä", config, throttle) == (None, 60.0, True)  # the 2nd is now the oldest
    now[0] += 60.0
    assert auth.sign_in("oikea", config, throttle) == ("staff", 0.0, True)


CONFIG = {"viewer_password_hash": auth.hash_password("katsoja"), "staff_password_hash": auth.hash_password("tekija")}


def test_a_viewer_cannot_clear_their_own_staff_guesses_by_signing_in():
    """The issue's case: 4 staff guesses, a viewer sign-in, 4 more … used to give 16 guesses with no delay."""
    now = [0.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    for _ in range(4):
        assert auth.sign_in("arvaus", CONFIG, throttle, "ip:10.0.0.9") == (None, 0.0, True)
        now[0] += 1
    assert auth.sign_in("katsoja", CONFIG, throttle, "ip:10.0.0.9") == ("viewer", 0.0, True)
    assert auth.sign_in("arvaus", CONFIG, throttle, "ip:10.0.0.9").wait == 900.0 - 4  # the 5th guess (at 4 s): the last
    assert not auth.sign_in("arvaus", CONFIG, throttle, "ip:10.0.0.9").checked


def test_parallel_guesses_are_checked_one_at_a_time():
    """Twelve guesses at once used to be checked all at once; now five are checked and seven refused unchecked."""
    import threading

    throttle = auth.Throttle()
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(auth.sign_in("arvaus", CONFIG, throttle, "ip:10.0.0.9")))
        for _ in range(12)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.checked for r in results) == 5 and all(r.role is None for r in results)


def test_someone_elses_guessing_keeps_the_right_password_out_for_at_most_two_seconds():
    """An anonymous attacker's 8 failures used to refuse a staff member ("Odota 12 s")."""
    now = [0.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    for _ in range(8):
        auth.sign_in("arvaus", CONFIG, throttle, "ip:203.0.113.5")
        now[0] += 0.1
    assert throttle.wait_seconds("ip:203.0.113.5") > 0  # the attacker waits
    assert auth.sign_in("tekija", CONFIG, throttle, "ip:10.0.0.2") == ("staff", 0.0, True)  # staff do not
    # even a crowd of guessers slows everyone else down by at most 2 s
    for i in range(30):
        auth.sign_in("arvaus", CONFIG, throttle, f"ip:198.51.100.{i}")
    assert 0 < throttle.wait_seconds("ip:10.0.0.2") <= auth.GLOBAL_DELAY_S
    now[0] += auth.GLOBAL_DELAY_S
    assert auth.sign_in("tekija", CONFIG, throttle, "ip:10.0.0.2") == ("staff", 0.0, True)


def test_a_clients_failures_are_forgotten_after_a_quiet_quarter_hour():
    now = [0.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    for _ in range(5):
        auth.sign_in("arvaus", CONFIG, throttle, "ip:10.0.0.9")
    assert throttle.wait_seconds("ip:10.0.0.9") == auth.WINDOW_S
    now[0] += auth.WINDOW_S
    assert auth.sign_in("arvaus", CONFIG, throttle, "ip:10.0.0.9") == (None, 0.0, True)


def test_behind_the_proxy_the_client_is_its_real_ip_and_elsewhere_the_header_is_ignored():
    from vvr_metrics.auth import client_address

    assert client_address("127.0.0.1", {"X-Real-IP": "203.0.113.7"}) == "203.0.113.7"
    assert client_address("::1", {"x-real-ip": " 198.51.100.2 "}) == "198.51.100.2"
    # a client that reaches the app directly cannot pick its own throttle count
    assert client_address("203.0.113.9", {"X-Real-IP": "10.0.0.1"}) == "203.0.113.9"
    assert client_address("127.0.0.1", {}) == "127.0.0.1"
    assert client_address(None, {"X-Real-IP": "10.0.0.1"}) is None
    # a proxy on another machine is trusted only when configured
    assert client_address("10.0.0.5", {"X-Real-IP": "203.0.113.7"}) == "10.0.0.5"
    trusted = auth.trusted_proxies({"VVR_TRUSTED_PROXIES": " 10.0.0.5, 10.0.0.6 "})
    assert trusted == ("10.0.0.5", "10.0.0.6")
    assert client_address("10.0.0.5", {"X-Real-IP": "203.0.113.7"}, trusted) == "203.0.113.7"
    assert client_address("127.0.0.1", {"X-Real-IP": "203.0.113.7"}, trusted) == "127.0.0.1"
    assert auth.trusted_proxies({}) == ("127.0.0.1", "::1")


HASH = auth.hash_password("x", salt=b"0123456789abcdef")


def test_a_password_section_is_checked_key_by_key():
    assert auth.config_problems({"viewer_password_hash": HASH, "staff_password_hash": HASH}) == []
    assert auth.config_problems({"staff_password_hash": HASH, "staf_password_hash": HASH}) == [
        "missing: viewer_password_hash",
        "unknown key: staf_password_hash",
    ]
    assert auth.config_problems({"viewer_password_hash": "salasana", "staff_password_hash": 12}) == [
        "not a password hash: viewer_password_hash (not scrypt$N$r$p$salt$hash or pbkdf2_sha256$iterations$salt$hash)",
        "not a password hash: staff_password_hash (not text)",
    ]


def test_a_hash_of_the_wrong_shape_is_no_hash():
    salt, digest = base64.b64encode(b"s" * 16).decode(), base64.b64encode(b"d" * 32).decode()
    assert auth.hash_problem(f"scrypt$16384$8$1${salt}${digest}") is None
    assert auth.hash_problem(f"pbkdf2_sha256$600000${salt}${digest}") is None
    for wrong in (
        f"scrypt$16384$8${salt}${digest}",  # a part missing
        f"scrypt$16384$8$1${salt}${digest}$x",  # one too many
        f"scrypt$n$8$1${salt}${digest}",  # not a number
        f"scrypt$16384$8$1$not base64!${digest}",
        f"pbkdf2_sha256$many${salt}${digest}",
        f"pbkdf2_sha256$600000${salt}",
        f"md5$600000${salt}${digest}",
        None,
        "scrypt$1$1$1$$",  # the issue's: N of 1, no salt, no hash
        f"scrypt$16384$8$1$${digest}",  # no salt
        f"scrypt$16384$8$1${salt}$",  # no hash
        f"scrypt$16383$8$1${salt}${digest}",  # N not a power of two
        f"scrypt$16384$0$1${salt}${digest}",
        f"scrypt$16384$8$0${salt}${digest}",
        f"scrypt$1048576$8$1${salt}${digest}",  # 1 GiB: no password could ever be checked against it
        f"scrypt$16384$8$1${base64.b64encode(b's' * 4).decode()}${digest}",  # a 4-byte salt
        f"pbkdf2_sha256$1${salt}${digest}",  # one iteration
        f"pbkdf2_sha256$0${salt}${digest}",
        f"pbkdf2_sha256$600000${salt}${base64.b64encode(b'd' * 8).decode()}",  # an 8-byte hash
        [HASH],
    ):
        assert auth.hash_problem(wrong), wrong


def test_sign_in_is_on_with_one_password_hash_at_least():
    assert auth.configured({"viewer_password_hash": HASH})
    assert auth.configured({"staff_password_hash": HASH, "viewer_password_hash": ""})
    assert not auth.configured({"viewer_password_hash": "", "staff_password_hash": None})
    assert not auth.configured({}) and not auth.configured(None)


def test_the_staff_password_wins_when_both_roles_share_it():
    both = {"viewer_password_hash": HASH, "staff_password_hash": HASH}
    assert auth.role_for("x", both) == auth.STAFF
    assert auth.role_for("x", {"viewer_password_hash": HASH}) == auth.VIEWER
    assert auth.role_for("y", both) is None


SSO = {
    "redirect_uri": "https://vvr.example.fi/oauth2callback",
    "cookie_secret": "s",
    "client_id": "c",
    "client_secret": "cs",
    "server_metadata_url": "https://id.example.fi/.well-known/openid-configuration",
}


def test_single_sign_on_settings_are_checked_key_by_key():
    access = {"staff": ["maija@hartola.fi"], "viewers": ["ohjaus@heinola.fi"]}
    assert auth.oidc_problems(SSO, access) == []
    assert auth.oidc_problems({**SSO, "client_id": ""}, {"staff": ["maija@hartola.fi"]}) == [
        "[auth] missing: client_id"
    ]
    assert auth.oidc_problems({**SSO, "staff_password_hash": HASH}, access) == [
        "[auth] holds a password hash: move staff_password_hash to [passwords]"
    ]
    assert auth.oidc_problems(SSO, {"staf": ["maija@hartola.fi"]}) == [
        "[access] unknown key: staf",
        "[access] names nobody: list e-mail addresses under staff and viewers",
    ]
    assert auth.oidc_problems(SSO, {"staff": "maija@hartola.fi", "viewers": ["ohjaus"]}) == [
        "[access] staff is not a list of e-mail addresses",
        "[access] viewers is not a list of e-mail addresses",
    ]


def test_a_person_is_their_role_by_e_mail_whatever_the_case():
    access = {
        "staff": [" Maija.Meikalainen@Hartola.fi "],
        "viewers": ["ohjaus@heinola.fi", "maija.meikalainen@hartola.fi"],
    }
    assert auth.role_for_email("maija.meikalainen@HARTOLA.FI", access) == auth.STAFF  # staff first
    assert auth.role_for_email(" ohjaus@heinola.fi", access) == auth.VIEWER
    assert auth.role_for_email("muu@heinola.fi", access) is None
    assert auth.role_for_email("ohjaus", {"viewers": ["ohjaus"]}) is None  # not an address
    assert auth.role_for_email(None, access) is None


def test_a_sign_in_problem_goes_to_the_audit_log_and_a_busy_store_does_not_stop_the_form(db, monkeypatch):
    from vvr_metrics import errors, store

    auth.log_sign_in_problem("sign_in_refused", "no access", "muu@heinola.fi")
    last = store.events(db).iloc[-1]
    assert (last["action"], last["source"], last["actor"]) == ("sign_in_refused", "no access", "muu@heinola.fi")
    logged = []
    monkeypatch.setattr(errors, "log_unexpected", lambda what: logged.append(what))

    def busy(*args):
        raise store.StoreBusy("busy", db)

    monkeypatch.setattr(store, "log_event", busy)
    auth.log_sign_in_problem("sign_in_failed", "wrong password", "maija")
    assert logged == ["audit log: sign_in_failed"]


def test_a_password_hash_is_scrypt_of_the_password_with_a_16_byte_salt():
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"salasana", salt=salt, n=2**14, r=8, p=1, dklen=32)
    expected = f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert auth.hash_password("salasana", salt=salt) == expected
    kind, n, r, p, random_salt, random_digest = auth.hash_password("salasana").split("$")
    assert (kind, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(random_salt)) == 16 and len(base64.b64decode(random_digest)) == 32


def test_a_hash_part_that_only_lenient_base64_would_read_is_refused():
    good, bad = base64.b64encode(b"s" * 16).decode(), "QUJD!"  # "QUJD" with a stray "!"
    assert auth.hash_problem(f"scrypt$16384$8$1${good}${good}") is None
    assert auth.hash_problem(f"scrypt$16384$8$1${bad}${good}")
    assert auth.hash_problem(f"scrypt$16384$8$1${good}${bad}")
    assert auth.hash_problem(f"scrypt$16384$eight$1${good}${good}")
    assert auth.hash_problem(f"scrypt$16384$8$one${good}${good}")
    assert auth.hash_problem(f"pbkdf2_sha256$1000${good}${good}") is None
    assert auth.hash_problem(f"pbkdf2_sha256$1000${bad}${good}")
    assert auth.hash_problem(f"pbkdf2_sha256$1000${good}${bad}")


def test_the_throttle_at_its_edges():
    """A failure counts for exactly 15 minutes; the crowd delay starts at the 20th failure within 15 minutes and
    runs from the latest one; even a wait under a second refuses."""
    now = [0.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    for _ in range(4):
        throttle.failure("a")
        now[0] += 100.0
    assert throttle.wait_seconds("a") == 0.0  # 4 failures: the 5th may be tried
    throttle.failure("a")
    assert throttle.wait_seconds("a") == auth.WINDOW_S - 400.0
    now[0] = auth.WINDOW_S - 0.5  # the first failure is half a second short of 15 minutes old: still counted
    assert throttle.wait_seconds("a") == 0.5
    now[0] = auth.WINDOW_S
    assert throttle.wait_seconds("a") == 0.0  # exactly 15 minutes: gone
    crowd = auth.Throttle(clock=lambda: now[0])
    start = now[0]
    for i in range(19):
        crowd.failure(f"c{i}")
        now[0] += 1.0
    assert crowd.wait_seconds("someone") == 0.0  # 19 failures: nobody else is slowed
    crowd.failure("c19")
    now[0] += 0.5
    assert crowd.wait_seconds("someone") == 1.5  # 2 s from the 20th, 0.5 s ago
    now[0] = start + auth.WINDOW_S  # the first failure is now exactly 15 minutes old: still counted
    assert crowd.wait_seconds("someone") == 0.0  # but the latest was long ago
    config = {"staff_password_hash": HASH}
    slow = auth.Throttle(clock=lambda: now[0])
    for _ in range(5):
        slow.failure("b")
    now[0] += auth.WINDOW_S - 0.5  # 0.5 s of the wait left
    assert auth.sign_in("x", config, slow, "b") == (None, 0.5, False)


def test_a_missing_access_list_is_no_one():
    assert auth.role_for_email("ohjaus@heinola.fi", {"staff": ["maija@hartola.fi"]}) is None
    assert auth.role_for_email("maija@hartola.fi", {"viewers": ["maija@hartola.fi"]}) == auth.VIEWER


def test_a_pbkdf2_hash_of_any_length_is_checked_at_its_length():
    salt = b"suola"
    digest = hashlib.pbkdf2_hmac("sha256", b"salasana", salt, 1000, dklen=20)
    stored = f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert auth.verify_password("salasana", stored) and not auth.verify_password("salasanat", stored)


def test_after_a_quiet_quarter_hour_the_free_attempts_start_again():
    now = [0.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    for _ in range(6):
        throttle.failure("a")
    now[0] += auth.WINDOW_S + 10
    waits = []
    for _ in range(5):
        throttle.failure("a")
        waits.append(throttle.wait_seconds("a"))
        now[0] += 3.0
    assert waits == [0.0, 0.0, 0.0, 0.0, auth.WINDOW_S - 12.0]


def test_internal_figures_are_a_permission_of_their_own():
    """Unprotected figures are staff's (and the open demo's, on example data only); viewers get public ones."""
    assert auth.PERMISSIONS[auth.STAFF].internal_figures and auth.PERMISSIONS[auth.DEMO].internal_figures
    assert not auth.PERMISSIONS[auth.VIEWER].internal_figures
    assert not auth.PERMISSIONS[auth.DEMO].upload and not auth.PERMISSIONS[auth.DEMO].delete
