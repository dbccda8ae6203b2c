"""Officer PINs: salted scrypt hashes, constant-time comparison, lockout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from shared.errors import ValidationError
from shared.i18n import N_

# scrypt cost: ~30 ms a check on an office PC; enough to make a stolen file's short
# PINs expensive to guess one by one, cheap enough for a login.
_N, _R, _P = 2**14, 8, 1
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_MS = 5 * 60_000


def check_pin_format(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValidationError("pin", N_("A PIN is 4 to 12 digits."))


def hash_pin(pin: str) -> str:
    """Return ``scrypt$N$r$p$salt$hash`` for a PIN (the only form ever stored)."""
    check_pin_format(pin)
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Check a PIN against its stored hash in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
