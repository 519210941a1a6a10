"""Property tests on arbitrary text: the parser never raises, and its segments tile the text in order."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
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


# Words the patterns read before a name look for, and what stands between them.
BEFORE_NAME = st.lists(
    st.sampled_from(
        [
            "the",
            "The",
            "HER",
            "his",
            "my",
            "a",
            "an",
            "old",
            "man",
            "dear",
            "old man",
            "son",
            "boy",
            "little",
            "met",
            "said",
            "in",
            "Of",
            "from",
            "(the",
            "x-ray",
            "--",
            ",",
            "don't",
            "Pell",
            "K\u212a",
            "\u00e9t\u00e9",
        ]
    ).flatmap(lambda w: st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "", "-", "."]).map(lambda s: w + s)),
    max_size=14,
).map(lambda words: "".join(words) + " ")  # a name follows


@settings(max_examples=500, deadline=None, derandomize=True)
@given(BEFORE_NAME)
@example("Then he met her dear old man ")
@example("in the hall  \n")
def test_the_evidence_before_a_name_is_found_in_its_last_words(text: str) -> None:
    """characters._scan searches the text before a name only from its sixth-last word: every pattern
    it reads there must find just what it finds in the whole text."""
    from audiobook.parse import characters as c

    tail = c._last_words(text)
    assert text.endswith(tail)
    for rx in (
        c._PERSON_OBJECT,
        c._VERB_BEFORE,
        c._THING_BEFORE,
        c._NOT_PERSON_BEFORE,
        c._APPOS_BEFORE,
        c._WORD_BEFORE,
    ):
        whole, cut = rx.search(text), rx.search(tail)
        assert (whole and whole.groups()) == (cut and cut.groups()), (rx.pattern, text)
