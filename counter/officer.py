"""The officer's page: the visitor at the desk, the action buttons and the queue."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import actions, texts
from counter.actions import Availability
from counter.snapshot import QueueEntry, Snapshot, at_instant
from shared.clock import format_local
from shared.i18n import N_, _, ngettext
from shared.queue import target

# action → (label msgid, key sequence shown on the button and bound in the window)
ACTION_KEYS: dict[str, tuple[str, str]] = {
    actions.CALL_NEXT: (N_("Call next"), "F2"),
    actions.RECALL: (N_("Call again"), "F3"),
    actions.START: (N_("Start service"), "F4"),
    actions.FINISH: (N_("Finish"), "F5"),
    actions.NO_SHOW: (N_("Not present"), "F6"),
    actions.REQUEUE: (N_("Return to queue"), "F7"),
    actions.TRANSFER: (N_("Transfer…"), "F8"),
    actions.CALL_SELECTED: (N_("Call selected…"), "F9"),
    actions.PAUSE: (N_("Pause…"), "Ctrl+P"),
    actions.CLOSE: (N_("Close counter"), "Ctrl+Shift+K"),
    actions.PUT_BACK: (N_("Put back in queue"), "Ctrl+B"),
}
LEVEL_COLOURS = {"warning": "#F5B301", "breached": "#C62828"}


def set_level(widget: QWidget, level: str) -> None:
    """Colour a widget by target level through the style sheet's ``[level=…]`` rules."""
    if widget.property("level") != level:
        widget.setProperty("level", level)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when its text is wider than it is.

    The whole text stays in :meth:`full_text` and in the tooltip, so nothing is lost:
    a chip on a narrow screen never shows a word cut in half.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        if text != self._full:
            self._full = text
            self.setToolTip(text)
            self.updateGeometry()
            self._elide()

    def _frame(self) -> int:
        """What the style adds around the text (margins, a style sheet's padding)."""
        return max(
            0, super().sizeHint().width() - self.fontMetrics().horizontalAdvance(self.text())
        )

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(
            self.fontMetrics().horizontalAdvance(self._full) + self._frame(), hint.height()
        )

    def minimumSizeHint(self) -> QSize:
        # It may shrink to a few letters: the ellipsis and the tooltip say the rest.
        return QSize(min(self.sizeHint().width(), 60), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.width() - self._frame()
        metrics = self.fontMetrics()
        if width <= 0 or metrics.horizontalAdvance(self._full) <= width:
            shown = self._full
        else:
            shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        if shown != self.text():
            self.setText(shown)


def _value_label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setProperty("role", "value")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "caption")
    return label


