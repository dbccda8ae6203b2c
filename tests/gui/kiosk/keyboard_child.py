"""Run in a subprocess on a real X screen: a visitor who uses the on-screen keyboard.

``python -m tests.gui.kiosk.keyboard_child ARTIFACTS SIZE`` — types with the keyboard's
keys, switches the language back and forth with the keyboard open, asks for the phone
keypad, sends the form with the consent missing, walks away in English, and finally
meets an unexpected error in a slot. Prints one JSON line with what it saw; pictures go
to ARTIFACTS. Read by test_kiosk_keyboard_real.py.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

LANGUAGE_ROUNDS = 3
IDLE_FORM_SECONDS = 6


def main(artifacts: Path, size: str) -> dict:
    from tests.gui.kiosk.xkiosk import XKiosk, play

    kiosk = XKiosk(Path(tempfile.mkdtemp(prefix="pst-kbd-")), idle_seconds_form=IDLE_FORM_SECONDS)
    try:
        return play(visitor(kiosk, artifacts, size))
    finally:
        kiosk.close()


def visitor(kiosk, artifacts: Path, size: str):
    from shared import i18n
    from tests.gui.kiosk.fit import layout_problems
    from tests.gui.kiosk.xkiosk import Do, Until, Wait
    from tests.gui.monkey import catalogue, reachable

    yield from kiosk.started()
    window, book = kiosk.window, kiosk.window.guest_book
    result: dict = {"size": size, "rounds": []}

    def state(note: str) -> dict:
        language = i18n.language()
        return {
            "note": note,
            "language": language,
            "errors": kiosk.errors.lines(),
            "recoveries": kiosk.recovery.count,
            "wrong_language": catalogue().problems(window, language),
            "layout": layout_problems(window),
            "keyboard": kiosk.keyboard_shown(),
            "keyboard_locale": kiosk.app.inputMethod().locale().name(),
            "space_bar": kiosk.space_bar_label(),
            "screen": window.current.objectName(),
        }

    def form_px() -> int:
        """Height of the form between the header and the keyboard's top (or the bar)."""
        viewport = book.scroll.viewport()
        top = viewport.mapToGlobal(viewport.rect().topLeft()).y()
        bottom = viewport.mapToGlobal(viewport.rect().bottomLeft()).y() + 1
        return max(0, min(bottom, kiosk.keyboard_top()) - top)

    def visible_on_screen(widget) -> bool:
        """Wholly inside the form's viewport and above the keyboard."""
        viewport = book.scroll.viewport()
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        bottom = widget.mapToGlobal(widget.rect().bottomLeft()).y()
        inside = viewport.rect().contains(top_left) and viewport.rect().contains(
            widget.mapTo(viewport, widget.rect().bottomRight())
        )
        return widget.isVisible() and inside and bottom <= kiosk.keyboard_top()

    # -- a visitor types their name with the keyboard -----------------------------------------
    yield Do(lambda: kiosk.tap(window.welcome.take_number))
    yield Until(lambda: window.current is window.service)
    yield Do(lambda: kiosk.tap(window.service.buttons["KS"]))
    yield Until(lambda: window.current is book)
    yield Wait(300)
    yield Do(lambda: kiosk.tap(book.edits["name"]))
    result["keyboard_opened"] = yield Until(kiosk.keyboard_shown, 5000)
    yield Wait(500)  # the keyboard slides in; the form moves above it
    result["form_px"] = form_px()
    result["typed"] = yield from kiosk.type_on_keyboard("siti")
    result["name"] = book.edits["name"].text()

    # -- the language, back and forth, the keyboard open ----------------------------------
    for round_ in range(LANGUAGE_ROUNDS):
        for language in ("en", "id"):
            yield Do(lambda b=window.header.language_buttons[language]: kiosk.tap(b))
            yield Wait(400)
            if not kiosk.keyboard_shown():
                yield Do(lambda: kiosk.tap(book.edits["name"]))
                yield Until(kiosk.keyboard_shown, 3000)
                yield Wait(300)
            seen = state(f"round {round_ + 1}: {language}")
            seen["typed"] = yield from kiosk.type_on_keyboard("a")
            seen["name"] = book.edits["name"].text()
            result["rounds"].append(seen)
            if round_ == 0:
                kiosk.shot(artifacts / f"kiosk-language-after-keyboard-{language}-{size}.png")

    # -- the phone keypad -----------------------------------------------------------------
    book.scroll.ensureWidgetVisible(book.edits["phone"])
    yield Do(lambda: kiosk.tap(book.edits["phone"]))
    yield Until(kiosk.keyboard_shown, 3000)
    yield Wait(400)
    keys = kiosk.keyboard_keys()
    plus = keys.get("+")
    quick_plus = book.findChild(type(window.welcome.take_number), "phone_key_+")
    result["phone_plus"] = {
        "on_keyboard": plus is not None,
        "quick_key": quick_plus is not None and reachable(quick_plus),
    }
    if plus is not None:
        yield Do(lambda: kiosk.tap_item(plus))
    elif quick_plus is not None and reachable(quick_plus):
        yield Do(lambda: kiosk.tap(quick_plus))
    yield Wait(100)
    result["phone_plus"]["typed"] = book.edits["phone"].text()
    result["phone_plus"]["keyboard_after"] = kiosk.keyboard_shown()
    book.edits["phone"].clear()

    # -- the consent, missing, below the fold -------------------------------------------------
    book.scroll.ensureWidgetVisible(book.edits["email"])
    yield Do(lambda: kiosk.tap(book.edits["email"]))
    yield Until(kiosk.keyboard_shown, 3000)
    yield Wait(300)
    yield from kiosk.type_on_keyboard("siti")
    at = book.findChild(type(window.welcome.take_number), "email_key_@")
    result["at_key_reachable"] = at is not None and reachable(at)
    for text in ("@", "gmail.com"):
        key = book.findChild(type(window.welcome.take_number), f"email_key_{text}")
        if key is not None and reachable(key):
            yield Do(lambda key=key: kiosk.tap(key))
    result["email"] = book.edits["email"].text()
    yield Do(lambda: kiosk.tap(book.submit))
    yield Wait(900)  # the keyboard may close or stay; the form settles
    error = book.fields["consent"].error
    result["consent_error"] = {
        "shown": error.isVisible(),
        "in_view": visible_on_screen(error),
        "checkbox_reachable": reachable(book.consent),
        "message": book.message.text(),
    }
    kiosk.shot(artifacts / f"kiosk-consent-error-{size}.png")

    # -- a year of birth that cannot be, typed on the keypad, sent with the keypad open ----
    yield Do(lambda: kiosk.tap(book.consent))
    book.scroll.ensureWidgetVisible(book.edits["birth_year"])
    yield Do(lambda: kiosk.tap(book.edits["birth_year"]))
    yield Until(kiosk.keyboard_shown, 3000)
    yield Wait(300)
    result["birth_year_typed"] = yield from kiosk.type_on_keyboard("1800")
    yield Do(lambda: kiosk.tap(book.submit))
    yield Wait(900)
    error = book.fields["birth_year"].error
    result["birth_year_error"] = {
        "shown": error.isVisible(),
        "in_view": visible_on_screen(error),
        "box_in_view": visible_on_screen(book.edits["birth_year"]),
        "keyboard": kiosk.keyboard_shown(),
        "text": error.text(),
    }
    kiosk.shot(artifacts / f"kiosk-birth-year-error-{size}.png")
    book.edits["birth_year"].clear()

    # -- an English visitor walks away, the keyboard open -----------------------------------
    yield Do(lambda: kiosk.tap(window.header.language_buttons["en"]))
    book.scroll.ensureWidgetVisible(book.edits["name"])
    yield Do(lambda: kiosk.tap(book.edits["name"]))
    yield Until(kiosk.keyboard_shown, 3000)
    yield from kiosk.type_on_keyboard("b")
    warned = yield Until(window.idle_warning.isVisible, IDLE_FORM_SECONDS * 1000)
    yield Wait(500)  # the keyboard has had time to close (or not)
    warning = window.idle_warning
    box = warning.box
    box_bottom = box.mapToGlobal(box.rect().bottomLeft()).y()
    result["warning"] = {
        "shown": warned,
        "keyboard": kiosk.keyboard_shown(),
        "box_bottom": box_bottom,
        "keyboard_top": kiosk.keyboard_top(),
        "button_reachable": reachable(warning.go_on),
        "countdown": warning.text.text(),
        "layout": layout_problems(window),
    }
    kiosk.shot(artifacts / f"kiosk-still-there-{size}.png")
    wiped = yield Until(lambda: window.current is window.welcome, IDLE_FORM_SECONDS * 1000)
    yield Wait(300)
    left = [
        f"{w.objectName()}: {w.text()!r}"
        for w in window.findChildren(QLineEdit)
        if w.text() and w.objectName() != "qt_spinbox_lineedit"
    ] + [f"{w.objectName()}" for w in window.findChildren(QPlainTextEdit) if w.toPlainText()]
    result["idle"] = dict(
        state("after the idle wipe"),
        wiped=wiped,
        warning_hidden=not window.idle_warning.isVisible(),
        left=left,
        keyboard_hidden=not kiosk.keyboard_shown(),
    )
    kiosk.shot(artifacts / f"kiosk-after-idle-{size}.png")

    # -- an unexpected error in a slot, mid-visit ----------------------------------------------
    yield Do(lambda: kiosk.tap(window.header.language_buttons["en"]))
    yield Do(lambda: kiosk.tap(window.welcome.take_number))
    yield Until(lambda: window.current is window.service)
    yield Do(lambda: kiosk.tap(window.service.buttons["KS"]))
    yield Until(lambda: window.current is book)
    yield Do(lambda: kiosk.tap(book.edits["name"]))
    yield Until(kiosk.keyboard_shown, 3000)
    yield from kiosk.type_on_keyboard("dewi")

    def fail() -> None:
        book.title.setText("half")
        raise RuntimeError("a deliberate error in a slot")

    errors_before = len(kiosk.errors.records)
    QTimer.singleShot(0, fail)
    started, cpu = time.monotonic(), time.thread_time()
    recovered = yield Until(
        lambda: (
            window.current is window.welcome
            and i18n.language() == "id"
            and not book.edits["name"].text()
        ),
        3000,
    )
    seconds, cpu_seconds = time.monotonic() - started, time.thread_time() - cpu
    yield Wait(300)
    result["fault"] = dict(
        state("after a deliberate error"),
        recovered=recovered,
        seconds=round(seconds, 3),
        cpu_seconds=round(cpu_seconds, 3),
        logged=kiosk.errors.lines()[errors_before:],
        keyboard_hidden=not kiosk.keyboard_shown(),
    )
    return result


if __name__ == "__main__":
    folder, size = Path(sys.argv[1]), sys.argv[2]
    try:
        played = main(folder, size)
        outcome = played.get("result") or {"error": played.get("error")}
    except Exception:
        outcome = {"error": traceback.format_exc()}
    print(json.dumps(outcome), flush=True)
    sys.exit(0)
