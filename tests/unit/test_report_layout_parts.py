"""The parts the report and the plan share: translated columns, 'made on', plain writers."""

from __future__ import annotations

import json

from shared.clock import FakeClock
from shared.i18n import N_
from shared.reporting import export
from shared.reporting.tables import Column, Section, Table, columns, made_on
from tests.conftest import WEDNESDAY_0900


def test_columns_translate_titles_and_keep_kinds():
    made = columns("id", N_("Service"), (N_("Tickets"), "int"))
    assert made == [Column("Layanan", "text"), Column("Tiket", "int")]
    assert columns("en", (N_("Tickets"), "int")) == [Column("Tickets", "int")]


def test_made_on_is_local_time_and_empty_without_a_time():
    at = FakeClock(WEDNESDAY_0900).now_ms()
    assert made_on(at, "Asia/Jakarta", "en") == "Made on 25 November 2026 at 09:00"
    assert made_on(None, "Asia/Jakarta", "en") == ""


def test_write_plain_writes_each_format_and_lays_out_only_when_needed(tmp_path):
    head = {"title": "T", "office": "O", "unit": "U", "period": "P", "filter": "F", "made": ""}
    table = Table("t", "Tabel", [Column("A"), Column("B", "int")], [["x", 1200]])
    asked = []

    def layout():
        asked.append(1)
        return head, [Section("s", "Bagian", [table])]

    data = {"figure": 1200}
    export.write_plain(tmp_path / "a.json", "json", data, layout, "id")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == data
    assert asked == []
    export.write_plain(tmp_path / "a.txt", "text", data, layout, "id")
    assert "1.200" in (tmp_path / "a.txt").read_text(encoding="utf-8")
    export.write_plain(tmp_path / "a.csv", "csv", data, layout, "id")
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"x,1200" in raw
    assert asked == [1, 1]
