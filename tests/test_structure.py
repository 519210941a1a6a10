"""The structure of a printed book in plain text: volumes, parts and books name their chapters, a
title page is not a chapter, end notes are not read, headings are numbered in digits. Our own
sentences, laid out as Project Gutenberg lays out its books."""

from __future__ import annotations

import pytest

from audiobook.ingest import load_book


def _book(tmp_path, text: str):
    path = tmp_path / "book.txt"
    path.write_text(text, encoding="utf-8")
    return load_book(path)


def _titles(tmp_path, text: str) -> list[str]:
    return [ch.title for ch in _book(tmp_path, text).chapters]


def _spoken(tmp_path, text: str) -> list[str]:
    return [p.text for ch in _book(tmp_path, text).chapters for p in ch.paragraphs]


THREE_VOLUMES = """THE SALT ROAD.

by

Ada Merriweather.

VOL. I.

CHAPTER I.

The carts left the coast at dawn.

CHAPTER II.

The inn at the crossing lit its lamps.

END OF VOL. I.

VOL. II.

CHAPTER I.

Snow closed the pass for a month.

CHAPTER II.

START IN LIFE.

Tobias went down to the harbour alone.

VOLUME THE THIRD

CHAPTER I.

The salt was sold by spring.
"""


def test_volumes_name_every_chapter_until_the_next_volume(tmp_path):
    titles = _titles(tmp_path, THREE_VOLUMES)
    assert titles == [
        "Volume 1, Chapter 1",
        "Volume 1, Chapter 2",
        "Volume 2, Chapter 1",
        "Volume 2, Chapter 2. Start in Life",
        "Volume 3, Chapter 1",
    ]
    spoken = _spoken(tmp_path, THREE_VOLUMES)
    assert spoken[0] == "The carts left the coast at dawn."  # the title page is not a chapter
    assert not any("VOL" in t or "END" in t for t in spoken), spoken


@pytest.mark.parametrize(
    "heading,label",
    [
        ("VOL. II.", "Volume 2"),
        ("VOLUME II", "Volume 2"),
        ("Volume Two", "Volume 2"),
        ("VOLUME THE SECOND", "Volume 2"),
        ("BOOK III", "Book 3"),
        ("Book the Third--The Track of a Storm", "Book 3"),
        ("PART ONE", "Part 1"),
        ("Part 4. The Return", "Part 4"),
    ],
)
def test_division_headings(tmp_path, heading, label):
    text = f"{heading}\n\nCHAPTER IV.\n\nThe tide came in.\n\nCHAPTER V.\n\nIt went out.\n"
    assert _titles(tmp_path, text) == [f"{label}, Chapter 4", f"{label}, Chapter 5"]


def test_a_part_starts_its_books_afresh(tmp_path):
    text = (
        "PART I\n\nBOOK I. The Family\n\nCHAPTER I.\n\nThey met.\n\nBOOK II.\n\nCHAPTER I.\n\nThey parted.\n\n"
        "PART II\n\nCHAPTER I.\n\nThey met again.\n"
    )
    assert _titles(tmp_path, text) == ["Part 1, Book 1, Chapter 1", "Part 1, Book 2, Chapter 1", "Part 2, Chapter 1"]


@pytest.mark.parametrize(
    "heading,title",
    [
        ("CHAPTER XLVIII.", "Chapter 48"),
        ("Chapter Twenty-One", "Chapter 21"),
        ("CHAPTER I. THE PERIOD", "Chapter 1: The Period"),
        ("CHAPTER I.\nThe Period", "Chapter 1. The Period"),  # a subtitle in title case right under
        ("CHAPTER I.\nThe Period Of Darkness,\nwhich lasted long.", "Chapter 1"),  # a paragraph, not a subtitle
        ("Chapter 61. How a Gardener Rid His Orchard of the Dormice That Ate His\n  Peaches", None),
        ("PREFACE.", "Preface"),
    ],
)
def test_chapter_titles(tmp_path, heading, title):
    text = f"{heading}\n\nThe tide came in and the boats lifted.\n"
    if title is None:
        title = "Chapter 61: How a Gardener Rid His Orchard of the Dormice That Ate His Peaches"
    assert _titles(tmp_path, text) == [title]


def test_a_heading_running_on_into_prose_is_a_paragraph(tmp_path):
    text = (
        "CHAPTER 1.\n\nThe whales.\n\n"
        "BOOK I. (Folio), CHAPTER I. (Sperm Whale).--This whale, among the\n"
        "largest, is the first of the folio whales, and the most\n"
        "valuable of all.\n"
    )
    book = _book(tmp_path, text)
    assert [ch.title for ch in book.chapters] == ["Chapter 1"]
    assert book.chapters[0].paragraphs[-1].text.startswith("BOOK I. (Folio)")


