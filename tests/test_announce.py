"""Chapter titles read by the narrator at each chapter's start, as every audiobook does; `--no-announce`
turns it off (and then the render is byte for byte what it was before titles were read:
tests/test_render_pinned.py)."""

from __future__ import annotations

import json

import pytest
from audio_tools import decode, median_f0, rms_db, span
from fake_engine import FakeEngine

from audiobook.cast import TITLE_RULE, cast_script, make_casting, title_segment
from audiobook.config import Pauses, VoicesConfig
from audiobook.ingest.text import read_text
from audiobook.model import OPENING_TITLE, Chapter, Segment
from audiobook.parse import parse_book

STORY = """Title: Two Rooms
Author: Test Writer

This part of the story has no heading above it, and it is read all the same.

Chapter 1: Morning

"It is early," said Nora.

Chapter 2: Evening

The lamps were lit one by one.
"""


def _cast(announce: bool):
    script = parse_book(read_text(STORY, "two-rooms.txt", "two-rooms"))
    engine = FakeEngine()
    config = VoicesConfig()
    casting = make_casting(script, config, engine.name, engine.palette(), auto_all=True)
    return script, casting, cast_script(script, casting, config, announce)


def test_each_titled_chapter_opens_with_its_title_in_the_narrators_voice():
    script, casting, cast = _cast(announce=True)
    assert [ch.title for ch in cast.chapters] == [OPENING_TITLE, "Chapter 1: Morning", "Chapter 2: Evening"]
    opening, morning, evening = cast.chapters
    assert opening.lines[0].segment.rule != TITLE_RULE  # "Opening" is our name for it, not the book's: not read
    for ch, parsed in ((morning, script.chapters[1]), (evening, script.chapters[2])):
        first = ch.lines[0]
        assert (first.segment.text, first.segment.kind, first.segment.rule) == (ch.title, "narration", TITLE_RULE)
        assert (first.voice, first.role) == (casting.narrator, "narrator")
        assert first.pause_after_ms == Pauses().title
        # It lies at no text of its own: both offsets are the first line's start.
        assert first.segment.start == first.segment.end == parsed.segments[0].start
        assert [line.segment for line in ch.lines[1:]] == list(parsed.segments)


def test_without_announcing_the_lines_are_the_chapters_own():
    script, _, cast = _cast(announce=False)
    for ch, parsed in zip(cast.chapters, script.chapters):
        assert [line.segment for line in ch.lines] == list(parsed.segments)


def test_a_chapter_with_a_blank_title_is_not_announced():
    seg = Segment("narration", "Words.", None, 5, 11)
    assert title_segment(Chapter(1, "  ", (seg,))) is None
    assert title_segment(Chapter(1, "Chapter 9", (seg,))) == Segment(
        "narration", "Chapter 9", None, 5, 5, paragraph=-1, rule=TITLE_RULE
    )


@pytest.mark.integration
def test_the_example_speaks_each_title_then_pauses_then_reads_on(example_render, example_render_no_announce):
    """On the real engine: each chapter's title is heard in the narrator's voice, then the `title`
    pause, and then the chapter exactly as it is without a title, shifted later."""
    _, book = example_render
    _, plain_book = example_render_no_announce
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    plain = json.loads((plain_book / "book.json").read_text(encoding="utf-8"))
    for ch, ch0 in zip(manifest["chapters"], plain["chapters"]):
        title, first, *rest = ch["segments"]
        assert (title["rule"], title["text"], title["role"]) == ("title", ch["title"], "narrator")
        assert title["voice"] == first["voice"] == ch0["segments"][0]["voice"]  # the example opens with narration
        x = decode(book / ch["file"])
        assert rms_db(span(x, title["start"], title["end"])) > -35  # speech, not silence
        assert 85 < median_f0(span(x, title["start"], title["end"])) < 140  # the narrator's low voice
        gap = first["start"] - title["end"]
        assert Pauses().title / 1000 <= gap <= Pauses().title / 1000 + 0.08
        assert rms_db(span(x, title["end"] + 0.05, first["start"] - 0.05)) < -55  # a pause, not speech
        shift = first["start"] - ch0["segments"][0]["start"]
        assert shift > Pauses().title / 1000 + 0.5
        for seg, seg0 in zip([first, *rest], ch0["segments"]):
            assert seg["text"] == seg0["text"]
            assert seg["start"] - seg0["start"] == pytest.approx(shift, abs=0.002)
        assert ch["duration"] - ch0["duration"] == pytest.approx(shift, abs=0.03)
