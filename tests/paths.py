"""Where the tests' inputs are: the repository, its example story and voices.yaml, and the
commissioning story (in shared/, beside the repository, never copied into it)."""

from __future__ import annotations

from pathlib import Path

from audiobook.model import BookInfo

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "the-lantern-at-gull-point.md"
VOICES = ROOT / "voices.yaml"
# The year tag follows the calendar when a story names none: every render of the example that is
# compared byte for byte (the session's, --jobs 1, the M4B's, the pinned one) names it.
EXAMPLE_INFO = BookInfo(year="2026")
SEED = ROOT.parent / "shared" / "seed" / "000_9e465333c74efe3c.txt"
