"""The example story rendered with the neural engine, as `make demo-neural` does: every character on a
distinct timbre of one Piper model (measured on the decoded MP3s), even levels, ACX's checks passed,
and recasting one character re-synthesizes only their lines.

The render runs in a child process: Piper's espeak-ng and ours never share one (docs/engines.md)."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from audio_tools import decode, median_f0, rms_db, span
from conftest import _once
from paths import EXAMPLE, ROOT

NEURAL = ROOT / "examples" / "voices-neural.yaml"


def _audiobook(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def neural(tmp_path_factory) -> tuple[Path, str, Path]:
    """The example rendered with Piper once per test run (the xdist workers share it: see conftest's
    `_once`). Nobody may change it: a test that re-renders works on a copy of its cache."""

    def make(out: Path) -> tuple[str, str, str]:
        out.mkdir(parents=True, exist_ok=True)
        config = out / "voices.yaml"
        config.write_text(NEURAL.read_text(encoding="utf-8"), encoding="utf-8")
        done = _audiobook("generate", str(EXAMPLE), "-c", str(config), "-o", str(out), "--jobs", "2")
        assert done.returncode == 0, done.stderr
        [book] = [p.parent for p in out.glob("*/*/book.json")]
        return str(book), done.stderr, str(config)

    book, err, config = _once(tmp_path_factory, "neural", make)  # type: ignore[misc]
    return Path(book), err, Path(config)


def _semitones(a: float, b: float) -> float:
    return 12 * math.log2(a / b)


@pytest.mark.integration
def test_every_character_speaks_in_a_distinct_timbre_of_one_model(neural):
    book, _, _ = neural
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    assert manifest["engine"].startswith("piper-tts")
    f0: dict[str, list[float]] = {}
    for ch in manifest["chapters"]:
        x = decode(book / ch["file"])
        for seg in ch["segments"]:
            if seg["end"] - seg["start"] > 0.8:
                f0.setdefault(seg["role"], []).append(median_f0(span(x, seg["start"], seg["end"])))
    median = {role: float(np.median(v)) for role, v in f0.items()}
    assert set(median) == {"narrator", "Mara", "Tobias", "Pip", "Dr. Okafor"}
    for high in ("Mara", "Pip"):
        for low in ("Tobias", "Dr. Okafor"):
            assert _semitones(median[high], median[low]) >= 2, (high, low, median)
    roles = sorted(median)
    for i, a in enumerate(roles):
        for b in roles[i + 1 :]:
            assert abs(_semitones(median[a], median[b])) >= 1.5, (a, b, median)


@pytest.mark.integration
def test_levels_are_even_and_pass_acx(neural):
    book, _, _ = neural
    levels = [rms_db(decode(path)) for path in sorted(book.glob("*.mp3"))]
    assert len(levels) == 3 and max(levels) - min(levels) <= 2
    done = _audiobook("check", str(book))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.integration
def test_recasting_one_character_resynthesizes_only_their_lines(neural, tmp_path):
    book, _, config = neural
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    pips = sum(1 for ch in manifest["chapters"] for s in ch["segments"] if s["role"] == "Pip")
    mine = tmp_path / "out"
    shutil.copytree(book.parent.parent / ".cache", mine / ".cache")  # the shared render stays as it is
    text = config.read_text(encoding="utf-8")
    recast = tmp_path / "voices.yaml"
    recast.write_text(text.replace("    rate: 180\n", "    rate: 190\n", 1), encoding="utf-8")  # Pip's rate
    done = _audiobook("generate", str(EXAMPLE), "-c", str(recast), "-o", str(mine), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    synthesized = int(re.search(r"(\d+) synthesized", done.stderr).group(1))
    assert synthesized == pips > 0
