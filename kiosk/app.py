"""``pst-kiosk``: start the visitor kiosk.

Options: ``--db PATH`` ``--config FILE`` ``--windowed`` (a normal window instead of the
locked full screen) ``--lang id|en``. Full screen, the kiosk runs under a small
supervisor that restarts it after a crash (see :mod:`kiosk.supervisor`).

The on-screen keyboard is Qt Virtual Keyboard with the Indonesian layout; set
``PST_VIRTUAL_KEYBOARD=0`` on a kiosk that has a real keyboard only.
"""

from __future__ import annotations

import logging
import os
import sys

from kiosk.supervisor import CHILD_ENV, supervise

log = logging.getLogger(__name__)

DESCRIPTION = "Visitor kiosk of Antrian PST: guest book, queue ticket, rating, complaints."


def virtual_keyboard_available() -> bool:
    """Tell whether the Qt Virtual Keyboard input plugin is installed with PySide6."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    package = os.path.dirname(PySide6.__file__)
    # Linux wheels keep the plugins in PySide6/Qt/plugins, Windows wheels in
    # PySide6/plugins; a bundle says where through Qt itself.
    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath),
        os.path.join(package, "Qt", "plugins"),
        os.path.join(package, "plugins"),
    ]
    for folder in folders:
        try:
            names = os.listdir(os.path.join(folder, "platforminputcontexts"))
        except OSError:
            continue
        if any("virtualkeyboard" in name for name in names):
            return True
    return False


def configure_input_method(language: str) -> None:
    """Choose the on-screen keyboard before the QApplication exists (Qt reads it once)."""
    from PySide6.QtCore import QLocale

    if os.environ.get("PST_VIRTUAL_KEYBOARD", "1") != "0" and "QT_IM_MODULE" not in os.environ:
        if virtual_keyboard_available():
            os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
        else:
            log.warning("Qt Virtual Keyboard is not installed: install PySide6-Addons")
    # The keyboard opens in the layout of the default locale: Indonesian.
    QLocale.setDefault(QLocale("id_ID" if language == "id" else "en_US"))


def _wants_supervisor(argv: list[str]) -> bool:
    return (
        "--windowed" not in argv
        and os.environ.get(CHILD_ENV) != "1"
        and not any(a in ("-h", "--help", "--version") for a in argv)
    )


def main(argv: list[str] | None = None) -> int:
    """Run the kiosk until an administrator closes it; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_supervisor(argv):
        from shared.install.logs import setup_logging

        # Its own file: two processes rotating one log file would trip over each other.
        setup_logging("pst-kiosk-supervisor")
        env = dict(os.environ, **{CHILD_ENV: "1"})
        # In the bundle the kiosk is its own executable; elsewhere Python runs the module.
        program = (
            [sys.executable]
            if getattr(sys, "frozen", False)
            else [sys.executable, "-m", "kiosk.app"]
        )
        return supervise([*program, *argv], env=env)

    from shared.errors import ConfigError
    from shared.install.config import load_config
    from shared.qt.app import bootstrap, parser

    args = parser("pst-kiosk", DESCRIPTION).parse_known_args(argv)[0]
    try:
        language = args.lang or load_config(args.config).machine.language
    except ConfigError:
        language = "id"  # bootstrap reports the configuration problem itself
    configure_input_method(language)

    app, ctx = bootstrap("pst-kiosk", DESCRIPTION, argv)

    from shared.devices.printing import TicketPrinter

    try:
        printer = TicketPrinter(
            ctx.config.kiosk.printer,
            ctx.config.kiosk.printer_profile,
            qr_native=ctx.config.kiosk.qr_native,
        )
    except ConfigError as exc:
        from shared.qt.app import fatal

        fatal("pst-kiosk", exc.message)

    from PySide6.QtCore import QTimer

    from kiosk.backend import KioskBackend
    from kiosk.window import KioskWindow

    backend = KioskBackend(ctx.ops, printer, poll_interval_ms=ctx.config.database.poll_interval_ms)
    window = KioskWindow(
        backend,
        ctx.config.kiosk,
        default_language=ctx.config.machine.language,
        windowed=ctx.windowed,
    )
    window.exit_requested.connect(app.quit)
    if ctx.recovery is not None:
        # An unexpected error in any slot: an empty Welcome in the office's language.
        ctx.recovery.on_error(window.recover)
    window.show_kiosk()
    # Start reading and printing once the window is painted: the first screen is up at
    # once, "Memuat…" shows for the moment the first read takes.
    QTimer.singleShot(0, backend.start)
    status = app.exec()
    backend.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
