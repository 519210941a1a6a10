"""How fast the parser reads a novel: words per second on one core, for the synthetic novel and,
when converted, for the PDNC development novels; and the same text with its chapter headings removed
(one long chapter), whose time should stay close to the with-headings time (the parse is linear).

    python -m bench.parse_speed [--words 100000]     (from the repository's folder)
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from audiobook.ingest.text import read_text
from audiobook.parse import parse_book
from tests.novels import novel


def timed(text: str, name: str) -> tuple[int, float]:
    """(words, best seconds of three) to ingest and parse `text`."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        parse_book(read_text(text, name, name))
        best = min(best, time.perf_counter() - started)
    return len(text.split()), best


_NUMBER = r"(?:\d+|[ivxlcdm]+|[a-z]+(?:[- ][a-z]+)?)"
# "## Chapter 3", "CHAPTER IV.", "Chapter Twelve: The Ball", "VOLUME II", "Prologue"
_HEADING_LINE = re.compile(
    rf"^\s*(?:#{{1,3}}\s.*|(?:chapter|part|book|volume)\s+{_NUMBER}\.?(?:\s*[:.\u2013\u2014-]\s*\S.*)?"
    r"|prologue|epilogue)\s*$",
    re.IGNORECASE,
)


def without_headings(text: str) -> str:
    """The text with its chapter heading lines removed: one long chapter."""
    return "\n".join(line for line in text.split("\n") if len(line) > 100 or not _HEADING_LINE.match(line))


def compare_headings(text: str, name: str) -> None:
    """Print the parse time with and without chapter headings, and their ratio."""
    words, with_s = timed(text, name)
    stripped = without_headings(text)
    chapters = len(read_text(stripped, name, name).chapters)
    _, without_s = timed(stripped, name)
    print(
        f"{name} without chapter headings ({chapters} chapter{'s' * (chapters != 1)}): {words:,} words parsed in "
        f"{without_s:.2f} s "
        f"= {without_s / with_s:.2f}x the {with_s:.2f} s with them"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--gold", default="/tmp/pdnc")
    args = ap.parse_args()
    words, seconds = timed(novel(args.words), "synthetic")
    print(
        f"synthetic novel: {words:,} words parsed in {seconds:.2f} s = {words / seconds:,.0f} words/s "
        f"({seconds / 2.0:.2f}x the 2-second budget for 100,000 words, scaled: "
        f"{seconds * 100_000 / words:.2f} s per 100,000 words)"
    )
    compare_headings(novel(args.words), "synthetic")
    emma = Path(args.gold, "Emma.json")
    if emma.exists():
        text = json.loads(emma.read_text())["text"]
        w, s = timed(text, "Emma")
        print(
            f"Emma (PDNC): {w:,} words parsed in {s:.2f} s = {w / s:,.0f} words/s "
            f"({s * 100_000 / w:.2f} s per 100,000 words)"
        )
        compare_headings(text, "Emma")


if __name__ == "__main__":
    main()
