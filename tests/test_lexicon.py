"""The table of titles: its rows agree with one another, and what a row says reaches the rules' regexes."""

from __future__ import annotations

import pytest

from audiobook.parse import attribute, characters
from audiobook.parse.lexicon import TITLE_TABLE, TITLES, Title

GENDER_OF_FAMILY = {"mr": "male", "mrs": "female", "miss": "female"}


def test_spellings_are_lower_case_words() -> None:
    """A row is keyed by one word in lower case, without its full stop: the rules look words up so."""
    bad = [s for s in TITLE_TABLE if not (s.isalpha() and s == s.lower())]
    assert not bad


def test_every_row_is_used() -> None:
    """A spelling that is no title word on its own must have some use, or it does nothing."""
    idle = [s for s, t in TITLE_TABLE.items() if t == Title(None)]
    assert not idle


def test_a_family_title_has_the_gender_of_its_family() -> None:
    """Mr. is a man, Mrs. and Miss women: a title of their families cannot say otherwise."""
    bad = [s for s, t in TITLE_TABLE.items() if t.family and t.gender != GENDER_OF_FAMILY[t.family]]
    assert not bad


def test_rank_titles_go_with_first_names() -> None:
    """A rank (Sir Walter, Lady Russell) is a first-name title that may also take a surname."""
    bad = [s for s, t in TITLE_TABLE.items() if t.rank and not t.first_name]
    assert not bad


def test_an_abbreviated_title_word_takes_a_dot() -> None:
    """ "Mr Pell" and "Mr. Pell" are one name, written "Mr. Pell"."""
    bad = [s for s, t in TITLE_TABLE.items() if t.abbreviated and t.gender and not t.dotted]
    assert not bad


def test_every_abbreviated_title_is_a_title_word() -> None:
    """An abbreviation is a title like its spelled-out form ("Messrs.", several people, aside)."""
    bad = [s for s, t in TITLE_TABLE.items() if t.abbreviated and t.gender is None and s != "messrs"]
    assert not bad


@pytest.mark.parametrize("spelling", sorted(TITLE_TABLE))
def test_a_row_reaches_the_regexes(spelling: str) -> None:
    """Each title is found where its row says: before a name, with or without a dot, and in a vocative."""
    t, word = TITLE_TABLE[spelling], spelling.capitalize()
    candidate = characters._CANDIDATE
    titled = [f"{word}. Pell", f"{word} Pell"] if t.abbreviated else [f"{word} Pell"] if spelling in TITLES else []
    for name in titled:
        m = candidate.search(f"then {name} came")
        assert m and m.group("title") == name.removesuffix("Pell") and m.group("name") == "Pell", name
    if t.vocative:  # two words after the title: a vocative takes no more unless the first is a title
        for name in (n.replace("Pell", "Robert Pell") for n in titled):
            m = attribute._VOCATIVE_INNER.search(f"Thank you, {name}!")
            assert m and m.group(1) == name, name
            m = attribute._VOCATIVE_START.search(f"{name}, come here.")
            assert m and m.group(1) == name, name
