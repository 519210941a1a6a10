"""--jobs 2 renders exactly what --jobs 1 renders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import EXAMPLE, VOICES

from audiobook.model import RenderOptions
from audiobook.pipeline import generate

pytestmark = pytest.mark.integration


def test_two_workers_render_what_one_does(example_render, tmp_path):
    first, two = example_render  # rendered by two worker processes, from an empty cache
    report = generate(EXAMPLE, VOICES, tmp_path / "one", RenderOptions(jobs=1))
    assert report.synthesized > 0 and (report.synthesized, report.reused) == (first.synthesized, first.reused)
    one = Path(report.output_dir)
    files = sorted(p.name for p in one.iterdir())
    assert files == sorted(p.name for p in two.iterdir())
    assert json.loads((one / "book.json").read_text()) == json.loads((two / "book.json").read_text())
    for name in files:
        if name.endswith((".mp3", ".vtt", ".m3u")):
            assert (one / name).read_bytes() == (two / name).read_bytes(), name
