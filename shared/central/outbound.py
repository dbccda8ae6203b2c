"""What leaves the office for the province's central database — the one list.

Every column published is named here, table by table; :mod:`shared.central.publish`
reads exactly these columns and :mod:`shared.central.schema` creates exactly these
columns (a test checks both, and that ``docs/province.md`` lists them). Everything else
stays in the office's file: the guest book's names, e-mail addresses, phone numbers,
institution names, years of birth and topics; officers' names, user names and PINs;
ticket codes (the private code on the slip), officers' notes, visitors' comments,
events' details, heartbeats and every other setting.

Rows are keyed centrally by (office_code, local id); the local ids only link rows of
one office (visits of one visitor, a ticket to its visit), they name nobody. Two columns
are worked out in the office so the province's reports need no second pass: a visit's
``service_day`` and ``returning_visitor``, and a rating's ``service_day`` (its ticket's).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outbound:
    """One published table: its local source and the columns that leave the office."""

    table: str
    key: str
    columns: tuple[str, ...]
    note: str = ""


TICKET_COLUMNS = (
    "id",
    "number",
    "service_code",
    "service_day",
    "seq",
    "status",
    "priority_group",
    "visit_id",
    "issued_at",
    "call_seq",
    "first_called_at",
    "called_at",
    "recall_count",
    "started_at",
    "ended_at",
    "no_show_at",
    "counter_id",
    "officer_id",
    "ahead_ticket_id",
    "clock_start_at",
    "deadline_at",
    "target_met",
    "transferred_from_id",
    "transferred_to_id",
)
RATING_ELEMENTS = tuple(f"u{i}" for i in range(1, 10))

OUTBOUND: tuple[Outbound, ...] = (
    Outbound(
        "services",
        "code",
        ("code", "name_id", "name_en", "target_minutes", "active", "sort_order"),
    ),
    Outbound("counters", "id", ("id", "name", "active")),
    Outbound("officers", "id", ("id", "role", "active"), "ids and roles only, never names"),
    Outbound(
        "visits",
        "id",
        (
            "id",
            "visitor_id",
            "service_day",
            "purpose",
            "sex",
            "age_band",
            "education",
            "occupation",
            "institution_category",
            "returning_visitor",
            "created_at",
        ),
        "the anonymised guest book, one row per visit: the visitor's categories as they"
        " stand now, the age band (worked out from the year of birth, which stays home) and"
        " whether the visitor had come before",
    ),
    Outbound("tickets", "id", TICKET_COLUMNS, "never the private code or the notes"),
    Outbound(
        "calls",
        "id",
        (
            "id",
            "ticket_id",
            "service_code",
            "service_day",
            "call_seq",
            "in_order",
            "called_at",
            "counter_id",
            "officer_id",
            "ended_at",
            "end_kind",
        ),
    ),
    Outbound(
        "ratings",
        "id",
        (
            "id",
            "ticket_id",
            "service_code",
            "service_day",
            "officer_id",
            "counter_id",
            "score",
            *RATING_ELEMENTS,
            "gratification",
            "extortion",
            "flagged",
            "created_at",
        ),
        "never the visitor's comment",
    ),
    Outbound(
        "events",
        "id",
        (
            "id",
            "at",
            "machine",
            "program",
            "officer_id",
            "kind",
            "ticket_id",
            "counter_id",
            "service_code",
            "from_state",
            "to_state",
        ),
        "never the details (data, result) or the operation id",
    ),
)
BY_TABLE = {o.table: o for o in OUTBOUND}

# The office settings the province sees (on the central ``offices`` row).
OFFICE_SETTINGS = ("office_code", "office_name", "office_unit", "timezone", "lists")

# What never leaves, for the record (and for the test that searches the central
# database for it).
NEVER = (
    "visitors.name",
    "visitors.email",
    "visitors.phone",
    "visitors.birth_year",
    "visitors.institution_name",
    "visits.topic",
    "tickets.code",
    "tickets.notes",
    "ratings.comment",
    "officers.username",
    "officers.full_name",
    "officers.pin_hash",
    "events.op_id",
    "events.data",
    "events.result",
    "heartbeats",
)