class VisitorCard(QFrame):
    """The visitor at the desk: number, state, times, guest book and notes."""

    notes_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitorCard")
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.number = QLabel("—")
        self.number.setObjectName("currentNumber")
        top.addWidget(self.number)
        badges = QVBoxLayout()
        self.service = QLabel("")
        self.service.setObjectName("currentService")
        self.status = QLabel("")
        self.status.setObjectName("currentStatus")
        self.priority = QLabel("")
        self.priority.setObjectName("currentPriority")
        badges.addWidget(self.service)
        row = QHBoxLayout()
        row.addWidget(self.status)
        row.addWidget(self.priority)
        row.addStretch(1)
        badges.addLayout(row)
        top.addLayout(badges, 1)
        layout.addLayout(top)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        self.waited = _value_label("currentWaited")
        self.target = _value_label("currentTarget")
        self.duration = _value_label("currentDuration")
        self.recalls = _value_label("currentRecalls")
        for col, (caption, value) in enumerate(
            (
                (N_("Waited"), self.waited),
                (N_("10-minute target"), self.target),
                (N_("Service time"), self.duration),
                (N_("Calls"), self.recalls),
            )
        ):
            grid.addWidget(_caption(_(caption)), 0, col)
            grid.addWidget(value, 1, col)
        layout.addLayout(grid)

        guest = QFrame()
        guest.setObjectName("guestBook")
        g = QGridLayout(guest)
        g.setHorizontalSpacing(14)
        g.setVerticalSpacing(3)
        self.visitor_name = _value_label("visitorName")
        self.visitor_institution = _value_label("visitorInstitution")
        self.visitor_topic = _value_label("visitorTopic")
        self.visitor_contact = _value_label("visitorContact")
        self.visitor_history = _value_label("visitorHistory")
        for r, (caption, value) in enumerate(
            (
                (N_("Name"), self.visitor_name),
                (N_("Institution"), self.visitor_institution),
                (N_("Topic"), self.visitor_topic),
                (N_("Contact"), self.visitor_contact),
                (N_("Earlier visits"), self.visitor_history),
            )
        ):
            g.addWidget(_caption(_(caption)), r, 0, Qt.AlignmentFlag.AlignTop)
            g.addWidget(value, r, 1)
        g.setColumnStretch(1, 1)
        # The guest book keeps the height its lines need; the notes give way instead.
        guest.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(guest)

        notes_row = QHBoxLayout()
        notes_row.addWidget(_caption(_(N_("Notes"))))
        notes_row.addStretch(1)
        self.draft_state = QLabel("")
        self.draft_state.setObjectName("draftState")
        notes_row.addWidget(self.draft_state)
        layout.addLayout(notes_row)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notesEdit")
        self.notes.setPlaceholderText(_(N_("What the visitor asked for, what was given…")))
        self.notes.setMinimumHeight(54)
        layout.addWidget(self.notes, 1)
        self.notes.textChanged.connect(self._on_notes_text_changed)
        self._ticket_id: int | None = None
        self._ticket: dict | None = None
        self._loading = False

    @property
    def ticket(self) -> dict | None:
        return self._ticket

    def show_ticket(self, ticket: dict | None, notes: str) -> None:
        """Show a ticket; the notes are replaced only when the ticket changes."""
        changed = (ticket or {}).get("id") != self._ticket_id
        self._ticket = ticket
        self._ticket_id = ticket["id"] if ticket else None
        if ticket is None:
            self.number.setText("—")
            self.service.setText(_(N_("No visitor at the counter")))
            # Their coloured shapes mean nothing without a visitor.
            self.status.hide()
            self.priority.hide()
            for label in (
                self.status,
                self.priority,
                self.waited,
                self.target,
                self.duration,
                self.recalls,
                self.visitor_name,
                self.visitor_institution,
                self.visitor_topic,
                self.visitor_contact,
                self.visitor_history,
            ):
                label.setText("")
            set_level(self.target, "none")
            self.status.setProperty("state", "")
            self._set_notes("", enabled=False)
            self.draft_state.setText("")
            return
        self.number.setText(ticket["number"])
        self.service.setText(ticket.get("service_name", ticket["service_code"]))
        self.status.show()
        self.status.setText(texts.ticket_state(ticket["status"]))
        self.status.setProperty("state", ticket["status"])
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        group = texts.priority(ticket["priority_group"])
        self.priority.setText(_(N_("Priority: {group}"), group=group) if group else "")
        self.priority.setVisible(bool(group))
        first_called = ticket["first_called_at"] or ticket["called_at"]
        self.waited.setText(texts.minutes_seconds(first_called - ticket["issued_at"]))
        outcome = target.recorded(ticket)
        self.target.setText(texts.recorded_target(outcome))
        set_level(self.target, outcome.level if outcome.state == target.MISSED else "ok")
        self.recalls.setText(str(1 + ticket["recall_count"]))
        visitor = ticket.get("visitor")
        visit = ticket.get("visit") or {}
        if visitor:
            self.visitor_name.setText(visitor["name"] or "")
            institution = " · ".join(
                x for x in (visitor["institution_name"], visitor["institution_category"]) if x
            )
            self.visitor_institution.setText(institution)
            self.visitor_topic.setText(
                " · ".join(x for x in (visit.get("topic"), visit.get("purpose")) if x)
            )
            self.visitor_contact.setText(
                " · ".join(x for x in (visitor["email"], visitor["phone"]) if x)
            )
            earlier = ticket.get("earlier_visits", 0)
            self.visitor_history.setText(
                ngettext("{n} earlier visit", "{n} earlier visits", earlier)
                if earlier
                else _(N_("first visit"))
            )
        else:
            self.visitor_name.setText(_(N_("No guest-book record")))
            for label in (
                self.visitor_institution,
                self.visitor_topic,
                self.visitor_contact,
                self.visitor_history,
            ):
                label.setText("")
        if changed:
            self._set_notes(notes, enabled=True)
            self.draft_state.setText("")

    def tick(self, now: int) -> None:
        if self._ticket is None:
            return
        began = self._ticket["started_at"]
        self.duration.setText(texts.minutes_seconds(now - began) if began else "—")

    def _set_notes(self, text: str, *, enabled: bool) -> None:
        self._loading = True
        self.notes.setPlainText(text)
        self.notes.setReadOnly(not enabled)
        self._loading = False

    def _on_notes_text_changed(self) -> None:
        if not self._loading and self._ticket is not None:
            self.notes_edited.emit(self.notes.toPlainText())


