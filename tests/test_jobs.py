"""--jobs 2 renders exactly what --jobs 1 renders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE, VOICES

from audiobook.model import RenderOptions
from audiobook.pipeline import generate

pytestmark = pytest.mark.integration


def test_two_workers_render_what_one_does(tmp_path):
    one = Path(generate(EXAMPLE, VOICES, tmp_path / "one", RenderOptions(jobs=1)).output_dir)
    two = Path(generate(EXAMPLE, VOICES, tmp_path / "two", RenderOptions(jobs=2)).output_dir)
    files = sorted(p.name for p in one.iterdir())
    assert files == sorted(p.name for p in two.iterdir())
    assert json.loads((one / "book.json").read_text()) == json.loads((two / "book.json").read_text())
    for name in files:
        if name.endswith((".mp3", ".vtt", ".m3u")):
            assert (one / name).read_bytes() == (two / name).read_bytes(), name
