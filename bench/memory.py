"""Peak memory of whole renders: the PSS of the whole process tree (pool workers and the per-line
espeak-ng children included), sampled every 50 ms.

    python -m bench.memory [--paragraph-mb 0.5 2] [--novel PATH ...] [--jobs N] [--config voices.yaml]

It renders:
- a story that is one paragraph with no punctuation at all, at each size given (the worst case for a
  line's length: it can only be cut between words), and prints each peak and the ratio of the
  largest to the smallest: memory that does not grow with a line gives a ratio near 1;
- each novel given (a real book: a public-domain text such as Pride and Prejudice, whose longest
  quote, a letter, lasts 13 minutes), and prints its peak.

`--config` renders with that voices.yaml (e.g. one saying `engine: piper`: the neural engine's workers).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.render import run_measured

WORDS = (
    "harbour",
    "lantern",
    "rope",
    "tide",
    "gull",
    "keeper",
    "stone",
    "salt",
    "north",
    "evening",
    "window",
    "letter",
    "morning",
    "quiet",
    "water",
    "road",
)


def one_paragraph(megabytes: float) -> str:
    """A story of one paragraph with no punctuation, about `megabytes` long."""
    target = int(megabytes * 1_000_000)
    words, size, i = [], 0, 0
    while size < target:
        w = WORDS[(i * 7 + i // 5) % len(WORDS)]
        words.append(w)
        size += len(w) + 1
        i += 1
    return "Title: One Paragraph\nAuthor: Bench\n\n" + " ".join(words) + "\n"


def render_peak(story: Path, work: Path, jobs: int, config: str | None = None) -> tuple[float, float]:
    """(wall seconds, peak PSS in MB) of a cold render of `story` (with voices.yaml `config`)."""
    out = work / f"out-{story.stem}"
    exe = Path(sys.executable).parent / "audiobook"
    cmd = [str(exe), "generate", str(story), "-o", str(out), "-q", "--jobs", str(jobs)]
    wall, peak_kb = run_measured(cmd + (["-c", config] if config else []))
    shutil.rmtree(out, ignore_errors=True)
    return wall, peak_kb / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paragraph-mb", type=float, nargs="*", default=[0.5, 2.0])
    ap.add_argument("--novel", action="append", default=[], help="a real novel's text file (repeatable)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--config", default=None, help="the voices.yaml to render with (e.g. engine: piper)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-memory-"))
    try:
        peaks = []
        for mb in args.paragraph_mb:
            story = work / f"paragraph-{mb:g}mb.txt"
            story.write_text(one_paragraph(mb), encoding="utf-8")
            wall, peak = render_peak(story, work, args.jobs, args.config)
            peaks.append(peak)
            print(
                f"one paragraph of {mb:g} MB, no punctuation: peak {peak:.0f} MB (PSS, all processes), "
                f"rendered in {wall:.0f} s"
            )
        if len(peaks) > 1:
            print(
                f"peak at {args.paragraph_mb[-1]:g} MB / peak at {args.paragraph_mb[0]:g} MB: "
                f"{peaks[-1] / peaks[0]:.2f}"
            )
        for novel in args.novel:
            wall, peak = render_peak(Path(novel), work, args.jobs, args.config)
            print(f"{Path(novel).name}: peak {peak:.0f} MB (PSS, all processes), rendered in {wall:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
