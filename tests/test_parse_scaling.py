"""The parser's work grows linearly with a chapter's length, however long the chapter.

A book without chapter headings is one long chapter. Parsing used to rescan every quote of the chapter
for each paragraph (and for each quote), so a 150,000-word story without headings took over ten times
as long as the same story with them. These tests count work instead of timing it, so that a loaded CI
machine cannot make them pass or fail by luck.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

import audiobook.parse as parse
from audiobook.ingest.text import read_text
from audiobook.parse.quotes import Quote, find_quotes

# One scene of our own: tags before and after, a beat, untagged turns, two quotes in one paragraph,
# a scare quote (not speech), and a speech that runs on into the next paragraph (no closing mark).
SCENE = [
    "Wren Halloway carried the kettle up from the cellar while Caspian Dole counted the spoons.",
    "\u201cThe ferry is late again,\u201d said Wren. \u201cI wonder whether it has sunk at last.\u201d",
    "Caspian put down a spoon. \u201cIt never sinks. It only sulks.\u201d",
    "\u201cThen it sulks every Thursday.\u201d",
    "\u201cEvery Thursday without fail, and twice at Easter.\u201d",
    "Ottilie Marsh came in from the yard with the basket she called her \u201cmuseum\u201d and set it down.",
    "\u201cListen to this,\u201d Ottilie said. \u201cThe harbour master has written to me again.",
    "\u201cHe says the lamps will be lit at six and not a minute before.\u201d",
    "She folded the letter twice and looked at the two of them over her spectacles.",
]


def story(scenes: int) -> str:
    """A story of `scenes` scenes with no chapter heading anywhere: one chapter for the parser."""
    return "\n\n".join(paragraph for _ in range(scenes) for paragraph in SCENE) + "\n"


class _Reads:
    """How many times the parser reads a field of any quote: the measure of its scanning work."""

    count = 0


class _CountedQuote(Quote):
    def __getattribute__(self, name: str):  # type: ignore[no-untyped-def]
        _Reads.count += 1
        return object.__getattribute__(self, name)


def _quote_reads(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Quote field reads made by parse_book on `text`, with every quote it finds counted."""

    def counted_quotes(paragraphs):  # type: ignore[no-untyped-def]
        return [_CountedQuote(**{f.name: getattr(q, f.name) for f in fields(Quote)}) for q in find_quotes(paragraphs)]

    monkeypatch.setattr(parse, "find_quotes", counted_quotes)
    book = read_text(text, "story.txt", "story")
    assert len(book.chapters) == 1, "the story must have no chapter heading"
    _Reads.count = 0
    script = parse.parse_book(book)
    assert any(s.kind == "dialogue" for ch in script.chapters for s in ch.segments)
    return _Reads.count


def test_quote_scanning_grows_linearly_without_chapter_headings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice the paragraphs in one chapter: about twice the reads of quotes, not four times."""
    single = _quote_reads(story(30), monkeypatch)
    double = _quote_reads(story(60), monkeypatch)
    assert single > 0, "no quote was read: the counter no longer sees the parser's quotes"
    assert double <= 2.2 * single, f"quote reads grew {double / single:.2f}x for 2x the text ({single} -> {double})"


def test_speech_by_paragraph_lists_each_speech_where_it_opens_runs_and_closes() -> None:
    """The per-paragraph index holds, in order, exactly the speech quotes that touch each paragraph."""
    from audiobook.parse.quotes import speech_by_paragraph

    book = read_text(story(3), "story.txt", "story")
    paragraphs = book.chapters[0].paragraphs
    quotes = find_quotes(paragraphs)
    assert any(q.end_para > q.para for q in quotes), "the story must have a speech over two paragraphs"
    assert any(not q.speech for q in quotes), "the story must have a quote that is not speech"
    touching = speech_by_paragraph(quotes, len(paragraphs))
    assert len(touching) == len(paragraphs)
    for p in range(len(paragraphs)):
        assert touching[p] == [qi for qi, q in enumerate(quotes) if q.speech and q.para <= p <= q.end_para]
