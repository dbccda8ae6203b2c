"""What setting up a PC writes: its configuration, an autostart entry, desktop shortcuts.

Plain Python, no Qt: the wizard collects :class:`Choices` and calls :func:`install`.
Every file is produced by a function that returns its path and its text, so the
Windows files (a ``.cmd`` in the user's Startup folder and on the desktop) are
tested on Linux by what they say. The files have fixed names per role: running the
wizard again rewrites them, and switching the PC to another role removes the old
role's entries.
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from shared.i18n import N_, translate
from shared.install.config import Config, save_config

ROLES = ("kiosk", "counter", "display", "status_page", "admin")
PROGRAMS = {
    "kiosk": "pst-kiosk",
    "counter": "pst-counter",
    "display": "pst-display",
    "status_page": "pst-web",
}
# Used when the program's launcher cannot be found (a source checkout without install).
MODULES = {
    "pst-kiosk": "kiosk.app",
    "pst-counter": "counter.app",
    "pst-display": "display",
    "pst-setup": "setup_wizard",
    "pst-admin": "shared.cli.main",
    "pst-web": "status_page",
}
ROLE_NAMES = {
    "kiosk": N_("Visitor kiosk"),
    "counter": N_("Counter console"),
    "display": N_("Waiting-room display"),
    "status_page": N_("Status page for visitors' phones"),
    "admin": N_("Administration only"),
}
PAPER_PROFILES = {58: "58mm", 80: "80mm"}
FILE_PREFIX = "antrian-pst-"


@dataclass
class Choices:
    """Everything the wizard asks; ``printer`` is a ``shared.devices.printing`` printer text."""

    role: str
    database: str
    language: str = "id"
    printer: str = "none"
    paper_mm: int = 80
    screen: int = 0
    voice: str = "qt"
    desktop_shortcuts: bool = False
    # pst-web on this PC too (always for the role "status_page"), where it listens.
    status_page: bool = False
    status_host: str = "0.0.0.0"
    status_port: int = 8080

    @property
    def serves_status_page(self) -> bool:
        return self.role == "status_page" or self.status_page


@dataclass(frozen=True)
class LaunchFile:
    """A file to write (an autostart entry or a shortcut): where and what."""

    path: PurePath
    text: str
    executable: bool = False


def configured(existing: Config, choices: Choices) -> Config:
    """Return ``existing`` with the wizard's choices applied; everything else is kept."""
    if choices.role not in ROLES:
        raise ValueError(f"unknown role {choices.role!r}")
    config = copy.deepcopy(existing)
    config.machine.role = choices.role
    # The kiosk and the display keep their language (Indonesian unless changed by hand):
    # visitors switch the kiosk themselves, and the wizard's language is the installer's.
    if choices.role in ("counter", "admin"):
        config.machine.language = choices.language
    config.database.path = choices.database
    if choices.role == "kiosk":
        config.kiosk.printer = choices.printer
        if paper_width(config.kiosk.printer_profile) != choices.paper_mm:
            config.kiosk.printer_profile = PAPER_PROFILES[choices.paper_mm]
    elif choices.role == "display":
        config.display.screen = choices.screen
        config.display.voice = choices.voice
    config.status_page.autostart = choices.serves_status_page
    if choices.serves_status_page:
        config.status_page.host = choices.status_host
        config.status_page.port = choices.status_port
    return config


def paper_width(profile: str) -> int | None:
    """Return the paper width in millimetres of a printer profile, if it is known."""
    if profile in PAPER_PROFILES.values():
        return int(profile.removesuffix("mm"))
    from escpos.capabilities import CAPABILITIES

    try:
        width = CAPABILITIES["profiles"][profile]["media"]["width"]["mm"]
    except (KeyError, TypeError):
        return None
    try:
        return 58 if float(width) < 70 else 80
    except (TypeError, ValueError):
        return None


# -- how a program is started ----------------------------------------------------------------


def program_command(
    program: str,
    *,
    executable: str | None = None,
    frozen: bool | None = None,
    platform: str | None = None,
    which=shutil.which,
) -> list[str]:
    """Return the command line that starts ``program`` (``pst-kiosk``…) on this PC.

    In the bundle the programs are executables beside this one; in a virtual
    environment (or pipx) they are launchers beside its Python; otherwise the one on
    the PATH, and as a last resort ``python -m``.
    """
    executable = executable or sys.executable
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    platform = platform or sys.platform
    windows = platform == "win32"
    pure = PureWindowsPath if windows else PurePosixPath
    folder = pure(executable).parent
    name = f"{program}.exe" if windows else program
    if frozen:
        return [str(folder / name)]
    beside = folder / name
    if os.path.exists(str(beside)):
        return [str(beside)]
    found = which(program)
    if found:
        return [found]
    return [executable, "-m", MODULES[program]]


def role_command(role: str, config_path: PurePath, **kwargs) -> list[str] | None:
    """Return the command that starts this role's program with this PC's configuration."""
    program = PROGRAMS.get(role)
    if program is None:
        return None
    return [*program_command(program, **kwargs), "--config", str(config_path)]


# -- Windows: .cmd files ------------------------------------------------------------------------


def windows_startup_folder(environ: Mapping[str, str]) -> PureWindowsPath:
    """Return the user's Startup folder (programs there start when the user logs on)."""
    return (
        PureWindowsPath(environ["APPDATA"]) / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    ) / "Startup"


def cmd_quote(argument: str) -> str:
    """Quote one argument for a ``.cmd`` file (``%`` doubled so it is not a variable)."""
    if '"' in argument:
        raise ValueError(f"a Windows path cannot contain a double quote: {argument!r}")
    return '"' + argument.replace("%", "%%") + '"'


