"""Speaker attribution: a sieve of explainable rules, the most precise first.

Each paragraph's quotes go through the rules in this order; a rule decides only quotes that the
ones before it left without a speaker (see `attribute_chapter`):

1. tag        "…,” Leo said. / said Leo / Leo said, “…” / “…,” she whispered, “…”  (names, he/she, "the doctor")
2. beat       a character acting in the sentence next to the quote: "Witney crouched beside him. “…”"
3. paragraph  another quote in the same paragraph has a speaker
4. turn       an untagged run of a two-person conversation alternates (or answers whoever was addressed)
5. turn, read backwards once the chapter is done: a line two paragraphs before a known one is theirs too
Each quote keeps the rule that decided it. No evidence leaves the speaker unknown (None).
How sure each rule is lives in weights.CONFIDENCE; how far back it looks, in weights.LIMITS.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Paragraph
from .characters import CharacterIndex
from .conversation import CHAIN_RULES, FIRST_PERSON, SOFT, Turn, decode_with_margins
from .lexicon import (
    ELDERLY_WORDS,
    GENDERED_PRONOUN,
    GENERIC_PEOPLE,
    IRREGULAR_PAST,
    NOT_NAMES,
    PERSON_NOUNS,
    PHRASAL_SPEECH_VERBS,
    SENTENCE_SUBJECT_PRONOUN,
    SPEECH_VERBS,
    SUBJECT_PRONOUN,
    SUBJECT_PRONOUNS,
    TITLES,
    VOCATIVE_ABBREVIATED_TITLES,
    VOCATIVE_TITLES,
    pronoun_gender,
    sentence_spans,
)
from .quotes import Quote, speech_by_paragraph
from .weights import CONFIDENCE, CONVERSATION, LIMITS

__all__ = ["CONFIDENCE", "NARRATOR", "Decision", "attribute_chapter", "tag_after", "tag_before", "vocatives"]

# The speaker behind a first-person "I said": named after parsing, from what others call them.
NARRATOR = "\u2063I"

_GENDERED = re.compile(rf"\b({GENDERED_PRONOUN})\b")
_SUBJECT_PRONOUN = re.compile(rf"({SUBJECT_PRONOUN})\b")  # matched where a subject may start
_SUBJECT_PRONOUN_WORD = re.compile(rf"\b({SUBJECT_PRONOUN})\b")  # searched for in a sentence
_SENTENCE_SUBJECT = re.compile(rf"\s*({SENTENCE_SUBJECT_PRONOUN})\b")
_THE_OTHER = re.compile(r"[Tt]he other\b")
# A description as the subject of a tag: "the doctor", "the first policeman", "the motionless Syme".
_DESCRIBED = re.compile(
    r"""
    [Tt]he \s+
    (?:[a-z]+\s+(?![a-z]+ly\b))?         # one word before the noun: "first", "motionless" (not the
    (?P<noun>                            # noun before an adverb: "said the hostess wearily")
        [A-Z][a-z]+(?:\s[A-Z][a-z]+)?    # a capitalised name of one or two words: "Syme", "March Hare"
      | [a-z]+                           # or a plain noun: "policeman"
    )\b
    """,
    re.VERBOSE,
)
# A person named by whose they are: "her mother", "his young wife", "their uncle".
# "said her mother", "cried his wife impatiently", "said his old friend": a person noun after a possessive.
_PERSON_NOUN_ALT = "|".join(sorted((re.escape(n) for n in PERSON_NOUNS), key=len, reverse=True))
_POSSESSED = re.compile(rf"(?:his|her|their|my|your)\s+(?:[a-z]+\s+)?(?P<noun>{_PERSON_NOUN_ALT})\b")
_LEAD = re.compile(r"^[\s,;:\u2014\u2013-]*")
_EPITHET = re.compile(r"(?:old|young|little|poor|dear|good|big|tall|small)\s+")  # "broke in old Isaac Brown"
# A speech verb where a tag may have one: "said", "quietly said", "broke in" (not "broke in the door").
_SPEECH_AT = re.compile(
    r"""
    (?:[a-z]+ly\s+)?                     # an adverb first: "quietly said"
    ([a-z]+)\b                           # the verb
    (?:\s+(?:in|on|out|up)\b             # its particle: "broke in", "went on"
       (?!\s+(?:a|an|the|his|her|their)\b)  # but not a preposition with its object: "broke in the door"
    )?
    """,
    re.VERBOSE,
)
_LAST_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\W*$")  # (tried from a word's start only: the same match)
_ENDS_AS_TAG = re.compile(r"(?:[,:\u2014]|--)$")  # "Leo said," / "said the boy:" / "she began—" (or "--")
# Speech that bursts out: "she broke out:", "he burst out with,", "broke in:".
_BURST_OUT = re.compile(r"\b(?:broke|burst)\s+(?:out|in|forth)(?:\s+with)?\b")
# "…and said to herself" / "said to the Knave" with no comma before the quote.
_SAID_TO = re.compile(
    r"\b([a-z]+)\s+to\s+(?:(?:him|her|them|my|your|it)sel(?:f|ves)|him|her|them|me|us|the\s+[A-Za-z]+|[A-Z][a-z]+)$"
)
_WORD = re.compile(r"[A-Za-z]+")

# Someone who does not speak: "He made no answer." / "She did not reply." / "Mr. Dale was silent." Not a
# tag or a beat of the next line: that line is most likely the other person's, said to the silent one.
_SILENCE = re.compile(
    r"""
    \b(?:made|gave|returned|was|there\s+was)\s+no\s+(?:answer|reply|response|rejoinder|remark)\b
    | \b(?:did|could|would|does|do)(?:\s+not|\s*n[\u2019']?\s?t)\s+(?:answer|reply|respond|speak)\b
    | \b(?:was|remained|sat|stood|kept)\s+silent\b
    | \bsaid\s+nothing\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _silence_in(sentence: str) -> re.Match[str] | None:
    """Where a sentence says someone does not speak, unless they speak after all ("He was silent for a
    minute, but finally he said:")."""
    m = _SILENCE.search(sentence)
    if m and any(w.group().lower() in SPEECH_VERBS for w in _WORD.finditer(sentence, m.end())):
        return None
    return m


_REPLY_NOUNS = r"(?:reply|answer|response|retort|rejoinder|words|exclamation|cry|question|remark|comment|voice)"
# After a quote: "…," was Mr. Emerson's reply.  /  "…" came her answer.
_POSSESSIVE_AFTER = re.compile(
    rf"""
    ^\s*(?:was|were|came|is)\s+
    (?P<who>.+?)                         # whose reply: "Mr. Emerson"
    (?:['\u2019]s|\s\ s)\s+              # the possessive ('s, or "s" after a space in ASCII copies)
    (?:[a-z]+\s+)?                       # an adjective: "quiet"
    {_REPLY_NOUNS}\b
    """,
    re.VERBOSE,
)
# Before a quote: Emma's answer was, "…"  /  Mr. Knightley's quiet reply, it was: "…"
_POSSESSIVE_BEFORE = re.compile(
    rf"""
    (?P<who>[A-Z][\w.' ]*?)              # a capitalised name: "Emma", "Mr. Knightley"
    (?:['\u2019]s|\s\ s)\s+              # the possessive
    (?:[a-z]+\s+){{0,2}}                 # up to two adjectives
    {_REPLY_NOUNS}
    (?:\s+(?:was|were|came))?
    (?:,\s*it\s+was)?
    [,:]?\s*$                            # at the end of the narration, just before the quote
    """,
    re.VERBOSE,
)
_SPEECH_VERB_ALT = "|".join(sorted(SPEECH_VERBS))
_IRREGULAR_PAST_ALT = "|".join(IRREGULAR_PAST)
_RELATIVE = re.compile(r",\s+(?:who|whose)\b")  # "…her faithful Isabella, who in great spirits exclaimed,"
# Between a subject and its verb: "Emma exclaimed", "Emma quickly exclaimed", "James, as the door closed, said".
_JUST_BEFORE = re.compile(
    r"(?:\s*,[^,;:.!?\"\u201c\u201d]{1,60},)?\s+(?:(?:[a-z]+ly|thus|then|now|again|also|at\s+last)\s+)?"
)
# What a sentence's subject does next: "Denham made no comment, but said", "Leo, turning, said".
_PAST_VERB = re.compile(
    rf"""
    (?:,\s+[a-z]+ing\b                   # ", turning"
      | \s+(?:[a-z]+ly\s+)?              # or an adverb, then
        (?:had\s+|having\s+)?            # perhaps an auxiliary, then
        (?:[a-z]+ed|{_SPEECH_VERB_ALT}|{_IRREGULAR_PAST_ALT})\b  # a past tense or a speech verb
    )
    """,
    re.VERBOSE,
)

# A form of address that says whom a line speaks to: "Not at all, sir." / "Yes, madam!"
_POLITE = {"sir": "male", "madam": "female", "ma'am": "female", "ma’am": "female", "miss": "female"}
_POLITE_RX = re.compile(r"(?:,|^|\b(?:dear|my|good)\s)\s*(sir|madam|ma['’]am|miss)\s*[,.!?;—-]", re.IGNORECASE)

_VOC_ABBREVIATED_ALT = "|".join(VOCATIVE_ABBREVIATED_TITLES)
_VOC_TITLE_ALT = "|".join(VOCATIVE_TITLES)
# A name a quote may address: "Emma", "Mr. Knightley", "Uncle Robert", "Anne Elliot".
_VOC_NAME = rf"""
    (                                    # the name (group 1)
      (?:
        (?:{_VOC_ABBREVIATED_ALT})\.?\s+    # "Mr. ", "Mrs "
      | (?:{_VOC_TITLE_ALT})\s+             # "Miss ", "Uncle "
      )?
      [A-Z][a-z]+(?:\s[A-Z][a-z]+)?      # one or two capitalised words
    )
"""
# At the quote's start, after at most an interjection: "Emma, come here." / "Oh, Mr. Knightley!"
_VOCATIVE_START = re.compile(
    rf"""
    ^(?:(?:Oh|Ah|Well|Yes|No|Now|Why|Come|Look|Dear|My\ dear|Hallo|Hello),?\s+)?
    {_VOC_NAME}
    \s*[,!?]
    """,
    re.VERBOSE,
)
# Inside it, after a comma or an endearment: "…, Mr. Knightley!" / "…, my dear Emma."
_VOCATIVE_INNER = re.compile(
    rf"""
    (?:,|\b(?:dear|my|Oh|oh))\s+
    {_VOC_NAME}
    \s*(?=[,.!?;\u2014-]|$)
    """,
    re.VERBOSE,
)


@dataclass
class Decision:
    """The speaker chosen for one quote, and why."""

    speaker: str | None = None
    rule: str = ""
    confidence: float = 0.0


@dataclass
class _Event:
    """A character made salient at a point: named in narration, or heard speaking."""

    para: int
    pos: int
    sentence: tuple[int, int]
    name: str
    pronoun: str = ""  # "male"/"female" for a he/she/his/her (then `name` is empty)


@dataclass
class _History:
    events: list[_Event] = field(default_factory=list)

    def add(self, para: int, pos: int, sentence: tuple[int, int], name: str, pronoun: str = "") -> None:
        """Record a mention; events stay in text order (a speaker is heard where their quote ends)."""
        ev = _Event(para, pos, sentence, name, pronoun)
        if self.events and (self.events[-1].para, self.events[-1].pos) > (para, pos):
            bisect.insort(self.events, ev, key=lambda e: (e.para, e.pos))
        else:
            self.events.append(ev)

    def resolve(
        self, gender: str, para: int, pos: int, index: CharacterIndex, exclude: str | None = None, age: str = ""
    ) -> str | None:
        """The character a he/she at (para, pos) most likely means: the first one of that gender in
        the latest sentence that has one (subjects come first), looking back a few paragraphs.
        A sentence that speaks of its woman as "she" before naming one ("She connected him with
        Mary") is about someone already known: look further back."""
        first: _Event | None = None
        for ev in reversed(self.events):
            if (ev.para, ev.pos) >= (para, pos):
                continue
            if para - ev.para > LIMITS["pronoun_paragraphs"]:
                break
            if first is not None and ev.sentence != first.sentence:
                if first.name:
                    return first.name
                first = None
            if ev.pronoun:
                if ev.pronoun == gender:
                    first = ev
            elif ev.name != exclude and index.gender(ev.name) == gender and (not age or index.age(ev.name) == age):
                first = ev
        return first.name if first and first.name else None

    def resolve_other(self, speaker: str | None, para: int, pos: int, index: CharacterIndex) -> str | None:
        """The latest-named character other than `speaker`, within a few paragraphs: someone who may be
        heard (not "Chelsea", a place that passed for a name)."""
        for ev in reversed(self.events):
            if (ev.para, ev.pos) >= (para, pos) or ev.name == speaker or not ev.name:
                continue
            if ev.name not in index.speakers and ev.name != NARRATOR:
                continue
            return ev.name if para - ev.para <= LIMITS["other_paragraphs"] else None
        return None


# --- Speech tags ------------------------------------------------------------------------------


def _subject_at(
    text: str, at: int, index: CharacterIndex, mentions: list[tuple[int, int, str]]
) -> tuple[str, str, int] | None:
    """A name, description or he/she starting at `at`: (kind, value, end)."""
    epithet = _EPITHET.match(text, at)  # "broke in old Isaac Brown"
    for s, e, who in mentions:
        if s == at or (epithet and s == epithet.end()):
            return "name", who, e
    m = _SUBJECT_PRONOUN.match(text, at)
    if m:
        if m.group(1) == "I":
            return "name", NARRATOR, m.end()
        return "pronoun", SUBJECT_PRONOUNS[m.group(1).lower()], m.end()
    other = _THE_OTHER.match(text, at)
    if other:
        return "other", "", other.end()
    kin = _POSSESSED.match(text, at)  # "said her mother": someone of that gender, found as a he/she is
    if kin and PERSON_NOUNS.get(kin.group("noun"), ("unknown",))[0] != "unknown":
        # "said her mother": a woman, and not the "her" (the latest woman named) when both are women
        owner = {"his": "male", "her": "female"}.get(kin.group(0).split()[0], "")
        return "kin", f"{PERSON_NOUNS[kin.group('noun')][0]}:{owner}:{kin.group('noun')}", kin.end()
    d = _DESCRIBED.match(text, at)
    return _described_subject(d, index, mentions) if d else None


def _described_subject(
    d: re.Match[str], index: CharacterIndex, mentions: list[tuple[int, int, str]]
) -> tuple[str, str, int] | None:
    """The person a description means: "said the motionless Syme", "said the first policeman"
    (known as "the policeman"), or whichever man is in view for "the young man"."""
    for s, e, named in mentions:
        if s == d.start("noun"):
            return "name", named, e
    who = index.resolve("the " + d.group("noun")) or index.resolve(d.group("noun"))
    if who:
        return "name", who, d.end()
    # "the young man", or "said the hostess" where no one is known by it: whoever of that sex is in view;
    # "the old lady": the old woman in view, if there is one.
    gender = GENERIC_PEOPLE.get(d.group("noun")) or PERSON_NOUNS.get(d.group("noun"), ("unknown",))[0]
    if gender != "unknown" and d.group("noun") in GENERIC_PEOPLE and d.group(0).split()[1] in ELDERLY_WORDS:
        return "aged", gender, d.end()
    if gender != "unknown":
        return "pronoun", gender, d.end()
    return None


def _speech_verb_at(text: str, at: int) -> int | None:
    """End of a speech verb at `at` ("said", "went on", "broke in"), else None."""
    m = _SPEECH_AT.match(text, at)
    if m and m.group(1) in SPEECH_VERBS | PHRASAL_SPEECH_VERBS:
        if m.group(1) in PHRASAL_SPEECH_VERBS and m.end() == m.end(1):
            return None  # "broke" alone is not speech; "broke in" is
        return m.end()
    return None


def _skip_space(text: str, at: int) -> int:
    return at + len(text[at:]) - len(text[at:].lstrip())


def tag_after(text: str, index: CharacterIndex) -> tuple[str, str] | None:
    """A speech tag opening the narration that follows a quote: ("name"|"pronoun"|"aged"|"kin"|"other", value)."""
    at = _LEAD.match(text).end()  # type: ignore[union-attr]
    mentions = index.mentions(text[: at + LIMITS["tag_after_chars"]])
    subj = _subject_at(text, at, index, mentions)
    if subj:  # "Leo said", "she whispered"
        kind, value, end = subj
        return (kind, value) if _speech_verb_at(text, _skip_space(text, end)) is not None else None
    verb_end = _speech_verb_at(text, at)
    if verb_end is not None:  # "said Leo", "broke in old Isaac Brown"
        subj = _subject_at(text, _skip_space(text, verb_end), index, mentions)
        return (subj[0], subj[1]) if subj else None
    poss = _POSSESSIVE_AFTER.match(text)  # "was Mr. Emerson's reply"
    if poss:
        who = index.resolve(poss.group("who").strip())
        if who:
            return "name", who
    return None


def tag_before(text: str, index: CharacterIndex) -> tuple[str, str] | None:
    """A speech tag closing the narration just before a quote: "Leo said, " / "said the boy: " /
    "the Mock Turtle drew a long breath, and said " / "Emma's answer was, "."""
    tail = text.rstrip()
    poss = _POSSESSIVE_BEFORE.search(tail)
    if poss:
        names = index.mentions(poss.group("who"))
        if names:
            return "name", names[-1][2]
    last = _LAST_WORD.search(tail)
    said_to = _SAID_TO.search(tail)
    ends_as_tag = _ENDS_AS_TAG.search(tail) or (said_to and said_to.group(1) in SPEECH_VERBS)
    if not last or not (ends_as_tag or last.group(1).lower() in SPEECH_VERBS):
        return None
    spans = sentence_spans(text)
    if not spans:
        return None
    s, e = spans[-1]
    sentence = text[s:e]
    if _silence_in(sentence):
        return None  # "He made no answer."
    verb: re.Match[str] | None = next(
        (w for w in reversed(list(_WORD.finditer(sentence))) if w.group().lower() in SPEECH_VERBS), None
    )
    burst = list(_BURST_OUT.finditer(sentence))  # "…but suddenly she broke out:"
    if burst and (verb is None or burst[-1].start() > verb.start()):
        verb = burst[-1]
    if verb is None or len(sentence) - verb.end() > LIMITS["tag_verb_tail_chars"]:
        return None
    mentions = index.mentions(sentence)
    # "said Leo," : the subject follows the verb.
    subj = _subject_at(sentence, _skip_space(sentence, verb.end()), index, mentions)
    if subj and subj[0] == "name":
        return subj[0], subj[1]
    return _subject_before_verb(sentence, verb.start(), mentions)


def _subject_before_verb(sentence: str, verb: int, mentions: list[tuple[int, int, str]]) -> tuple[str, str] | None:
    """ "Leo said," / "She turned to him and said," : the sentence's subject, the person who does
    something ("the Mock Turtle drew a long breath"), not the one it is done to."""
    before = [(st, en, who) for st, en, who in mentions if st < verb]
    # "No sooner was she out of sight, than Emma exclaimed," : the name just before the verb speaks.
    adjacent = [m for m in before if _JUST_BEFORE.fullmatch(sentence, m[1], verb)]
    if adjacent:
        return "name", adjacent[-1][2]
    near = [
        p for p in _SUBJECT_PRONOUN_WORD.finditer(sentence, 0, verb) if _JUST_BEFORE.fullmatch(sentence, p.end(), verb)
    ]
    if near:  # "When Leo came in, she said,"
        return (
            ("name", NARRATOR) if near[-1].group(1) == "I" else ("pronoun", SUBJECT_PRONOUNS[near[-1].group(1).lower()])
        )
    # "…her faithful Isabella, who in great spirits exclaimed," : the relative clause speaks.
    relative = [m for m in before if _RELATIVE.match(sentence, m[1])]
    if relative:
        return "name", relative[-1][2]
    acting = [m for m in before if _PAST_VERB.match(sentence, m[1])]
    first_name = (acting[-1][0], acting[-1][2]) if acting else ((before[0][0], before[0][2]) if before else None)
    pron = _SUBJECT_PRONOUN_WORD.search(sentence[:verb])
    if first_name and (pron is None or first_name[0] < pron.start()):
        return "name", first_name[1]
    if pron and pron.group(1) == "I":
        return "name", NARRATOR
    if pron:
        return "pronoun", SUBJECT_PRONOUNS[pron.group(1).lower()]
    return None


# --- Vocatives --------------------------------------------------------------------------------


def vocatives(quote: str) -> list[str]:
    """Names a quote addresses: "Emma, come here." / "…, Mr. Knightley!" (not "I" or a plain word)."""
    out = []
    for rx in (_VOCATIVE_START, _VOCATIVE_INNER):
        for m in rx.finditer(quote):
            name = m.group(1)
            first = name.split()[0].lower().rstrip(".")
            if (
                name != "I"
                and first not in NOT_NAMES
                and not all(w.lower().rstrip(".") in TITLES for w in name.split())
            ):
                out.append(name)
    return out


def _is_vocative(name: str, quote: str, index: CharacterIndex) -> bool:
    """Whether the quote addresses `name` ("Dad, look!", "…, Pip."): then it is not theirs."""
    for s, e, who in index.mentions(quote):
        if who != name:
            continue
        before, after = quote[:s].rstrip(), quote[e:].lstrip()
        if (not before or before[-1] in ",!?.") and after[:1] in (",", "!", "?", ".", ""):
            return True
    return False


# --- The chapter's state, shared by the rules --------------------------------------------------


@dataclass
class _Chapter:
    """What the rules read and write while they go through one chapter."""

    paragraphs: tuple[Paragraph, ...]
    quotes: list[Quote]
    index: CharacterIndex
    decisions: list[Decision]
    by_para: dict[int, list[int]]  # the speech quotes opening in each paragraph, in order
    opens_in: dict[int, list[int]]  # per paragraph, sorted: where those quotes open
    closes_in: dict[int, list[int]]  # ... and where those that also end in it close
    history: _History = field(default_factory=_History)
    pronoun_tags: dict[int, str] = field(default_factory=dict)  # quote -> the gender of its he/she tag
    kin_of: dict[int, str] = field(default_factory=dict)  # quote -> whose relative says it ("said her aunt")
    # The paragraphs that hold speech, and the speaker heard last in each (for turn-taking).
    para_speaker: dict[int, str | None] = field(default_factory=dict)
    addressed: dict[int, set[str | None]] = field(default_factory=dict)  # quote -> whom it addresses, once read

    @classmethod
    def of(cls, paragraphs: tuple[Paragraph, ...], quotes: list[Quote], index: CharacterIndex) -> _Chapter:
        by_para: dict[int, list[int]] = {}
        for qi, q in enumerate(quotes):
            if q.speech:
                by_para.setdefault(q.para, []).append(qi)
        opens_in = {p: sorted(quotes[qi].open for qi in qis) for p, qis in by_para.items()}
        closes_in = {
            p: sorted(quotes[qi].close for qi in qis if quotes[qi].end_para == p) for p, qis in by_para.items()
        }
        return cls(paragraphs, quotes, index, [Decision() for _ in quotes], by_para, opens_in, closes_in)

    def before(self, q: Quote) -> str:
        """The narration before `q` in its paragraph, from the close of the last quote that opened and ended there."""
        prev_close = _last_at_most(self.closes_in.get(q.para, []), q.open, default=0)
        return self.paragraphs[q.para].text[prev_close : q.open]

    def after(self, q: Quote) -> str:
        """The narration from the end of `q` to the next speech quote opening in its last paragraph."""
        t = self.paragraphs[q.end_para].text
        nxt = _first_at_least(self.opens_in.get(q.end_para, []), q.close, default=len(t))
        return t[q.close : nxt]

    def lead_in(self, p: int) -> str | None:
        """The narration that closes paragraph p - 1 and may introduce p's speech: the whole paragraph,
        or what follows its last speech when that is more than the speech's own tag and ends as a
        tag does ('"…," said Ann. Then she turned to Bo and added,')."""
        text = self.paragraphs[p - 1].text
        ends = [self.quotes[qi].close for qi in self.by_para.get(p - 1, []) if self.quotes[qi].end_para == p - 1]
        if not ends:
            return None if (p - 1) in self.para_speaker else text  # p - 1 is the middle of a speech
        tail = text[max(ends) :].rstrip()
        if not _ENDS_AS_TAG.search(tail) or (tag_after(tail, self.index) and len(sentence_spans(tail)) < 2):
            return None  # '"…," was what her eyes said.' tells of that speech, not of the next
        return tail

    def decided(self, qis: list[int]) -> bool:
        """Whether any of these quotes has a speaker."""
        return any(self.decisions[qi].speaker for qi in qis)

    def decide(self, qi: int, who: str | None, rule: str) -> None:
        if who:
            self.decisions[qi] = Decision(who, rule, CONFIDENCE[rule])

    def addressed_in(self, qis: list[int]) -> set[str | None]:
        """Who these quotes address by name (each quote read once: several rules ask about it)."""
        for qi in qis:
            if qi not in self.addressed:
                self.addressed[qi] = {self.index.resolve(v) for v in vocatives(self.quotes[qi].text)}
        return set().union(*(self.addressed[qi] for qi in qis))


def _last_at_most(ascending: list[int], limit: int, default: int) -> int:
    """The largest value that is <= limit, else default."""
    at = bisect.bisect_right(ascending, limit)
    return ascending[at - 1] if at else default


def _first_at_least(ascending: list[int], limit: int, default: int) -> int:
    """The smallest value that is >= limit, else default."""
    at = bisect.bisect_left(ascending, limit)
    return ascending[at] if at < len(ascending) else default


def attribute_chapter(paragraphs: tuple[Paragraph, ...], quotes: list[Quote], index: CharacterIndex) -> list[Decision]:
    """A Decision for each quote of a chapter (non-speech quotes get an empty one)."""
    ch = _Chapter.of(paragraphs, quotes, index)
    touching = speech_by_paragraph(quotes, len(paragraphs))
    for p in range(len(paragraphs)):
        _note_mentions(ch, p, [quotes[qi] for qi in touching[p]])
        qis = ch.by_para.get(p, [])
        if not qis:
            continue
        _rule_tag(ch, p, qis)
        if not ch.decided(qis):
            _note_silent(ch, p, qis)
            _rule_beat(ch, p, qis)
        _rule_paragraph(ch, qis)
        if not ch.decided(qis) and (p - 1) in ch.para_speaker:
            _rule_turn(ch, p, qis)
        _hear(ch, p, qis)
    _rule_turn_backwards(ch)
    _rule_conversation(ch)
    return ch.decisions


def _note_silent(ch: _Chapter, p: int, qis: list[int]) -> None:
    """A paragraph of narration that ends "Ingrid made no answer." and then untagged speech: the speech
    is said to her (whoever the rules pick, it is not hers)."""
    if ch.before(ch.quotes[qis[0]]).strip() or p == 0 or ch.by_para.get(p - 1) or (p - 1) in ch.para_speaker:
        return
    spans = sentence_spans(ch.paragraphs[p - 1].text)
    sentence = ch.paragraphs[p - 1].text[spans[-1][0] : spans[-1][1]] if spans else ""
    silence = _silence_in(sentence)
    named = [who for st, _, who in ch.index.mentions(sentence) if silence and st < silence.start()]
    subject = _SENTENCE_SUBJECT.match(sentence)
    if named and named[0] in ch.index.speakers:
        who: str | None = named[0]
    elif silence and subject and subject.group(1) != "I" and subject.end() <= silence.start():
        who = ch.history.resolve(SUBJECT_PRONOUNS[subject.group(1).lower()], p, 0, ch.index)
    else:
        return
    ch.addressed_in(qis[:1])
    ch.addressed[qis[0]].add(who)


def _note_mentions(ch: _Chapter, p: int, here: list[Quote]) -> None:
    """Record who paragraph `p`'s narration names, and its he/she, sentence by sentence."""
    text = ch.paragraphs[p].text
    for piece_start, piece_end in _outside_speech(p, text, here):
        chunk = text[piece_start:piece_end]
        for s, e in sentence_spans(chunk):
            sentence = (p, piece_start + s)
            for ms, _, who in ch.index.mentions(chunk[s:e]):
                if who not in ch.index.groups:  # "the Emersons" are no "he" or "she", nor one speaker
                    ch.history.add(p, piece_start + s + ms, sentence, who)
            for pm in _GENDERED.finditer(chunk, s, e):
                ch.history.add(p, piece_start + pm.start(), sentence, "", pronoun_gender(pm.group(1)))


def _outside_speech(p: int, text: str, here: list[Quote]) -> list[tuple[int, int]]:
    """The narration of paragraph `p`: the stretches outside the speech quotes that touch it (`here`,
    in order; one may have opened in an earlier paragraph or run on into a later one)."""
    pieces: list[tuple[int, int]] = []
    cursor = 0
    for q in here:
        q_start = q.open if q.para == p else 0
        q_end = q.close if q.end_para == p else len(text)
        if q_start > cursor:
            pieces.append((cursor, q_start))
        cursor = max(cursor, q_end)
    if cursor < len(text):
        pieces.append((cursor, len(text)))
    return pieces


def _rule_tag(ch: _Chapter, p: int, qis: list[int]) -> None:
    """1. Each quote with a speech tag after it, else before it, is its subject's."""
    for qi in qis:
        q = ch.quotes[qi]
        found = tag_after(ch.after(q), ch.index)
        where = (q.end_para, q.close)
        if found is None:
            found = tag_before(ch.before(q), ch.index)
            where = (p, q.open)
        if found is None and qi == qis[0] and not ch.before(q).strip() and p > 0:
            lead_in = ch.lead_in(p)  # "…and called out as she entered the library," then the speech
            found = tag_before(lead_in, ch.index) if lead_in else None
        if found is None:
            continue
        kind, value = found
        who: str | None = value
        if kind == "other":  # "replied the other": not the one who spoke last
            who = ch.history.resolve_other(ch.para_speaker.get(p - 1), *where, ch.index)
        elif kind == "aged":  # "said the old lady": the old woman in view, else any woman
            who = ch.history.resolve(value, *where, ch.index, age="elderly")
            who = who or ch.history.resolve(value, *where, ch.index)
            ch.pronoun_tags[qi] = value
        elif kind == "pronoun":
            answers = qi == qis[0] and not ch.before(q).strip()  # a reply opening its paragraph
            who = (_addressed_before(ch, p, value) if answers else None) or ch.history.resolve(value, *where, ch.index)
            if who and who in ch.addressed_in(qis):  # '"…, Harriet?" said she': not Harriet
                who = ch.history.resolve(value, *where, ch.index, exclude=who)
            ch.pronoun_tags[qi] = value
        elif kind == "kin":
            gender, owner, noun = value.split(":")
            whose = ch.history.resolve(owner, *where, ch.index) if owner else None
            if whose:
                ch.kin_of[qi] = whose
            who = _relative(ch.index, whose, gender, noun)
            if who is None:
                who = ch.history.resolve(gender, *where, ch.index, exclude=whose if owner == gender else None)
            ch.pronoun_tags[qi] = gender
        ch.decide(qi, who, "tag" if kind == "name" else "tag:pronoun")  # a kin or aged tag is read as a he/she


def _addressed_before(ch: _Chapter, p: int, gender: str) -> str | None:
    """ "…, Miss Fairfax?" then "…," said she: the one person of that gender the line before addressed
    by name answers, when it is not who spoke it."""
    prev = ch.by_para.get(p - 1)
    if not prev:
        return None
    said = {ch.decisions[qi].speaker for qi in prev}
    fits = {who for who in ch.addressed_in(prev) if who and who not in said and ch.index.gender(who) == gender}
    return fits.pop() if len(fits) == 1 else None


def _relative(index: CharacterIndex, whose: str | None, gender: str, noun: str) -> str | None:
    """ "said her father", Emma's: the one other character of that gender who bears her family name
    (Mr. Woodhouse), a parent or a spouse by "Mr."/"Mrs." when there are several."""
    if noun == "lady" and index.gender(whose) == "male":
        noun = "wife"  # "said his lady"
    family = _surnames(index, whose)
    if not family:
        return None
    kin = [
        c.name
        for c in index.characters.values()
        if c.name != whose and c.gender == gender and family & _surnames(index, c.name)
    ]
    if len(kin) > 1 and noun in _TITLED_KIN:
        kin = [n for n in kin if any(a.split()[0] in ("Mr.", "Mrs.") for a in (n, *index.characters[n].aliases))]
    return kin[0] if len(kin) == 1 else None


_TITLED_KIN = frozenset({"father", "mother", "husband", "wife"})


def _surnames(index: CharacterIndex, name: str | None) -> set[str]:
    """The family names a character goes by: the last word of each name of theirs with more than one."""
    c = index.characters.get(name or "")
    if c is None:
        return set()
    return {n.split()[-1] for n in (c.name, *c.aliases) if len(n.split()) > 1 and n != NARRATOR}


def _rule_beat(ch: _Chapter, p: int, qis: list[int]) -> None:
    """2. With no tag in the paragraph, its first quote is whoever acts in the sentence before it,
    else after it, else (for a paragraph of pure speech) at the end of the paragraph before."""
    first = ch.quotes[qis[0]]
    before = ch.before(first)
    who, rule = _beat(before, last=True, ch=ch, para=p, pos=first.open, quote=first.text)
    if who is None:
        who, rule = _beat(ch.after(first), last=False, ch=ch, para=p, pos=first.open, quote=first.text)
    if who is None and not before.strip() and p > 0 and (p - 1) not in ch.para_speaker:
        # "Professor Hale cleared her throat." then a paragraph that is only speech.
        who, _ = _beat(ch.paragraphs[p - 1].text, last=True, ch=ch, para=p, pos=0, quote=first.text)
        rule = "beat:previous"
    said = next((ch.pronoun_tags[qi] for qi in qis if qi in ch.pronoun_tags), "")
    if said and (who == NARRATOR or ch.index.gender(who) not in (said, "unknown")):
        return  # '"But it is," returned she': not the man the sentence before names, nor "I"
    ch.decide(qis[0], who, rule)


def _beat(text: str, *, last: bool, ch: _Chapter, para: int, pos: int, quote: str) -> tuple[str | None, str]:
    """The character acting in the sentence beside a quote (the last sentence before it, or the
    first after it), unless the quote addresses them."""
    spans = sentence_spans(text)
    if not spans:
        return None, ""
    s, e = spans[-1] if last else spans[0]
    sentence = text[s:e]
    if _silence_in(sentence):
        return None, ""  # "He made no answer.": he is the one who does not speak
    # Not whom the quote addresses, nor whom it speaks of ("If I had not persuaded Harriet…" is not Harriet's).
    spoken_of = {who for _, _, who in ch.index.mentions(quote)}
    mentions = [
        m
        for m in ch.index.mentions(sentence)
        if m[2] in ch.index.speakers and m[2] not in spoken_of and not _is_vocative(m[2], quote, ch.index)
    ]
    # The one who acts ("Turning to Harriet, Emma laughed": Emma), else the first named; never someone
    # the sentence turns to, looks at or is with ("He turned to Mr. Wilcox.", "She walked on with Emma.").
    turned_to = [m[2] for m in mentions if _TURNED_TO.search(sentence, max(0, m[0] - 12), m[0])]
    mentions = [m for m in mentions if m[2] not in turned_to]
    acting = [m for m in mentions if _PAST_VERB.match(sentence, m[1])]
    if acting or mentions:
        return (acting or mentions)[0][2], "beat"
    m = _SENTENCE_SUBJECT.match(sentence)
    if m and m.group(1) == "I":
        return NARRATOR, "beat"
    if m:
        gender = SUBJECT_PRONOUNS[m.group(1).lower()]
        who = ch.history.resolve(gender, para, pos, ch.index, exclude=turned_to[0] if turned_to else None)
        if who and who not in spoken_of and not _is_vocative(who, quote, ch.index):
            return who, "beat:pronoun"
    return None, ""


# A name after a preposition is not the sentence's subject: whom it turns to ("He turned to Mr. Wilcox",
# "She looked at Emma", "appealed to Lucy"), goes with or waits for ("walked on with Emma").
_TURNED_TO = re.compile(r"\b(?:to|at|towards|toward|upon|with|for|from|by|beside|behind)\s+$")


def _rule_paragraph(ch: _Chapter, qis: list[int]) -> None:
    """3. The paragraph's other quotes share the speaker of the nearest decided one (the earlier on a tie)."""
    known = [(qi, ch.decisions[qi]) for qi in qis if ch.decisions[qi].speaker]
    if not known:
        return
    for qi in qis:
        if not ch.decisions[qi].speaker:
            src = _nearest(known, qi)
            ch.decisions[qi] = Decision(src.speaker, "paragraph", min(src.confidence, CONFIDENCE["paragraph"]))


def _nearest(known: list[tuple[int, Decision]], qi: int) -> Decision:
    """The decision of the quote nearest to quote `qi`, the earlier one on a tie."""
    return min(known, key=lambda k: (abs(k[0] - qi), k[0] > qi))[1]


def _rule_turn(ch: _Chapter, p: int, qis: list[int]) -> None:
    """4. An untagged paragraph after one with speech: whoever the line before addressed by name
    answers; else the two people of the conversation alternate; else, when it has just begun, the
    other one is whoever else was last in view. Never someone these lines themselves address."""
    own = ch.addressed_in(qis)
    a, b = ch.para_speaker.get(p - 2), ch.para_speaker[p - 1]
    who: str | None = None
    rule = ""
    prev_quotes = ch.by_para.get(p - 1)
    addressed = [ch.index.resolve(v) for v in vocatives(ch.quotes[prev_quotes[-1]].text)] if prev_quotes else []
    addressed = [x for x in addressed if x and x != b and x not in own]
    if addressed:
        who, rule = addressed[-1], "vocative"  # "…, Emma." then Emma answers
    elif a and a != b:
        who, rule = a, "turn"
    elif b and (p - 2) not in ch.para_speaker:
        who, rule = ch.history.resolve_other(b, p, 0, ch.index), "turn:other"
    if who and who not in own:
        for qi in qis:
            ch.decide(qi, who, rule)


def _hear(ch: _Chapter, p: int, qis: list[int]) -> None:
    """After the rules: the paragraph's last speaker is the one heard there (and in the later
    paragraphs a speech of it runs into), and each speaker is in view where their quote ends."""
    speaker = ch.decisions[qis[-1]].speaker
    ch.para_speaker[p] = speaker
    for qi in qis:
        who = ch.decisions[qi].speaker
        if who:
            q = ch.quotes[qi]
            ch.history.add(q.end_para, q.close, (q.end_para, -qi - 1), who)
    last = max(ch.quotes[qi].end_para for qi in qis)
    for later in range(p + 1, last + 1):
        ch.para_speaker[later] = speaker


def _rule_turn_backwards(ch: _Chapter) -> None:
    """5. Turn-taking read backwards: an undecided line two paragraphs before a known one, with
    someone else speaking between them, is theirs too (unless it addresses them)."""
    for p in sorted(ch.by_para, reverse=True):
        qis = ch.by_para[p]
        if ch.decided(qis):
            continue
        a, b = ch.para_speaker.get(p + 2), ch.para_speaker.get(p + 1)
        if a and (p + 1) in ch.para_speaker and a != b and a not in ch.addressed_in(qis):
            for qi in qis:
                ch.decide(qi, a, "turn")
            ch.para_speaker[p] = a


def _rule_conversation(ch: _Chapter) -> None:
    """6. Each conversation decoded whole (conversation.py): the turns the chain decided, or left
    undecided, and the he/she tags, given the speakers that best fit the whole run."""
    named: dict[int, list[str]] = {}  # who each paragraph's narration names, in order
    for ev in ch.history.events:
        if ev.name and ev.sentence[1] >= 0 and ev.name in ch.index.speakers:
            named.setdefault(ev.para, []).append(ev.name)
    for run in _conversations(ch):
        turns = [_turn(ch, p, set(named.get(p, ()))) for p in run]
        before = _speakers_before(ch, run[0], named)
        for p, turn, (who, margin) in zip(run, turns, decode_with_margins(turns, before, _gender_of(ch.index))):
            if who is None or not turn.free:
                continue
            if who == NARRATOR and turn.gender:  # "…," he said: someone the book has not named, never "I"
                who, margin = None, 0.0
            for qi in ch.by_para[p]:
                d = ch.decisions[qi]
                if d.rule in CHAIN_RULES | SOFT or (d.rule == "paragraph" and turn.anchor_rule in SOFT):
                    # A chain's guess the decoder overrules is a turn; a text's own evidence keeps its name.
                    kept = d.rule not in CHAIN_RULES or (d.rule in SOFT and d.speaker == who)
                    rule = d.rule if kept else "turn"
                    ch.decisions[qi] = Decision(who, rule, min(CONFIDENCE[rule], _sureness(margin)))
            ch.para_speaker[p] = who


def _gender_of(index: CharacterIndex) -> Callable[[str], str]:
    """Genders as the decoder reads them: a first-person narrator is never the "he" or "she" of a tag."""
    return lambda who: FIRST_PERSON if who == NARRATOR else index.gender(who)


def _sureness(margin: float) -> float:
    """A decoded line's confidence from its margin (how much likelier the best reading with its
    speaker is than the best with anyone else): two readings alike give the least, a clear one the most."""
    low, high = CONVERSATION["least_sure"], CONVERSATION["most_sure"]
    return round(low + (high - low) * (1 - math.exp(-margin)), 2)


def _conversations(ch: _Chapter) -> list[list[int]]:
    """Runs of paragraphs with speech, each starting where the one before (and any speech of it
    running on) ended."""
    runs: list[list[int]] = []
    end = -2
    for p in sorted(ch.by_para):
        if p == end + 1 and runs:
            runs[-1].append(p)
        else:
            runs.append([p])
        end = max(ch.quotes[qi].end_para for qi in ch.by_para[p])
    return runs


def _turn(ch: _Chapter, p: int, named: set[str]) -> Turn:
    qis = ch.by_para[p]
    anchored = [qi for qi in qis if ch.decisions[qi].speaker and ch.decisions[qi].rule not in CHAIN_RULES - SOFT]
    # "…," said she, "…": the second quote copies the first (rule `paragraph`); the turn is as soft as it.
    sources = [qi for qi in anchored if ch.decisions[qi].rule != "paragraph"]
    if sources and all(ch.decisions[qi].rule in SOFT for qi in sources):
        anchored = sources
    last = anchored[-1] if anchored else None
    anchor = ch.decisions[last].speaker if last is not None else None
    rule = ch.decisions[last].rule if last is not None else ""
    # The anchor's he/she, else any the paragraph's tags say ("coolly replied he" with no man in view).
    tagged = [last] if last is not None and rule == "tag:pronoun" else []
    gender = next((ch.pronoun_tags[qi] for qi in [*tagged, *qis] if qi in ch.pronoun_tags), "")
    addresses = {who for who in ch.addressed_in(qis) if who}
    free = last is None or rule in SOFT
    chained = [ch.decisions[qi].speaker for qi in qis if ch.decisions[qi].rule in ("turn", "turn:other")]
    polite = {_POLITE[m.group(1).lower()] for qi in qis for m in _POLITE_RX.finditer(ch.quotes[qi].text)}
    spoken_of = {who for qi in qis for _, _, who in ch.index.mentions(ch.quotes[qi].text)} - addresses
    spoken_of |= {ch.kin_of[qi] for qi in qis if qi in ch.kin_of}  # "said her aunt": not the niece
    return Turn(
        p,
        anchor,
        rule,
        gender,
        addresses,
        named,
        free,
        chained[-1] if chained else None,
        polite.pop() if len(polite) == 1 else "",
        frozenset(spoken_of),
    )


def _speakers_before(ch: _Chapter, p: int, named: dict[int, list[str]]) -> list[str]:
    """Who was in view shortly before paragraph `p`: the speakers of the last paragraphs of speech and
    the people the narration named, a few paragraphs back, the latest last."""
    start = max(0, p - LIMITS["conversation_gap_paragraphs"])
    heard = [who for q in range(start, p) if (who := ch.para_speaker.get(q))]
    seen = [who for q in range(start, p) for who in named.get(q, ())]
    out: list[str] = []
    for who in heard[-2:] + seen[-4:]:
        if who not in out:
            out.append(who)
    return out
