"""The words as the engine says them (speech.py): what is dropped, and what is kept."""

from __future__ import annotations

import pytest

from audiobook.speech import speakable


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("It was clear[1] that he lied.", "It was clear that he lied."),
        ("So it ended.[12] Then the rain came.", "So it ended. Then the rain came."),
        ("See the note below [*].", "See the note below."),
        ("He said \u201cno.\u201d[3]", "He said \u201cno.\u201d"),
        ("The list [1, 2] holds two.", "The list [1, 2] holds two."),  # not a note mark
        ("[1] Records differ.", "[1] Records differ."),  # a note's own number opens its body
        ("It reached Jupiter.2 Then it turned.", "It reached Jupiter. Then it turned."),  # glued, as printed
        ("The count was 1997.12 in all.", "The count was 1997.12 in all."),  # a number, not a mark
        ("He came at 5. 12 men followed.", "He came at 5. 12 men followed."),
        ("It is autonomous.7", "It is autonomous."),
        ("Turn to vol.2 and read.", "Turn to volume 2 and read."),  # the number stays (and is read)
        ("See No.7 There.", "See number 7 There."),
        ("*Run*, she said\u2014now!", "Run, she said, now!"),
    ],
)
def test_note_marks_are_not_spoken(text, spoken):
    assert speakable(text) == spoken