def windows_cmd(command: list[str], title: str) -> str:
    """Return a ``.cmd`` file that starts ``command`` and closes its own window at once."""
    lines = [
        "@echo off",
        # Paths with letters outside ASCII: read this file as UTF-8, as it is written.
        "chcp 65001 >nul",
        f"rem {title} - written by pst-setup; run pst-setup again to change it.",
        'start "" ' + " ".join(cmd_quote(a) for a in command),
    ]
    return "\r\n".join(lines) + "\r\n"


# -- Linux: XDG .desktop files ---------------------------------------------------------------------


def xdg_autostart_folder(environ: Mapping[str, str], home: PurePath) -> PurePosixPath:
    """Return the XDG autostart folder (``~/.config/autostart`` unless moved)."""
    base = environ.get("XDG_CONFIG_HOME") or str(PurePosixPath(str(home)) / ".config")
    return PurePosixPath(base) / "autostart"


def desktop_exec_quote(argument: str) -> str:
    """Quote one argument for the ``Exec`` key of a ``.desktop`` file."""
    if argument and not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`%="):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'.replace("%", "%%")


def desktop_entry(command: list[str], name: str, comment: str, *, autostart: bool) -> str:
    """Return a freedesktop ``.desktop`` file that starts ``command``."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        f"Name={name}",
        f"Comment={comment}",
        "Exec=" + " ".join(desktop_exec_quote(a) for a in command),
        "Terminal=false",
        "Categories=Office;",
    ]
    if autostart:
        lines += ["X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-Delay=5"]
    return "\n".join(lines) + "\n"


# -- the plan ------------------------------------------------------------------------------------------


def _entry(
    program: str,
    command: list[str],
    folder: PurePath,
    windows: bool,
    language: str,
    *,
    autostart: bool,
) -> LaunchFile:
    role = next((r for r, p in PROGRAMS.items() if p == program), "admin")
    title = translate(
        ROLE_NAMES[role] if program != "pst-setup" else N_("Set up this PC"), language
    )
    name = f"Antrian PST - {title}"
    if windows:
        return LaunchFile(folder / f"{FILE_PREFIX}{program}.cmd", windows_cmd(command, name))
    comment = translate(N_("Antrian PST, the walk-in queue of the statistics office"), language)
    return LaunchFile(
        folder / f"{FILE_PREFIX}{program}.desktop",
        desktop_entry(command, name, comment, autostart=autostart),
        executable=not autostart,
    )


def launch_files(
    choices: Choices,
    config_path: PurePath,
    *,
    platform: str,
    environ: Mapping[str, str],
    home: PurePath,
    desktop: PurePath,
    **command_kwargs,
) -> tuple[list[LaunchFile], list[PurePath]]:
    """Return the files to write and the old ones to remove for ``choices``.

    The autostart entry starts the role's program at log-on (none for an
    administration-only PC). Desktop shortcuts, when asked for, start the role's
    program and the setup wizard.
    """
    windows = platform == "win32"
    autostart_folder = (
        windows_startup_folder(environ) if windows else xdg_autostart_folder(environ, home)
    )
    suffix = ".cmd" if windows else ".desktop"
    command_kwargs["platform"] = platform
    write: list[LaunchFile] = []
    command = role_command(choices.role, config_path, **command_kwargs)
    program = PROGRAMS.get(choices.role)
    if command is not None and program is not None:
        write.append(
            _entry(program, command, autostart_folder, windows, choices.language, autostart=True)
        )
    if choices.status_page and choices.role != "status_page":
        # The status page runs beside this PC's own program (e.g. on the display PC).
        web = role_command("status_page", config_path, **command_kwargs)
        assert web is not None
        write.append(
            _entry("pst-web", web, autostart_folder, windows, choices.language, autostart=True)
        )
    if choices.desktop_shortcuts:
        if command is not None and program is not None:
            write.append(
                _entry(program, command, desktop, windows, choices.language, autostart=False)
            )
        setup = program_command("pst-setup", **command_kwargs)
        write.append(
            _entry("pst-setup", setup, desktop, windows, choices.language, autostart=False)
        )
    remove = [
        folder / f"{FILE_PREFIX}{p}{suffix}"
        for p in PROGRAMS.values()
        for folder in (autostart_folder, desktop)
        if not any(f.path == folder / f"{FILE_PREFIX}{p}{suffix}" for f in write)
    ]
    if not choices.desktop_shortcuts:
        remove.append(desktop / f"{FILE_PREFIX}pst-setup{suffix}")
    return write, remove


@dataclass(frozen=True)
class Installed:
    """What :func:`install` wrote and removed."""

    config_path: Path
    written: list[Path]
    removed: list[Path]


def install(
    choices: Choices,
    existing: Config,
    config_path: Path,
    *,
    desktop: Path,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    **command_kwargs,
) -> Installed:
    """Write this PC's configuration and its launch files; remove outdated ones."""
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    save_config(configured(existing, choices), config_path)
    write, remove = launch_files(
        choices,
        config_path,
        platform=command_kwargs.pop("platform", sys.platform),
        environ=environ,
        home=home,
        desktop=desktop,
        **command_kwargs,
    )
    written = []
    for item in write:
        target = Path(str(item.path))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        # newline="" keeps the CRLF of a .cmd file exactly as generated.
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            out.write(item.text)
        if item.executable:
            tmp.chmod(0o755)
        os.replace(tmp, target)
        written.append(target)
    removed = []
    for old in remove:
        target = Path(str(old))
        if target.exists():
            target.unlink()
            removed.append(target)
    return Installed(config_path, written, removed)
