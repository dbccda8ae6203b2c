"""Officer PINs and administration: salted hashes, constant-time checks, lockout, audit."""

from __future__ import annotations

import base64
import hmac
import json

import pytest

from shared.errors import AuthError, ValidationError
from shared.queue import security


def test_pin_is_stored_only_as_a_salted_scrypt_hash():
    first, second = security.hash_pin("1234"), security.hash_pin("1234")
    assert first != second  # a fresh salt every time
    for stored in (first, second):
        scheme, n, _r, _p, salt, digest = stored.split("$")
        assert scheme == "scrypt" and int(n) >= 2**14
        assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
        assert "1234" not in stored
        assert security.verify_pin("1234", stored)
        assert not security.verify_pin("1235", stored)


@pytest.mark.parametrize("stored", ["", "1234", "md5$x", "scrypt$a$b$c$d$e", "scrypt$1$1$1$!!$!!"])
def test_malformed_stored_hash_never_verifies(stored):
    assert security.verify_pin("1234", stored) is False


@pytest.mark.parametrize("pin", ["", "123", "12a4", "1234567890123", " 1234", "12 34"])
def test_pin_format_is_checked(pin):
    with pytest.raises(ValidationError):
        security.hash_pin(pin)


def test_pin_comparison_is_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    stored = security.hash_pin("4321")
    assert security.verify_pin("4321", stored)
    assert not security.verify_pin("0000", stored)
    assert len(calls) == 2


def test_database_holds_no_pin_anywhere(ops, office):
    dump = "\n".join(ops.store.read(lambda c: list(c.iterdump())))
    assert "scrypt$" in dump
    for pin in ("1234", "5678"):
        hashes = ops.store.read(
            lambda c: [r[0] for r in c.execute("SELECT pin_hash FROM officers")]
        )
        assert all(pin not in h for h in hashes)
    events = ops.store.read(lambda c: [r[0] for r in c.execute("SELECT data FROM events")])
    assert all("pin_hash" not in e and "scrypt" not in e for e in events)


def test_wrong_pins_lock_the_officer_for_a_while(ops, office, clock):
    with pytest.raises(AuthError):
        ops.login("budi", "0000")
    for _ in range(security.MAX_FAILED_ATTEMPTS - 2):
        with pytest.raises(AuthError, match=r"PIN"):
            ops.login("budi", "0000")
    with pytest.raises(AuthError) as locked:
        ops.login("budi", "0000")
    assert "5" in locked.value.message
    with pytest.raises(AuthError):
        ops.login("budi", "1234")  # the right PIN does not help while locked
    clock.advance(ms=security.LOCKOUT_MS + 1)
    officer = ops.login("budi", "1234")
    assert officer["username"] == "budi" and "pin_hash" not in officer
    kinds = ops.store.read(
        lambda c: [
            r[0]
            for r in c.execute(
                "SELECT kind FROM events WHERE officer_id = ? AND kind IN"
                " ('login_failed', 'officer_locked', 'login') ORDER BY id",
                (office["officer"]["id"],),
            )
        ]
    )
    assert kinds == ["login_failed"] * 4 + ["officer_locked", "login"]


def test_unknown_officer_gets_the_same_answer_as_a_wrong_pin(ops, office):
    with pytest.raises(AuthError) as unknown:
        ops.login("nobody", "1234")
    with pytest.raises(AuthError) as wrong:
        ops.login("budi", "9999")
    assert unknown.value.message == wrong.value.message


def test_every_admin_change_is_recorded_with_who_and_where(ops, office):
    admin = ops.save_officer("ani", full_name="Ani Admin", pin="24680", role="admin")
    actor = admin["id"]
    ops.save_counter("Meja 3", services=["KS"], actor=actor)
    ops.save_service("KS", target_minutes=12, actor=actor)
    ops.save_officer("budi", pin="13579", actor=actor)
    ops.save_setting("recall_limit", 2, actor=actor)
    rows = ops.store.read(
        lambda c: c.execute(
            "SELECT kind, officer_id, machine, program, data FROM events"
            " WHERE kind LIKE 'admin_%' AND officer_id = ? ORDER BY id",
            (actor,),
        ).fetchall()
    )
    assert [r[0] for r in rows] == [
        "admin_counter",
        "admin_service",
        "admin_officer",
        "admin_setting",
    ]
    for _kind, officer_id, machine, program, data in rows:
        assert (officer_id, machine, program) == (actor, "test-pc", "test")
        assert "13579" not in data
    assert json.loads(rows[2][4])["pin_changed"] is True
