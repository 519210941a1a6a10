"""Text normalised for the ear: what a printed page says with signs and abbreviations, written out the
way a listener expects to hear it, because espeak-ng reads the signs literally ("1814" as "one thousand
eight hundred and fourteen", "£5" as "pound five", "Henry VIII" as "Henry roman eight", "Capt." as
"capt" and a sentence's pause).

Each rule is a precompiled regular expression and a replacement, applied in the order of RULES to the
text the engine is given (never to the text `script` and the player show). The pronunciations of
voices.yaml are applied before these rules (speech.spoken_text), so a user's respelling always wins.
Where a sign is ambiguous the rule reads it only in a context that settles it (a year after "in", a
regnal number after a name, "p." before a number) and otherwise leaves it as espeak-ng reads it.
docs/speech.md lists what is read how, and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .numerals import ROMAN, roman_value

# --- number words ------------------------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_ONES = (
    "_ First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth "
    "Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth"
).split()
_ORDINAL_TENS = "_ _ Twentieth Thirtieth Fortieth".split()


def _two_digits(n: int) -> str:
    """0-99 in words: "fourteen", "sixty-six"."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def year_words(year: int) -> str:
    """A year as people say it: 1814 "eighteen fourteen", 1900 "nineteen hundred", 1805 "eighteen oh
    five", 2000 "two thousand", 2001 "two thousand one", 2024 "twenty twenty-four"."""
    century, rest = divmod(year, 100)
    if year in range(2000, 2010):  # not "two thousand and one": espeak-ng pauses before its "and"
        return "two thousand" + (f" {_ONES[rest]}" if rest else "")
    if rest == 0:
        return f"{_two_digits(century)} hundred"
    if rest < 10:
        return f"{_two_digits(century)} oh {_ONES[rest]}"
    return f"{_two_digits(century)} {_two_digits(rest)}"


def ordinal_words(n: int) -> str:
    """1-49 as a capitalised ordinal: "Eighth", "Fourteenth", "Twenty-First"."""
    if n < 20:
        return _ORDINAL_ONES[n]
    tens, ones = divmod(n, 10)
    if not ones:
        return _ORDINAL_TENS[tens]
    return f"{_TENS[tens].capitalize()}-{_ORDINAL_ONES[ones]}"


# --- where a sentence goes on ------------------------------------------------------------------

# Words that open a sentence far more often than they follow a title: "... met the Rev. Then they
# left." keeps its full stop; "the Rev. Mr. Collins" does not.
_OPENERS = frozenset(
    "A An And As At But For He Her His How I If In It Its My No Now Of On Our She So That The Their Then "
    "There These They This Those Though We What When Where Which While Who Why With Yet You Your".split()
)
_NEXT_WORD = re.compile(r"\s+([\"'\u201c\u2018(]?)(\w+)")


def _ends_sentence(text: str, end: int, title: bool) -> bool:
    """Whether the full stop of an abbreviation that ends at `end` also ends its sentence: nothing
    follows, a closing quote or bracket follows, or the next word opens a sentence (a title's next word
    is a name, so only a common opener counts; after anything else, any capital does)."""
    rest = text[end:]
    if not rest.strip() or rest[:1] in "\"'\u201d\u2019)]":
        return True
    m = _NEXT_WORD.match(rest)
    if not m:
        return False
    word = m.group(2)
    if title:
        return word in _OPENERS
    return word[:1].isupper() and not word.isdigit()


# --- the rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One rewrite: its name (for docs/speech.md and the bench's counts) and what it does to a text."""

    name: str
    apply: Callable[[str], str]


