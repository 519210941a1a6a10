"""Characters who share a first name: two full names with one first name are two people, and the
bare first name goes to the one the book calls by that full name far more often, or to neither."""

from __future__ import annotations

import pytest

from audiobook.parse import find_characters
from audiobook.parse.characters import CharacterIndex


def _index(paragraphs: list[str]) -> CharacterIndex:
    return find_characters(paragraphs, [])


# Nell Harrow is the heroine; Miss Quince, her aunt, was once "Miss Nell Quince". The heroine's full
# name comes mostly after a preposition ("to Nell Harrow"), which alone would make it a place.
_SHARED = [
    "Miss Nell Quince had kept the shop before her marriage, and she said so often.",
    *(
        [
            "Miss Quince said nothing for a while, and then she laughed.",
            "Nell smiled at the window. She was tired of the rain.",
            "The letter was from Nell Harrow, and it was short.",
            "Everyone wrote to Nell Harrow that winter.",
            "Miss Quince turned to the fire. She poked it hard.",
        ]
        * 4
    ),
    "Nell Harrow walked home alone. She did not look back.",
]


def test_a_shared_first_name_does_not_merge_two_people() -> None:
    index = _index(_SHARED)
    heroine, aunt = index.resolve("Nell Harrow"), index.resolve("Miss Quince")
    assert heroine and aunt and heroine != aunt
    assert index.resolve("Miss Nell Quince") == aunt
    assert index.resolve("Nell") == heroine  # her full name is said far more often than the aunt's
    assert "Miss Quince" not in index.characters[heroine].aliases


def test_a_full_name_after_a_preposition_is_a_person_when_its_first_name_is_one() -> None:
    """ "of Nell Harrow" alone reads like "of Paris"; "Nell smiled" says Nell is someone."""
    index = _index(_SHARED)
    assert index.resolve("Nell Harrow") in index.characters


def test_a_first_name_no_full_name_stands_out_for_is_nobody_s_in_particular() -> None:
    paragraphs = [
        "Tom Pike laughed. He was the older of the two.",
        "Tom Reed frowned. He had heard the joke before.",
        "Tom Pike nodded. He went out to the yard.",
        "Tom Reed sighed. He followed him.",
        "Tom waved. He was gone by noon.",
    ]
    index = _index(paragraphs)
    pike, reed = index.resolve("Tom Pike"), index.resolve("Tom Reed")
    assert pike and reed and pike != reed
    assert index.resolve("Tom") not in (pike, reed)


@pytest.mark.parametrize(
    ("lender", "place"),
    [
        ("Harrow laughed. He was her brother.", "Harrow Hill"),  # "Harrow" is a surname here (Nell Harrow)
        ("Rose laughed. She picked a rose.", "Rose Hill"),  # "rose" is an ordinary word here
    ],
)
def test_a_surname_or_an_ordinary_word_lends_a_full_name_nothing(lender: str, place: str) -> None:
    """A word that is a surname, or a word also written in lower case, starts "Harrow Hill" or "Rose
    Hill" without making it a person: seen only after prepositions, it stays a place."""
    paragraphs = [
        *[lender, f"They walked up to {place} and back."] * 3,
        f"Nell Harrow smiled. She liked the view from {place}.",
    ]
    index = _index(paragraphs)
    assert index.resolve(place) is None
