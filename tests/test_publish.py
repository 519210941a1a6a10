"""Ready to listen: ACX levels, M4B chapters, and the player page's data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from audio_tools import decode
from conftest import EXAMPLE, ROOT, VOICES

from audiobook.ffmpeg import ffmpeg_exe
from audiobook.model import RenderOptions
from audiobook.pipeline import generate

pytestmark = pytest.mark.integration
sys.path.insert(0, str(ROOT / "tools"))
import acx_check  # noqa: E402


@pytest.mark.parametrize("render", ["example_render", "seed_render"])
def test_every_chapter_passes_the_acx_checks(render, request, capsys):
    _, book = request.getfixturevalue(render)
    assert acx_check.main([str(book)]) == 0, capsys.readouterr().out
    for mp3 in book.glob("*.mp3"):
        m = acx_check.measure(mp3)
        assert -23 <= m.rms <= -18 and m.peak <= -3 and -90 < m.floor <= -60
        assert 0.5 <= m.head <= 1.0 and 1.0 <= m.tail <= 5.0


def test_the_checker_fails_what_is_out_of_range(tmp_path, capsys):
    loud = tmp_path / "loud.mp3"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=3",
            "-af",
            "volume=0dB",
            "-y",
            str(loud),
        ],
        check=True,
    )
    assert acx_check.main([str(loud)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "head room tone" in out


def _ffmetadata_chapters(path: Path) -> list[tuple[float, str]]:
    meta = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out = []
    for block in meta.split("[CHAPTER]")[1:]:
        base = re.search(r"TIMEBASE=(\d+)/(\d+)", block)
        start = re.search(r"START=(\d+)", block)
        title = re.search(r"title=(.*)", block)
        assert base and start and title
        out.append((int(start.group(1)) * int(base.group(1)) / int(base.group(2)), title.group(1)))
    return out


def test_m4b_has_a_chapter_per_chapter_at_the_files_times(tmp_path):
    report = generate(EXAMPLE, VOICES, tmp_path / "out", RenderOptions(m4b=True))
    book = Path(report.output_dir)
    manifest = json.loads((book / "book.json").read_text())
    chapters = _ffmetadata_chapters(book / "book.m4b")
    assert [t for _, t in chapters] == [c["title"] for c in manifest["chapters"]]
    at = 0.0
    for (start, _), ch in zip(chapters, manifest["chapters"]):
        assert start == pytest.approx(at, abs=0.05)
        at += len(decode(book / ch["file"])) / 44100  # the chapter file as a player decodes it
    audio = decode(book / "book.m4b")
    assert len(audio) / 44100 == pytest.approx(at, abs=0.1)
    assert 20 * np.log10(np.max(np.abs(audio))) <= -3.0  # ACX's peak limit, as the MP3s meet it


def test_player_page_carries_the_manifest(example_render):
    _, book = example_render
    page = (book / "index.html").read_text(encoding="utf-8")
    data = re.search(r'<script id="manifest" type="application/json">(.*?)</script>', page, re.S)
    assert data
    embedded = json.loads(data.group(1).replace("<\\/", "</"))
    assert embedded == json.loads((book / "book.json").read_text(encoding="utf-8"))
    assert "http://" not in page and "https://" not in page  # nothing fetched from a network
