"""Property tests on arbitrary text: the parser never raises, and its segments tile the text in order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.ingest.text import read_text
from audiobook.parse import parse_book

OPENERS = "\"'\u201c\u2018\u00ab\u201e"
PIECES = st.sampled_from(
    [
        "\u201c",
        "\u201d",
        "\u2018",
        "\u2019",
        '"',
        "'",
        "\u00ab",
        "\u00bb",
        "\u201e",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "said Leo",
        "she whispered",
        "Mr. Pell",
        "Mrs Pell",
        "the doctor",
        "he asked",
        "I said",
        ", ",
        ". ",
        "! ",
        "? ",
        "\u2014",
        "--",
        "don\u2019t",
        "the twins\u2019",
        "\u2019til",
        "Chapter 2",
        "# Part",
        "* * *",
        "Witney Carson",
        "Uncle Robert",
        "the March Hare",
        "Mademoiselle",
        "replied the other",
        "Hello",
        "Mommy",
        "rock \u2019n\u2019 roll",
        "\u2026",
        "\ufeff",
        "\t",
        "_word_",
        "van der Luyden",
    ]
)
STORY = st.one_of(st.lists(PIECES, max_size=80).map("".join), st.text(max_size=400))


def _parse(text: str):
    return parse_book(read_text(text, "story.txt", "story"))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(STORY)
def test_never_raises_and_tiles_the_text(text: str) -> None:
    script = _parse(text)
    last_end = 0
    for ch in script.chapters:
        for seg in ch.segments:
            assert 0 <= seg.start <= seg.end <= len(text)
            assert seg.start >= last_end, "segments overlap or go backwards"
            last_end = seg.end
            if seg.kind == "dialogue":
                # starts at an opening quote mark (or just after one, at a reopened paragraph)
                assert text[seg.start] in OPENERS or text[seg.start - 1 : seg.start] in tuple(OPENERS), (
                    seg,
                    text[max(0, seg.start - 5) : seg.start + 5],
                )


@settings(max_examples=200, deadline=None, derandomize=True)
@given(STORY)
def test_narration_text_comes_from_the_source(text: str) -> None:
    script = _parse(text)
    squashed = " ".join(text.replace("\ufeff", " ").split())  # a BOM is no text
    for ch in script.chapters:
        for seg in ch.segments:
            if seg.kind == "narration":
                assert " ".join(seg.text.replace("\ufeff", " ").split()) in squashed
