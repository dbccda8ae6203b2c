"""The console's notice strip: what an officer must know now, each said once.

:class:`NoticeArea` stacks the notices (keyed by what they are about, each with an
optional button and a dismiss button); :class:`NoticeStrip` keeps them true to the latest
snapshot and to the clock: a kiosk's printer, a display's voice, this PC's clock, a
called visitor who does not come, a waiting visitor about to miss the 10-minute target,
the end of the service day (15 and 5 minutes before closing, the cutoff, closed), and the
storage banner while the database cannot be reached. A notice's button asks for an
action of the counter through :attr:`NoticeStrip.action_requested`; the window hands it
to the action controller, which obeys the same rules as the buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter import actions
from counter.actions import Availability
from counter.officer import ElidedLabel, set_level
from counter.snapshot import DAY_END_NOTICE_MS, QueueEntry, Snapshot
from shared.clock import format_duration, format_local
from shared.i18n import N_, _, ngettext
from shared.queue.target import Target


class Notice(QFrame):
    """One non-modal message with an optional action button and a dismiss button."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.action = QPushButton()
        self.action.setObjectName("noticeAction")
        self.action.hide()
        layout.addWidget(self.action)
        self.dismiss = QPushButton("×")
        self.dismiss.setObjectName("noticeDismiss")
        self.dismiss.setToolTip(_(N_("Hide this message")))
        self.dismiss.setFixedWidth(32)
        layout.addWidget(self.dismiss)
        self._on_action: Callable[[], None] | None = None
        self.action.clicked.connect(self._on_action_clicked)

    def set(
        self, text: str, level: str, action: str = "", on_action=None, why_not: str = ""
    ) -> None:
        """Show ``text``; ``why_not`` disables the action button and says why, in the text."""
        self.text.setText(f"{text} {why_not}" if why_not else text)
        set_level(self, level)
        self._on_action = on_action
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.action.setEnabled(not why_not)
        self.action.setToolTip(why_not)

    def _on_action_clicked(self) -> None:
        if self._on_action is not None:
            self._on_action()


