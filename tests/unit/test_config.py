"""Per-machine configuration: defaults, round trip and clear errors."""

from __future__ import annotations

import pytest

from shared.errors import ConfigError
from shared.install.config import Config, load_config, parse_config, save_config


def test_defaults_work_without_a_file(tmp_path):
    config = Config()
    assert config.machine.language == "id"
    assert config.database.poll_interval_ms == 250
    assert config.database_path().name == "antrian-pst.db"


def test_round_trip(tmp_path):
    config = Config()
    config.database.path = str(tmp_path / "x.db")
    config.counter.counter_id = 2
    config.kiosk.printer = "network:127.0.0.1:9100"
    save_config(config, tmp_path / "pst.toml")
    loaded = load_config(tmp_path / "pst.toml")
    assert loaded.counter.counter_id == 2
    assert loaded.kiosk.printer == "network:127.0.0.1:9100"
    assert loaded.database_path() == tmp_path / "x.db"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"machine": {"language": "fr"}}, "must be one of id, en"),
        ({"database": {"poll_interval_ms": 5}}, "between 50 and 5000"),
        ({"database": {"poll_interval_ms": "fast"}}, "must be int"),
        ({"kiosk": {"colour": "red"}}, "unknown setting colour"),
        ({"printer": {}}, "unknown section [printer]"),
    ],
)
def test_bad_values_are_named(data, words):
    with pytest.raises(ConfigError) as info:
        parse_config(data, "pst.toml")
    assert words in str(info.value)
    assert "pst.toml" in info.value.message


def test_broken_toml_and_missing_file(tmp_path):
    bad = tmp_path / "pst.toml"
    bad.write_text("[machine\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
