"""Ready to listen: ACX levels, M4B chapters, and the player page's data."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from audio_tools import decode
from click.testing import CliRunner
from paths import EXAMPLE, EXAMPLE_INFO, VOICES

from audiobook.check import check_paths
from audiobook.cli import cli
from audiobook.errors import ExitCode, InputError
from audiobook.ffmpeg import ffmpeg_exe
from audiobook.model import RenderOptions
from audiobook.pipeline import generate

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("render", ["example_render", "seed_render"])
def test_every_chapter_passes_the_acx_checks(render, request):
    _, book = request.getfixturevalue(render)
    report = check_paths([book])
    assert report.ok, "\n".join(report.lines())
    assert sorted(m.path for m in report.files) == sorted(book.glob("*.mp3"))  # every chapter, nothing hidden
    for m in report.files:
        assert -23 <= m.rms <= -18 and m.peak <= -3 and -90 < m.floor <= -60
        assert 0.5 <= m.head <= 1.0 and 1.0 <= m.tail <= 5.0
    lines = report.lines()
    assert len(lines) == len(report.files) + 2 and all(line.endswith("  ok") for line in lines[1:-1])
    assert lines[-1] == f"{len(report.files)} of {len(report.files)} files pass the ACX technical checks."


def _sine(path: Path, *filters: str) -> Path:
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=3", *filters, "-y", str(path)],
        check=True,
    )
    return path


def test_check_passes_a_finished_chapter(example_render):
    _, book = example_render
    first = sorted(book.glob("*.mp3"))[0]
    r = CliRunner().invoke(cli, ["check", str(first)])
    assert r.exit_code == 0 and r.stdout.splitlines() == check_paths([first]).lines(), r.output
    assert "1 of 1 files pass" in r.stdout


def test_the_checker_fails_what_is_out_of_range(tmp_path, capsys):
    loud = _sine(tmp_path / "loud.mp3", "-af", "volume=0dB")
    report = check_paths([loud])
    assert not report.ok and report.failed == list(report.files)
    [problems] = [m.problems() for m in report.files]
    assert any(p.startswith("head room tone 0.00 s") for p in problems), problems
    assert any(p.startswith("tail room tone 0.00 s") for p in problems), problems
    r = CliRunner().invoke(cli, ["check", str(loud)])
    assert r.exit_code == ExitCode.CHECK, r.output
    out = r.stdout
    assert "FAIL" in out and "head room tone" in out and out.endswith("0 of 1 files pass the ACX technical checks.\n")


def test_the_checker_names_what_it_cannot_check(tmp_path, capsys):
    with pytest.raises(InputError, match="no such file or folder"):
        check_paths([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".cache").mkdir()
    _sine(tmp_path / "empty" / ".cache" / "hidden.mp3")  # the line cache's folder is never searched
    with pytest.raises(InputError, match="no MP3 or M4B files"):
        check_paths([tmp_path / "empty"])
    (tmp_path / "notes.mp3").write_text("not audio", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be decoded as audio"):
        check_paths([tmp_path / "notes.mp3"])
    r = CliRunner().invoke(cli, ["check", str(tmp_path / "missing")])
    assert r.exit_code == ExitCode.INPUT and r.stderr.startswith(f"Error: {tmp_path / 'missing'}: no such file")
    with pytest.raises(InputError, match="nothing to check"):
        check_paths([])


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


def test_m4b_has_a_chapter_per_chapter_at_the_files_times(example_render, tmp_path):
    """The example book once more, with an M4B: its lines come from the session render's cache, so
    only the chapter files and the M4B are made here."""
    _, first = example_render
    cache = first.parent.parent / ".cache"  # the render's own line cache, in its output folder
    report = generate(EXAMPLE, VOICES, tmp_path / "out", RenderOptions(m4b=True, cache_dir=str(cache)), EXAMPLE_INFO)
    assert report.reused == report.segments and report.synthesized == 0
    book = Path(report.output_dir)
    for ch in json.loads((first / "book.json").read_text())["chapters"]:
        assert (book / ch["file"]).read_bytes() == (first / ch["file"]).read_bytes()
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
