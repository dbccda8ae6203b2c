"""Words the kiosk shows that are not sentences of one screen: dates, groups, lists.

Value lists (education, occupation…) are stored in Indonesian, as the office's reports
use them; :func:`value_label` shows the known default values in the visitor's language
and any value an administrator added as it was written.
"""

from __future__ import annotations

from shared.clock import MONTH_NAMES as MONTHS
from shared.clock import WEEKDAY_NAMES as WEEKDAYS
from shared.clock import from_ms
from shared.i18n import N_, _

# Priority groups of UU 25/2009: (label, plain explanation) per code in the settings.
PRIORITY_GROUPS = {
    "disability": (
        N_("Person with a disability"),
        N_("You use a wheelchair or crutches, or have difficulty seeing, hearing or walking."),
    ),
    "elderly": (
        N_("Elderly visitor (60 or older)"),
        N_("You are 60 years old or older."),
    ),
    "pregnant": (
        N_("Pregnant woman"),
        N_("You are expecting a baby."),
    ),
    "with_children": (
        N_("Visitor with a small child"),
        N_("You came with a baby or a small child."),
    ),
}

# Default value lists (stored in Indonesian) → their English label.
VALUE_LABELS = {
    "Laki-laki": N_("Male"),
    "Perempuan": N_("Female"),
    "≤ SMA/sederajat": N_("High school or lower"),
    "D1/D2/D3": N_("Diploma (D1/D2/D3)"),
    "S1/D4": N_("Bachelor (S1/D4)"),
    "S2": N_("Master (S2)"),
    "S3": N_("Doctorate (S3)"),
    "Pelajar/Mahasiswa": N_("Pupil / student"),
    "Peneliti/Dosen": N_("Researcher / lecturer"),
    "ASN/TNI/Polri": N_("Civil servant / armed forces / police"),
    "Pegawai BUMN/BUMD": N_("State-owned enterprise employee"),
    "Pegawai Swasta": N_("Private sector employee"),
    "Wiraswasta": N_("Self-employed"),
    "Lainnya": N_("Other"),
    "Lembaga Negara": N_("State institution"),
    "Kementerian & Lembaga Pemerintah": N_("Ministry or government agency"),
    "TNI/Polri/BIN/Kejaksaan": N_("Armed forces / police / intelligence / prosecution"),
    "Pemerintah Daerah": N_("Regional government"),
    "Lembaga Internasional": N_("International organisation"),
    "Lembaga Penelitian & Pendidikan": N_("Research or education institution"),
    "BUMN/BUMD": N_("State-owned enterprise"),
    "Swasta": N_("Private company"),
    "Tugas sekolah/kuliah": N_("School or university assignment"),
    "Skripsi/Tesis/Disertasi": N_("Thesis or dissertation"),
    "Penelitian": N_("Research"),
    "Perencanaan/Evaluasi pemerintah": N_("Government planning or evaluation"),
    "Komersial": N_("Business"),
}

# The nine IKM elements (PermenPANRB 14/2017), in the order of the u1…u9 columns.
IKM_QUESTIONS = (
    N_("Were the requirements for this service suitable?"),
    N_("Was the procedure easy to follow?"),
    N_("Were you served quickly?"),
    N_("Was the cost fair? (This service is free of charge.)"),
    N_("Did you receive what the service standard promises?"),
    N_("Were the officers competent?"),
    N_("Were the officers polite and friendly?"),
    N_("Are complaints and suggestions handled well here?"),
    N_("Were the rooms and facilities good?"),
)
IKM_SCALE = (N_("Poor"), N_("Fair"), N_("Good"), N_("Very good"))
STAR_LABELS = (
    N_("Very bad"),
    N_("Bad"),
    N_("Average"),
    N_("Good"),
    N_("Very good"),
)


def long_date(ms: int, tz: str) -> str:
    """Return e.g. ``Rabu, 25 November 2026`` in the current language."""
    when = from_ms(ms, tz)
    return _(
        "{weekday}, {day} {month} {year}",
        weekday=_(WEEKDAYS[when.weekday()]),
        day=when.day,
        month=_(MONTHS[when.month - 1]),
        year=when.year,
    )


def value_label(value: str) -> str:
    """Return a list value as the visitor reads it in the current language."""
    msgid = VALUE_LABELS.get(value)
    return _(msgid) if msgid else value


def priority_label(code: str) -> tuple[str, str]:
    """Return (label, explanation) of a priority group code in the current language."""
    label, explanation = PRIORITY_GROUPS.get(code, (code, ""))
    return _(label), _(explanation) if explanation else ""
