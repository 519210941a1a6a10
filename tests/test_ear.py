"""Text normalised for the ear (ear.py, through speech.spoken_text): one table per rule, each row the
exact text the engine is given. What espeak-ng already reads right is in the tables too, unchanged."""

from __future__ import annotations

import pytest

from audiobook.ear import RULES, ordinal_words, year_words
from audiobook.model import CastLine, Segment, VoiceSpec
from audiobook.numerals import roman_value
from audiobook.speech import Pronouncer, speakable, spoken_text


def _said(text: str, pronounce: Pronouncer | None = None) -> str:
    """What the engine is given for a narrator's line of `text`."""
    segment = Segment("narration", text, None, 0, len(text))
    return spoken_text(CastLine(segment, VoiceSpec("espeak", "gmw/en-us"), "narrator", 0), pronounce)


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("It happened in 1814, in spring.", "It happened in eighteen fourteen, in spring."),
        ("The year 1900 came.", "The year nineteen hundred came."),
        ("Born in 1805.", "Born in eighteen oh five."),
        ("After 2001 and before 2024.", "After two thousand one and before twenty twenty-four."),
        ("By 2000 it was done.", "By two thousand it was done."),
        ("The Normans came in 1066.", "The Normans came in ten sixty-six."),
        ("On March 4, 1814, we sailed.", "On March 4, eighteen fourteen, we sailed."),
        ("On the 4th of March 1814 we sailed.", "On the 4th of March eighteen fourteen we sailed."),
        ("The war of 1814-15 ended.", "The war of eighteen fourteen to fifteen ended."),
        ("She lived 1748\u20131825.", "She lived seventeen forty-eight to eighteen twenty-five."),
        ("In 1814 or 1815 it was.", "In eighteen fourteen or eighteen fifteen it was."),
        ("Paris, 1838.", "Paris, eighteen thirty-eight."),
        ("1250 A.D. was long ago.", "twelve fifty A.D. was long ago."),
        # Counts stay counts: espeak-ng says "one thousand eight hundred and fourteen".
        ("He had 1814 men.", "He had 1814 men."),
        ("In 1814 men fell.", "In 1814 men fell."),
        ("The sum was 1,814 in all.", "The sum was 1,814 in all."),
        ("A total of 1814.5 grains.", "A total of 1814.5 grains."),
        ("Five and 1815 more.", "Five and 1815 more."),
        ("At 10:30 on the 3rd, 50% were gone.", "At 10:30 on the 3rd, 50% were gone."),
    ],
)
def test_years_are_read_as_years(text, spoken):
    assert _said(text) == spoken


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("It cost £5.", "It cost 5 pounds."),
        ("Only £1 left.", "Only 1 pound left."),
        ("Give me $10 now.", "Give me 10 dollars now."),
        ("A ticket is $1.50 today.", "A ticket is 1 dollar 50 today."),
        ("Just $0.50 each.", "Just 50 cents each."),
        ("He owed £200, no less.", "He owed 200 pounds, no less."),
        ("A fortune of £10,000 a year.", "A fortune of 10,000 pounds a year."),
        ("It is \u20ac3 here.", "It is 3 euros here."),
        ("Some $5 million went.", "Some 5 million dollars went."),
        ("Rent was 3s. 6d. a week.", "Rent was 3 shillings 6 pence a week."),
        ("A loaf for 1d. and a pie.", "A loaf for 1 penny and a pie."),
        ("He had 500l. a year.", "He had 500 pounds a year."),
        ("She paid 1s. Then she left.", "She paid 1 shilling. Then she left."),
    ],
)
def test_money_is_said_with_its_unit_after_the_number(text, spoken):
    assert _said(text) == spoken


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("Chapter IV", "Chapter 4"),
        ("CHAPTER XII. The Storm", "CHAPTER 12. The Storm"),
        ("See Book III and Act V, Scene ii.", "See Book 3 and Act 5, Scene 2."),
        ("It ends Part I.", "It ends Part 1."),
        ("After World War II it changed.", "After World War 2 it changed."),
        ("Henry VIII had six wives.", "Henry the Eighth had six wives."),
        ("The court of Louis XIV was grand.", "The court of Louis the Fourteenth was grand."),
        ("George III's coat.", "George the Third's coat."),
        ("She served Louis XVIII., who smiled.", "She served Louis the Eighteenth, who smiled."),
        ("Then Charles I.", "Then Charles the First."),
        ("Henry V, they said.", "Henry the Fifth, they said."),
        # The pronoun I, and letters that are not kings, stay as they are.
        ("In part I think so.", "In part I think so."),
        ("Then I went home, said I.", "Then I went home, said I."),
        ("Charles I saw there.", "Charles I saw there."),
        ("Malcolm X spoke.", "Malcolm X spoke."),
        ("The MIX was bad.", "The MIX was bad."),
    ],
)
def test_roman_numerals_by_their_context(text, spoken):
    assert _said(text) == spoken


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("Capt. Smith came.", "Captain Smith came."),
        ("Col. Brandon and Lt. Price and Gen. Tilney.", "Colonel Brandon and Lieutenant Price and General Tilney."),
        ("Sgt. Cuff met Maj. Bell.", "Sergeant Cuff met Major Bell."),
        ("The Rev. Mr. Collins and the Hon. Mrs. Grey.", "The Reverend Mr. Collins and the Honourable Mrs. Grey."),
        ("Prof. Moriarty and Gov. Bligh.", "Professor Moriarty and Governor Bligh."),
        ("He met the Rev. Then they left.", "He met the Reverend. Then they left."),
        ("He lived at No. 7 and then Nos. 8-9.", "He lived at number 7 and then numbers 8 to 9."),
        ("No. I will not.", "No. I will not."),
        ("See p. 23 and pp. 4-9.", "See page 23 and pages 4 to 9."),
        ("In Vol. II, Ch. 3.", "In volume 2, chapter 3."),
        ("On Nov. 4 and Sept. 1 and Feb. 29.", "On November 4 and September 1 and February 29."),
        ("By Sat., Aug. 12, it was over.", "By Saturday, August 12, it was over."),
        ("I met Jan. Then we left.", "I met Jan. Then we left."),
        ("Two things, viz. bread and salt, i.e. food, e.g. a loaf.",
         "Two things, namely bread and salt, that is food, for example a loaf."),
        ("Pens, ink, &c. were there.", "Pens, ink, etcetera were there."),
        ("He was a dark chap. He left.", "He was a dark chap. He left."),
        # espeak-ng reads these right already: left as written.
        ("Mr. and Mrs. Bell met Dr. Lee at St. Paul's, etc.", "Mr. and Mrs. Bell met Dr. Lee at St. Paul's, etc."),
    ],
)  # fmt: skip
def test_abbreviations_are_expanded(text, spoken):
    assert _said(text) == spoken


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("M. Villefort bowed.", "Monsieur Villefort bowed."),
        ("MM. Danglars and Morcerf came.", "Messieurs Danglars and Morcerf came."),
        ("Mme Roland smiled at Mlle. Valentine.", "Madame Roland smiled at Mademoiselle Valentine."),
        ("Mme Roland smiled.", "Madame Roland smiled."),  # no other sign in the line
        ("J. M. Barrie wrote it.", "J. M. Barrie wrote it."),  # an initial, not a title
        ("Turn to page M. The end.", "Turn to page M. The end."),
    ],
)
def test_french_titles_of_translated_novels(text, spoken):
    assert _said(text) == spoken


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("At 12.57 p.m. he left.", "At 12:57 p.m. he left."),
        ("By 9.30 am the tide was out.", "By 9:30 am the tide was out."),
        ("It cost 8.50 in all.", "It cost 8.50 in all."),  # a price, not a time
        ("At 12:57 p.m. he left.", "At 12:57 p.m. he left."),
    ],
)
def test_a_time_written_with_a_full_stop_is_read_as_a_time(text, spoken):
    assert _said(text) == spoken