class NoticeArea(QWidget):
    """Stacked notices keyed by what they are about, so each shows at most once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.notices: dict[str, Notice] = {}
        self._dismissed: set[str] = set()

    def show_notice(
        self,
        key: str,
        text: str,
        level: str = "warning",
        action: str = "",
        on_action=None,
        why_not: str = "",
    ) -> None:
        if key in self._dismissed:
            return
        notice = self.notices.get(key)
        if notice is None:
            notice = Notice(key)
            notice.dismiss.clicked.connect(lambda: self._on_dismissed(key))
            self.notices[key] = notice
            self._layout.addWidget(notice)
        notice.set(text, level, action, on_action, why_not)
        notice.show()

    def drop(self, key: str) -> None:
        notice = self.notices.pop(key, None)
        if notice is not None:
            notice.hide()
            notice.deleteLater()

    def keep_only(self, prefix: str, keys: set[str]) -> None:
        """Drop the notices of one kind that are no longer true."""
        for key in [k for k in self.notices if k.startswith(prefix) and k not in keys]:
            self.drop(key)
        self._dismissed = {k for k in self._dismissed if not k.startswith(prefix) or k in keys}

    def clear(self) -> None:
        """Take every notice off the screen; the ones dismissed stay dismissed."""
        for key in list(self.notices):
            self.drop(key)

    def _on_dismissed(self, key: str) -> None:
        self._dismissed.add(key)
        self.drop(key)


def printer_sentence(problem: dict) -> tuple[str, str]:
    """Say what a kiosk's printer state means for visitors; return (sentence, level).

    The kiosk sends its own sentence (msgid and parameters) with its state; it is shown
    in this console's language. A kiosk set up without a printer is no fault: said so.
    """
    machine = problem["machine"]
    if problem["printer"] == "none":
        return (
            _(
                N_(
                    "{machine} has no ticket printer set up: visitors see their number only"
                    " on the kiosk's screen."
                ),
                machine=machine,
            ),
            "info",
        )
    try:
        detail = _(problem["msgid"], **problem["params"]) if problem["msgid"] else ""
    except (KeyError, IndexError, ValueError):
        detail = ""  # a kiosk of another version: its sentence does not fit ours
    if detail:
        text = _(
            N_(
                "At {machine}: {problem} Visitors may not get a printed number: please check"
                " the kiosk."
            ),
            machine=machine,
            problem=detail,
        )
    else:
        text = _(
            N_(
                "The ticket printer at {machine} does not work. Visitors may not get a"
                " printed number: please check the kiosk."
            ),
            machine=machine,
        )
    return text, "warning"


def day_closed_sentence(closed: dict, snapshot: Snapshot) -> str:
    """Say when the service day closed, how many were not served, and this counter's
    called visitor among them."""
    tz = snapshot.office["timezone"]
    time = format_local(closed["closed_at"], tz)
    unserved = len(closed["unserved"])
    if closed["day"] != snapshot.day:
        # Closed this morning by the first program to start: say which day it was.
        date = format_local(closed["closed_at"], tz, "%d-%m-%Y")
        if unserved:
            text = ngettext(
                "The service day of {date} was closed at {time}: {n} visitor not served.",
                "The service day of {date} was closed at {time}: {n} visitors not served.",
                unserved,
                date=date,
                time=time,
            )
        else:
            text = _(
                N_("The service day of {date} was closed at {time}: every visitor was served."),
                date=date,
                time=time,
            )
    elif unserved:
        text = ngettext(
            "The service day was closed at {time}: {n} visitor not served.",
            "The service day was closed at {time}: {n} visitors not served.",
            unserved,
            time=time,
        )
    else:
        text = _(N_("The service day was closed at {time}: every visitor was served."), time=time)
    mine = snapshot.counter["name"] if snapshot.counter is not None else None
    for called in closed.get("called", []):
        if mine is None or called["counter"] == mine:
            text += " " + _(
                N_("{number} was being called at {counter} and is among them."),
                number=called["number"],
                counter=called["counter"],
            )
    return text


class NoticeStrip(QObject):
    """Keep the console's notices, banners and day state true to the snapshot and clock.

    It owns the widgets it writes: :attr:`area` (the notices), :attr:`banner` (the
    database cannot be reached), :attr:`skew_banner` (this PC's clock is off) and
    :attr:`day_state` (the end of the day, for the top bar); the window places them.
    """

    # A notice's button: the name of an action of the counter (counter.actions).
    action_requested = Signal(str)
    # The snapshot on screen is older than what a notice must say: read it again.
    refresh_wanted = Signal()

    def __init__(self, machine: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.machine = machine
        self.area = NoticeArea()
        self.banner = QLabel("")
        self.banner.setObjectName("storageBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.skew_banner = QLabel("")
        self.skew_banner.setObjectName("skewBanner")
        self.skew_banner.setWordWrap(True)
        self.skew_banner.hide()
        # The end of the service day, from a quarter of an hour before closing.
        self.day_state = ElidedLabel()
        self.day_state.setObjectName("dayState")
        self.day_state.hide()

    def show_storage_trouble(self, problem: str) -> None:
        """Say that the database cannot be reached and what that means for the officer."""
        self.banner.setText(
            _(
                N_(
                    "{problem} Actions are disabled until the database is back. Notes you type"
                    " are kept on this PC."
                ),
                problem=problem,
            )
        )
        self.banner.show()

    def hide_storage_trouble(self) -> None:
        self.banner.hide()

    def show_alerts(self, snapshot: Snapshot, officer: dict | None) -> None:
        """Say what the snapshot says is wrong: kiosk printers, display voices, this PC's
        clock, and (to the officer) a called visitor who does not come."""
        printer_keys = set()
        for problem in snapshot.printer_problems:
            key = f"printer:{problem['machine']}"
            printer_keys.add(key)
            text, level = printer_sentence(problem)
            self.area.show_notice(key, text, level)
        self.area.keep_only("printer:", printer_keys)
        voice_keys = set()
        for machine in snapshot.voice_problems:
            key = f"voice:{machine}"
            voice_keys.add(key)
            self.area.show_notice(
                key,
                _(
                    N_(
                        "The display voice of {machine} is unavailable: calls are shown and"
                        " chimed but not spoken. It tries again every minute; if it stays"
                        " silent, restart that PC."
                    ),
                    machine=machine,
                ),
                "warning",
            )
        self.area.keep_only("voice:", voice_keys)
        if snapshot.clock_skew:
            skew = snapshot.clock_skew[0]
            mine = skew["machine"] == self.machine
            other = skew["other"] if mine else skew["machine"]
            offset = skew["offset_ms"] if mine else -skew["offset_ms"]
            self.skew_banner.setText(
                _(
                    N_(
                        "This PC's clock is {seconds} seconds {direction} {other}. The 10-minute"
                        " countdowns may be wrong: ask IT to set the time automatically."
                    ),
                    seconds=abs(offset) // 1000,
                    direction=_(N_("ahead of")) if offset > 0 else _(N_("behind")),
                    other=other,
                )
            )
        self.skew_banner.setVisible(bool(snapshot.clock_skew))
        recall_keys = set()
        current = snapshot.current
        if (
            officer is not None
            and current is not None
            and current["status"] == "called"
            and current["recall_count"] >= snapshot.recall_limit
        ):
            key = f"recall:{current['id']}"
            recall_keys.add(key)
            self.area.show_notice(
                key,
                ngettext(
                    "{number} was called {n} time and has not come to the counter.",
                    "{number} was called {n} times and has not come to the counter.",
                    1 + current["recall_count"],
                    number=current["number"],
                ),
                "warning",
                _(N_("Mark as not present  [F6]")),
                lambda: self.action_requested.emit(actions.NO_SHOW),
            )
        self.area.keep_only("recall:", recall_keys)

    def show_targets(
        self,
        running: list[tuple[QueueEntry, Target]],
        call_next: Availability | None,
    ) -> None:
        """Warn of the most urgent waiting visitor near or past the 10-minute target.

        ``running`` are the queue's heads with a running clock; the notice's "Call next"
        obeys ``call_next`` (the F2 button's availability) and says why not.
        """
        # One notice for the queue, about its most urgent visitor: a notice per ticket
        # would push the visitor card off the screen on a busy morning.
        urgent = sorted(
            ((entry, live) for entry, live in running if live.level in ("warning", "breached")),
            key=lambda pair: pair[1].remaining_ms,
        )
        keys = set()
        why_not = call_next.reason if call_next is not None and not call_next.enabled else ""
        if urgent:
            entry, live = urgent[0]
            number = entry.ticket["number"]
            if live.level == "warning":
                text = _(
                    N_("{number} will miss the 10-minute target in {time}: call the visitor now."),
                    number=number,
                    time=format_duration(live.remaining_ms),
                )
            else:
                text = _(
                    N_("{number} has waited past the 10-minute target by {time}."),
                    number=number,
                    time=format_duration(-live.remaining_ms),
                )
            if len(urgent) > 1:
                text += " " + ngettext(
                    "({n} more near or past the target: see the queue.)",
                    "({n} more near or past the target: see the queue.)",
                    len(urgent) - 1,
                )
            key = f"miss:{entry.ticket['id']}"
            keys.add(key)
            level = "breached" if any(t.level == "breached" for _e, t in urgent) else "warning"
            self.area.show_notice(
                key,
                text,
                level,
                _(N_("Call next  [F2]")),
                self._on_call_next_clicked,
                why_not,
            )
        self.area.keep_only("miss:", keys)

    def clear_targets(self) -> None:
        """Drop the target notices (nobody at a counter, or no queue read yet)."""
        self.area.keep_only("miss:", set())

    def show_day_end(self, snapshot: Snapshot | None, now: int) -> None:
        """Warn of the service's closing, then say what closing the day did.

        From 15 minutes before the services close (red from 5 minutes), between closing
        and the day's cutoff (how many are still waiting), and once the day is closed: a
        sentence with the visitors left unserved, the called one of this counter named.
        ``snapshot`` is ``None`` while nobody is logged in: nothing is said then.
        """
        end = snapshot.day_end if snapshot is not None else None
        key, text, level, state = "", "", "warning", ""
        if end is not None:
            tz = snapshot.office["timezone"]
            if end.closed is not None:
                key, level = "dayend:closed", "info"
                text = day_closed_sentence(end.closed, snapshot)
                current = snapshot.current
                if current is not None and current["status"] == "serving":
                    text += " " + _(
                        N_("Finish {number}: this counter closes after that."),
                        number=current["number"],
                    )
                state = _(N_("Service day closed"))
            elif end.closing_at is not None and now >= end.closing_at - DAY_END_NOTICE_MS:
                closing = format_local(end.closing_at, tz)
                cutoff = format_local(end.cutoff_at, tz)
                if now < end.closing_at:
                    minutes = -(-(end.closing_at - now) // 60_000)
                    urgent = end.closing_at - now <= 5 * 60_000
                    key = "dayend:5" if urgent else "dayend:15"
                    level = "breached" if urgent else "warning"
                    text = _(
                        N_(
                            "The service closes at {closing}, in {minutes} min. The kiosk gives"
                            " no numbers after that; visitors still waiting at {cutoff} are"
                            " recorded as not served."
                        ),
                        closing=closing,
                        minutes=minutes,
                        cutoff=cutoff,
                    )
                    state = _(N_("Closes at {time}"), time=closing)
                else:
                    key = "dayend:closing"
                    level = "breached" if end.cutoff_at - now <= 5 * 60_000 else "warning"
                    if end.waiting:
                        text = ngettext(
                            "The service closed at {closing}. The queue closes at {cutoff}:"
                            " {n} visitor still waiting is then recorded as not served.",
                            "The service closed at {closing}. The queue closes at {cutoff}:"
                            " {n} visitors still waiting are then recorded as not served.",
                            end.waiting,
                            closing=closing,
                            cutoff=cutoff,
                        )
                    else:
                        text = _(
                            N_("The service closed at {closing}. The queue closes at {cutoff}."),
                            closing=closing,
                            cutoff=cutoff,
                        )
                    state = _(N_("Queue closes at {time}"), time=cutoff)
                # The snapshot was read before the warnings began: read the queue again.
                if snapshot.at < end.closing_at - DAY_END_NOTICE_MS:
                    self.refresh_wanted.emit()
        if key:
            self.area.show_notice(key, text, level)
        self.area.keep_only("dayend:", {key} if key else set())
        self.day_state.set_full_text(state)
        self.day_state.setVisible(bool(state))
        set_level(self.day_state, level if state else "none")

    def _on_call_next_clicked(self) -> None:
        self.action_requested.emit(actions.CALL_NEXT)
