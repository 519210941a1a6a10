"""A first-person narrator, and names a book gives its people from ordinary words and the calendar.

The narrator's own lines ("said I") are the narrator's, never a minor character's who is called by
name once in a scene; a day of the week that tags speech ("says Friday") is a man's name, where
"on Friday" is a day; a capitalised ordinary word ("Nature") that never tags speech is nobody.
"""

from __future__ import annotations

from collections import Counter

from audiobook.ingest.text import read_text
from audiobook.model import Script
from audiobook.parse import find_characters, parse_book


def _parse(text: str) -> Script:
    return parse_book(read_text(text, "story.txt", "story"))


def _speakers(script: Script) -> Counter[str | None]:
    return Counter(s.speaker for ch in script.chapters for s in ch.segments if s.kind == "dialogue")


# The narrator talks with his companion at length; late in the book a stranger, Ned Barrow, is hailed
# by name beside the narrator's lines, and answers in his own right ("Ned Barrow answered", "says Ned Barrow").
def _island(companion: str) -> str:
    return "\n\n".join(
        [
            "# Chapter One",
            f"{companion} ran down to the boat. He was quick and strong.",
            *[
                "\u201cThe tide is turning,\u201d said I, and I pointed at the reef.",
                f"\u201cThe tide is always turning,\u201d says {companion}, and he laughed at me.",
                "\u201cThen we must fish tonight,\u201d I said. \u201cFetch the lines.\u201d",
                "\u201cYes, master,\u201d says he; \u201cI fetch them now.\u201d",
            ]
            * 12,
            "# Chapter Two",
            "We walked on Friday to the hill, and on Monday I mended the fence.",
            "It is the nature of goats to wander. Nature, who feeds the birds, had taught me to milk them,"
            " and Nature gave me patience.",
            *["When the stranger was loose, Nature inspired him with hope, and he ran."] * 2,
            "The boat came in at dusk. A man on the shore hailed it.",
            "\u201cCall to him,\u201d said I.",
            "\u201cNed Barrow! Ned Barrow!\u201d Ned Barrow answered at once, \u201cWho calls me?\u201d",
            f"\u201cCome up, Ned Barrow, and lay down your oar,\u201d says {companion}.",
            "\u201cYou are spared,\u201d said I.",
            "\u201cI will come if you spare me,\u201d says Ned Barrow.",
        ]
    )


_ISLAND = _island("Wednesday")


def test_the_narrator_is_not_named_after_someone_the_narration_tags_as_a_speaker() -> None:
    script = _parse(_island("Jory"))
    spoken = _speakers(script)
    assert spoken["I"] == 12 * 3 + 2  # every "said I" and "I said" line
    assert spoken["Ned Barrow"] == 3  # his own lines only


def test_a_day_that_tags_speech_is_a_man_and_says_is_a_tag() -> None:
    script = _parse(_ISLAND)
    names = {c.name for c in script.characters}
    assert "Wednesday" in names and "Friday" not in names and "Monday" not in names
    lines = [s for ch in script.chapters for s in ch.segments if s.kind == "dialogue" and s.speaker == "Wednesday"]
    assert len(lines) == 12 * 3 + 1  # "says Wednesday", and "says he" with the rest of its paragraph
    assert [s.rule for s in lines if s.text.startswith("Yes")] == ["tag:pronoun"] * 12


def test_a_capitalised_ordinary_word_that_never_tags_speech_is_nobody() -> None:
    assert "Nature" not in {c.name for c in _parse(_ISLAND).characters}


def test_an_ordinary_word_that_starts_sentences_lends_a_capitalised_phrase_nothing() -> None:
    """ "First, he…" makes no person of "a great First Cause"."""
    paragraphs = [
        *["First he looked at the sky. Then he looked at the sea."] * 4,
        "He spoke of the first light, and of a great First Cause that ruled it.",
        "Mara smiled. She had heard it before.",
    ]
    index = find_characters(paragraphs, [])
    assert index.resolve("First Cause") is None and index.resolve("First") is None
    assert index.resolve("Mara") == "Mara"
