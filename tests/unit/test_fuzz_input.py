"""Whatever a visitor or a configuration file contains: a clear message or a clean value.

Guest-book fields and configuration values go through the core's validation with
control characters (ESC, GS, NUL — printer commands on an ESC/POS slip), 10,000
character strings, emoji, right-to-left text and SQL fragments. The only acceptable
outcomes are a cleaned value (stored exactly as cleaned) or a ValidationError /
ConfigError naming the problem; any other exception would reach the visitor.
"""

from __future__ import annotations

import dataclasses
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.clock import FakeClock
from shared.errors import ConfigError, ValidationError
from shared.install.config import Config, load_config, parse_config
from shared.queue.operations import Operations
from shared.queue.validation import GuestBook, clean_line, validate_guest_book
from shared.storage.store import Store
from tests.conftest import WEDNESDAY_0900
from tests.hostile import HOSTILE_TEXT

pieces = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(min_size=0, max_size=30),
    st.characters(codec="utf-8").map(str),
)
nasty_text = st.one_of(
    st.lists(pieces, max_size=12).map("".join),
    st.just("A" * 10_000),
    st.builds(lambda s: s * (10_000 // max(1, len(s))), st.sampled_from(HOSTILE_TEXT)),
)
GUEST_FIELDS = [f.name for f in dataclasses.fields(GuestBook) if f.name not in ("consent", "extra")]
FIELD_LIMITS = {
    "name": 200,
    "email": 254,
    "sex": 40,
    "education": 60,
    "occupation": 60,
    "institution_category": 80,
    "institution_name": 200,
    "purpose": 80,
    "topic": 500,
}


def valid_guest(**changes) -> GuestBook:
    base = GuestBook(name="Siti Aminah", email="siti@contoh.id", consent=True)
    return dataclasses.replace(base, **changes)


def no_controls(text: str) -> bool:
    return all(unicodedata.category(ch)[0] != "C" for ch in text)


@given(field=st.sampled_from(GUEST_FIELDS), value=nasty_text)
@settings(max_examples=300)
def test_guest_book_field_is_cleaned_or_refused(field, value):
    try:
        cleaned = validate_guest_book(valid_guest(**{field: value}), 2026)
    except ValidationError as exc:
        assert exc.field == field
        assert exc.message.strip()
        return
    for name, limit in FIELD_LIMITS.items():
        text = getattr(cleaned, name)
        assert no_controls(text), (name, text)
        assert len(text) <= limit
        assert text == text.lstrip()  # (truncation may leave one trailing space)


@given(value=st.one_of(nasty_text, st.integers(), st.floats(allow_infinity=False), st.none()))
@settings(max_examples=150)
def test_birth_year_is_a_year_or_refused(value):
    try:
        cleaned = validate_guest_book(valid_guest(birth_year=value), 2026)
    except ValidationError as exc:
        assert exc.field == "birth_year"
        return
    assert cleaned.birth_year is None or 1916 <= cleaned.birth_year <= 2021


@pytest.mark.parametrize("value", [float("inf"), float("-inf")])
def test_infinite_birth_year_is_refused(value):
    with pytest.raises(ValidationError):
        validate_guest_book(valid_guest(birth_year=value), 2026)


@pytest.fixture(scope="module")
def kiosk():
    folder = tempfile.TemporaryDirectory(prefix="pst-fuzz-")
    store = Store(Path(folder.name) / "antrian.db", retry_seconds=5)
    ops = Operations(store, clock=FakeClock(WEDNESDAY_0900), machine="kiosk-1", program="kiosk")
    ops.initialise()
    yield ops
    store.close()
    folder.cleanup()


@given(name=nasty_text, institution=nasty_text, topic=nasty_text)
@settings(max_examples=60)
def test_guest_book_is_stored_exactly_as_cleaned(kiosk, name, institution, topic):
    guest = valid_guest(name=name, institution_name=institution, topic=topic)
    try:
        ticket = kiosk.issue_ticket("KS", guest)
    except ValidationError as exc:
        assert exc.field == "name"
        assert len(clean_line(name)) < 2
        return
    row = kiosk.store.read(
        lambda c: c.execute(
            "SELECT v.name, v.institution_name, s.topic FROM tickets t"
            " JOIN visits s ON s.id = t.visit_id JOIN visitors v ON v.id = s.visitor_id"
            " WHERE t.id = ?",
            (ticket["id"],),
        ).fetchone()
    )
    assert row == (clean_line(name), clean_line(institution), clean_line(topic, 500))
    # SQL fragments are data, never statements: the tables are all still there.
    tables = kiosk.store.read(
        lambda c: {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    )
    assert {"tickets", "visitors", "visits", "events"} <= tables


CONFIG_KEYS = [
    (section.name, key.name)
    for section in dataclasses.fields(Config)
    if section.name != "source"
    for key in dataclasses.fields(
        section.type if not isinstance(section.type, str) else type(getattr(Config(), section.name))
    )
]
any_value = st.one_of(
    nasty_text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@given(key=st.sampled_from(CONFIG_KEYS), value=any_value)
@settings(max_examples=400)
def test_configuration_value_is_accepted_or_refused_clearly(key, value):
    section, name = key
    try:
        config = parse_config({section: {name: value}}, where="pst.toml")
    except ConfigError as exc:
        assert "pst.toml" in exc.message and name in exc.message
        return
    accepted = getattr(getattr(config, section), name)
    default = getattr(getattr(Config(), section), name)
    assert type(accepted) is type(default)
    assert accepted == value


@given(section=nasty_text, key=nasty_text, value=any_value)
@settings(max_examples=150)
def test_unknown_configuration_names_are_refused(section, key, value):
    known_sections = {s for s, _ in CONFIG_KEYS}
    if section in known_sections:
        return
    with pytest.raises(ConfigError):
        parse_config({section: {key: value}})


@given(content=st.one_of(nasty_text, st.binary(max_size=2000).map(lambda b: b.decode("latin-1"))))
@settings(max_examples=150)
def test_configuration_file_of_any_content_loads_or_is_refused(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pst.toml"
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        try:
            load_config(path)
        except ConfigError as exc:
            assert str(path) in exc.message
