"""A Project Gutenberg text is read without its banner, its producers' credit and its licence: a
story of ours laid out as Gutenberg lays out its files (a byte-order mark, CRLF line ends, the header
fields, the markers, the licence after the end marker)."""

from __future__ import annotations

import pytest

from audiobook.ingest import load_book
from audiobook.parse import parse_book

BANNER = (
    "\ufeffThe Project Gutenberg eBook of The Salt Road\r\n"
    "    \r\n"
    "This ebook is for the use of anyone anywhere in the United States and\r\n"
    "most other parts of the world at no cost and with almost no restrictions\r\n"
    "whatsoever.\r\n"
    "\r\n"
    "Title: The Salt Road\r\n"
    "        and Other Crossings\r\n"
    "\r\n"
    "Author: Ada Merriweather\r\n"
    "\r\n"
    "Release date: May 1, 2001 [eBook #99999]\r\n"
    "\r\n"
    "Language: English\r\n"
    "\r\n"
    "*** START OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***\r\n"
    "\r\n"
    "Produced by Volunteers of a Distributed\r\n"
    "Proofreading Team.\r\n"
    "\r\n"
)
BOOK = (
    "CHAPTER I.\r\n"
    "\r\n"
    "The carts left the coast at dawn, heavy with salt and slow on the hill.\r\n"
    "\r\n"
    "\u201cKeep to the ridge,\u201d said Tobias Wren. \u201cThe valley floods by noon.\u201d\r\n"
    "\r\n"
    "CHAPTER II.\r\n"
    "\r\n"
    "By evening the inn at the crossing had lit its lamps.\r\n"
    "\r\n"
)
LICENCE = (
    "*** END OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***\r\n"
    "\r\n"
    "Updated editions will replace the previous one\u2014the old editions will\r\n"
    "be renamed.\r\n"
    "\r\n"
    "START: FULL LICENSE\r\n"
    "\r\n"
    "THE FULL PROJECT GUTENBERG LICENSE\r\n"
)


def test_only_the_book_between_the_markers_is_read(tmp_path):
    path = tmp_path / "pg99999.txt"
    path.write_bytes((BANNER + BOOK + LICENCE).encode("utf-8"))
    book = load_book(path)
    assert (book.title, book.author) == ("The Salt Road and Other Crossings", "Ada Merriweather")
    assert (book.language, book.year) == ("en", "2001")  # the ebook's release year: the only one given
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2"]
    spoken = " ".join(p.text for ch in book.chapters for p in ch.paragraphs)
    for unread in ("Gutenberg", "ebook", "Produced by", "Proofreading", "LICENSE", "editions", "***"):
        assert unread not in spoken, unread
    assert spoken.startswith("The carts left the coast") and spoken.endswith("had lit its lamps.")
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()  # what the offsets count: the byte-order mark and both characters of CRLF
    for ch in parse_book(book).chapters:
        for seg in ch.segments:
            assert " ".join(seg.text.split()) in " ".join(text[seg.start : seg.end].split()), seg
    [said] = [s for ch in parse_book(book).chapters for s in ch.segments if s.kind == "dialogue"][:1]
    assert said.speaker == "Tobias Wren"


@pytest.mark.parametrize(
    "fields,author,language,year",
    [
        ("Author: Ada Merriweather\n        Tobias Wren\n", "Ada Merriweather and Tobias Wren", "", ""),
        (
            "Author: Ada Merriweather\n  Tobias Wren\n  Nell Hart\n",
            "Ada Merriweather, Tobias Wren and Nell Hart",
            "",
            "",
        ),
        ("Author: Ada Merriweather\nLanguage: French\n", "Ada Merriweather", "fr", ""),
        ("Author: Ada Merriweather\nLanguage: Klingon\n", "Ada Merriweather", "", ""),  # unknown: no language
        (
            "Release Date: May, 1996 [EBook #99]\n   Most recently updated: June 3, 2024\nLanguage: English\n",
            "Unknown Author",
            "en",
            "1996",
        ),
    ],
)
def test_header_fields(tmp_path, fields, author, language, year):
    """A second `Author:` line is a second author; `Language:` is a tag; the release date gives the year."""
    path = tmp_path / "pg.txt"
    banner = f"The Project Gutenberg eBook of The Salt Road\n\nTitle: The Salt Road\n{fields}\n"
    path.write_text(banner + "*** START OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***\n\n" + BOOK, encoding="utf-8")
    book = load_book(path)
    assert (book.title, book.author, book.language, book.year) == ("The Salt Road", author, language, year)