@pytest.mark.parametrize(
    "text,spoken",
    [
        ("They came [Illustration: A HOUSE.] to the door.", "They came to the door."),
        ("He knew it [Footnote 2: He did not.] well.", "He knew it well."),
        ("A word [sic] here.", "A word here."),
        ("Go on. [Transcriber's note: a line is missing.]", "Go on."),
        ("The end *** of it.", "The end of it."),
        ("Scene * * * then more.", "Scene then more."),
        ("A # alone.", "A alone."),
        ("Room #7 it was.", "Room number 7 it was."),
        ("He wrote ``Yes'' on it.", "He wrote Yes'' on it."),  # a backtick is never said
        ("It was clear[1] that he lied.", "It was clear that he lied."),  # speech.py's note marks still go
        ("The list [1, 2] holds two.", "The list [1, 2] holds two."),
    ],
)
def test_editorial_notes_and_stray_signs_are_dropped(text, spoken):
    assert _said(text) == spoken


def test_the_pronunciations_of_voices_yaml_come_first():
    # A respelling of a word a rule would read is said as respelled; the rules see what it left.
    say = Pronouncer({"Capt": "Cap", "Okafor": "oh-KAH-for"})
    assert _said("Capt. Okafor came in 1814.", say) == "Cap. oh-KAH-for came in eighteen fourteen."
    assert _said("Capt. Okafor came.") == "Captain Okafor came."


def test_the_text_shown_is_left_as_written():
    segment = Segment("narration", "Capt. Smith paid £5 in 1814.", None, 0, 28)
    line = CastLine(segment, VoiceSpec("espeak", "gmw/en-us"), "narrator", 0)
    assert spoken_text(line) == "Captain Smith paid 5 pounds in eighteen fourteen."
    assert line.segment.text == "Capt. Smith paid £5 in 1814."
    assert speakable("Capt. Smith paid £5 in 1814.", ear=False) == "Capt. Smith paid £5 in 1814."


@pytest.mark.parametrize(
    "year,words",
    [(1814, "eighteen fourteen"), (1900, "nineteen hundred"), (1805, "eighteen oh five"), (2000, "two thousand"),
     (2009, "two thousand nine"), (2010, "twenty ten"), (1066, "ten sixty-six"), (1999, "nineteen ninety-nine")],
)  # fmt: skip
def test_year_words(year, words):
    assert year_words(year) == words


def test_roman_and_ordinal_words():
    assert [roman_value(r) for r in ("I", "IV", "ix", "XIV", "XVIII", "XL", "MCMXIV")] == [1, 4, 9, 14, 18, 40, 1914]
    assert [ordinal_words(n) for n in (1, 8, 14, 20, 21, 33)] == [
        "First", "Eighth", "Fourteenth", "Twentieth", "Twenty-First", "Thirty-Third",
    ]  # fmt: skip


def test_every_rule_is_named_once():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)) == 7
