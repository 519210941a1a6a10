"""How fast the parser reads a novel: words per second on one core, for the synthetic novel and,
when converted, for the PDNC development novels.

    python bench/parse_speed.py [--words 100000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from novel import novel  # noqa: E402

from audiobook.ingest.text import read_text  # noqa: E402
from audiobook.parse import parse_book  # noqa: E402


def timed(text: str, name: str) -> tuple[int, float]:
    """(words, best seconds of three) to ingest and parse `text`."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        parse_book(read_text(text, name, name))
        best = min(best, time.perf_counter() - started)
    return len(text.split()), best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--gold", default="/tmp/pdnc")
    args = ap.parse_args()
    words, seconds = timed(novel(args.words), "synthetic")
    print(f"synthetic novel: {words:,} words parsed in {seconds:.2f} s = {words / seconds:,.0f} words/s "
          f"({seconds / 2.0:.2f}x the 2-second budget for 100,000 words, scaled: "
          f"{seconds * 100_000 / words:.2f} s per 100,000 words)")
    emma = Path(args.gold, "Emma.json")
    if emma.exists():
        text = json.loads(emma.read_text())["text"]
        w, s = timed(text, "Emma")
        print(f"Emma (PDNC): {w:,} words parsed in {s:.2f} s = {w / s:,.0f} words/s "
              f"({s * 100_000 / w:.2f} s per 100,000 words)")


if __name__ == "__main__":
    main()