def _sub(pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Callable[[str], str]:
    return lambda text: pattern.sub(repl, text)


# Editorial matter in brackets, inline: "[Illustration: ...]", "[Footnote 2: ...]", "[Transcriber's
# note: ...]", "[Sidenote: ...]", page markers "[Pg 23]", "[sic]" (a paragraph that is only one of these
# is dropped by ingest; this catches them within a paragraph; a note left open runs to the line's end).
_EDITORIAL = re.compile(
    r"\s?\[(?:sic\]|(?:Illustration|Footnote|Transcriber|Sidenote|Editor|Greek|Hebrew|Blank Page|Pg\b|Page \d)"
    r"[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]?)",
    re.IGNORECASE,
)
# Signs a reader never says: a run of asterisks (what emphasis left: "***", "* * *", a note's "*"),
# "#" standing alone, and a backtick (an opening quote mark in older texts, `like this'; the parser
# strips the ones that open speech). "#7" is "number 7".
_STRAY = re.compile(r"(?:\s?\*)+(?:\s|$)?|(?<!\S)#+(?!\S)\s?|(?<!\w)(#)(?=\d)|`+")


def _stray(m: re.Match[str]) -> str:
    return "number " if m.group(1) else " "


_MONTHS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()
_MONTH = "|".join(_MONTHS)
# A year by its context: after "in", "of", "since", "the year", a month and a day ("March 4, 1814",
# "4th March 1814"); or followed by a range ("1814-15") or an era ("A.D."); or standing as a date on its
# own between a comma and the end of a clause ("London, 1814."). 1000-2099, never after a currency
# sign, "#", a digit or a decimal point, never "1,814" nor before a unit ("1814 men" stays a count).
_YEAR = re.compile(
    r"(?P<cue>(?:\b(?:and|or|[Ii]n|of|since|until|till|from|to|by|before|after|about|around|circa|c\.|during|year|"
    r"summer|winter|spring|autumn|fall|anno|Anno|A\.D\.|AD|[Ss]ince|[Ff]rom|[Bb]y|[Uu]ntil|[Bb]efore|[Aa]fter|"
    rf"[Dd]uring|[Ii]n the year|[Oo]f the year)\s+)|(?:\b(?:{_MONTH})\.?,?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?)"
    rf"|(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})\.?,?\s+))?"
    r"(?<![\d£$€#.,:/])\b(?P<year>1\d{3}|20\d{2})\b"
    r"(?!,\d|\.\d|:\d|%|\s+(?:pounds|dollars|francs|guineas|crowns|pence|shillings|miles|feet|yards|men|people|"
    r"times|years|days|words|pages|copies|acres|souls|head)\b)"
    r"(?P<range>[-\u2013](?:1\d{3}|20\d{2}|\d{2})\b)?(?P<era>\s*(?:A\.D\.|B\.C\.|AD|BC)(?!\w))?"
)
_YEAR_BEFORE = re.compile(r"\b(?:1\d{3}|20\d{2}),?\s+$")
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?\u201d\"')]|$)")


def _year(m: re.Match[str]) -> str:
    text, start = m.string, m.start("year")
    before = text[:start].rstrip()
    alone = (not before or before[-1] in ',.;:(\u2014\u2013\u201c"') and _CLAUSE_END.match(text, m.end("year"))
    cue = m.group("cue")
    if cue and cue.split()[0] in ("and", "or") and not _YEAR_BEFORE.search(text, 0, m.start()):
        cue = None  # "1814 or 1815" is two years; "five and 1815" is not
    if not (cue or m.group("range") or m.group("era") or alone):
        return m.group(0)
    year = int(m.group("year"))
    said = year_words(year)
    if m.group("range"):
        to = m.group("range")[1:]
        said += " to " + (year_words(int(to)) if len(to) == 4 else _two_digits(int(to)))
    return (m.group("cue") or "") + said + (m.group("era") or "")


# Money: "£5" five pounds, "£1" one pound, "$1.50" one dollar fifty, "$0.50" fifty cents, "€3" three euros, and old
# British money written after the number: "5s." five shillings, "6d." six pence, "1d." one penny,
# "500l." five hundred pounds. espeak-ng says the numbers; the rule puts the unit after them.
_AMOUNT = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d\d))?(?:\s+(million|thousand|billion|hundred)\b)?"
_CURRENCY = re.compile(rf"([£$€\u00a3])\s?{_AMOUNT}")
_UNITS = {"£": ("pound", "pounds", "penny", "pence"), "$": ("dollar", "dollars", "cent", "cents")}
_UNITS["€"] = ("euro", "euros", "cent", "cents")


