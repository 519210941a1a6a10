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

PINNED = Path(__file__).parent / "data" / "example-render.json"


def _fingerprint(book: Path) -> dict[str, str]:
    prints = {}
    for path in sorted(p for p in book.iterdir() if p.is_file() and not p.name.startswith(".")):
        prints[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
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