FRONT_MATTER = """THE SALT ROAD

A TALE OF THE COAST

by Ada Merriweather

[Illustration]

LONDON:
SMITH AND SONS, 12 HIGH STREET.
1852.

CONTENTS

CHAPTER I.    The Coast            1
CHAPTER II.   The Inn             14
CHAPTER III.  The Pass            27

CHAPTER I.

The carts left the coast at dawn.
"""


def test_a_title_page_and_contents_are_not_a_chapter(tmp_path):
    book = _book(tmp_path, FRONT_MATTER)
    assert [ch.title for ch in book.chapters] == ["Chapter 1"]
    assert [p.text for p in book.chapters[0].paragraphs] == ["The carts left the coast at dawn."]


def test_a_preface_with_prose_before_the_first_chapter_stays(tmp_path):
    text = (
        "THE SALT ROAD\n\nby Ada Merriweather\n\n"
        "This account was written down by my grandfather, who drove the carts for forty years.\n\n"
        "CHAPTER I.\n\nThe carts left the coast at dawn.\n"
    )
    book = _book(tmp_path, text)
    assert [ch.title for ch in book.chapters] == ["Opening", "Chapter 1"]
    assert book.chapters[0].paragraphs[-1].text.startswith("This account was written down")


def test_a_contents_list_of_headings_over_a_preface(tmp_path):
    # The contents' last line is above the preface: the preface is not that chapter.
    text = (
        "CONTENTS\n\nCHAPTER I. The Coast\nCHAPTER II. The Inn\nCHAPTER III. The Pass\n\n"
        "These papers were put in order by the one who lived to tell of them.\n\n"
        "CHAPTER I.\n\nThe carts left at dawn.\n\nCHAPTER II.\n\nThe inn was full.\n\nCHAPTER III.\n\nSnow fell.\n"
    )
    titles = _titles(tmp_path, text)
    assert titles == ["Opening", "Chapter 1", "Chapter 2", "Chapter 3"]


END_NOTES = """CHAPTER I.

The carts left the coast at dawn.[1]

[1] The coast road was closed in winter.

CHAPTER II.

The inn was full of drovers.[2]

Footnotes

[2] Drovers paid in salt.

NOTES

1. Page 3. The carts were pulled by oxen.

2. Page 9. The inn is still standing.
"""


def test_end_notes_are_not_read(tmp_path):
    book = _book(tmp_path, END_NOTES)
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2"]
    spoken = [p.text for ch in book.chapters for p in ch.paragraphs]
    assert spoken == ["The carts left the coast at dawn.[1]", "The inn was full of drovers.[2]"]


REGROUPED_NOTES = """Chapter 1: The Coast

The carts left the coast at dawn.

Chapter 2: The Inn

The inn was full of drovers. The year was a hard one.

Chapter 1

1. Oxen were cheaper than horses on that road.

2. The coast road washed out twice.

Chapter 2

1. The inn is still standing.
"""


def test_notes_grouped_again_under_the_chapters_names_are_not_read(tmp_path):
    """A book (made from a text, often) that gathers its notes at the end under its chapters' names
    again: those are not chapters, and a chapter whose name recurs without numbered notes stays."""
    assert _titles(tmp_path, REGROUPED_NOTES) == ["Chapter 1: The Coast", "Chapter 2: The Inn"]
    story = REGROUPED_NOTES.replace("1. The inn is still standing.", "The inn is still standing, they say.")
    assert _titles(tmp_path, story) == ["Chapter 1: The Coast", "Chapter 2: The Inn", "Chapter 1", "Chapter 2"]


def test_a_notes_chapter_before_the_end_is_read(tmp_path):
    text = "NOTES\n\nThe captain kept notes of every storm.\n\nCHAPTER I.\n\nThe carts left at dawn.\n"
    assert _titles(tmp_path, text) == ["Notes", "Chapter 1"]


def test_an_illustration_caption_over_blank_lines_is_not_read(tmp_path):
    text = (
        "CHAPTER I.\n\nThe carts left at dawn.\n\n[Illustration:\n\n\u201cHe rode a grey horse\u201d\n\n"
        "[_Copyright 1901._]]\n\n\u201cWho rode?\u201d asked Tobias.\n\n[Illustration:\n\nCHAPTER II.]\n\nSnow fell.\n"
    )
    book = _book(tmp_path, text)
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2"]
    assert [p.text for ch in book.chapters for p in ch.paragraphs] == [
        "The carts left at dawn.",
        "\u201cWho rode?\u201d asked Tobias.",
        "Snow fell.",
    ]