def _money(m: re.Match[str]) -> str:
    one, many, small_one, small_many = _UNITS[m.group(1)]
    whole, cents, scale = m.group(2), m.group(3), m.group(4)
    if scale:
        return f"{whole}{'.' + cents if cents else ''} {scale} {many}"
    said = f"{whole} {one if whole == '1' else many}"
    if cents and int(cents):
        small = f"{int(cents)} {small_one if int(cents) == 1 else small_many}"
        return small if whole == "0" else f"{said} {int(cents)}"  # "one dollar fifty"
    return said


_OLD_MONEY = re.compile(r"\b(\d{1,3}(?:,\d{3})*|\d+)([lsd])\.")
_OLD_UNITS = {"l": ("pound", "pounds"), "s": ("shilling", "shillings"), "d": ("penny", "pence")}


def _old_money(m: re.Match[str]) -> str:
    one, many = _OLD_UNITS[m.group(2)]
    said = f"{m.group(1)} {one if m.group(1) == '1' else many}"
    return said + ("." if _ends_sentence(m.string, m.end(), title=False) else "")


# Roman numerals by the word before them. After a word that counts (Chapter, Volume, Book, Part, Act,
# ...): a number, "Chapter IV" -> "Chapter 4" (espeak-ng says "chapter four"); a lone "I" only before
# punctuation or the end ("Part I." but not "part I think"). After any other capitalised name: a
# regnal number, "Henry VIII" -> "Henry the Eighth"; a lone "I" only after a name in _REGNAL_NAMES and
# before punctuation ("Charles I." but not "Then I."), "V" after a capitalised name ("Henry V").
_COUNTERS = (
    "Chapter|Chap\\.?|Ch\\.|Volume|Vol\\.?|Book|Part|Act|Scene|Canto|Letter|Section|Sect\\.|Stave|Psalm|Article|"
    "Appendix|Plate|Fig\\.|Figure|Lesson|Lecture|Class|War|Number|No\\.|Epistle|Sonnet|Song|Fit|Chapitre|Livre"
)
_COUNTED = re.compile(
    rf"\b(?i:({_COUNTERS}))\s+(?:(?!I\s)({ROMAN})\b(?![\w'\u2019-])|([mdclxvi]+)\b(?=\s*(?:[.,;:!?)]|$)))"
    rf"|\b(?i:({_COUNTERS}))\s+(I|i)\b(?=\s*(?:[.,;:!?)\u2014\u201d\"']|$))"
)
_REGNAL_NAMES = frozenset(
    "Alexander Alfonso Anne Charles Clement Edward Elizabeth Frederick George Gregory Gustavus Henry Innocent "
    "James John Leo Louis Mary Napoleon Nicholas Paul Peter Philip Pius Richard Urban Victor William".split()
)
# An old text's full stop after a numeral ("Louis XVIII., who", "Louis XIV. pronounced") is dropped when
# the sentence goes on (punctuation or a lower-case word follows).
_REGNAL = re.compile(
    rf"\b([A-Z][a-z]+)\s+({ROMAN})\b(?:\.(?=[,;:!?]|\s+[a-z]))?(?=(?:['\u2019]s)?(?![\w'\u2019-]))",
)
_NOT_NAMES = frozenset(_OPENERS | {"Chapter", "Volume", "Book", "Part", "Act", "Scene", "Canto", "Letter"})


def _counted(m: re.Match[str]) -> str:
    if m.group(4):
        return f"{m.group(4)} 1"
    value = roman_value(m.group(2) or m.group(3))
    if value is None:
        return m.group(0)
    return f"{m.group(1)} {value}"


