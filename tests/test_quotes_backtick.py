"""`quote' style: older texts open a quote with a backtick (or two) and close it with an apostrophe
(or two). Our own sentences."""

from __future__ import annotations

import pytest

from audiobook.ingest import load_book
from audiobook.model import Paragraph
from audiobook.parse import parse_book
from audiobook.parse.quotes import BACKTICK, find_quotes


def _para(text: str) -> Paragraph:
    return Paragraph(text=text, start=0, end=len(text), scene_break_before=False, pieces=((0, 0),))


@pytest.mark.parametrize(
    "text,quoted",
    [
        ("`Well,' said he, `I know.'", ["Well,", "I know."]),
        ("``Yes,'' she said. ``It is late.''", ["Yes,", "It is late."]),
        # Apostrophes inside words and after them do not close the quote early.
        ("`I don't know,' said Tom. `It's five o'clock.'", ["I don't know,", "It's five o'clock."]),
        ("`The boys' boat is gone,' said Ann. `Gone?'", ["The boys' boat is gone,", "Gone?"]),
        ("`Goin' home,' he said. `Come too.'", ["Goin' home,", "Come too."]),
        # A single quote mark never opens in this style: 'tis and the 'em are not quotes.
        ("`Bring 'em in,' said Tom. `'Tis cold.'", ["Bring 'em in,", "'Tis cold."]),
    ],
)
def test_backtick_quotes(text, quoted):
    quotes = find_quotes([_para(text)])
    assert [q.text for q in quotes] == quoted
    assert all(q.style == BACKTICK and q.speech for q in quotes)
    assert all(text[q.open] == "`" and text[q.close - 1] == "'" for q in quotes)


def test_one_backtick_is_not_the_style():
    # A lone backtick (a typo, code) does not turn plain single quotes off.
    quotes = find_quotes([_para("'Come in,' said Tom, pointing at the `door.")])
    assert [q.text for q in quotes] == ["Come in,"]


def test_a_speech_over_two_paragraphs_reopens_with_a_backtick():
    paragraphs = [_para("`It was dark when we left the coast,"), _para("`and darker when we came home.'")]
    paragraphs.append(_para("`So it was,' said Ann."))
    quotes = find_quotes(paragraphs)
    assert [(q.para, q.end_para) for q in quotes] == [(0, 1), (2, 2)]


STORY = """Chapter 1

Tobias Wren looked up from the cart. `Keep to the ridge,' said Tobias. `The valley floods by noon.'

`I don't see why,' said Ann Merrow. `It's dry as bone.'

He shrugged. `You'll see it by four o'clock.'
"""


def test_backtick_speech_is_attributed_like_double_quotes(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    segments = [s for ch in parse_book(load_book(path)).chapters for s in ch.segments]
    said = [(s.text, s.speaker) for s in segments if s.kind == "dialogue"]
    assert said == [  # the marks are not in the words spoken
        ("Keep to the ridge,", "Tobias Wren"),
        ("The valley floods by noon.", "Tobias Wren"),
        ("I don't see why,", "Ann Merrow"),
        ("It's dry as bone.", "Ann Merrow"),
        ("You'll see it by four o'clock.", "Tobias Wren"),
    ]
    assert not any("`" in s.text for s in segments)