@pytest.mark.parametrize(
    "heading,title",
    [
        ("Letter 1", "Letter 1"),
        ("LETTER IV.", "Letter 4"),
        ("STAVE I.", "Stave 1"),
        ("STAVE THREE.", "Stave 3"),
        ("Canto II", "Canto 2"),
        ("letter I.", None),  # lower case: the end of a wrapped line of prose
        ("stave 2", None),
    ],
)
def test_chapters_by_another_name(tmp_path, heading, title):
    text = f"Chapter 1\n\nThe tide came in.\n\n{heading}\n\nThe boats lifted.\n"
    book = _book(tmp_path, text)
    if title is None:
        assert [ch.title for ch in book.chapters] == ["Chapter 1"]
        assert heading in [p.text for p in book.chapters[0].paragraphs]
    else:
        assert [ch.title for ch in book.chapters] == ["Chapter 1", title]


@pytest.mark.parametrize(
    "under,title",
    [
        ("Knitting", "Chapter 4. Knitting"),
        ("Fifty-two", "Chapter 4. Fifty-two"),
        ("\nKnitting", "Chapter 4"),  # a blank line between: the chapter's first paragraph
        ("Yes.", "Chapter 4"),  # a stop after it: a sentence
        ("Yes!", "Chapter 4"),
        ("Oh", "Chapter 4"),  # under three letters
        ("knitting", "Chapter 4"),  # not capitalised
    ],
)
def test_a_one_word_subtitle_right_under_the_heading(tmp_path, under, title):
    book = _book(tmp_path, f"CHAPTER IV.\n{under}\n\nThe needles clicked all night by the door.\n")
    [chapter] = book.chapters
    assert chapter.title == title
    first = chapter.paragraphs[0].text
    assert (first == "The needles clicked all night by the door.") == (title != "Chapter 4"), first


PROSE = "The tide came in over the flats, and the boats lifted one by one against their ropes."


def _numbered(numbers: list[str], between: str = PROSE) -> str:
    return "".join(f"\n                 {n}\n\n{between}\n" for n in numbers)


def test_chapters_headed_by_a_lone_roman_numeral(tmp_path):
    # A contents list of the numbers, a line each, then the chapters with their numbers centred.
    text = "THE SALT ROAD\n\nContents\n\nI\nII\nIII\nIV\n\n" + _numbered(["I", "II", "III", "IV"])
    book = _book(tmp_path, text)
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"]
    assert [p.text for ch in book.chapters for p in ch.paragraphs] == [PROSE] * 4


def test_lone_numerals_that_do_not_count_up_are_text(tmp_path):
    # Two in a row only, or out of order: not chapters.
    for numbers in (["I", "II"], ["I", "III", "IV"], ["II", "III", "IV"]):
        book = _book(tmp_path, "THE SALT ROAD\n\n" + PROSE + "\n" + _numbered(numbers))
        assert [ch.title for ch in book.chapters] == ["Book"], numbers


def test_a_lone_i_in_verse_or_prose_stays_text(tmp_path):
    # "I" alone between blank lines inside a chapter, or a numbered run broken by such an "I".
    verse = "Who walks the shore at night?\n\nI\n\nwho have no other road."
    text = _numbered(["I", "II"]) + f"\n{verse}\n" + _numbered(["III", "IV"])
    book = _book(tmp_path, text)
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"]
    assert "I" in [p.text for p in book.chapters[1].paragraphs]
    # A numeral with text right above or below it is not alone.
    assert _titles(tmp_path, "\n".join(f"{n}\n{PROSE}\n" for n in ["I", "II", "III"])) == ["Book"]


def test_lone_numerals_start_again_in_each_part(tmp_path):
    text = "PART ONE\n" + _numbered(["I", "II", "III"]) + "\nPART TWO\n" + _numbered(["I", "II", "III"])
    assert _titles(tmp_path, text) == [f"Part {p}, Chapter {c}" for p in (1, 2) for c in (1, 2, 3)]


def test_lone_numerals_under_chapter_headings_are_not_chapters(tmp_path):
    # A book with "CHAPTER" headings: its lone numerals number something else (a poem's stanzas).
    text = (
        "CHAPTER I.\n\n" + PROSE + "\n" + _numbered(["I", "II", "III"], "The wind rose.") + "\nCHAPTER II.\n\nIt fell."
    )
    book = _book(tmp_path, text)
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2"]
    assert "II" in [p.text for p in book.chapters[0].paragraphs]


