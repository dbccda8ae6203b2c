"""Beri Penilaian: after the visit, the visitor rates the service with their ticket.

Only a ticket served today and not yet rated may be rated, and only with its private
code (the QR on the slip, or the code printed under it): the number on the waiting-room
screen is public and would let anyone rate someone else's visit. The quick 1–5 stars are
required; the nine IKM questions, the two integrity questions and the comment are not.
A *yes* to an integrity question is flagged by the core for the supervisor.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.backend import ALREADY_RATED, Answers, KioskBackend, RatableTicket
from kiosk.screens import BottomBar, Screen, card, form_layout
from kiosk.texts import IKM_QUESTIONS, IKM_SCALE, STAR_LABELS
from kiosk.widgets import (
    ChoiceGroup,
    FlowBox,
    KeyboardAwareScroll,
    button,
    label,
    line_edit,
    restyle,
)
from shared.errors import PSTError, StorageError
from shared.i18n import N_, _
from shared.queue.operations import new_op_id

log = logging.getLogger(__name__)

FIND, FORM, THANKS = 0, 1, 2
YES, NO = "yes", "no"


class RatingScreen(Screen):
    """Find the ticket, then ask; ``finished`` when the visitor is done."""

    back_requested = Signal()
    finished = Signal()

    def __init__(self, backend: KioskBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rating")
        self.backend = backend
        self.ticket: RatableTicket | None = None
        self.op_id: str | None = None
        self.flagged = False
        self._busy = False
        self._error_msgid = ""
        self._error_params: dict[str, Any] = {}
        self._answers = Answers()

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_find())
        self.pages.addWidget(self._build_form())
        self.pages.addWidget(self._build_thanks())

        bar = BottomBar(
            self._on_back_clicked,
            self._on_next_clicked,
            status_name="rating_error",
            action_name="rating_next",
        )
        self.back, self.error, self.next = bar.back, bar.status, bar.action
        self.next.setMinimumWidth(360)
        form_layout(self, self.pages, bar)
        self.retranslate()

    # -- pages ------------------------------------------------------------------------

    def _build_find(self) -> QWidget:
        page = QWidget()
        self.find_title = label(role="title")
        self.find_intro = label(role="subtitle")
        self.code_edit = line_edit(
            "ticket_code",
            Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText,
            20,
        )
        self.code_edit.setMaximumWidth(700)
        self.code_edit.returnPressed.connect(self._on_next_clicked)
        self.code_edit.textEdited.connect(lambda _t: self._set_error(""))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(20)
        layout.addWidget(self.find_title)
        layout.addWidget(self.find_intro)
        layout.addWidget(self.code_edit)
        layout.addStretch(1)
        # Scrolls, so that with the keyboard open the page shrinks and "Next" stays above it.
        return KeyboardAwareScroll(page)

    def _build_form(self) -> QWidget:
        content = QWidget()
        self.form_title = label(role="title", name="rating_title")
        self.stars_title = label(role="section")
        self.stars = QButtonGroup(self)
        self.stars.setExclusive(True)
        self.star_buttons = []
        stars_row = FlowBox(spacing=16)
        for score in range(1, 6):
            btn = button(role="star", name=f"star_{score}")
            btn.setCheckable(True)
            self.stars.addButton(btn, score)
            self.star_buttons.append(btn)
            stars_row.add(btn)
        self.stars.idClicked.connect(lambda _id: self._set_error(""))

        self.integrity_title = label(role="section")
        self.gratification_q = label(role="info")
        self.extortion_q = label(role="info")
        self.gratification = ChoiceGroup((YES, NO), self._yes_no)
        self.gratification.setObjectName("gratification")
        self.extortion = ChoiceGroup((YES, NO), self._yes_no)
        self.extortion.setObjectName("extortion")
        self.integrity_note = label(role="hint")

        self.comment_title = label(role="section")
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("comment")
        self.comment.setFixedHeight(130)

        self.ikm_toggle = button(role="", name="ikm_toggle")
        self.ikm_toggle.setCheckable(True)
        self.ikm_toggle.toggled.connect(self._on_ikm_toggled)
        self.ikm_box = card()
        self.ikm_box.setObjectName("ikm_box")
        grid = QGridLayout(self.ikm_box)
        grid.setVerticalSpacing(6)
        self.ikm_questions = []
        self.ikm_answers: list[ChoiceGroup] = []
        for index in range(9):
            question = label(role="info")
            answers = ChoiceGroup(("1", "2", "3", "4"), self._scale_label)
            answers.setObjectName(f"ikm_u{index + 1}")
            grid.addWidget(question, index * 2, 0)
            grid.addWidget(answers, index * 2 + 1, 0)
            self.ikm_questions.append(question)
            self.ikm_answers.append(answers)
        self.ikm_box.hide()

        layout = QVBoxLayout(content)
        layout.setContentsMargins(48, 20, 48, 20)
        layout.setSpacing(14)
        layout.addWidget(self.form_title)
        layout.addWidget(self.stars_title)
        layout.addWidget(stars_row)
        layout.addSpacing(12)
        layout.addWidget(self.integrity_title)
        layout.addWidget(self.gratification_q)
        layout.addWidget(self.gratification)
        layout.addWidget(self.extortion_q)
        layout.addWidget(self.extortion)
        layout.addWidget(self.integrity_note)
        layout.addSpacing(12)
        layout.addWidget(self.comment_title)
        layout.addWidget(self.comment)
        layout.addSpacing(12)
        layout.addWidget(self.ikm_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.ikm_box)
        layout.addStretch(1)
        self.form_scroll = KeyboardAwareScroll(content)
        return self.form_scroll

    def _build_thanks(self) -> QWidget:
        page = QWidget()
        self.thanks_title = label(role="title", name="thanks_title")
        self.thanks_text = label(role="subtitle", name="thanks_text")
        for widget in (self.thanks_title, self.thanks_text):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.addStretch(1)
        layout.addWidget(self.thanks_title)
        layout.addWidget(self.thanks_text)
        layout.addStretch(2)
        return page

    @staticmethod
    def _yes_no(value: str) -> str:
        return _("Yes") if value == YES else _("No")

    @staticmethod
    def _scale_label(value: str) -> str:
        return f"{value} · {_(IKM_SCALE[int(value) - 1])}"

    # -- state ------------------------------------------------------------------------

    @property
    def idle_kind(self) -> str:  # type: ignore[override]
        return "ticket" if self.pages.currentIndex() == THANKS else "form"

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def score(self) -> int:
        return max(self.stars.checkedId(), 0)

    def reset(self) -> None:
        self._answers.forget()  # a lookup or a rating still on its way was the last visitor's
        self.ticket, self.op_id, self.flagged = None, None, False
        self._busy = False
        self.code_edit.clear()
        self.stars.setExclusive(False)
        for btn in self.star_buttons:
            btn.setChecked(False)
        self.stars.setExclusive(True)
        self.gratification.clear()
        self.extortion.clear()
        self.comment.clear()
        for answers in self.ikm_answers:
            answers.clear()
        self.ikm_toggle.setChecked(False)
        self._set_error("")
        self.pages.setCurrentIndex(FIND)
        self.next.setEnabled(True)
        self.back.setEnabled(True)
        self.retranslate()

    def look_up(self, text: str) -> None:
        """Start with a code already known (scanned on the welcome screen)."""
        self.code_edit.setText(text.strip())
        self._on_next_clicked()

    def answers(self) -> dict[str, Any]:
        """Return the visitor's answers as :meth:`Operations.record_rating` takes them."""
        ikm = {
            f"u{i + 1}": int(group.value())
            for i, group in enumerate(self.ikm_answers)
            if group.value()
        }

        def yes_no(group: ChoiceGroup) -> bool | None:
            return {YES: True, NO: False}.get(group.value())

        return {
            "score": self.score,
            "ikm": ikm or None,
            "gratification": yes_no(self.gratification),
            "extortion": yes_no(self.extortion),
            "comment": self.comment.toPlainText(),
        }

    # -- texts ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.find_title.setText(_("Rate Our Service"))
        self.find_intro.setText(
            _(
                "Scan the QR code on your ticket at the scanner, or type the ticket code"
                " printed under it (8 letters and digits)."
            )
        )
        self.code_edit.setPlaceholderText(_("Ticket code"))
        number = self.ticket.number if self.ticket else ""
        self.form_title.setText(_("How was our service? (ticket {number})", number=number))
        self.stars_title.setText(_("Tap the stars: 1 is very bad, 5 is very good. *"))
        for score, btn in enumerate(self.star_buttons, start=1):
            btn.setText("★" * score + "\n" + _(STAR_LABELS[score - 1]))
        self.integrity_title.setText(_("Integrity (optional)"))
        self.gratification_q.setText(
            _(
                "Did any officer ask for or accept money, goods or favours from you outside"
                " the rules?"
            )
        )
        self.extortion_q.setText(_("Were you asked to pay anything for this service?"))
        self.integrity_note.setText(
            _("This service is free of charge. A “Yes” goes straight to the head of the office.")
        )
        self.gratification.retranslate()
        self.extortion.retranslate()
        self.comment_title.setText(_("Comment or suggestion (optional)"))
        self.comment.setPlaceholderText(_("Write here…"))
        self.ikm_toggle.setText(
            _("Hide the satisfaction survey")
            if self.ikm_toggle.isChecked()
            else _("Satisfaction survey: 9 questions (optional)")
        )
        for question, text in zip(self.ikm_questions, IKM_QUESTIONS, strict=True):
            question.setText(_(text))
        for answers in self.ikm_answers:
            answers.retranslate()
        self.thanks_title.setText(_("Thank you for your rating!"))
        self.thanks_text.setText(
            _("The head of the office will follow up your report. Thank you for telling us.")
            if self.flagged
            else _("Your opinion helps us serve better.")
        )
        self.back.setText(_("← Back"))
        page = self.pages.currentIndex()
        if page == FIND:
            self.next.setText(_("Next"))
        elif page == FORM:
            self.next.setText(_("Please wait…") if self._busy else _("Send my rating"))
        else:
            self.next.setText(_("Done"))
        self.back.setVisible(page != THANKS)
        self.error.setText(_(self._error_msgid, **self._error_params) if self._error_msgid else "")

    def _set_error(self, msgid: str, *, good_news: bool = False, **params: Any) -> None:
        """Show a problem in the bottom bar (red), or with ``good_news`` a friendly note.

        Kept as msgid and parameters: a language switch re-words it.
        """
        self._error_msgid, self._error_params = msgid, params
        self.error.setText(_(msgid, **params) if msgid else "")
        role = "status-ok" if good_news else "status"
        if self.error.property("role") != role:
            self.error.setProperty("role", role)
            restyle(self.error)

    def _on_ikm_toggled(self, shown: bool) -> None:
        self.ikm_box.setVisible(shown)
        self.retranslate()
        if shown:
            # The questions are laid out on the next turn of the event loop; scrolled now,
            # they would be measured where the hidden box was (below the screen).
            QTimer.singleShot(0, self._show_first_question)

    def _show_first_question(self) -> None:
        """Bring the survey's first question and its answers into view, the toggle above."""
        scroll = self.form_scroll
        scroll.widget().layout().activate()
        first = self.ikm_answers[0]
        scroll.ensureWidgetVisible(first, 40, 40)
        toggle_top = self.ikm_toggle.mapTo(scroll.widget(), self.ikm_toggle.rect().topLeft()).y()
        bar = scroll.verticalScrollBar()
        # As much of the survey as fits, starting at its toggle when there is room.
        answers_bottom = first.mapTo(scroll.widget(), first.rect().bottomLeft()).y()
        if answers_bottom - toggle_top + 40 <= scroll.viewport().height():
            bar.setValue(min(bar.maximum(), max(0, toggle_top - 20)))

    # -- flow -------------------------------------------------------------------------

    def _on_next_clicked(self) -> None:
        if self._busy:
            return
        page = self.pages.currentIndex()
        if page == FIND:
            text = self.code_edit.text().strip()
            if not text:
                self._set_error(N_("Scan your ticket or type its ticket code first."))
                return
            self._set_busy(True)
            self.backend.find_ratable_ticket(
                text,
                self._answers.expect(self._on_ticket_found),
                self._answers.expect(self._on_failed),
            )
        elif page == FORM:
            if not self.score:
                self._set_error(N_("Please tap one to five stars first."))
                return
            if self.op_id is None:
                self.op_id = new_op_id()
            self._set_busy(True)
            self.backend.record_rating(
                self.ticket.code,
                self.answers(),
                self.op_id,
                self._answers.expect(self._on_rating_recorded),
                self._answers.expect(self._on_failed),
            )
        else:
            self.finished.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.next.setEnabled(not busy)
        self.back.setEnabled(not busy)
        self.retranslate()

    def _on_ticket_found(self, ticket: RatableTicket) -> None:
        self.ticket = ticket
        self.op_id = new_op_id()
        self._set_error("")
        self.pages.setCurrentIndex(FORM)
        self._set_busy(False)

    def _on_rating_recorded(self, rating: dict[str, Any]) -> None:
        self.flagged = bool(rating.get("flagged"))
        self.pages.setCurrentIndex(THANKS)
        self._set_busy(False)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, StorageError):
            log.warning("rating: the queue database cannot be reached: %s", exc)
            self._set_error(
                N_("This cannot be done right now. Please try again, or ask an officer.")
            )
        elif isinstance(exc, PSTError):
            self._set_error(exc.msgid, good_news=exc.msgid == ALREADY_RATED, **exc.params)
        else:
            log.error("rating failed", exc_info=exc)
            self._set_error(N_("Something went wrong. Please ask an officer."))

    def _on_back_clicked(self) -> None:
        if self.pages.currentIndex() == FORM:
            self.ticket, self.op_id = None, None
            self.pages.setCurrentIndex(FIND)
            self._set_error("")
            self.retranslate()
            return
        self.back_requested.emit()
