"""Where the tests' inputs are: the repository, its example story and voices.yaml, and the
commissioning story (in shared/, beside the repository, never copied into it)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "the-lantern-at-gull-point.md"
VOICES = ROOT / "voices.yaml"
SEED = ROOT.parent / "shared" / "seed" / "000_9e465333c74efe3c.txt"
