"""--jobs 2 renders exactly what --jobs 1 renders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from paths import EXAMPLE, EXAMPLE_INFO, VOICES

from audiobook.model import RenderOptions
from audiobook.pipeline import generate

pytestmark = pytest.mark.integration


def test_two_workers_render_what_one_does(example_render, tmp_path):
    first, two = example_render  # rendered by two worker processes, from an empty cache
    report = generate(EXAMPLE, VOICES, tmp_path / "one", RenderOptions(jobs=1), EXAMPLE_INFO)
    assert report.synthesized > 0 and (report.synthesized, report.reused) == (first.synthesized, first.reused)
    one = Path(report.output_dir)
    files = sorted(p.name for p in one.iterdir())
    assert files == sorted(p.name for p in two.iterdir())
    assert json.loads((one / "book.json").read_text()) == json.loads((two / "book.json").read_text())
    for name in files:
        if name.endswith((".mp3", ".vtt", ".m3u")):
            assert (one / name).read_bytes() == (two / name).read_bytes(), name


@pytest.mark.integration
def test_a_program_read_from_stdin_renders_with_jobs_2(tmp_path):
    """Workers cannot start for a program read from standard input (they would run its main module
    again): the render goes on in one process, with the same bytes."""
    story = tmp_path / "story.md"
    story.write_text('Title: Two Lines\n\n"Fair wind," said Nell.\n\nThe boat left.\n', encoding="utf-8")
    program = (
        "from audiobook.model import RenderOptions\n"
        "from audiobook.pipeline import generate\n"
        f"print(generate({str(story)!r}, None, {str(tmp_path / 'out')!r}, RenderOptions(jobs=2)).output_dir)\n"
    )
    done = subprocess.run([sys.executable, "-"], input=program, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(list(Path(done.stdout.strip()).glob("*.mp3"))) == 1
