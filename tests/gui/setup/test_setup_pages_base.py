"""What the wizard's pages share, alone: the sentence for background work that failed."""

from __future__ import annotations

import logging

from setup_wizard.pages.base import failure
from shared.errors import ConfigError
from shared.i18n import N_


def test_a_failure_is_said_in_one_sentence_and_a_bug_is_logged(caplog):
    msgid = N_("The test print failed: {error}")
    assert failure(None, "test print", msgid) is None
    known = ConfigError(N_("The printer address is empty."))
    assert failure(known, "test print", msgid) == known.message
    assert not caplog.records
    with caplog.at_level(logging.ERROR, logger="setup_wizard.pages.base"):
        sentence = failure(RuntimeError("kabel putus"), "test print", msgid)
    assert sentence == "Cetak uji gagal: kabel putus"
    assert [r.getMessage() for r in caplog.records] == ["test print failed"]
