"""Two renders at once into one output folder and one line cache, over and over.

    python -m bench.concurrency [--rounds 10] [--no-cache]

Each round starts two `audiobook generate` runs of the same story into the same folder at the same
moment, then checks what the folder holds: every chapter file named in book.json is there and plays
as long as the manifest says, nothing else is visible, no temporary file is left, and each run either
succeeded or refused with exactly one line. It prints the counts; any invalid outcome exits 1.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from audiobook.ffmpeg import decode_pcm

ROOT = Path(__file__).resolve().parent.parent

STORY = (
    "Title: Two at Once\nAuthor: Bench\n\n"
    + "\n\n".join(
        f"## Part {c}\n\n"
        + "\n\n".join(
            f'"Line {i} of part {c} is here," said {"Iris" if i % 2 else "Owen"}, and the tide turned again.'
            for i in range(12)
        )
        for c in range(1, 4)
    )
    + "\n"
)


def problems(book: Path) -> list[str]:
    """What is wrong with a published book folder (nothing, for a valid one)."""
    found = []
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    named = {"book.json", "index.html", "playlist.m3u"}
    for ch in manifest["chapters"]:
        named |= {ch["file"], ch["transcript"]}
        seconds = len(decode_pcm(str(book / ch["file"]))) / 2 / 44100
        if abs(seconds - ch["duration"]) > 0.06:
            found.append(f"{ch['file']}: plays {seconds:.2f} s, the manifest says {ch['duration']:.2f} s")
    visible = {p.name for p in book.iterdir() if not p.name.startswith(".")}
    if visible != named:
        found.append(f"files not in the manifest or missing: {sorted(visible ^ named)}")
    if list(book.glob(".staging-*")) or list(book.glob(".*.part")):
        found.append("temporary files left behind")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-concurrency-"))
    counts = {"wrote": 0, "refused": 0, "invalid": 0}
    try:
        story = work / "two.md"
        story.write_text(STORY, encoding="utf-8")
        out = work / "out"
        cmd = [sys.executable, "-m", "audiobook", "generate", str(story), "-o", str(out), "-q", "-j", "1"]
        cmd += ["--no-cache"] if args.no_cache else []
        for n in range(1, args.rounds + 1):
            runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
            for run in runs:
                _, err = run.communicate()
                lines = err.strip().splitlines()
                if run.returncode == 0 and not lines:
                    counts["wrote"] += 1
                elif run.returncode == 7 and len(lines) == 1 and "another audiobook run" in lines[0]:
                    counts["refused"] += 1
                else:
                    counts["invalid"] += 1
                    print(f"round {n}: exit {run.returncode}: {err.strip()}")
            for p in problems(out / "Bench" / "Two at Once"):
                counts["invalid"] += 1
                print(f"round {n}: {p}")
        print(
            f"{args.rounds} rounds of two concurrent renders ({'no cache' if args.no_cache else 'one cache'}): "
            f"{counts['wrote']} wrote a valid book, {counts['refused']} refused in one line, "
            f"{counts['invalid']} invalid"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if counts["invalid"] else 0)


if __name__ == "__main__":
    main()