def _regnal(m: re.Match[str]) -> str:
    name, numeral = m.group(1), m.group(2)
    if name in _NOT_NAMES or not numeral:
        return m.group(0)
    value = roman_value(numeral) or 0  # well-formed: _REGNAL matched it as ROMAN
    if numeral == "I":
        after = m.string[m.end() :]
        if name not in _REGNAL_NAMES or not re.match(r"\s*(?:[.,;:!?)\u2014\u201d\"']|$)", after):
            return m.group(0)
    elif len(numeral) == 1 and numeral != "V" or value > 49:  # "Malcolm X", "Plan C": not kings
        return m.group(0)
    return f"{name} the {ordinal_words(value)}"


# Abbreviations espeak-ng reads as a word and a sentence's end ("Capt." "capt", then a pause). Titles
# before a name; words before a number ("No. 7", "p. 23", "pp. 4-9"); months next to a day; Latin.
_TITLES = {
    "Capt": "Captain", "Col": "Colonel", "Lt": "Lieutenant", "Lieut": "Lieutenant", "Gen": "General",
    "Sgt": "Sergeant", "Serg": "Sergeant", "Maj": "Major", "Rev": "Reverend", "Revd": "Reverend",
    "Hon": "Honourable", "Prof": "Professor", "Gov": "Governor", "Adm": "Admiral", "Cmdr": "Commander",
    "Cpl": "Corporal", "Pte": "Private", "Supt": "Superintendent", "Insp": "Inspector",
    "Esq": "Esquire", "Bart": "Baronet", "Messrs": "Messieurs", "Mt": "Mount", "Jr": "Junior", "Sr": "Senior",
}  # fmt: skip
_TITLE = re.compile(rf"\b({'|'.join(_TITLES)})\.(?!\w)")
# (Any case: "No. 7", "VOL. II", "pp. 4-9".)
_BEFORE_NUMBER = {"no": "number", "nos": "numbers", "p": "page", "pp": "pages", "vol": "volume",
                  "ch": "chapter", "chap": "chapter", "fig": "figure", "art": "article", "sect": "section"}  # fmt: skip
