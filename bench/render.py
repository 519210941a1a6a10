"""Render a whole synthetic novel and compare with what this machine can do at best, in the same run.

    python -m bench.render [--words 100000] [--jobs N] [--big 200000] [--skip-big]

It prints:
- the parse alone (words per second);
- the cold render (empty cache): wall time, hours of audio, times realtime, peak memory;
- the limit, measured now: the same text synthesized by espeak-ng directly on all cores, plus the same
  duration of speech encoded by ffmpeg (44.1 kHz, 128 kbit/s MP3) on all cores; and our time as a
  ratio of it;
- a warm re-render after one character with about 10% of the lines changes pitch, as a ratio of the
  cold render;
- peak memory (the whole process tree) of a cold render at `--words` and at `--big` words.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from audiobook.ffmpeg import ffmpeg_exe
from tests.novels import novel


def _memory_kb(pid: int) -> int:
    """A process's proportional resident memory (PSS: shared pages split between their sharers, so a
    forked child is not counted twice), or its RSS where the kernel does not say."""
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name) as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            total += _memory_kb(p)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_measured(cmd: list[str]) -> tuple[float, int]:
    """(wall seconds, peak resident kB of the whole process tree) of a command."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    t.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode()}")
    return time.perf_counter() - started, peak


def _synth_share(args: tuple[list[str], int]) -> float:
    """Synthesize paragraphs with libespeak-ng directly; returns seconds of audio made."""
    paragraphs, _ = args
    from audiobook.engines.espeak import EspeakEngine
    from audiobook.model import VoiceSpec

    engine = EspeakEngine()
    voice = VoiceSpec("espeak", "gmw/en-us", 175, 50)
    # The library's own speed: straight calls, without the per-line fork that makes our lines repeatable.
    return sum(engine._speak(p, voice).seconds for p in paragraphs)


