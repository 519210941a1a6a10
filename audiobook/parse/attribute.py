"""Speaker attribution: a sieve of explainable rules, the most precise first.

1. tag        "…,” Leo said. / said Leo / Leo said, “…” / “…,” she whispered, “…”  (names, he/she, "the doctor")
2. beat       a character acting in the sentence next to the quote: "Witney crouched beside him. “…”"
3. paragraph  another quote in the same paragraph has a speaker
4. turn       an untagged run of a two-person conversation alternates
Each quote keeps the rule that decided it. No evidence leaves the speaker unknown (None).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..model import Paragraph
from .characters import CharacterIndex
from .lexicon import GENERIC_PEOPLE, IRREGULAR_PAST, NOT_NAMES, SPEECH_VERBS, SUBJECT_PRONOUNS, TITLES, sentence_spans
from .quotes import Quote, speech_by_paragraph

CONFIDENCE = {
    "tag": 0.95,
    "tag:pronoun": 0.85,
    "beat": 0.75,
    "beat:pronoun": 0.65,
    "beat:previous": 0.6,
    "paragraph": 0.85,
    "turn": 0.6,
    "turn:other": 0.5,
    "vocative": 0.7,
}

_ADVERB = r"(?:[a-z]+ly\s+)?"
_GENDERED = re.compile(r"\b(he|him|his|himself|she|her|hers|herself|He|His|She|Her)\b")
_THE_OTHER = re.compile(r"[Tt]he other\b")
_DESCRIBED = re.compile(r"[Tt]he\s+(?:[a-z]+\s+)?(?P<noun>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?|[a-z]+)\b")
_SUBJECT_PRONOUN = re.compile(r"(he|she|He|She|I)\b")
# The speaker behind a first-person "I said": named after parsing, from what others call them.
NARRATOR = "\u2063I"
_LEAD = re.compile(r"^[\s,;:\u2014\u2013-]*")


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
        self, gender: str, para: int, pos: int, index: CharacterIndex, exclude: str | None = None
    ) -> str | None:
        """The character a he/she at (para, pos) most likely means: the first one of that gender in
        the latest sentence that has one (subjects come first), looking back a few paragraphs.
        A sentence that speaks of its woman as "she" before naming one ("She connected him with
        Mary") is about someone already known: look further back."""
        first: _Event | None = None
        for ev in reversed(self.events):
            if (ev.para, ev.pos) >= (para, pos):
                continue
            if para - ev.para > 6:
                break
            if first is not None and ev.sentence != first.sentence:
                if first.name:
                    return first.name
                first = None
            if ev.pronoun:
                if ev.pronoun == gender:
                    first = ev
            elif ev.name != exclude and index.gender(ev.name) == gender:
                first = ev
        return first.name if first and first.name else None

    def resolve_other(self, speaker: str | None, para: int, pos: int, index: CharacterIndex) -> str | None:
        """The latest-named character other than `speaker`, within a few paragraphs."""
        for ev in reversed(self.events):
            if (ev.para, ev.pos) >= (para, pos) or ev.name == speaker or not ev.name:
                continue
            return ev.name if para - ev.para <= 4 else None
        return None


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
    if _THE_OTHER.match(text, at):
        return "other", "", at + 9
    d = _DESCRIBED.match(text, at)
    if d:
        # "said the motionless Syme", "said the first policeman" (known as "the policeman")
        for s, e, who in mentions:
            if s == d.start("noun"):
                return "name", who, e
        who = index.resolve("the " + d.group("noun")) or index.resolve(d.group("noun"))
        if who:
            return "name", who, d.end()
        gender = GENERIC_PEOPLE.get(d.group("noun"))
        if gender and gender != "unknown":
            return "pronoun", gender, d.end()  # "the young man": whichever man is in view
    return None


_SPEECH_AT = re.compile(rf"{_ADVERB}([a-z]+)\b(?:\s+(?:in|on|out|up)\b(?!\s+(?:a|an|the|his|her|their)\b))?")
_EPITHET = re.compile(r"(?:old|young|little|poor|dear|good|big|tall|small)\s+")


def _speech_verb_at(text: str, at: int) -> int | None:
    """End of a speech verb at `at` ("said", "went on", "broke in"), else None."""
    m = _SPEECH_AT.match(text, at)
    if m and m.group(1) in SPEECH_VERBS | {"broke", "put", "chimed", "went"}:
        if m.group(1) in ("broke", "put", "chimed", "went") and m.end() == m.end(1):
            return None  # "broke" alone is not speech; "broke in" is
        return m.end()
    return None


_REPLY_NOUNS = r"(?:reply|answer|response|retort|rejoinder|words|exclamation|cry|question|remark|comment|voice)"
# "…," was Mr. Emerson's reply.  /  Emma's answer was, "…"
_POSSESSIVE_AFTER = re.compile(
    rf"^\s*(?:was|were|came|is)\s+(?P<who>.+?)(?:['\u2019]s|\s s)\s+(?:[a-z]+\s+)?{_REPLY_NOUNS}\b"
)
_POSSESSIVE_BEFORE = re.compile(
    rf"(?P<who>[A-Z][\w.' ]*?)(?:['\u2019]s|\s s)\s+(?:[a-z]+\s+){{0,2}}{_REPLY_NOUNS}"
    r"(?:\s+(?:was|were|came))?(?:,\s*it\s+was)?[,:]?\s*$"
)
_RELATIVE = re.compile(r",\s+(?:who|whose)\b")
_PAST_VERB = re.compile(
    r"(?:,\s+[a-z]+ing\b|\s+(?:[a-z]+ly\s+)?(?:had\s+|having\s+)?(?:[a-z]+ed|"
    + "|".join(sorted(SPEECH_VERBS))
    + "|"
    + "|".join(IRREGULAR_PAST)
    + r")\b)"
)


def tag_after(text: str, index: CharacterIndex) -> tuple[str, str] | None:
    """A speech tag opening the narration that follows a quote: ("name"|"pronoun", value)."""
    at = _LEAD.match(text).end()  # type: ignore[union-attr]
    mentions = index.mentions(text[: at + 80])
    subj = _subject_at(text, at, index, mentions)
    if subj:
        kind, value, end = subj
        rest = end + len(text[end:]) - len(text[end:].lstrip())
        if _speech_verb_at(text, rest) is not None:
            return kind, value
        return None
    verb_end = _speech_verb_at(text, at)
    if verb_end is not None:
        rest = verb_end + len(text[verb_end:]) - len(text[verb_end:].lstrip())
        subj = _subject_at(text, rest, index, mentions)
        return (subj[0], subj[1]) if subj else None
    poss = _POSSESSIVE_AFTER.match(text)
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
    last = re.search(r"([A-Za-z]+)\W*$", tail)
    if not last or not (re.search(r"[,:\u2014]$", tail) or last.group(1).lower() in SPEECH_VERBS):
        return None
    spans = sentence_spans(text)
    if not spans:
        return None
    s, e = spans[-1]
    sentence = text[s:e]
    words = list(re.finditer(r"[A-Za-z]+", sentence))
    verb = next((w for w in reversed(words) if w.group().lower() in SPEECH_VERBS), None)
    if verb is None or len(sentence) - verb.end() > 20:
        return None
    mentions = index.mentions(sentence)
    # "said Leo," : the subject follows the verb.
    after = sentence[verb.end() :].lstrip()
    after_at = len(sentence) - len(after)
    subj = _subject_at(sentence, after_at, index, mentions)
    if subj and subj[0] == "name":
        return subj[0], subj[1]
    # "Leo said," / "She turned to him and said," : the sentence's subject, the person who does
    # something ("the Mock Turtle drew a long breath"), not the one it is done to.
    before = [(st, en, who) for st, en, who in mentions if st < verb.start()]
    # "…her faithful Isabella, who in great spirits exclaimed," : the relative clause speaks.
    relative = [m for m in before if _RELATIVE.match(sentence, m[1])]
    if relative:
        return "name", relative[-1][2]
    acting = [m for m in before if _PAST_VERB.match(sentence, m[1])]
    first_name = (acting[-1][0], acting[-1][2]) if acting else ((before[0][0], before[0][2]) if before else None)
    pron = re.search(r"\b(he|she|He|She|I)\b", sentence[: verb.start()])
    if first_name and (pron is None or first_name[0] < pron.start()):
        return "name", first_name[1]
    if pron and pron.group(1) == "I":
        return "name", NARRATOR
    if pron:
        return "pronoun", SUBJECT_PRONOUNS[pron.group(1).lower()]
    return None


_VOC_NAME = (
    r"((?:(?:Mr|Mrs|Ms|Dr|Mme|Mlle)\.?\s+|(?:Miss|Sir|Madame|Monsieur|Mademoiselle|Captain|Colonel|Uncle|"
    r"Aunt|Lady|Lord)\s+)?[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
)
_VOCATIVE_START = re.compile(
    rf"^(?:(?:Oh|Ah|Well|Yes|No|Now|Why|Come|Look|Dear|My dear|Hallo|Hello),?\s+)?{_VOC_NAME}\s*[,!?]"
)
_VOCATIVE_INNER = re.compile(rf"(?:,|\b(?:dear|my|Oh|oh))\s+{_VOC_NAME}\s*(?=[,.!?;\u2014-]|$)")


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


@dataclass
class _Piece:
    start: int
    end: int


def _outside_speech(p: int, text: str, here: list[Quote]) -> list[_Piece]:
    """The narration of paragraph `p`: the stretches outside the speech quotes that touch it (`here`,
    in order; one may have opened in an earlier paragraph or run on into a later one)."""
    pieces: list[_Piece] = []
    cursor = 0
    for q in here:
        q_start = q.open if q.para == p else 0
        q_end = q.close if q.end_para == p else len(text)
        if q_start > cursor:
            pieces.append(_Piece(cursor, q_start))
        cursor = max(cursor, q_end)
    if cursor < len(text):
        pieces.append(_Piece(cursor, len(text)))
    return pieces


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
    decisions = [Decision() for _ in quotes]
    by_para: dict[int, list[int]] = {}
    for qi, q in enumerate(quotes):
        if q.speech:
            by_para.setdefault(q.para, []).append(qi)
    touching = speech_by_paragraph(quotes, len(paragraphs))
    # Per paragraph, sorted: where its speech quotes open, and where those that also end in it close.
    opens_in = {p: sorted(quotes[qi].open for qi in qis) for p, qis in by_para.items()}
    closes_in = {p: sorted(quotes[qi].close for qi in qis if quotes[qi].end_para == p) for p, qis in by_para.items()}
    history = _History()
    # Which paragraphs hold speech, and the speaker heard last in each (for turn-taking).
    para_speaker: dict[int, str | None] = {}

    for p, para in enumerate(paragraphs):
        text = para.text
        qis = by_para.get(p, [])
        for piece in _outside_speech(p, text, [quotes[qi] for qi in touching[p]]):
            chunk = text[piece.start : piece.end]
            for s, e in sentence_spans(chunk):
                for ms, _, who in index.mentions(chunk[s:e]):
                    history.add(p, piece.start + s + ms, (p, piece.start + s), who)
                for pm in _GENDERED.finditer(chunk, s, e):
                    history.add(
                        p,
                        piece.start + pm.start(),
                        (p, piece.start + s),
                        "",
                        "male" if pm.group(1).lower() in ("he", "him", "his", "himself") else "female",
                    )

        if not qis:
            continue

        def narration_before(q: Quote) -> str:
            """From the last close of a quote opened and ended in this paragraph, up to `q`."""
            prev_close = _last_at_most(closes_in.get(p, []), q.open, default=0)
            return text[prev_close : q.open]

        def narration_after(q: Quote) -> str:
            """From the end of `q` to the next speech quote opening in its last paragraph."""
            t = paragraphs[q.end_para].text
            nxt = _first_at_least(opens_in.get(q.end_para, []), q.close, default=len(t))
            return t[q.close : nxt]

        # 1. tags
        for qi in qis:
            q = quotes[qi]
            found = tag_after(narration_after(q), index)
            where = (q.end_para, q.close)
            if found is None:
                found = tag_before(narration_before(q), index)
                where = (p, q.open)
            if (
                found is None
                and qi == qis[0]
                and not narration_before(q).strip()
                and p > 0
                and (p - 1) not in by_para
                and (p - 1) not in para_speaker
            ):
                # "…and called out as she entered the library," then the speech in a paragraph of its own
                found = tag_before(paragraphs[p - 1].text, index)
            if found is None:
                continue
            kind, value = found
            if kind == "name":
                who = value
            elif kind == "other":  # "replied the other": not the one who spoke last
                who = history.resolve_other(para_speaker.get(p - 1), where[0], where[1], index)
            else:
                who = history.resolve(value, where[0], where[1], index)
            if who:
                rule = "tag" if kind == "name" else "tag:pronoun"
                decisions[qi] = Decision(who, rule, CONFIDENCE[rule])

        # 2. action beats, when no quote of the paragraph is tagged
        if not any(decisions[qi].speaker for qi in qis):
            first = quotes[qis[0]]
            before = narration_before(first)
            after = narration_after(first)
            who, rule = _beat(before, last=True, index=index, history=history, para=p, pos=first.open, quote=first.text)
            if who is None:
                who, rule = _beat(
                    after, last=False, index=index, history=history, para=p, pos=first.open, quote=first.text
                )
            if who is None and not before.strip() and p > 0 and (p - 1) not in para_speaker:
                # "Professor Hale cleared her throat." then a paragraph that is only speech.
                prev = paragraphs[p - 1].text
                who, rule = _beat(prev, last=True, index=index, history=history, para=p, pos=0, quote=first.text)
                rule = "beat:previous" if who else ""
            if who:
                decisions[qis[0]] = Decision(who, rule, CONFIDENCE[rule])

        # 3. the rest of the paragraph shares its speaker
        known = [(qi, decisions[qi]) for qi in qis if decisions[qi].speaker]
        if known:
            for qi in qis:
                if not decisions[qi].speaker:
                    src = min(known, key=lambda k: (abs(k[0] - qi), k[0] > qi))[1]
                    decisions[qi] = Decision(src.speaker, "paragraph", min(src.confidence, CONFIDENCE["paragraph"]))

        # 4. turn-taking in a conversation: untagged lines alternate between two people
        if not any(decisions[qi].speaker for qi in qis) and (p - 1) in para_speaker:
            own = {index.resolve(v) for qi in qis for v in vocatives(quotes[qi].text)}
            a, b = para_speaker.get(p - 2), para_speaker[p - 1]
            who, rule = None, ""
            addressed = (
                [index.resolve(v) for v in vocatives(quotes[by_para[p - 1][-1]].text)] if by_para.get(p - 1) else []
            )
            addressed = [x for x in addressed if x and x != b and x not in own]
            if addressed:
                who, rule = addressed[-1], "vocative"  # "…, Emma." then Emma answers
            elif a and a != b:
                who, rule = a, "turn"
            elif b and (p - 2) not in para_speaker:
                # The conversation has just begun: the other person is whoever else was last in view.
                who, rule = history.resolve_other(b, p, 0, index), "turn:other"
            if who and who not in own:
                for qi in qis:
                    decisions[qi] = Decision(who, rule, CONFIDENCE[rule])

        speakers = [decisions[qi].speaker for qi in qis]
        para_speaker[p] = speakers[-1]
        for qi in qis:
            if decisions[qi].speaker:
                history.add(
                    quotes[qi].end_para, quotes[qi].close, (quotes[qi].end_para, -qi - 1), decisions[qi].speaker
                )  # type: ignore[arg-type]
        # A speech running into later paragraphs counts as dialogue there too.
        last = max(quotes[qi].end_para for qi in qis)
        for later in range(p + 1, last + 1):
            para_speaker[later] = speakers[-1]

    # 5. the same, read backwards: a line two paragraphs before a known one is theirs too.
    for p in sorted(by_para, reverse=True):
        qis = by_para[p]
        if any(decisions[qi].speaker for qi in qis):
            continue
        a, b = para_speaker.get(p + 2), para_speaker.get(p + 1)
        if a and (p + 1) in para_speaker and a != b:
            own = {index.resolve(v) for qi in qis for v in vocatives(quotes[qi].text)}
            if a not in own:
                for qi in qis:
                    decisions[qi] = Decision(a, "turn", CONFIDENCE["turn"])
                para_speaker[p] = a
    return decisions


def _beat(
    text: str, *, last: bool, index: CharacterIndex, history: _History, para: int, pos: int, quote: str
) -> tuple[str | None, str]:
    """The character acting in the sentence beside a quote."""
    spans = sentence_spans(text)
    if not spans:
        return None, ""
    s, e = spans[-1] if last else spans[0]
    sentence = text[s:e]
    for _, _, who in index.mentions(sentence):
        if not _is_vocative(who, quote, index):
            return who, "beat"
    m = re.match(r"\s*(He|She|I)\b", sentence)
    if m and m.group(1) == "I":
        return NARRATOR, "beat"
    if m:
        who = history.resolve(SUBJECT_PRONOUNS[m.group(1).lower()], para, pos, index)
        if who and not _is_vocative(who, quote, index):
            return who, "beat:pronoun"
    return None, ""