def test_a_text_without_the_markers_is_read_whole(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Title: The Salt Road\n\n" + BOOK.replace("\r\n", "\n"), encoding="utf-8")
    book = load_book(path)
    assert book.title == "The Salt Road" and [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2"]


def test_a_start_marker_without_an_end_reads_to_the_end(tmp_path):
    path = tmp_path / "pg.txt"
    path.write_text(BANNER + BOOK, encoding="utf-8")
    book = load_book(path)
    assert book.author == "Ada Merriweather"
    assert book.chapters[-1].paragraphs[-1].text == "By evening the inn at the crossing had lit its lamps."


CONTENTS_BOOK = """Title: The Salt Road

Contents

 Chapter I.
 Chapter II.
 Chapter III.

[Illustration]

Chapter I.

The carts left the coast at dawn.

[Illustration: A cart on the hill road,
loaded with salt.]

Chapter II.

By evening the inn had lit its lamps.

Part Two

Chapter III.

Morning came grey over the marsh.
"""


def test_a_contents_list_and_illustrations_are_not_read(tmp_path):
    path = tmp_path / "salt.txt"
    path.write_text(CONTENTS_BOOK, encoding="utf-8")
    book = load_book(path)
    titles = [ch.title for ch in book.chapters]
    # The contents list is not glued into the first chapter's title; headings with nothing under them
    # that are not a contents list still join the next title.
    assert titles == ["Chapter 1", "Chapter 2", "Part 2, Chapter 3"]
    spoken = [p.text for ch in book.chapters for p in ch.paragraphs]
    assert not any("Illustration" in t for t in spoken), spoken
    assert spoken[0] == "The carts left the coast at dawn."  # the title page and "Contents" are not read


NOT_READ = [
    "[Illustration]",
    "[Illustration: A cart on the hill road, loaded with salt.]",
    "[Transcriber's Note: the spelling of the original is kept.]",
    "[Footnote 1: Records differ on the year.]",
    "THE END",
    "THE END.",
    "END OF VOL. I.",
    "END OF VOLUME THE FIRST.",
    "END OF BOOK II",
    "FINIS.",
]
READ = [
    "The end of the road was near.",
    "Endless rain fell.",
    "[1]",
    "END OF THE WORLD",
    "Volume I was lost.",
    "The end.\u201d",
    "The end! said Tom.",
    "The end.",
    "The End",
    "End of Book II",
]


@pytest.mark.parametrize("paragraph,read", [(p, False) for p in NOT_READ] + [(p, True) for p in READ])
def test_editors_notes_and_end_marks_are_not_read(tmp_path, paragraph, read):
    path = tmp_path / "story.txt"
    story = f"Chapter 1\n\nThe carts left at dawn.\n\n{paragraph}\n\nThey came back at night.\n"
    path.write_text(story, encoding="utf-8")
    spoken = [p.text for ch in load_book(path).chapters for p in ch.paragraphs]
    assert (paragraph in spoken) == read, spoken
    assert spoken[0] == "The carts left at dawn." and spoken[-1] == "They came back at night."


@pytest.mark.parametrize(
    "under,title,first",
    [
        ("START IN LIFE", "Chapter 1. Start in Life", "I was born in the year 1632."),
        ("MR. WREN'S JOURNEY.", "Chapter 1. Mr. Wren's Journey", "I was born in the year 1632."),
        ("I was born in the year 1632.", "Chapter 1", "I was born in the year 1632."),
        ("\u201cWHO GOES THERE?\u201d", "Chapter 1", "\u201cWHO GOES THERE?\u201d"),
        ("HELP!", "Chapter 1", "HELP!"),
    ],
)
def test_a_subtitle_under_a_bare_chapter_heading_joins_its_title(tmp_path, under, title, first):
    path = tmp_path / "crusoe.txt"
    body = "" if first == under else "I was born in the year 1632.\n\n"
    path.write_text(f"CHAPTER I.\n\n{under}\n\n{body}It rained.\n", encoding="utf-8")
    [chapter] = load_book(path).chapters
    assert chapter.title == title and chapter.paragraphs[0].text == first