_NUMBERED = re.compile(
    rf"\b({'|'.join(_BEFORE_NUMBER)})\.\s*(\d+)(?:\s*[-\u2013]\s*(\d+)(?!\d))?|\b(?-i:(Vol|VOL|Chap|CHAP|Ch|CH))\.(?=\s+(?:[IVXLC]+\b|\d))",
    re.IGNORECASE,
)
_MONTH_ABBR = {"Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June",
               "Jul": "July", "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October",
               "Nov": "November", "Dec": "December", "Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday",
               "Wed": "Wednesday", "Thu": "Thursday", "Thur": "Thursday", "Thurs": "Thursday",
               "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}  # fmt: skip
# Always a month: these are no English word or common name. The others (Jan, Mar, Aug, and the days)
# only next to a number or a month: "Nov. 4", "4 Aug.", "Sat., Nov. 4".
_ALWAYS_MONTH = {"Feb", "Apr", "Jun", "Jul", "Sept", "Oct", "Nov", "Dec"}
_DATE_ABBR = re.compile(
    rf"(?<=\d\s)({'|'.join(_MONTH_ABBR)})\.|\b({'|'.join(_MONTH_ABBR)})\.(?=,?\s*(?:\d|(?:{_MONTH})\b))"
    rf"|\b({'|'.join(_ALWAYS_MONTH)})\."
)
_LATIN = re.compile(r"\b(viz|i\.e|e\.g|cf|vs|ibid)\.(?!\w)|(&c)\.", re.IGNORECASE)
_LATIN_SAID = {"viz": "namely", "i.e": "that is", "e.g": "for example", "cf": "compare", "vs": "versus"}
_LATIN_SAID.update(ibid="in the same place", **{"&c": "etcetera"})


# French titles in translated novels, before a name: "M. Villefort", "MM. Danglars", "Mme Roland",
# "Mlle. Valentine"; never an initial ("J. M. Barrie", "M. Smith" after another initial).
_FRENCH_TITLES = {"M": "Monsieur", "MM": "Messieurs", "Mme": "Madame", "Mmes": "Mesdames",
                  "Mlle": "Mademoiselle", "Mlles": "Mesdemoiselles"}  # fmt: skip
_FRENCH_TITLE = re.compile(r"(?<![A-Z]\.\s)\b(?:(M|MM)\.|(Mme|Mmes|Mlle|Mlles)\b\.?)(?=\s+[A-Z][a-z])")


def _french_title(m: re.Match[str]) -> str:
    if m.group(1) and _ends_sentence(m.string, m.end(), title=True):
        return m.group(0)  # "... page M. The end."
    return _FRENCH_TITLES[m.group(1) or m.group(2)]


def _title(m: re.Match[str]) -> str:
    said = _TITLES[m.group(1)]
    return said + ("." if _ends_sentence(m.string, m.end(), title=True) else "")


def _numbered(m: re.Match[str]) -> str:
    if m.group(4):
        return _BEFORE_NUMBER[m.group(4).lower()]
    said = f"{_BEFORE_NUMBER[m.group(1).lower()]} {m.group(2)}"
    return said + (f" to {m.group(3)}" if m.group(3) else "")


def _date_abbr(m: re.Match[str]) -> str:
    abbr = m.group(1) or m.group(2) or m.group(3)
    return _MONTH_ABBR[abbr] + ("." if _ends_sentence(m.string, m.end(), title=False) else "")


def _latin(m: re.Match[str]) -> str:
    said = _LATIN_SAID[(m.group(1) or m.group(2)).lower()]
    return said + ("." if _ends_sentence(m.string, m.end(), title=True) else "")


# A time written with a full stop, as British books do ("12.57 p.m."): with a colon, which the engine
# reads as a time ("twelve fifty-seven"), not a decimal ("twelve point five seven").
_DOTTED_TIME = re.compile(r"\b([01]?\d|2[0-3])\.([0-5]\d)(?=\s*(?:[ap]\.\s?m\.|[ap]m\b|o'clock))", re.IGNORECASE)


RULES: tuple[Rule, ...] = (
    Rule("editorial notes", _sub(_EDITORIAL, "")),
    Rule("stray * and #", _sub(_STRAY, _stray)),
    Rule("abbreviations", lambda text: _LATIN.sub(_latin, _DATE_ABBR.sub(_date_abbr, _NUMBERED.sub(
        _numbered, _TITLE.sub(_title, _FRENCH_TITLE.sub(_french_title, text)))))),
    Rule("roman numerals", lambda text: _REGNAL.sub(_regnal, _COUNTED.sub(_counted, text))),
    Rule("currency", lambda text: _OLD_MONEY.sub(_old_money, _CURRENCY.sub(_money, text))),
    Rule("years", _sub(_YEAR, _year)),
    Rule("times", _sub(_DOTTED_TIME, r"\1:\2")),
)  # fmt: skip
# Nothing any rule reads: most lines of a novel are passed through after these quick searches (one
# regular expression of every abbreviation would take longer than all the rules).
_SIGNS = re.compile(
    r"[\d\[*#£$€&`]|\bM(?:me|lle)s?\b|\b[IVXLCDM]{2,}\b|\b[A-Z][a-z]+\s+[IV]\b|\b[ivxlcdm]+\b\s*[.,;:!?)]"
)
_WORD_DOT = re.compile(r"\b([A-Za-z]{1,6}|[ie]\.[eg])\.")
_ABBREVIATIONS = frozenset(
    k.lower() for k in [*_TITLES, *_BEFORE_NUMBER, *_MONTH_ABBR, *_LATIN_SAID, *_FRENCH_TITLES, "vol", "chap", "ch"]
)


def _has_work(text: str) -> bool:
    """Whether any rule may change `text`."""
    if _SIGNS.search(text):
        return True
    return any(m.group(1).lower() in _ABBREVIATIONS for m in _WORD_DOT.finditer(text))


def for_the_ear(text: str) -> str:
    """`text` with every rule of RULES applied, in order."""
    if not _has_work(text):
        return text
    for rule in RULES:
        text = rule.apply(text)
    return text