def limit_synthesis(text: str, jobs: int) -> tuple[float, float]:
    """(wall seconds, audio seconds): espeak-ng alone on the whole text, on all cores."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    shares = [(paragraphs[i::jobs], i) for i in range(jobs)]
    started = time.perf_counter()
    with mp.get_context("spawn").Pool(jobs) as pool:
        audio = sum(pool.map(_synth_share, shares))
    return time.perf_counter() - started, audio


def _encode_share(args: tuple[float, list[str]]) -> None:
    """ffmpeg encoding `seconds` of real speech (a sample looped) to MP3, as fast as it can."""
    seconds, extra = args
    from audiobook.engines.espeak import EspeakEngine
    from audiobook.model import VoiceSpec

    sample = EspeakEngine()._speak(novel(400, seed=3), VoiceSpec("espeak", "gmw/en-us", 175, 50))
    proc = subprocess.Popen(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-f",
            "s16le",
            "-ar",
            str(sample.sample_rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-ar",
            "44100",
            "-ac",
            "1",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "128k",
            *extra,
            "-f",
            "mp3",
            "-y",
            os.devnull,
        ],
        stdin=subprocess.PIPE,
    )
    assert proc.stdin
    left = int(seconds * sample.sample_rate) * 2
    while left > 0:
        chunk = sample.pcm[:left]
        proc.stdin.write(chunk)
        left -= len(chunk)
    proc.stdin.close()
    proc.wait()


def limit_encoding(audio_seconds: float, jobs: int, extra: list[str] | None = None) -> float:
    """Wall seconds for ffmpeg to encode that much speech, split over all cores."""
    started = time.perf_counter()
    with mp.get_context("spawn").Pool(jobs) as pool:
        pool.map(_encode_share, [(audio_seconds / jobs, extra or [])] * jobs)
    return time.perf_counter() - started


def cold_render(words: int, jobs: int, work: Path) -> tuple[float, int, Path, Path]:
    """(wall, peak kB, story, output folder) of a render with an empty cache."""
    story = work / f"novel-{words}.md"
    story.write_text(novel(words), encoding="utf-8")
    out = work / f"out-{words}"
    exe = Path(sys.executable).parent / "audiobook"
    wall, peak = run_measured([str(exe), "generate", str(story), "-o", str(out), "-q", "--jobs", str(jobs)])
    return wall, peak, story, out


def report_parse(text: str) -> None:
    from audiobook.ingest.text import read_text
    from audiobook.parse import parse_book

    started = time.perf_counter()
    script = parse_book(read_text(text, "novel.md", "novel"))
    parse_s = time.perf_counter() - started
    lines = sum(1 for ch in script.chapters for s in ch.segments)
    print(f"novel: {len(text.split()):,} words, {len(script.chapters)} chapters, {lines:,} segments")
    print(f"parse alone: {parse_s:.2f} s ({len(text.split()) / parse_s:,.0f} words/s)")


def report_limits(text: str, wall: float, jobs: int) -> None:
    synth_wall, synth_audio = limit_synthesis(text, jobs)
    enc_wall = limit_encoding(synth_audio, jobs)
    limit = synth_wall + enc_wall
    print(
        f"limit on this machine: espeak-ng alone {synth_wall:.1f} s ({synth_audio / 3600:.2f} h) + "
        f"ffmpeg encoding alone {enc_wall:.1f} s = {limit:.1f} s"
    )
    print(f"cold render / limit: {wall / limit:.2f}")
    # We encode with LAME's quality 7 (fast, clean for speech); ffmpeg's default is slower. The same
    # setting for ffmpeg gives a stricter limit, printed too.
    strict = synth_wall + limit_encoding(synth_audio, jobs, ["-compression_level", "7"])
    print(
        f"stricter limit (ffmpeg at the same LAME quality 7): {strict:.1f} s; cold render / that: {wall / strict:.2f}"
    )


def report_recast(manifest: dict, story: Path, out: Path, work: Path, wall: float, jobs: int) -> None:
    """Recast the character whose share of the lines is closest to 10%, and time the re-render."""
    counts: dict[str, int] = {}
    for ch in manifest["chapters"]:
        for s in ch["segments"]:
            if s["speaker"]:
                counts[s["speaker"]] = counts.get(s["speaker"], 0) + 1
    total = sum(1 for ch in manifest["chapters"] for _ in ch["segments"])
    who = min(counts, key=lambda n: abs(counts[n] / total - 0.10))
    config = work / "voices.yaml"
    from audiobook.cast_plan import plan_cast

    plan_cast(story, config, write=True)
    exe = Path(sys.executable).parent / "audiobook"
    command = [str(exe), "generate", str(story), "-c", str(config), "-o", str(out), "-q", "--jobs", str(jobs)]
    subprocess.run(command, check=True)  # the same cast, now from voices.yaml
    cfg = config.read_text()
    block = re.search(rf"^  {re.escape(who)}:.*?(?=^  \S|^\S|\Z)", cfg, re.MULTILINE | re.DOTALL)
    assert block, who
    pitch = re.search(r"pitch: (\d+)", block.group(0))
    assert pitch
    config.write_text(
        cfg.replace(block.group(0), block.group(0).replace(pitch.group(0), f"pitch: {int(pitch.group(1)) + 6}"))
    )
    warm, _ = run_measured(command)
    print(
        f"recast {who} ({counts[who]} of {total} lines, {counts[who] / total:.0%}): {warm:.1f} s "
        f"= {warm / wall:.2f} of the cold render"
    )


def report_memory(words: int, wall: float, peak: float, big: int, jobs: int, work: Path) -> None:
    """A second cold render, at `big` words: its peak memory beside the first one's."""
    big_wall, big_peak, _, big_out = cold_render(big, jobs, work)
    shutil.rmtree(big_out, ignore_errors=True)
    print(
        f"peak memory: {peak / 1024:.0f} MB at {words:,} words, {big_peak / 1024:.0f} MB at "
        f"{big:,} words ({big_peak / peak - 1:+.0%}); cold renders took {wall:.1f} s and {big_wall:.1f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=200_000)
    ap.add_argument("--skip-big", action="store_true", help="skip the memory run at --big words")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--memory-only", action="store_true", help="only the two cold renders' peak memory")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-"))
    try:
        text = novel(args.words)
        report_parse(text)
        wall, peak, story, out = cold_render(args.words, args.jobs, work)
        if args.memory_only:
            report_memory(args.words, wall, peak, args.big, args.jobs, work)
            return
        import json

        manifest = json.loads(next(out.glob("*/*/book.json")).read_text())
        audio = sum(c["duration"] for c in manifest["chapters"])
        print(
            f"cold render (--jobs {args.jobs}): {wall:.1f} s for {audio / 3600:.2f} h of audio "
            f"= {audio / wall:.0f}x realtime; peak memory {peak / 1024:.0f} MB (PSS, all processes)"
        )
        report_limits(text, wall, args.jobs)
        report_recast(manifest, story, out, work, wall, args.jobs)
        shutil.rmtree(out, ignore_errors=True)
        if not args.skip_big:
            report_memory(args.words, wall, peak, args.big, args.jobs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
