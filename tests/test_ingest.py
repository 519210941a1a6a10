"""Ingest: encodings, headings, paragraphs, scene breaks, and offsets that point back into the file."""

from __future__ import annotations

import pytest

from audiobook.errors import InputError
from audiobook.ingest import load_book, read_source


def _book(tmp_path, text: str, name: str = "story.txt", newline: str = "\n"):
    p = tmp_path / name
    p.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return load_book(p), read_source(p)


def test_no_heading_is_one_chapter_titled_from_the_file(tmp_path):
    book, _ = _book(tmp_path, "One line.\n\nAnother line.\n", name="the_quiet-harbor.txt")
    assert book.title == "The Quiet Harbor"
    assert [c.title for c in book.chapters] == ["The Quiet Harbor"]
    assert [p.text for p in book.chapters[0].paragraphs] == ["One line.", "Another line."]


@pytest.mark.parametrize(
    "heading,title,next_title",
    [
        ("Chapter 1", "Chapter 1", "Chapter 99"),
        ("Chapter One: The Harbor", "Chapter 1: The Harbor", "Chapter 99"),
        ("CHAPTER IV", "Chapter 4", "Chapter 99"),
        ("CHAPTER IV.", "Chapter 4", "Chapter 99"),
        ("Chapter Twenty-One - Home", "Chapter 21: Home", "Chapter 99"),
        ("# The Harbor", "The Harbor", "Chapter 99"),
        # A part with prose under it is a chapter, and the chapters after it are in it.
        ("## Part Two", "Part Two", "Part 2, Chapter 99"),
        ("Part Two", "Part 2", "Part 2, Chapter 99"),
        ("Prologue", "Prologue", "Chapter 99"),
    ],
)
def test_chapter_headings(tmp_path, heading, title, next_title):
    book, _ = _book(tmp_path, f"{heading}\n\nThe tide came in.\n\nChapter 99\n\nIt went out.\n")
    assert book.chapters[0].title == title
    assert book.chapters[1].title == next_title


def test_markdown_book_title_and_part_above_chapter(tmp_path):
    text = "# The Long Road\n\n## Part One\n\n## Chapter 1\n\nThey set off.\n\n## Chapter 2\n\nThey arrived.\n"
    book, _ = _book(tmp_path, text, name="road.md")
    assert book.title == "The Long Road"
    assert [c.title for c in book.chapters] == ["Part 1, Chapter 1", "Part 1, Chapter 2"]


def test_title_and_author_header(tmp_path):
    book, _ = _book(tmp_path, "Title: Salt and Stone\nAuthor: R. Vale\n\nChapter 1\n\nWaves.\n")
    assert (book.title, book.author) == ("Salt and Stone", "R. Vale")
    assert [c.title for c in book.chapters] == ["Chapter 1"]


def test_front_matter(tmp_path):
    book, _ = _book(tmp_path, '---\ntitle: "Salt"\nauthor: Ines Roe\n---\n\nWaves.\n', name="s.md")
    assert (book.title, book.author) == ("Salt", "Ines Roe")
    assert book.chapters[0].paragraphs[0].text == "Waves."


def test_hard_wrapped_lines_are_joined_and_offsets_kept(tmp_path):
    text = (
        "The lighthouse stood on the point for a hundred years, and every\n"
        "night its keeper climbed the stairs to light the lamp.\n\n"
        "Nobody remembered a night without it.\n"
    )
    book, source = _book(tmp_path, text)
    first, second = book.chapters[0].paragraphs
    assert first.text.startswith("The lighthouse") and "every night its keeper" in first.text
    # Every character of the joined text maps back to the same character in the file.
    for i, ch in enumerate(first.text):
        if ch != " ":
            assert source[first.source_offset(i)] == ch
    assert source[second.start : second.end] == "Nobody remembered a night without it."


def test_one_paragraph_per_line_when_sections_have_no_blank_lines(tmp_path):
    long = "word " * 30
    text = f"{long}first.\n{long}second.\n{long}third.\n\n{long}fourth.\n"
    book, _ = _book(tmp_path, text)
    assert len(book.chapters[0].paragraphs) == 4


def test_short_dialogue_lines_stay_separate_paragraphs(tmp_path):
    text = "\u201cHi,\u201d said Leo.\n\u201cHello,\u201d said Mara.\n\u201cBye.\u201d\n"
    book, _ = _book(tmp_path, text)
    assert len(book.chapters[0].paragraphs) == 3


@pytest.mark.parametrize("mark", ["***", "* * *", "#", "~~~", "- - -"])
def test_scene_breaks(tmp_path, mark):
    book, _ = _book(tmp_path, f"Before.\n\n{mark}\n\nAfter.\n")
    paras = book.chapters[0].paragraphs
    assert [p.text for p in paras] == ["Before.", "After."]
    assert [p.scene_break_before for p in paras] == [False, True]


def test_bom_and_crlf_offsets(tmp_path):
    book, source = _book(tmp_path, "\ufeffChapter 1\n\nFirst line\nwraps here.\n\nSecond.\n", newline="\r\n")
    assert source[0] == "\ufeff"
    assert book.chapters[0].title == "Chapter 1"
    p0, p1 = book.chapters[0].paragraphs
    assert p0.text == "First line wraps here."
    assert source[p0.source_offset(p0.text.index("wraps")) :].startswith("wraps here.")
    assert source[p1.start : p1.end] == "Second."


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty"),
        (b"  \n\n \t\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Caf\xe9 au lait\n", "not valid UTF-8"),
    ],
)
def test_unreadable_input(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_book(p)


def test_invalid_utf8_names_the_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"fine\nfine\nbad \xff here\n")
    with pytest.raises(InputError, match=r"bad\.txt:3: not valid UTF-8 \(byte 0xff"):
        load_book(p)
