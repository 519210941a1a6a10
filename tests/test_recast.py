"""The voice-tweaking loop on the real engine: cast, recast one character, re-render only their lines."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from audio_tools import decode, rms_db, span
from click.testing import CliRunner
from novels import novel

from audiobook.cli import cli
from audiobook.config import load_config

pytestmark = pytest.mark.integration


def run(*args: str, cwd: Path | None = None):
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def cast_dir(tmp_path_factory, seed_path):
    d = tmp_path_factory.mktemp("cast")
    r = run("cast", str(seed_path), "--write", "-c", "voices.yaml", cwd=d)
    assert r.exit_code == 0, r.output
    return d


def test_cast_writes_a_sensible_cast(cast_dir, espeak):
    cfg = load_config(cast_dir / "voices.yaml")
    chars = {c.name: c for c in cfg.characters}
    assert set(chars) == {"Witney", "Leo", "Robert"}
    gender = {v.id: v.gender for v in espeak.voices()}
    variant = {name: "+" + c.voice.voice.split("+", 1)[1] for name, c in chars.items()}
    assert gender[variant["Witney"]] == "female"
    assert gender[variant["Robert"]] == "male"
    assert chars["Leo"].voice.pitch > chars["Robert"].voice.pitch  # a child, higher
    assert chars["Leo"].voice.rate >= chars["Robert"].voice.rate  # and quicker
    assert cfg.narrator.voice not in {c.voice.voice for c in chars.values()}


def test_recasting_keeps_hand_edits(cast_dir, seed_path):
    path = cast_dir / "voices.yaml"
    text = path.read_text()
    edited = text.replace("rate: 170", "rate: 151  # slower, by hand", 1).replace(
        "characters:", "# a note of my own\ncharacters:", 1
    )
    path.write_text(edited)
    r = run("cast", str(seed_path), "--write", "-c", "voices.yaml", cwd=cast_dir)
    assert r.exit_code == 0 and "nothing to add" in r.stderr
    after = path.read_text()
    assert after == edited
    assert "# slower, by hand" in after and "# a note of my own" in after


def _render(seed_path, config: Path, out: Path, cache: Path):
    r = run("generate", str(seed_path), "-c", str(config), "-o", str(out), "--cache-dir", str(cache))
    assert r.exit_code == 0, r.output
    return json.loads(next(out.glob("*/000 9e465333c74efe3c/book.json")).read_text()), r.stderr


def test_changing_one_pitch_resynthesizes_only_that_character(seed_path, seed_render, tmp_path):
    """The voices.yaml `cast --write` writes renders what the auto-cast rendered (every line found in a
    copy of the seed render's cache); then Leo's pitch changes, and only his lines are spoken again."""
    config = tmp_path / "voices.yaml"
    assert run("cast", str(seed_path), "--write", "-c", str(config)).exit_code == 0
    cache = tmp_path / "cache"
    shutil.copytree(seed_render[1].parent.parent / ".cache", cache)
    manifest, summary = _render(seed_path, config, tmp_path / "out", cache)
    segs = manifest["chapters"][0]["segments"]
    assert f"0 synthesized, {len(segs)} reused" in summary
    leo = [s for s in segs if s["speaker"] == "Leo"]
    cfg_text = config.read_text()
    start = cfg_text.index("  Leo:")
    block = cfg_text[start : cfg_text.index("\n  Robert:")]
    config.write_text(cfg_text.replace(block, block.replace("pitch: 72", "pitch: 80")))
    again, summary = _render(seed_path, config, tmp_path / "out", cache)
    assert f"{len(leo)} synthesized, {len(segs) - len(leo)} reused" in summary
    new = {(s["source_start"], s["pitch"]) for s in again["chapters"][0]["segments"] if s["speaker"] == "Leo"}
    assert new == {(s["source_start"], 80) for s in leo}


def test_levels_match_across_speakers(seed_render):
    _, book = seed_render
    manifest = json.loads((book / "book.json").read_text())
    ch = manifest["chapters"][0]
    audio = decode(book / ch["file"])
    by_speaker: dict[str, list[np.ndarray]] = {}
    for s in ch["segments"]:
        by_speaker.setdefault(s["speaker"] or "narrator", []).append(span(audio, s["start"], s["end"]))
    levels = {who: rms_db(np.concatenate(parts)) for who, parts in by_speaker.items()}
    assert set(levels) == {"narrator", "Leo", "Witney", "Robert"}
    assert max(levels.values()) - min(levels.values()) <= 2.0, levels
    assert np.max(np.abs(audio)) < 10 ** (-2.9 / 20)  # nothing near clipping


def test_a_killed_render_resumes_from_its_cache(tmp_path):
    """Kill `generate` part-way; the next run reuses every clip the first one made."""
    story = tmp_path / "long.md"
    story.write_text(novel(2_000), encoding="utf-8")  # 155 lines: killed after 60, with most still to make
    out = tmp_path / "out"
    proc = subprocess.Popen(  # two workers whatever the machine: on many cores 95 lines could go by in a poll
        [sys.executable, "-m", "audiobook", "generate", str(story), "-o", str(out), "-q", "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cache = out / ".cache"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(cache.rglob("*.block"))) < 60:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    made = len(list(cache.rglob("*.block")))
    assert proc.returncode == -signal.SIGKILL, "the render finished before it could be killed"
    assert made >= 60
    book = out / "The Audiobook Project" / "The Benchmark Shore"
    assert not list(book.glob("*.mp3")) or all(p.stat().st_size > 0 for p in book.glob("*.mp3"))
    r = run("generate", str(story), "-o", str(out))
    assert r.exit_code == 0, r.output
    reused = int(r.stderr.split(" synthesized, ")[1].split(" reused")[0])
    assert reused >= made
    assert not list(book.glob("*.part"))


def test_preview_renders_a_characters_first_lines(cast_dir, seed_path):
    r = run("preview", str(seed_path), "Leo", "-c", "voices.yaml", "--lines", "2", cwd=cast_dir)
    assert r.exit_code == 0, r.output
    path = cast_dir / r.stdout.strip()
    assert path.name == "Leo.mp3"
    audio = decode(path)
    assert 1.0 < len(audio) / 44100 < 15 and rms_db(audio) > -35
    r = run("preview", str(seed_path), "-c", "voices.yaml", "--text", "Good morning.", cwd=cast_dir)
    assert r.exit_code == 0, r.output
    assert (cast_dir / r.stdout.strip()).name == "all-voices.mp3"
    r = run("preview", str(seed_path), "Nobody", "-c", "voices.yaml", cwd=cast_dir)
    assert r.exit_code != 0 and r.stderr.startswith("Error: no character 'Nobody'")


def test_a_cast_character_who_never_speaks_is_a_warning(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("Title: Quiet\n\n\u201cIs anyone there?\u201d asked Wren.\n\nNobody answered.\n", encoding="utf-8")
    config = tmp_path / "voices.yaml"
    config.write_text("characters:\n  Ghost:\n    voice: gmw/en-us+m1\n  Wren:\n    voice: gmw/en-us+f2\n")
    r = run("generate", str(story), "-c", str(config), "-o", str(tmp_path / "out"), "-q")
    assert r.exit_code == 0, r.output
    warnings = [line for line in r.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1 and "characters.Ghost never speaks" in warnings[0], r.stderr
    assert "Wren" not in r.stderr  # who speaks is not warned about
