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


def _between(default: float, low: float, high: float) -> Any:
    """A setting whose value must lie between ``low`` and ``high`` (both allowed)."""
    return field(default=default, metadata={"range": (low, high)})


def _one_of(default: str, choices: tuple[str, ...]) -> Any:
    """A setting whose value must be one of ``choices``."""
    return field(default=default, metadata={"choices": choices})


@dataclass
class MachineSection:
    name: str = field(default_factory=lambda: socket.gethostname() or "pc")
    language: str = _one_of("id", LANGUAGES)
    # What pst-setup set this PC up as; the programs themselves do not read it.
    role: str = _one_of("", MACHINE_ROLES)


@dataclass
class DatabaseSection:
    path: str = ""
    poll_interval_ms: int = _between(250, 50, 5000)
    busy_timeout_ms: int = _between(3000, 100, 60_000)
    retry_seconds: float = _between(8.0, 0, 600)
    # WAL is only ever honoured for a database on a local disk.
    allow_wal_on_local_disk: bool = False


@dataclass
class CounterSection:
    counter_id: int = _between(0, 0, 10_000)
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
    idle_seconds_form: int = _between(60, 10, 3600)
    idle_seconds_ticket: int = _between(15, 3, 3600)
    # Numbers for a service no counter has opened yet (greyed, with an honest note).
    issue_without_open_counter: bool = False


@dataclass
class DisplaySection:
    voice: str = _one_of("qt", ("qt", "clips", "none"))
    number_reading: str = _one_of("digits", ("digits", "words"))
    english_announcement: bool = False
    announce_timeout_seconds: float = _between(12.0, 1, 120)
    media_folder: str = ""
    screen: int = _between(0, 0, 16)
    history_size: int = _between(5, 0, 20)
    # The waiting room must see a call at once: the display polls faster than consoles.
    poll_interval_ms: int = _between(100, 50, 5000)
    # One WAV per spoken word, used when voice = "clips".
    clips_folder: str = ""


@dataclass
class StatusPageSection:
    """``pst-web``, the status page for visitors' phones (see docs/deployment-windows.md)."""

    # The address to listen on: 0.0.0.0 = every network connection of this PC (phones
    # on the office Wi-Fi reach it); 127.0.0.1 = this PC only; or one of its addresses.
    host: str = "0.0.0.0"
    port: int = _between(8080, 1, 65535)
    threads: int = _between(4, 1, 64)
    # Open connections at most (each phone keeps one while its page is open).
    connection_limit: int = _between(500, 10, 10_000)
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


def default_config_path() -> Path:
    env = os.environ.get("PST_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "pst.toml"


def _check(section: str, setting: dataclasses.Field, value: Any, default: Any, where: str) -> Any:
    """Return ``value`` for ``[section] setting``, or raise :class:`ConfigError` saying why not."""

    def refused(message: str, **more: Any) -> ConfigError:
        return ConfigError(
            message, where=where, section=section, key=setting.name, value=value, **more
        )

    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if type(value) is not expected:
        raise refused(
            N_("{where}: [{section}] {key} must be {kind}, not {value!r}."),
            kind=expected.__name__,
        )
    choices = setting.metadata.get("choices")
    if choices and value not in choices:
        raise refused(
            N_("{where}: [{section}] {key} must be one of {choices}, not {value!r}."),
            choices=", ".join(choices),
        )
    bounds = setting.metadata.get("range")
    if bounds and not bounds[0] <= value <= bounds[1]:
        raise refused(
            N_("{where}: [{section}] {key} must be between {low} and {high}, not {value!r}."),
            low=bounds[0],
            high=bounds[1],
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
        known = {f.name: f for f in dataclasses.fields(section)}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(
                    N_("{where}: unknown setting {key} in [{section}]."),
                    where=where,
                    key=key,
                    section=section_name,
                )
            default = getattr(section, key)
            setattr(section, key, _check(section_name, known[key], value, default, where))
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
