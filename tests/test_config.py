"""voices.yaml validation: each tests/data/config/<case>.yaml fails with the message its first line gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.config import Pauses, load_config
from audiobook.errors import ConfigError

CASES = sorted((Path(__file__).parent / "data" / "config").glob("*.yaml"))
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_config_is_one_precise_message(case: Path) -> None:
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: ")
    expected = first.removeprefix("# expect: ")
    with pytest.raises(ConfigError) as err:
        load_config(case)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(case.parent))
    assert expected in message, message


def test_the_projects_voices_yaml_is_valid() -> None:
    cfg = load_config(ROOT / "voices.yaml")
    assert cfg.narrator.voice and cfg.fallback and cfg.fallback.voice
    assert {c.name for c in cfg.characters} >= {"Mara", "Tobias", "Pip", "Dr. Okafor"}
    pip = next(c for c in cfg.characters if c.name == "Pip")
    assert pip.voice.pitch is not None and pip.voice.pitch > 60
    assert cfg.pauses.scene_break > cfg.pauses.paragraph > cfg.pauses.within_paragraph


def test_empty_file_means_defaults(tmp_path) -> None:
    p = tmp_path / "voices.yaml"
    p.write_text("# nothing cast yet\n")
    cfg = load_config(p)
    assert cfg.characters == () and cfg.pauses == Pauses() and cfg.engine == "auto"


def test_voice_line_is_remembered_for_later_checks(tmp_path) -> None:
    p = tmp_path / "voices.yaml"
    p.write_text("narrator:\n  rate: 150\n  voice: gmw/en-us\ncharacters:\n  Leo:\n    voice: xx\n")
    cfg = load_config(p)
    assert dict((k, e.line) for k, e in cfg.voice_entries()) == {"narrator": 3, "characters.Leo": 6}


def test_missing_and_directory(tmp_path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path)
