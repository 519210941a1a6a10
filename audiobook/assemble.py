"""Assemble: encoded blocks -> chapter MP3s, with exact timings and WebVTT transcripts.

A chapter file is its lines' blocks (see encode.py) written one after another: no audio is decoded or
re-encoded here, and memory holds one line at a time. Every line's start and end are counted from
the frames before it, so the manifest's times are the decoded file's.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .encode import BLOCK_DELAY_SAMPLES, FRAME_SAMPLES, OUTPUT_RATE, Block
from .files import write_text
from .model import BuildReport, CastLine
from .synth import Spoken


class ChapterFile:
    """A chapter's blocks written one after another to `path` (a file in the book's staging folder,
    see publish.BookFolder, so a run that fails never leaves it where a player looks)."""

    def __init__(self, path: Path):
        self.path = path
        self.frames = 0
        self._f = open(path, "wb")

    @property
    def seconds(self) -> float:
        """Decoded length so far."""
        return self.frames * FRAME_SAMPLES / OUTPUT_RATE

    def add(self, block: Block) -> float:
        """Append a block; returns when its first sample plays."""
        start = self.seconds
        self._f.write(block.mp3)
        self.frames += block.frames
        return start

    def close(self) -> None:
        """Flush the frames to disk."""
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()

    def abort(self) -> None:
        """Stop writing; the staging folder is discarded with it."""
        self._f.close()


@dataclass(frozen=True)
class Timing:
    """When a line plays in its chapter file (seconds); `end == start` for a line with no audio."""

    start: float
    end: float


@dataclass
class ChapterAudio:
    """A written chapter file: how long it plays and when each of its lines does."""

    path: Path
    duration: float
    timings: list[Timing]


def write_chapter(
    path: Path,
    lines: Sequence[CastLine],
    spoken: Iterator[Iterator[Spoken]],
    report: BuildReport,
    progress: Callable[[int], None] | None = None,
) -> ChapterAudio:
    """Join a chapter's blocks into `path`: `spoken` yields the head's pause, then each line's
    blocks (one per piece of a long line), then the tail's pause, each block written as it comes.
    What was made goes to `report`: lines, seconds, failures and cache use."""
    delay = BLOCK_DELAY_SAMPLES / OUTPUT_RATE
    timings: list[Timing] = []
    out = ChapterFile(path)
    try:
        for done in next(spoken):
            out.add(done.block)
        for _line, pieces in zip(lines, spoken):
            first = start = end = -1.0
            failed = synthesized = False
            for done in pieces:
                at = out.add(done.block) + delay
                first = at if first < 0 else first
                synthesized |= done.synthesized
                if done.failed:
                    report.failed.append(done.failed)
                    failed = True
                    continue
                start = at if start < 0 else start
                end = at + done.speech_seconds
            if start < 0:  # no piece has audio
                start = end = first
            if not failed:  # a failure is counted in report.failed
                report.synthesized += synthesized
                report.reused += not synthesized
            if progress:
                progress(1)
            timings.append(Timing(start, end))
        for done in next(spoken):
            out.add(done.block)
        out.close()
    except BaseException:
        out.abort()
        raise
    report.segments += len(lines)
    report.audio_seconds += out.seconds
    return ChapterAudio(path, out.seconds, timings)


def write_transcript(path: Path, lines: Sequence[CastLine], timings: Sequence[Timing]) -> None:
    """The chapter's WebVTT transcript: a cue per line that has audio, naming who speaks."""
    cues = []
    for line, t in zip(lines, timings):
        if t.end > t.start:
            seg = line.segment
            who = (seg.speaker or "Unknown") if seg.kind == "dialogue" else "Narrator"
            cues.append((t.start, t.end, who, seg.text))
    write_text(path, webvtt(cues))


def clock(t: float, hour_digits: int = 2) -> str:
    """A time to the millisecond as a clock: "00:01:02.345" (WebVTT's), or with `hour_digits=1`
    "0:01:02.345" (a SMIL full clock value)."""
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:0{hour_digits}d}:{m:02d}:{s:02d}.{ms:03d}"


def webvtt(cues: list[tuple[float, float, str, str]]) -> str:
    """A WebVTT transcript: one cue per segment, the voice tag naming who speaks."""
    out = ["WEBVTT", ""]
    for i, (start, end, who, text) in enumerate(cues, 1):
        safe = html.escape(text, quote=False).replace("\n", " ")
        name = html.escape(" ".join(who.split()), quote=False)
        out += [str(i), f"{clock(start)} --> {clock(end)}", f"<v {name}>{safe}", ""]
    return "\n".join(out)
