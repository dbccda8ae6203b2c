"""The guest book (buku tamu): who the visitor is, then the queue number.

Nothing the visitor typed is lost on an error: validation problems are shown beside
their fields, and when the shared database cannot be reached the form stays filled,
says so, and retries with the *same* operation id — so however often it is retried,
and even if the first attempt did reach the database, exactly one ticket results.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.backend import Answers, KioskBackend, looks_like_ticket_code
from kiosk.screens import BottomBar, Screen, card, form_layout
from kiosk.texts import priority_label, value_label
from kiosk.widgets import (
    MIN_TOUCH,
    ChoiceGroup,
    Field,
    FlowBox,
    KeyboardAwareScroll,
    TouchCheckBox,
    button,
    label,
    line_edit,
)
from shared.clock import from_ms
from shared.errors import DomainError, PSTError, StorageError, ValidationError
from shared.i18n import N_, _
from shared.queue.operations import new_op_id
from shared.queue.validation import GuestBook, validate_guest_book

log = logging.getLogger(__name__)

RETRY_MS = 5000
FIX_FIELDS = N_("Please correct the fields marked in red.")
# Typed with one tap under the e-mail box: the on-screen keyboard's letter layouts have
# no "@" (it hides on the symbols page), and these endings are most of what is typed.
EMAIL_KEYS = ("@", "gmail.com", ".com", ".co.id", ".ac.id", ".go.id")
# The phone keypad has digits, "*" and "#" but no "+" for a number written +62….
PHONE_KEYS = ("+62", "+")
# A storage problem as the visitor hears of it: what happens, what to do (the file and
# the share are IT's business: they go to the log and the console).
STORAGE_RETRYING = N_(
    "We cannot reach the queue right now. Your data is kept: we try again by ourselves,"
    " or tap “Try again”. If this goes on, please ask an officer."
)
STORAGE_DOWN = N_(
    "Numbers cannot be given right now. Your data is kept. Please ask an officer at the desk."
)
TEXT_FIELDS = ("name", "email", "phone", "birth_year", "institution_name", "topic")
CHOICE_FIELDS = ("sex", "education", "occupation", "institution_category", "purpose")
# A value that passes the core's check, used to look past one problem to the next.
_PASSING = {"name": "Xx", "email": "x@x.id", "phone": "", "birth_year": None, "consent": True}


class GuestBookScreen(Screen):
    """The guest-book form; ``ticket_issued(ticket)`` once the number is committed."""

    ticket_issued = Signal(object)  # the ticket dict (not Signal(dict): see refcounts)
    # A ticket committed after the form was reset (the visitor's screen was wiped).
    late_ticket_issued = Signal(object)
    back_requested = Signal()

    def __init__(self, backend: KioskBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guest_book")
        self.backend = backend
        self.service_code = ""
        self.op_id: str | None = None
        self._busy = False
        self._retry_pending = False
        self._message_msgid = ""
        self._message_params: dict[str, Any] = {}
        self._message_text = ""
        self._lookup_msgid = ""
        self._lookup_params: dict[str, Any] = {}
        # What the last lookup put in the form (field → value as shown), so the next
        # lookup removes it and never mixes two records; and the contact details
        # behind their masked form (field → (masked, real)).
        self._prefilled: dict[str, str] = {}
        self._kept_contact: dict[str, tuple[str, str]] = {}
        self._lookup_seq = 0
        self._answers = Answers()
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_MS)
        self._retry_timer.timeout.connect(self._on_retry_timer_timeout)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_form())
        self.pages.addWidget(self._build_notice())

        bar = BottomBar(
            self._on_back_clicked,
            self._on_submit_clicked,
            status_name="form_message",
            action_name="submit",
        )
        self.back, self.message, self.submit = bar.back, bar.status, bar.action
        form_layout(self, self.pages, bar, spacing=0)
        self.retranslate()

    # -- building -----------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        hint_none = Qt.InputMethodHint.ImhNone
        self.fields: dict[str, Field] = {}
        self.edits: dict[str, QLineEdit] = {
            "name": line_edit("name", hint_none | Qt.InputMethodHint.ImhNoPredictiveText),
            "email": line_edit("email", Qt.InputMethodHint.ImhEmailCharactersOnly, 254),
            "phone": line_edit("phone", Qt.InputMethodHint.ImhDialableCharactersOnly, 20),
            "birth_year": line_edit("birth_year", Qt.InputMethodHint.ImhDigitsOnly, 4),
            "institution_name": line_edit("institution_name", hint_none),
            "topic": line_edit("topic", hint_none, 500),
        }
        self.choices: dict[str, ChoiceGroup] = {
            key: ChoiceGroup((), value_label) for key in CHOICE_FIELDS
        }
        self.priority = ChoiceGroup((), lambda code: priority_label(code)[0])
        self.priority.setObjectName("priority")
        self.priority.changed.connect(self._on_priority_changed)
        self.consent = TouchCheckBox()
        self.consent.setObjectName("consent")
        self.consent.setMinimumHeight(64)
        self.consent.toggled.connect(self._on_consent_toggled)
        self.consent_notice = label(role="info")
        self.full_notice_button = button(role="quiet", name="show_notice")
        self.full_notice_button.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        consent_box = QWidget()
        consent_layout = QVBoxLayout(consent_box)
        consent_layout.setContentsMargins(0, 0, 0, 0)
        consent_layout.addWidget(self.consent_notice)
        # One below the other: side by side they do not fit a column at 1366×768.
        consent_layout.addWidget(self.consent)
        consent_layout.addWidget(self.full_notice_button, 0, Qt.AlignmentFlag.AlignLeft)

        def add(key: str, title: str, editor: QWidget, **kw: Any) -> Field:
            field = Field(key, title, editor, **kw)
            self.fields[key] = field
            return field

        add("name", N_("Full name"), self.edits["name"], required=True)
        add(
            "email",
            N_("E-mail address"),
            self.edits["email"],
            required=True,
            hint=N_("We send the results of your visit and the survey here."),
        )
        add("phone", N_("Phone / WhatsApp"), self.edits["phone"], hint=N_("Example: 081234567890"))
        add("sex", N_("Sex"), self.choices["sex"])
        add("birth_year", N_("Year of birth"), self.edits["birth_year"], hint=N_("Example: 1985"))
        add("education", N_("Highest education"), self.choices["education"])
        add("occupation", N_("Occupation"), self.choices["occupation"])
        add("institution_category", N_("Institution"), self.choices["institution_category"])
        add("institution_name", N_("Name of your institution"), self.edits["institution_name"])
        add("purpose", N_("Purpose of the data"), self.choices["purpose"])
        add(
            "topic",
            N_("What data or topic are you looking for?"),
            self.edits["topic"],
            hint=N_("Example: population of Palembang 2024"),
        )
        add(
            "priority_group",
            N_("Priority service (only if it applies to you)"),
            self.priority,
            hint=N_(
                "Visitors in these groups are called earlier. An officer may ask you about it."
            ),
        )
        add("consent", N_("Your personal data"), consent_box, required=True)
        self.email_keys = self._quick_keys("email", EMAIL_KEYS)
        self.fields["email"].layout().insertWidget(2, self.email_keys)
        self.phone_keys = self._quick_keys("phone", PHONE_KEYS)
        self.fields["phone"].layout().insertWidget(2, self.phone_keys)
        for key, edit in self.edits.items():
            edit.textEdited.connect(lambda text, k=key: self._on_text_edited(k, text))
        # Enter (also the on-screen keyboard's) goes on to the next box; after the last
        # one it is "Take a Queue Number", which says what is still missing.
        order = list(self.edits)
        for key, following in itertools.pairwise(order):
            self.edits[key].returnPressed.connect(self.edits[following].setFocus)
        self.edits[order[-1]].returnPressed.connect(self._on_submit_clicked)

        # Returning visitors prove two details: e-mail and phone, or an earlier ticket's
        # QR code (a scanner types like a keyboard into the first box).
        self.lookup_card = card("lookup")
        self.lookup_title = label(role="section")
        self.lookup_edit = line_edit(
            "lookup",
            Qt.InputMethodHint.ImhEmailCharactersOnly | Qt.InputMethodHint.ImhNoAutoUppercase,
            254,
        )
        self.lookup_phone = line_edit(
            "lookup_phone", Qt.InputMethodHint.ImhDialableCharactersOnly, 20
        )
        self.lookup_button = button(role="", name="lookup_button")
        self.lookup_button.clicked.connect(self._on_lookup_clicked)
        self.lookup_edit.returnPressed.connect(self._on_lookup_return_pressed)
        self.lookup_phone.returnPressed.connect(self._on_lookup_clicked)
        self.lookup_message = label(role="hint", name="lookup_message")
        self.lookup_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.lookup_row.addWidget(self.lookup_edit, 3)
        self.lookup_row.addWidget(self.lookup_phone, 2)
        self.lookup_row.addWidget(self.lookup_button)
        lookup_row = self.lookup_row
        lookup_layout = QVBoxLayout(self.lookup_card)
        lookup_layout.addWidget(self.lookup_title)
        lookup_layout.addLayout(lookup_row)
        lookup_layout.addWidget(self.lookup_message)

        self.title = label(role="title")
        self.required_note = label(role="hint")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.setSpacing(48)
        left, right = QVBoxLayout(), QVBoxLayout()
        # Set, or they inherit the 48 px between the columns as the gap between fields.
        left.setSpacing(14)
        right.setSpacing(14)
        for key in ("name", "email", "phone", "sex", "birth_year", "education", "occupation"):
            left.addWidget(self.fields[key])
        for key in (
            "institution_category",
            "institution_name",
            "purpose",
            "topic",
            "priority_group",
            "consent",
        ):
            right.addWidget(self.fields[key])
        left.addStretch(1)
        right.addStretch(1)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)

        content = QWidget()
        content.setObjectName("form_content")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(48, 20, 48, 20)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.required_note)
        layout.addWidget(self.lookup_card)
        layout.addLayout(self.columns)
        self.scroll = KeyboardAwareScroll(content)
        return self.scroll

    def _build_notice(self) -> QWidget:
        page = QWidget()
        self.notice_title = label(role="title")
        self.notice_text = label(role="info", name="notice_text")
        self.notice_close = button(role="primary", name="close_notice")
        self.notice_close.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(48, 20, 48, 20)
        inner_layout.addWidget(self.notice_title)
        inner_layout.addWidget(self.notice_text)
        inner_layout.addWidget(self.notice_close, 0, Qt.AlignmentFlag.AlignLeft)
        inner_layout.addStretch(1)
        scroll = KeyboardAwareScroll(inner)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        return page

    def _quick_keys(self, key: str, texts: tuple[str, ...]) -> FlowBox:
        """A row of keys under a box that type what the on-screen keyboard lacks."""
        keys = FlowBox(spacing=10)
        keys.setObjectName(f"{key}_keys")
        for text in texts:
            btn = button(text, "email-key")
            btn.setObjectName(f"{key}_key_{text}")
            btn.setMinimumWidth(MIN_TOUCH)
            # Never takes the focus: the e-mail box keeps it, and the keyboard stays.
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btn.clicked.connect(lambda _c=False, t=text: self._type_into(key, t))
            keys.add(btn)
        return keys

    def _type_into(self, key: str, text: str) -> None:
        """Type ``text`` at the cursor of a box, as a key of the keyboard would."""
        edit = self.edits[key]
        if key in self._kept_contact:
            self._kept_contact.pop(key)
            edit.clear()  # a new address replaces the hidden one
        edit.insert(text)
        edit.setFocus()
        # A tap outside the keyboard may close it; the visitor is still typing.
        QGuiApplication.inputMethod().show()
        self.fields[key].clear_error()
        self._clear_fixed_message()

    def apply_orientation(self, landscape: bool) -> None:
        direction = (
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.columns.setDirection(direction)
        # Portrait: e-mail, phone and the button one below the other, each full width.
        self.lookup_row.setDirection(direction)

    # -- session ------------------------------------------------------------------------

    def start(self, service_code: str) -> None:
        """Open the form for a service; a different service is a new submission."""
        if service_code != self.service_code or self.op_id is None:
            self.op_id = new_op_id()
        self.service_code = service_code
        self._load_lists()
        self.pages.setCurrentIndex(0)
        self.retranslate()
        self.show_top()

    def show_top(self) -> None:
        """Scroll to the title, the required-fields note and the returning-visitor box.

        Nothing is focused: a focused field would open the keyboard and scroll away.
        """
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()
        self.scroll.verticalScrollBar().setValue(0)
        # Again once the form is laid out at its real size.
        QTimer.singleShot(0, lambda: self.scroll.verticalScrollBar().setValue(0))

    def _load_lists(self) -> None:
        overview = self.backend.overview
        office = overview.office if overview else {}
        lists = office.get("lists", {})
        for key, group in self.choices.items():
            values = list(lists.get(key, []))
            if values != group.values():
                group.set_values(values)
        groups = list(office.get("priority_groups", []))
        if groups != self.priority.values():
            self.priority.set_values(groups)

    def guest(self) -> GuestBook:
        """Return what the visitor entered, as typed (the core cleans it)."""
        year = self.edits["birth_year"].text().strip()
        return GuestBook(
            name=self.edits["name"].text(),
            email=self._contact("email"),
            phone=self._contact("phone"),
            sex=self.choices["sex"].value(),
            birth_year=int(year) if year.isdigit() else (year or None),
            education=self.choices["education"].value(),
            occupation=self.choices["occupation"].value(),
            institution_category=self.choices["institution_category"].value(),
            institution_name=self.edits["institution_name"].text(),
            purpose=self.choices["purpose"].value(),
            topic=self.edits["topic"].text(),
            consent=self.consent.isChecked(),
        )

    def _contact(self, key: str) -> str:
        """Return a contact field as typed, or the real value behind its mask."""
        text = self.edits[key].text()
        masked, real = self._kept_contact.get(key, ("", ""))
        return real if masked and text == masked else text

    @property
    def busy(self) -> bool:
        return self._busy

    def reset(self) -> None:
        self._retry_timer.stop()
        self._retry_pending = False
        # An answer still on its way belongs to the last visitor (a committed ticket is
        # announced with late_ticket_issued).
        self._answers.forget()
        self._busy = False
        self.submit.setEnabled(True)
        self.back.setEnabled(True)
        self.op_id = None
        self.service_code = ""
        for edit in self.edits.values():
            edit.clear()
        for group in self.choices.values():
            group.clear()
        self.priority.clear()
        self.consent.setChecked(False)
        self.lookup_edit.clear()
        self.lookup_phone.clear()
        self.lookup_button.setEnabled(True)
        self._lookup_seq += 1  # an answer still on its way belongs to the last visitor
        self._prefilled, self._kept_contact = {}, {}
        self._set_lookup_message("")
        for field in self.fields.values():
            field.clear_error()
        self._set_message("")
        self.pages.setCurrentIndex(0)
        self.scroll.verticalScrollBar().setValue(0)
        self.retranslate()

    # -- texts ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Guest book"))
        self.required_note.setText(
            _("Fields marked * are required. Everything else helps us serve you.")
        )
        for field in self.fields.values():
            field.retranslate()
        for group in self.choices.values():
            group.retranslate()
        self.priority.retranslate()
        self._on_priority_changed(self.priority.value())
        self.consent.setText(_("I agree"))
        days = (self.backend.overview.office if self.backend.overview else {}).get(
            "retention_days", 365
        )
        self.consent_notice.setText(
            _(
                "BPS uses your guest-book data only to serve you and to improve its services,"
                " keeps it for {days} days, and never shows it on the waiting-room screen or"
                " on the ticket.",
                days=days,
            )
        )
        self.full_notice_button.setText(_("Read the full notice"))
        self.notice_title.setText(_("Processing of your personal data"))
        self.notice_text.setText(
            _(
                "Under Law No. 27 of 2022 on Personal Data Protection, BPS asks for your"
                " consent before it processes your guest-book data.\n\n"
                "What: your name, e-mail address, phone number, sex, year of birth,"
                " education, occupation, institution, and the purpose and topic of your"
                " visit.\n\n"
                "Why: to serve you, to contact you about your request and the satisfaction"
                " survey, and for statistics on our services. Statistics never show a"
                " person.\n\n"
                "Who sees it: only the officer who serves you and their supervisors. It is"
                " never shown on the waiting-room screen nor printed on your ticket.\n\n"
                "How long: {days} days; afterwards your name and contact details are"
                " erased.\n\n"
                "Your rights: you may ask to see, correct or erase your data, or withdraw"
                " your consent, at the service desk or through the complaint channels.",
                days=days,
            )
        )
        self.notice_close.setText(_("Close"))
        self.lookup_title.setText(
            _(
                "Been here before? Type your e-mail address and your phone number, or scan"
                " the QR code of an earlier ticket."
            )
        )
        self.lookup_edit.setPlaceholderText(_("E-mail or ticket code"))
        self.lookup_phone.setPlaceholderText(_("Phone number"))
        self.lookup_button.setText(_("Fill in my data"))
        self._set_lookup_message(self._lookup_msgid, **self._lookup_params)
        self.back.setText(_("← Back"))
        if self._busy:
            self.submit.setText(_("Please wait…"))
        elif self._retry_pending:
            self.submit.setText(_("Try again"))
        else:
            self.submit.setText(_("Take a Queue Number"))
        self._render_message()

    def _on_priority_changed(self, code: str) -> None:
        field = self.fields["priority_group"]
        if code:
            field.hint.setText(priority_label(code)[1])
        else:
            field.hint.setText(
                _("Visitors in these groups are called earlier. An officer may ask you about it.")
            )

    def _set_message(self, msgid: str, text: str = "", **params: Any) -> None:
        self._message_msgid, self._message_params, self._message_text = msgid, params, text
        self._render_message()

    def _render_message(self) -> None:
        if self._message_text:
            self.message.setText(self._message_text)
        elif self._message_msgid:
            self.message.setText(_(self._message_msgid, **self._message_params))
        else:
            self.message.setText("")

    def _set_lookup_message(self, msgid: str, **params: Any) -> None:
        self._lookup_msgid, self._lookup_params = msgid, params
        self.lookup_message.setText(_(msgid, **params) if msgid else "")
        self.lookup_message.setVisible(bool(msgid))

    # -- returning visitor -------------------------------------------------------------

    def _on_lookup_return_pressed(self) -> None:
        if looks_like_ticket_code(self.lookup_edit.text()):
            self._on_lookup_clicked()  # a scanned ticket ends with Enter: look it up
        else:
            self.lookup_phone.setFocus()

    def _on_lookup_clicked(self) -> None:
        first = self.lookup_edit.text().strip()
        phone = self.lookup_phone.text().strip()
        if not looks_like_ticket_code(first) and not (first and phone):
            self._set_lookup_message(
                N_(
                    "Type both your e-mail address and your phone number, or scan the QR code"
                    " of an earlier ticket."
                )
            )
            return
        self.lookup_button.setEnabled(False)
        self._lookup_seq += 1
        seq = self._lookup_seq
        self._set_lookup_message(N_("Looking for your earlier visit…"))
        self.backend.find_returning_visitor(
            first,
            phone,
            lambda visitor: self._on_visitor_found(seq, visitor),
            lambda exc: self._on_lookup_failed(seq, exc),
        )

    def _on_visitor_found(self, seq: int, visitor: dict[str, Any] | None) -> None:
        if seq != self._lookup_seq:
            return  # the form was wiped or another lookup started meanwhile
        self.lookup_button.setEnabled(True)
        if visitor is None:
            self.clear_prefill()
            self._set_lookup_message(
                N_("We found no earlier visit with these details. Please fill in the form.")
            )
            return
        self.prefill(visitor)
        self._set_lookup_message(
            N_(
                "Welcome back! We filled in your data; your e-mail and phone are partly"
                " hidden. Please check the rest."
            )
        )

    def _on_lookup_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._lookup_seq:
            return
        self.lookup_button.setEnabled(True)
        if isinstance(exc, StorageError):
            log.warning("returning-visitor lookup failed: %s", exc)
            self._set_lookup_message(
                N_("Your earlier visit cannot be looked up right now. Please fill in the form.")
            )
        elif isinstance(exc, PSTError):
            self._set_lookup_message(exc.msgid, **exc.params)
        else:
            log.error("returning-visitor lookup failed", exc_info=exc)
            self._set_lookup_message(N_("Something went wrong. Please fill in the form."))

    def prefill(self, visitor: dict[str, Any]) -> None:
        """Fill the form from the visitor's record, replacing all an earlier lookup filled.

        Contact details are shown masked; the real ones are used for the ticket only while
        the field still shows the mask. Purpose, topic and consent are asked every visit.
        """
        self.clear_prefill()
        for key in ("name", "birth_year", "institution_name"):
            value = visitor.get(key)
            if value:
                self.edits[key].setText(str(value))
                self._prefilled[key] = str(value)
        for key in ("sex", "education", "occupation", "institution_category"):
            value = visitor.get(key)
            if value and value in self.choices[key].values():
                self.choices[key].set_value(value)
                self._prefilled[key] = value
        for key in ("email", "phone"):
            real, masked = visitor.get(key) or "", visitor.get(f"{key}_masked") or ""
            if real and masked:
                self.edits[key].setText(masked)
                self._prefilled[key] = masked
                self._kept_contact[key] = (masked, real)
        for field in self.fields.values():
            field.clear_error()
        self._clear_fixed_message()

    def clear_prefill(self) -> None:
        """Remove what the last lookup filled in; what the visitor typed stays."""
        for key, value in self._prefilled.items():
            if key in self.edits and self.edits[key].text() == value:
                self.edits[key].clear()
            elif key in self.choices and self.choices[key].value() == value:
                self.choices[key].clear()
        self._prefilled, self._kept_contact = {}, {}

    def _on_consent_toggled(self, _checked: bool) -> None:
        self.fields["consent"].clear_error()
        self._clear_fixed_message()

    def _clear_fixed_message(self) -> None:
        """Drop "correct the fields marked in red" once no field is marked any more."""
        if self._message_msgid == FIX_FIELDS and not any(
            field.has_error for field in self.fields.values()
        ):
            self._set_message("")

    def _on_text_edited(self, key: str, text: str) -> None:
        kept = self._kept_contact.pop(key, None)
        if kept is not None:
            # Changing a masked address starts a new one: the hidden one is never shown.
            masked = kept[0]
            self.edits[key].setText(text[len(masked) :] if text.startswith(masked) else "")
        self.fields[key].clear_error()
        self._clear_fixed_message()

    # -- submitting -------------------------------------------------------------------------

    def _current_year(self) -> int:
        office = self.backend.overview.office if self.backend.overview else {}
        return from_ms(self.backend.now_ms(), office.get("timezone", "Asia/Jakarta")).year

    def problems(self, guest: GuestBook) -> list[ValidationError]:
        """Return every guest-book problem by the core's own rules, in field order."""
        found: list[ValidationError] = []
        year = self._current_year()
        for _attempt in range(len(_PASSING) + 1):
            try:
                validate_guest_book(guest, year)
            except ValidationError as exc:
                found.append(exc)
                if exc.field not in _PASSING:
                    break
                setattr(guest, exc.field, _PASSING[exc.field])
            else:
                break
        return found

    def _on_submit_clicked(self) -> None:
        if self._busy or not self.service_code:
            return  # a double tap: the first tap is already on its way
        self._retry_timer.stop()
        for field in self.fields.values():
            field.clear_error()
        problems = self.problems(self.guest())
        if problems:
            for problem in problems:
                self._show_field_error(problem)
            self._set_message(FIX_FIELDS)
            first = self.fields[problems[0].field]
            self.scroll.ensureWidgetVisible(first, 40, 120)
            first.editor.setFocus()
            return
        self._send()

    def _send(self) -> None:
        if self.op_id is None:
            self.op_id = new_op_id()
        self._set_busy(True)
        self._set_message(N_("Getting your number…"))
        self.backend.issue_ticket(
            self.service_code,
            self.guest(),
            self.priority.value() or None,
            self.op_id,
            self._answers.expect(self._on_ticket_issued, late=self.late_ticket_issued.emit),
            self._answers.expect(self._on_issue_failed),
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit.setEnabled(not busy)
        self.back.setEnabled(not busy)
        self.retranslate()

    def _on_ticket_issued(self, ticket: dict[str, Any]) -> None:
        self._retry_pending = False
        self._set_busy(False)
        self.op_id = None
        self._set_message("")
        self.ticket_issued.emit(ticket)

    def _on_issue_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError) and exc.field in self.fields:
            self._retry_pending = False
            self._show_field_error(exc)
            self._set_message(FIX_FIELDS)
        elif isinstance(exc, StorageError):
            log.warning("issuing a ticket failed: %s", exc)
            self._retry_pending = True
            self._set_message(STORAGE_RETRYING if exc.transient else STORAGE_DOWN)
            if exc.transient:
                self._retry_timer.start()
        elif isinstance(exc, DomainError):
            self._retry_pending = False
            self._set_message(exc.msgid, **exc.params)
        else:
            log.error("issuing a ticket failed", exc_info=exc)
            self._retry_pending = True
            self._set_message(
                N_("Something went wrong. Your data is kept. Tap “Try again” or ask an officer.")
            )
        self.retranslate()

    def _on_retry_timer_timeout(self) -> None:
        if self._retry_pending and not self._busy and self.isVisible():
            self._send()

    def _show_field_error(self, exc: ValidationError) -> None:
        field = self.fields.get(exc.field)
        if field is None:
            self._set_message(exc.msgid, **exc.params)
            return
        field.set_error(exc.msgid, **exc.params)

    def _on_back_clicked(self) -> None:
        if self.pages.currentIndex() == 1:
            self.pages.setCurrentIndex(0)
            return
        self._retry_timer.stop()
        self.back_requested.emit()
