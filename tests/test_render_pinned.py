"""The example story's render, pinned byte for byte: a change to the code that alters a single sample,
a timing, a tag or a manifest field fails here, however it was meant.

What the bytes depend on is pinned too: the engine, the encoder, numpy and the tag writer at the
versions in constraints.txt (`make` installs with it), the example's files, and the year tag (which
follows the calendar when a story names none: tests/paths.py's EXAMPLE_INFO names it).

A change of the render that is meant (a new level, an engine upgrade in constraints.txt) is pinned
again, in a commit of its own that says why and how it was listened to:

    AUDIOBOOK_PIN=1 .venv/bin/python -m pytest -q tests/test_render_pinned.py
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def _fingerprint(book: Path) -> dict[str, str]:
    prints = {}
    for path in sorted(p for p in book.iterdir() if p.is_file() and not p.name.startswith(".")):
        prints[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints


def _check_pinned(book: Path, pinned_file: Path) -> None:
    current = _fingerprint(book)
    assert len([n for n in current if n.endswith(".mp3")]) == 3
    if os.environ.get("AUDIOBOOK_PIN") == "1":
        pinned_file.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    pinned = json.loads(pinned_file.read_text(encoding="utf-8"))
    changed = sorted(name for name in pinned.keys() | current.keys() if pinned.get(name) != current.get(name))
    assert not changed, f"the example's render changed: {', '.join(changed)} (see this file's docstring)"


@pytest.mark.integration
def test_the_example_renders_to_the_pinned_bytes(example_render):
    """As `generate` renders it by default: each chapter opens with its title, read by the narrator."""
    _check_pinned(example_render[1], DATA / "example-render.json")


@pytest.mark.integration
def test_without_announcing_the_example_renders_as_before_titles_were_read(example_render_no_announce):
    """`--no-announce` gives, byte for byte, the render pinned before chapter titles were read (0.2.0.dev0
    at e56c7fc): nothing else about the render moved when titles came in."""
    _check_pinned(example_render_no_announce[1], DATA / "example-render-no-announce.json")
