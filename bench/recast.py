"""The voice-tweaking loop, timed: a cold render, then the same book after one character's pitch changes.

    python -m bench.recast                       # the bundled example story, recasting Dr. Okafor
    python -m bench.recast STORY CHARACTER       # any story, any character (auto-cast voices.yaml)

Prints both wall times, how many lines each run synthesized, and the ratio of the second to the first.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
from pathlib import Path

from audiobook.cast_plan import plan_cast
from audiobook.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("story", nargs="?", default=str(ROOT / "examples" / "the-lantern-at-gull-point.md"))
    ap.add_argument("character", nargs="?", default="Dr. Okafor")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-recast-"))
    try:
        config = work / "voices.yaml"
        source_config = ROOT / "voices.yaml"
        if Path(args.story).resolve() == (ROOT / "examples" / "the-lantern-at-gull-point.md").resolve():
            shutil.copy(source_config, config)
        else:
            plan_cast(args.story, config, write=True)
        started = time.perf_counter()
        cold = generate(args.story, config, work / "out")
        cold_s = time.perf_counter() - started

        text = config.read_text(encoding="utf-8")
        head = re.search(rf"^  {re.escape(args.character)}:.*?(?=^  \S|^\S|\Z)", text, re.MULTILINE | re.DOTALL)
        if not head:
            raise SystemExit(f"{args.character!r} is not cast in {config}")
        block = head.group(0)
        pitch = re.search(r"pitch: (\d+)", block)
        changed = (
            block.replace(pitch.group(0), f"pitch: {int(pitch.group(1)) + 6}")
            if pitch
            else block.rstrip("\n") + "\n    pitch: 56\n"
        )
        config.write_text(text.replace(block, changed), encoding="utf-8")
        started = time.perf_counter()
        warm = generate(args.story, config, work / "out")
        warm_s = time.perf_counter() - started

        print(f"story: {Path(args.story).name}, {cold.segments} lines, {cold.audio_seconds / 60:.1f} min of audio")
        print(f"cold render:   {cold_s:6.2f} s  ({cold.synthesized} lines synthesized and encoded)")
        print(
            f"after recasting {args.character} (pitch +6): {warm_s:6.2f} s  ({warm.synthesized} synthesized, "
            f"{warm.reused} reused)"
        )
        print(f"ratio warm/cold: {warm_s / cold_s:.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
