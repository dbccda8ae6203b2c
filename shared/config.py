"""Per-machine configuration: one TOML file on each PC.

Office-wide settings (office name, hours, complaint channels, recall limit…) live in the
shared database so they are edited once; this file holds what differs per PC: where the
database is, which program and counter this PC is, its printer, its language.

Lookup order for the file: ``--config``, ``$PST_CONFIG``, then the platform's user
config folder (``~/.config/antrian-pst/pst.toml`` on Linux,
``%LOCALAPPDATA%\\antrian-pst\\pst.toml`` on Windows). A missing file means defaults.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from shared.errors import ConfigError
from shared.i18n import LANGUAGES, N_

APP_NAME = "antrian-pst"


MACHINE_ROLES = ("", "kiosk", "counter", "display", "admin", "status_page")


@dataclass
class MachineSection:
    name: str = field(default_factory=lambda: socket.gethostname() or "pc")
    language: str = "id"
    # What pst-setup set this PC up as; the programs themselves do not read it.
    role: str = ""


@dataclass
class DatabaseSection:
    path: str = ""
    poll_interval_ms: int = 250
    busy_timeout_ms: int = 3000
    retry_seconds: float = 8.0
    # WAL is only ever honoured for a database on a local disk.
    allow_wal_on_local_disk: bool = False


@dataclass
class CounterSection:
    counter_id: int = 0
    officer: str = ""
    # A slip printer at the desk (same forms as the kiosk's), used to print the new
    # number of a transferred visitor; "none" when the desk has none.
    printer: str = "none"
    printer_profile: str = "TM-T20II"


@dataclass
class KioskSection:
    printer: str = "none"
    printer_profile: str = "TM-T20II"
    qr_native: bool = False
    idle_seconds_form: int = 60
    idle_seconds_ticket: int = 15
    # Numbers for a service no counter has opened yet (greyed, with an honest note).
    issue_without_open_counter: bool = False


@dataclass
class DisplaySection:
    voice: str = "qt"
    number_reading: str = "digits"
    english_announcement: bool = False
    announce_timeout_seconds: float = 12.0
    media_folder: str = ""
    screen: int = 0
    history_size: int = 5
    # The waiting room must see a call at once: the display polls faster than consoles.
    poll_interval_ms: int = 100
    # One WAV per spoken word, used when voice = "clips".
    clips_folder: str = ""


@dataclass
class StatusPageSection:
    """``pst-web``, the status page for visitors' phones (see docs/deployment-windows.md)."""

    # The address to listen on: 0.0.0.0 = every network connection of this PC (phones
    # on the office Wi-Fi reach it); 127.0.0.1 = this PC only; or one of its addresses.
    host: str = "0.0.0.0"
    port: int = 8080
    threads: int = 4
    # Open connections at most (each phone keeps one while its page is open).
    connection_limit: int = 500
    # Whether pst-setup starts pst-web at log-on on this PC (pst-web does not read it).
    autostart: bool = False


@dataclass
class Config:
    machine: MachineSection = field(default_factory=MachineSection)
    database: DatabaseSection = field(default_factory=DatabaseSection)
    counter: CounterSection = field(default_factory=CounterSection)
    kiosk: KioskSection = field(default_factory=KioskSection)
    display: DisplaySection = field(default_factory=DisplaySection)
    status_page: StatusPageSection = field(default_factory=StatusPageSection)
    source: str = ""

    def database_path(self) -> Path:
        """Return the database file this machine uses (default: the user data folder)."""
        if self.database.path:
            return Path(os.path.expandvars(self.database.path)).expanduser()
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "antrian-pst.db"

    def to_toml(self) -> str:
        data = dataclasses.asdict(self)
        data.pop("source")
        return tomli_w.dumps(data)


_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("machine", "language"): LANGUAGES,
    ("machine", "role"): MACHINE_ROLES,
    ("display", "voice"): ("qt", "clips", "none"),
    ("display", "number_reading"): ("digits", "words"),
}
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("database", "poll_interval_ms"): (50, 5000),
    ("database", "busy_timeout_ms"): (100, 60_000),
    ("database", "retry_seconds"): (0, 600),
    ("counter", "counter_id"): (0, 10_000),
    ("kiosk", "idle_seconds_form"): (10, 3600),
    ("kiosk", "idle_seconds_ticket"): (3, 3600),
    ("display", "announce_timeout_seconds"): (1, 120),
    ("display", "screen"): (0, 16),
    ("display", "history_size"): (0, 20),
    ("display", "poll_interval_ms"): (50, 5000),
    ("status_page", "port"): (1, 65535),
    ("status_page", "threads"): (1, 64),
    ("status_page", "connection_limit"): (10, 10_000),
}


def default_config_path() -> Path:
    env = os.environ.get("PST_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "pst.toml"


def _check(section: str, key: str, value: Any, default: Any, where: str) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if type(value) is not expected:
        raise ConfigError(
            N_("{where}: [{section}] {key} must be {kind}, not {value!r}."),
            where=where,
            section=section,
            key=key,
            kind=expected.__name__,
            value=value,
        )
    choices = _CHOICES.get((section, key))
    if choices and value not in choices:
        raise ConfigError(
            N_("{where}: [{section}] {key} must be one of {choices}, not {value!r}."),
            where=where,
            section=section,
            key=key,
            choices=", ".join(choices),
            value=value,
        )
    bounds = _RANGES.get((section, key))
    if bounds and not bounds[0] <= value <= bounds[1]:
        raise ConfigError(
            N_("{where}: [{section}] {key} must be between {low} and {high}, not {value!r}."),
            where=where,
            section=section,
            key=key,
            low=bounds[0],
            high=bounds[1],
            value=value,
        )
    return value


def parse_config(data: dict[str, Any], where: str = "configuration") -> Config:
    """Build a :class:`Config` from parsed TOML, rejecting unknown or ill-typed keys."""
    config = Config(source=where)
    for section_name, values in data.items():
        section = getattr(config, section_name, None)
        if not dataclasses.is_dataclass(section) or not isinstance(values, dict):
            raise ConfigError(
                N_("{where}: unknown section [{section}]."), where=where, section=section_name
            )
        known = {f.name for f in dataclasses.fields(section)}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(
                    N_("{where}: unknown setting {key} in [{section}]."),
                    where=where,
                    key=key,
                    section=section_name,
                )
            default = getattr(section, key)
            setattr(section, key, _check(section_name, key, value, default, where))
    return config


def load_config(path: str | Path | None = None) -> Config:
    """Read the machine's configuration; defaults when the file does not exist."""
    file = Path(path) if path else default_config_path()
    if not file.exists():
        if path:
            raise ConfigError(N_("Configuration file {path} does not exist."), path=str(file))
        return Config(source="")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            N_("Cannot read configuration file {path}: {error}"), path=str(file), error=exc
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            N_("Configuration file {path} is not valid TOML: {error}"), path=str(file), error=exc
        ) from exc
    return parse_config(data, where=str(file))


def save_config(config: Config, path: str | Path) -> None:
    """Write the configuration (e.g. the counter this PC remembers) atomically."""
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(".tmp")
    tmp.write_text(config.to_toml(), encoding="utf-8")
    os.replace(tmp, file)
