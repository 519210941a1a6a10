"""Long speeches (a letter read out, a paragraph with no full stop) are spoken in pieces of bounded
length, so memory never grows with a line; the manifest and transcript keep the whole speech."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from audio_tools import decode
from fake_engine import FakeEngine
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.engines.base import Audio
from audiobook.model import ReadOptions, RenderOptions
from audiobook.pipeline import generate
from audiobook.speech import MAX_PIECE_CHARS, split_speech

WORDS = ("harbour", "lantern", "rope", "tide", "gull", "keeper", "stone", "salt", "north", "evening")


def _words(n: int) -> str:
    return " ".join(WORDS[(i * 7 + i // 3) % len(WORDS)] for i in range(n))


def _sentences(n: int) -> str:
    return " ".join(
        f"The {WORDS[i % 10]} and the {WORDS[(i + 3) % 10]} waited by the {WORDS[(i + 5) % 10]}." for i in range(n)
    )


def test_a_short_line_is_one_piece_untouched():
    text = "  The keeper lit the lamp.  "
    assert split_speech(text) == [(text, "end")]


def test_sentences_stay_whole_when_they_fit():
    pieces = split_speech(_sentences(60), limit=300)
    assert len(pieces) > 1
    for text, after in pieces[:-1]:
        assert len(text) <= 300 and text.endswith(".") and after == "sentence"
    assert pieces[-1][1] == "end"


def test_a_paragraph_with_no_punctuation_is_cut_between_words():
    text = _words(20_000)
    pieces = split_speech(text)
    assert all(len(p) <= MAX_PIECE_CHARS for p, _ in pieces)
    assert {after for _, after in pieces[:-1]} == {"word"}
    assert " ".join(p for p, _ in pieces).split() == text.split()


def test_a_run_with_no_space_is_cut_at_the_limit():
    pieces = split_speech("x" * 2000, limit=800)
    assert [len(p) for p, _ in pieces] == [800, 800, 400]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.text(alphabet=st.sampled_from(list("ab ,.;!?\u2014\n")), max_size=3000), st.integers(min_value=5, max_value=400)
)
def test_pieces_keep_every_word_in_order_and_respect_the_limit(text, limit):
    pieces = split_speech(text, limit)
    assert all(len(p) <= limit for p, _ in pieces)
    # Cuts fall in white space (or, in a run with none, at the limit): nothing but spaces is lost.
    assert re.sub(r"\s+", "", "".join(p for p, _ in pieces)) == re.sub(r"\s+", "", text)


class SpyEngine(FakeEngine):
    """The fake engine, recording how much text each call is given; 2 ms of tone per character."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def synthesize(self, text, voice):
        self.calls.append(len(text))
        n = len(text) * self.sample_rate // 500
        return Audio(b"\x10\x01" * n, self.sample_rate)


def test_a_100000_character_paragraph_is_synthesized_in_bounded_pieces(tmp_path):
    story = tmp_path / "run-on.txt"
    paragraph = _words(16_500)
    assert len(paragraph) > 100_000
    story.write_text(f"Title: Run On\nAuthor: Test Writer\n\n{paragraph}\n", encoding="utf-8")
    engine = SpyEngine()
    unannounced = ReadOptions(announce=False)  # every call is then a piece of the paragraph
    report = generate(story, None, tmp_path / "out", RenderOptions(use_cache=False), engine=engine, reading=unannounced)
    assert max(engine.calls) <= MAX_PIECE_CHARS and len(engine.calls) >= len(paragraph) // MAX_PIECE_CHARS
    book = Path(report.output_dir)
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    [chapter] = manifest["chapters"]
    [segment] = chapter["segments"]  # the whole speech, as one line
    assert segment["text"] == paragraph
    spoken = sum(engine.calls) / 500  # seconds of tone
    assert segment["end"] - segment["start"] >= spoken
    vtt = (book / chapter["transcript"]).read_text(encoding="utf-8")
    assert vtt.count(" --> ") == 1 and paragraph in vtt


@pytest.mark.integration
def test_a_long_speech_plays_whole_in_its_speakers_voice(tmp_path):
    """A quoted letter of 40 sentences, on the real engine: one segment in the manifest, its pieces
    joined with short pauses, the decoded file as long as the manifest says."""
    letter = _sentences(40)
    story = tmp_path / "letter.md"
    story.write_text(
        f"Title: The Letter\nAuthor: Test Writer\n\n\u201c{letter}\u201d said Mara.\n\nThe keeper folded the page.\n",
        encoding="utf-8",
    )
    report = generate(story, None, tmp_path / "out", RenderOptions(jobs=1))
    book = Path(report.output_dir)
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    segments = manifest["chapters"][0]["segments"]
    speech = [s for s in segments if s["kind"] == "dialogue"]
    assert len(speech) == 1 and speech[0]["text"] == letter and speech[0]["speaker"] == "Mara"
    length = speech[0]["end"] - speech[0]["start"]
    words = len(letter.split())
    assert words / 320 * 60 < length < words / 120 * 60  # a plausible speaking rate
    audio = decode(book / manifest["chapters"][0]["file"])
    assert len(audio) / 44100 == pytest.approx(manifest["chapters"][0]["duration"], abs=0.06)
    # No stretch of the speech is silent for longer than a sentence's pause.
    part = audio[int(speech[0]["start"] * 44100) : int(speech[0]["end"] * 44100)]
    frame = 441
    quiet = abs(part[: len(part) // frame * frame].reshape(-1, frame)).max(axis=1) < 0.01
    longest = max((len(m) for m in re.findall("1+", "".join("1" if q else "0" for q in quiet))), default=0)
    assert longest * frame / 44100 < 0.9