def test_lone_numbers_in_digits_need_a_chapter_of_prose_under_them(tmp_path):
    chapter = " ".join([PROSE] * 40)  # about 700 words
    assert _titles(tmp_path, _numbered(["1", "2", "3"], chapter)) == ["Chapter 1", "Chapter 2", "Chapter 3"]
    # Page numbers left in a text: a page of prose between them, not a chapter.
    page = " ".join([PROSE] * 10)
    assert _titles(tmp_path, "THE SALT ROAD\n\n" + page + "\n" + _numbered(["1", "2", "3"], page)) == ["Book"]


LIST_OF_ILLUSTRATIONS = """CHAPTER I.

The carts left the coast at dawn.

[Illustration: List of Illustrations.]

                                    PAGE

Frontispiece                          iv

Heading to Chapter I.                  1

\u201cHe rode a grey horse\u201d                 10

The Inn ............................. 14

CHAPTER II.

The inn was full.
"""


def test_a_list_of_illustrations_an_entry_a_paragraph_is_not_read(tmp_path):
    assert _spoken(tmp_path, LIST_OF_ILLUSTRATIONS) == [
        "The carts left the coast at dawn.",
        "The inn was full.",
    ]


def test_fewer_than_three_page_entries_are_read(tmp_path):
    entries = ["Frontispiece          iv", "Heading to Chapter I.    1"]
    text = "CHAPTER I.\n\n" + "\n\n".join(entries) + "\n\nThe carts left.\n"
    assert _spoken(tmp_path, text) == [*entries, "The carts left."]


def test_prose_ending_in_a_number_is_read(tmp_path):
    lines = ["The carts left at 5.", "The count was 12 in all, said the clerk  12", "They came back in 1801."]
    text = "CHAPTER I.\n\n" + "\n\n".join(lines) + "\n"
    assert _spoken(tmp_path, text) == lines


def test_a_caption_with_brackets_inside_it_is_not_read(tmp_path):
    text = (
        "CHAPTER I.\n\nThe carts left at dawn.\n\n"
        "[Illustration: \u201cHe rode a grey horse\u201d [_Copyright 1901 by\nSmith._]]\n\n"
        "[Illustration: [_Copyright 1901._]]\n\n"
        "[Illustration: [_Copyright 1901._]\n\n\u201cThe inn\u201d]\n\n"
        "Snow fell.\n\n[Illustration: a cart] and then the rain came.\n"
    )
    assert _spoken(tmp_path, text) == [
        "The carts left at dawn.",
        "Snow fell.",
        "[Illustration: a cart] and then the rain came.",  # a note and more: read
    ]


@pytest.mark.parametrize(
    "last,read",
    [
        ("CHISWICK PRESS:--SMITH AND CO. TOOKS COURT,\nLONDON.", False),
        ("PRINTED BY SMITH & SONS, EDINBURGH.", False),
        ("SMITH & CO., PRINTERS, LONDON.", False),
        ("The press of the crowd carried him off.", True),  # small letters: the story's
        ("STOP THE PRESSES!", True),  # no press named
    ],
)
def test_a_printers_colophon_at_the_end_is_not_read(tmp_path, last, read):
    text = f"CHAPTER I.\n\nThe carts left at dawn.\n\nTHE END.\n\n{last}\n"
    spoken = _spoken(tmp_path, text)
    assert spoken[0] == "The carts left at dawn." and (len(spoken) == 2) == read, spoken


def test_a_colophon_before_the_last_chapter_is_read(tmp_path):
    text = "CHAPTER I.\n\nThe carts left.\n\nPRINTED BY SMITH & SONS.\n\nCHAPTER II.\n\nSnow fell.\n"
    assert _spoken(tmp_path, text) == ["The carts left.", "PRINTED BY SMITH & SONS.", "Snow fell."]


IMPRINT = """THE SALT ROAD

A novel of the coast, told by the last of the carters who worked the long road south.

First published 1911 by Harrow & Lane, London.

Copyright (c) 1911 Wren Calloway. All rights reserved.

Typeset in Caslon.

ISBN 0 000 00000 0

Preface.

The carters are gone now, and the road is a line of hedges across the marsh; this book is what the
last of them told me over three winters, set down as nearly as I could in their own words.

CHAPTER I.

The carts left the coast at dawn.
"""


def test_an_imprint_page_before_the_first_chapter_is_not_read(tmp_path):
    """Copyright, rights, ISBN, publisher and printer lines go, with the short lines among them; the
    prose before and after them stays."""
    book = _book(tmp_path, IMPRINT)
    opening = [p.text for p in book.chapters[0].paragraphs]
    assert opening[-1].startswith("A novel of the coast")
    for unread in ("published", "Copyright", "reserved", "Typeset", "ISBN"):
        assert not any(unread in text for text in opening), unread
    assert [ch.title for ch in book.chapters][1:] == ["Preface", "Chapter 1"]
    assert book.chapters[1].paragraphs[0].text.startswith("The carters are gone now")
