"""One cast, two engines: a voice id that names its engine (`piper:...` in an espeak-ng book,
`espeak:gmw/en-us+m3` in a Piper one) is spoken by that engine, in a process of its own
(audiobook/engines/mixed.py); the bytes are the same with and without worker processes, and the cache
keeps each engine's lines apart. The renders run in child processes: Piper's espeak-ng and ours never
share one."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from audio_tools import decode, median_f0, span
from paths import EXAMPLE

from audiobook.config import VoiceEntry
from audiobook.engines import engine_of, voice_label
from audiobook.model import VoiceSpec


def test_a_voice_id_names_its_engine_or_is_the_books():
    assert engine_of("gmw/en-us+f2", "espeak") == ("espeak", "gmw/en-us+f2")
    assert engine_of("espeak:gmw/en-us+f2", "piper") == ("espeak", "gmw/en-us+f2")
    assert engine_of("piper:en_US-joe-medium+old", "espeak") == ("piper", "piper:en_US-joe-medium+old")
    assert engine_of("pyttsx3:gmw/en-us", "espeak") == ("pyttsx3", "gmw/en-us")
    assert engine_of("nobody:voice", "espeak") == ("espeak", "nobody:voice")  # not an engine's name
    assert engine_of("auto:gmw/en-us", "espeak") == ("espeak", "auto:gmw/en-us")
    assert voice_label("espeak", "gmw/en-us", "piper") == "espeak:gmw/en-us"
    assert voice_label("espeak", "gmw/en-us", "espeak") == "gmw/en-us"
    assert voice_label("piper", "piper:en_US-joe-medium", "espeak") == "piper:en_US-joe-medium"


def test_an_entry_takes_its_voices_engine_and_one_without_a_voice_its_bases():
    base = VoiceSpec("piper", "piper:en_US-joe-medium", 170, 50, 1.0)
    assert VoiceEntry(voice="espeak:gmw/en-us+m3", rate=180).spec("piper", base) == VoiceSpec(
        "espeak", "gmw/en-us+m3", 180, 50, 1.0
    )
    assert VoiceEntry(voice="piper:en_US-joe-medium+child").spec("piper", base).engine == "piper"
    other = VoiceSpec("espeak", "gmw/en-us", 160, 40, 1.0)
    assert VoiceEntry(pitch=60).spec("piper", other) == VoiceSpec("espeak", "gmw/en-us", 160, 60, 1.0)


def _audiobook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, env=dict(os.environ), cwd=cwd
    )


ESPEAK_BOOK = """engine: espeak
characters:
  Mara:
    aliases: [Mara Quill, Mrs. Quill]
    voice: piper:en_US-joe-medium+female
    rate: 170
  Tobias:
    aliases: [Tobias Quill]
    voice: gmw/en-us
    pitch: 30
"""


@pytest.mark.integration
def test_a_piper_voice_in_an_espeak_book_speaks_its_lines_the_same_with_or_without_workers(tmp_path):
    config = tmp_path / "voices.yaml"
    config.write_text(ESPEAK_BOOK)
    books = []
    for jobs in ("2", "1"):
        out = tmp_path / f"out{jobs}"
        done = _audiobook("generate", str(EXAMPLE), "-c", str(config), "-o", str(out), "-j", jobs, "--no-cache")
        assert done.returncode == 0, done.stderr
        [book] = [p.parent for p in out.glob("*/*/book.json")]
        books.append(book)
    mp3s = sorted(p.name for p in books[0].glob("*.mp3"))
    assert len(mp3s) == 3
    assert all((books[0] / n).read_bytes() == (books[1] / n).read_bytes() for n in mp3s)
    manifest = json.loads((books[0] / "book.json").read_text())
    assert "espeak-ng" in manifest["engine"] and "piper-tts" in manifest["engine"]
    voice = {c["name"]: c["voice"] for c in manifest["characters"]}
    assert voice["Mara"] == "piper:en_US-joe-medium+female" and voice["Tobias"] == "gmw/en-us"
    f0: dict[str, list[float]] = {}
    for ch in manifest["chapters"]:
        x = decode(books[0] / ch["file"])
        for seg in ch["segments"]:
            if seg["role"] in ("Mara", "Tobias") and seg["end"] - seg["start"] > 0.8:
                f0.setdefault(seg["role"], []).append(median_f0(span(x, seg["start"], seg["end"])))
    # Piper's derived woman (measured 180 Hz in test_piper_render.py) against espeak-ng's man, pitched low.
    assert 165 <= np.median(f0["Mara"]) <= 195 and np.median(f0["Tobias"]) < 130, f0


STORY = """Title: Two Engines
Author: Test Writer

# One

"The tide is turning," said Wren.

"Then we row now," said Hollis.

"Not before the lamp is lit," said Wren.
"""

PIPER_BOOK = """engine: piper
characters:
  Wren:
    voice: piper:en_US-joe-medium+female
  Hollis:
    voice: {hollis}
"""


@pytest.mark.integration
def test_an_espeak_voice_in_a_piper_book_re_renders_only_its_lines(tmp_path):
    story = tmp_path / "story.md"
    story.write_text(STORY)
    config = tmp_path / "voices.yaml"
    out = tmp_path / "out"
    config.write_text(PIPER_BOOK.format(hollis="piper:en_US-joe-medium+old"))
    done = _audiobook("generate", str(story), "-c", str(config), "-o", str(out), "-j", "2")
    assert done.returncode == 0, done.stderr
    config.write_text(PIPER_BOOK.format(hollis="espeak:gmw/en-us+m3"))
    done = _audiobook("generate", str(story), "-c", str(config), "-o", str(out), "-j", "2")
    assert done.returncode == 0, done.stderr
    assert re.search(r"\b1 synthesized", done.stderr), done.stderr  # Hollis's one line, by espeak-ng
    cast = _audiobook("cast", str(story), "-c", str(config))
    assert re.search(r"^Hollis .* espeak:gmw/en-us\+m3 ", cast.stdout, re.MULTILINE), cast.stdout
    [book] = out.glob("*/*/book.json")
    voices = {c["name"]: c["voice"] for c in json.loads(book.read_text())["characters"]}
    assert voices["Hollis"] == "espeak:gmw/en-us+m3"


@pytest.mark.integration
def test_an_unknown_voice_of_another_engine_is_one_error_with_that_engines_ids(tmp_path):
    story = tmp_path / "story.md"
    story.write_text(STORY)
    config = tmp_path / "voices.yaml"
    config.write_text(PIPER_BOOK.format(hollis="espeak:gmw/en-uss"))
    done = _audiobook("cast", str(story), "-c", str(config))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        f"Error: {config}:6: characters.Hollis.voice: unknown voice id 'espeak:gmw/en-uss'; "
        "did you mean 'espeak:gmw/en-us', 'espeak:gmw/en-us-nyc', 'espeak:gmw/en-shaw'?"
    ], done.stderr
