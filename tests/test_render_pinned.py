"""The example story's render, pinned byte for byte: a change to the code that alters a single sample,
a timing or a manifest field fails here, however it was meant.

What the bytes depend on is pinned too: the engine, the encoder, numpy and the tag writer at the
versions in constraints.txt (`make` installs with it), and the example's files. The year tag, which
follows the calendar when the story names none, is left out: each chapter's MP3 is compared without
its ID3 tag (the audio frames), and book.json and the player page without the year.

A change of the render that is meant (a new level, an engine upgrade in constraints.txt) is pinned
again, in a commit of its own that says why and how it was listened to:

    AUDIOBOOK_PIN=1 .venv/bin/python -m pytest -q tests/test_render_pinned.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

PINNED = Path(__file__).parent / "data" / "example-render.json"


def _audio_frames(mp3: bytes) -> bytes:
    """An MP3 without its ID3v2 tag (whose size is four 7-bit bytes after the header)."""
    if mp3[:3] != b"ID3":
        return mp3
    size = 0
    for b in mp3[6:10]:
        size = size << 7 | b & 0x7F
    return mp3[10 + size :]


def _without_year(text: str) -> str:
    return re.sub(r'"year": "[0-9-]*"', '"year": ""', text)


def _fingerprint(book: Path) -> dict[str, str]:
    prints = {}
    for path in sorted(p for p in book.iterdir() if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        if path.suffix == ".mp3":
            data = _audio_frames(data)
        elif path.name in ("book.json", "index.html"):
            data = _without_year(data.decode("utf-8")).encode("utf-8")
        prints[path.name] = hashlib.sha256(data).hexdigest()
    return prints


@pytest.mark.integration
def test_the_example_renders_to_the_pinned_bytes(example_render):
    report, book = example_render
    current = _fingerprint(book)
    assert len([n for n in current if n.endswith(".mp3")]) == 3
    if os.environ.get("AUDIOBOOK_PIN") == "1":
        PINNED.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    changed = sorted(name for name in pinned.keys() | current.keys() if pinned.get(name) != current.get(name))
    assert not changed, f"the example's render changed: {', '.join(changed)} (see this file's docstring)"