class QueuePanel(QFrame):
    """The waiting tickets in call order, the heads' countdowns and returnable no-shows."""

    selection_changed = Signal()

    COLUMNS = (N_("#"), N_("Number"), N_("Service"), N_("Priority"), N_("Waiting"), N_("Target"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePanel")
        layout = QVBoxLayout(self)
        self.title = QLabel("")
        self.title.setObjectName("queueTitle")
        layout.addWidget(self.title)
        # Two chips a row: an officer with four services still sees every countdown whole.
        self.heads_row = QGridLayout()
        self.heads_row.setSpacing(6)
        layout.addLayout(self.heads_row)
        self.head_chips: dict[str, ElidedLabel] = {}
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("queueTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(28)
        # One line a row: a text too wide for its column ends in "…" (whole in the tooltip)
        # instead of being cut in the middle of a word on a second line.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.table, 3)
        # Inside the empty table, a sentence rather than a blank grid that could be a fault;
        # shown only when a snapshot says so (never before the first or after a reset).
        self.empty_note = QLabel(
            _(N_("Nobody is waiting in this counter's services.")), self.table.viewport()
        )
        self.empty_note.setObjectName("queueEmptyNote")
        self.empty_note.setProperty("role", "caption")
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setWordWrap(True)
        self.empty_note.hide()
        self.table.viewport().installEventFilter(self)
        self.returnable_title = QLabel(_(N_("Marked not present — may be put back")))
        self.returnable_title.setProperty("role", "caption")
        layout.addWidget(self.returnable_title)
        self.returnable = QListWidget()
        self.returnable.setObjectName("returnableList")
        self.returnable.setMaximumHeight(96)
        layout.addWidget(self.returnable, 1)
        self.put_back_button = QPushButton()
        self.put_back_button.setObjectName("putBackButton")
        layout.addWidget(self.put_back_button)
        self._entries: list[QueueEntry] = []
        self.table.itemSelectionChanged.connect(self.selection_changed)
        self.returnable.itemSelectionChanged.connect(self.selection_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_note.setGeometry(self.table.viewport().rect().adjusted(12, 12, -12, -12))
        return super().eventFilter(watched, event)

    def selected_waiting(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._entries):
            return None
        return self._entries[rows[0].row()].ticket

    def selected_returnable(self) -> dict | None:
        item = self.returnable.currentItem()
        if item is None or not item.isSelected():
            return None
        return item.data(Qt.ItemDataRole.UserRole)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        keep = (self.selected_waiting() or {}).get("id")
        self._entries = list(snapshot.queue)
        self.title.setText(
            ngettext(
                "Queue: {n} visitor waiting", "Queue: {n} visitors waiting", len(snapshot.queue)
            )
        )
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            t = entry.ticket
            values = (
                str(entry.position),
                t["number"],
                t["service_code"],
                texts.priority(t["priority_group"]),
                "",
                "",
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, t["id"])
                if col == 2:
                    item.setToolTip(snapshot.service_name(t["service_code"]))
                elif col == 3:
                    item.setToolTip(value)
                if col == 1 and t["priority_group"]:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        self.table.clearSelection()
        for row, entry in enumerate(self._entries):
            if entry.ticket["id"] == keep:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self.empty_note.setVisible(not self._entries)
        self._show_heads(snapshot)
        keep_back = (self.selected_returnable() or {}).get("id")
        self.returnable.blockSignals(True)
        self.returnable.clear()
        for t in snapshot.returnable:
            when = format_local(t["no_show_at"], snapshot.office["timezone"])
            item = QListWidgetItem(
                _(N_("{number} · not present since {time}"), number=t["number"], time=when)
            )
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.returnable.addItem(item)
            if t["id"] == keep_back:
                item.setSelected(True)
                self.returnable.setCurrentItem(item)
        self.returnable.blockSignals(False)
        self.returnable_title.setVisible(bool(snapshot.returnable))
        self.returnable.setVisible(bool(snapshot.returnable))
        self.put_back_button.setVisible(bool(snapshot.returnable))
        self.selection_changed.emit()

    def clear(self) -> None:
        """Show an empty queue until the next snapshot (after an unexpected error)."""
        self._entries = []
        self.table.setRowCount(0)
        self.empty_note.hide()  # not known to be empty: the next snapshot tells
        self.returnable.clear()
        for chip in self.head_chips.values():
            self.heads_row.removeWidget(chip)
            chip.deleteLater()
        self.head_chips.clear()

    def _show_heads(self, snapshot: Snapshot) -> None:
        heads = {e.ticket["service_code"]: e for e in self._entries if e.is_head}
        for code in list(self.head_chips):
            if code not in heads:
                chip = self.head_chips.pop(code)
                self.heads_row.removeWidget(chip)
                chip.deleteLater()
        for code in heads:
            if code not in self.head_chips:
                chip = ElidedLabel()
                chip.setObjectName(f"headChip_{code}")
                chip.setProperty("role", "chip")
                chip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                self.head_chips[code] = chip
        for index, chip in enumerate(self.head_chips.values()):
            self.heads_row.addWidget(chip, index // 2, index % 2)
            chip.show()

    def tick(self, now: int) -> list[tuple[QueueEntry, target.Target]]:
        """Update waiting times and countdowns; return the heads with a running clock."""
        running = []
        for row, entry in enumerate(self._entries):
            t = entry.ticket
            wait = self.table.item(row, 4)
            if wait is not None:
                wait.setText(texts.minutes_seconds(now - t["issued_at"]))
                wait.setToolTip(wait.text())
            cell = self.table.item(row, 5)
            if cell is None:
                continue
            if entry.is_head:
                live = at_instant(entry.head_target, now)
                cell.setText(texts.live_target(live))
                cell.setToolTip(cell.text())
                level = live.level if live else "none"
                cell.setData(Qt.ItemDataRole.UserRole + 1, level)
                colour = LEVEL_COLOURS.get(level)
                brush = QBrush(QColor(colour)) if colour else QBrush()
                for col in range(self.table.columnCount()):
                    item = self.table.item(row, col)
                    if item is not None:
                        item.setBackground(brush)
                        item.setForeground(
                            QBrush(QColor("#FFFFFF" if level == "breached" else "#1B1B1B"))
                            if colour
                            else QBrush()
                        )
                chip = self.head_chips.get(t["service_code"])
                if chip is not None:
                    # The number already says the service (KS-002).
                    chip.set_full_text(f"{t['number']} · {texts.live_target(live)}")
                    set_level(chip, level)
                if live is not None and live.state == target.RUNNING:
                    running.append((entry, live))
            else:
                cell.setText(_(N_("not started")))
                cell.setToolTip(
                    cell.text() + " — " + _(N_("The clock starts when the visitor ahead is done."))
                )
        return running


class ActionButton(QPushButton):
    """An action button labelled "Label   [Key]", on two lines when one is too narrow.

    Its width comes from the button grid, never from its text, so a long translation
    cannot push the grid wider than its half of the window.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._label = ""
        self._key = ""

    def set_label(self, label: str, key: str) -> None:
        self._label, self._key = label, key
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        one_line = f"{self._label}   [{self._key}]"
        if self.text() != one_line:
            self.setText(one_line)
        if self.sizeHint().width() > self.width() > 0:
            self.setText(f"{self._label}\n[{self._key}]")


class OfficerView(QWidget):
    """Visitor card and buttons on the left, queue on the right."""

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officerView")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        self.card = VisitorCard()
        left_layout.addWidget(self.card, 1)
        buttons = QGridLayout()
        buttons.setSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        # Three columns leave every label room at 1366 px. "Not present" sits away from
        # "Finish" (F5), in the last row; it also asks before it acts.
        grid = (
            (actions.CALL_NEXT, 0, 0, 1, 2),
            (actions.RECALL, 0, 2, 1, 1),
            (actions.START, 1, 0, 1, 1),
            (actions.FINISH, 1, 1, 1, 1),
            (actions.TRANSFER, 1, 2, 1, 1),
            (actions.REQUEUE, 2, 0, 1, 1),
            (actions.PAUSE, 2, 1, 1, 1),
            (actions.CLOSE, 2, 2, 1, 1),
            (actions.CALL_SELECTED, 3, 0, 1, 2),
            (actions.NO_SHOW, 3, 2, 1, 1),
        )
        for column in range(3):
            buttons.setColumnStretch(column, 1)
        for name, row, col, rows, cols in grid:
            button = ActionButton()
            button.setObjectName(f"action_{name}")
            button.setProperty("action", name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, n=name: self.action_requested.emit(n))
            buttons.addWidget(button, row, col, rows, cols)
            self.buttons[name] = button
        left_layout.addLayout(buttons)
        self.queue = QueuePanel()
        # The window puts its notices above the queue while this page is on screen: the
        # visitor card needs the full height, the queue list can give some up.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(6)
        self.notice_slot = QVBoxLayout()
        self.notice_slot.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(self.notice_slot)
        right_layout.addWidget(self.queue, 1)
        # A fixed split: the halves ignore what their contents would like, so a long name
        # or a new notice never moves the buttons under the officer's mouse.
        for side, stretch in ((left, 11), (right, 9)):
            side.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            layout.addWidget(side, stretch)
        self.left, self.right = left, right
        self.buttons[actions.PUT_BACK] = self.queue.put_back_button
        self.queue.put_back_button.clicked.connect(
            lambda: self.action_requested.emit(actions.PUT_BACK)
        )
        self.set_labels(paused=False, closed=False)

    def set_labels(self, *, paused: bool, closed: bool) -> None:
        """Label buttons with their key; pause and close turn into resume and open."""
        for name, button in self.buttons.items():
            msgid, key = ACTION_KEYS[name]
            if name == actions.PAUSE and paused:
                msgid = N_("Resume")
            if name == actions.CLOSE and closed:
                msgid = N_("Open counter")
            if isinstance(button, ActionButton):
                button.set_label(_(msgid), key)
            else:
                button.setText(f"{_(msgid)}   [{key}]")

    def apply(self, available: dict[str, Availability]) -> None:
        for name, button in self.buttons.items():
            state = available.get(name, Availability(False))
            button.setEnabled(state.enabled)
            button.setToolTip(state.reason)
