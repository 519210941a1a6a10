"""Parse: Book -> Script. Quote segmentation, characters and aliases, speaker attribution.

Pure functions of text: no config, no audio, no files.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from ..model import Book, Chapter, ChapterText, Character, Paragraph, Script, Segment, speech_counts
from .attribute import NARRATOR, Decision, attribute_chapter, vocatives
from .characters import CharacterIndex, find_characters
from .lexicon import CHILD_VOCATIVES
from .quotes import Quote, find_quotes, speech_by_paragraph
from .weights import CHARACTER_LIMITS, DESCRIPTION_LINK, NARRATOR_NAME

__all__ = ["parse_book", "find_quotes", "find_characters"]

_HAS_WORD = re.compile(r"\w")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by a full stop and spaces: offsets kept, and what follows a
    quote reads as a fresh start ("To" after a quote is not a name seen mid-sentence)."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = "." + " " * (e - s - 1)
    return "".join(chars)


def _speech_spans(p: int, text: str, here: list[Quote]) -> list[tuple[int, int]]:
    """Where paragraph `p` is speech, given the speech quotes that touch it (`here`)."""
    return [(q.open if q.para == p else 0, q.close if q.end_para == p else len(text)) for q in here]


def _segments(chapter: ChapterText, quotes: list[Quote], decisions: list[Decision]) -> list[Segment]:
    """Narration and dialogue segments in order, tiling each paragraph without overlap."""
    paras = chapter.paragraphs
    out: list[Segment] = []
    for p, (para, here) in enumerate(zip(paras, speech_by_paragraph(quotes, len(paras)))):
        cursor = 0
        for q, d in ((quotes[qi], decisions[qi]) for qi in here):
            _narration(out, para, p, cursor, q.open if q.para == p else 0)
            if q.para == p:  # a speech over several paragraphs is one segment, emitted where it opens
                end = paras[q.end_para].source_offset(q.close)
                out.append(
                    Segment(
                        "dialogue",
                        q.text,
                        d.speaker,
                        para.source_offset(q.open),
                        end,
                        p,
                        d.rule if d.speaker else "none",
                        round(d.confidence, 2),
                    )
                )
            cursor = q.close if q.end_para == p else len(para.text)
        _narration(out, para, p, cursor, len(para.text))
    return out


def _narration(out: list[Segment], para: Paragraph, p: int, start: int, end: int) -> None:
    chunk = para.text[start:end]
    if not _HAS_WORD.search(chunk):
        return
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk.rstrip())
    s, e = start + lead, start + trail
    out.append(Segment("narration", para.text[s:e], None, para.source_offset(s), para.source_offset(e), p))


def parse_book(book: Book) -> Script:
    """Split every chapter into narration and dialogue and name each quote's speaker."""
    chapter_quotes = [find_quotes(ch.paragraphs) for ch in book.chapters]
    narration: list[str] = []
    speech: list[str] = []
    for ch, quotes in zip(book.chapters, chapter_quotes):
        touching = speech_by_paragraph(quotes, len(ch.paragraphs))
        for p, para in enumerate(ch.paragraphs):
            here = [quotes[qi] for qi in touching[p]]
            narration.append(_blank(para.text, _speech_spans(p, para.text, here)))
        speech.extend(q.text for q in quotes if q.speech)
    index = find_characters(narration, speech)

    chapters = []
    for ch, quotes in zip(book.chapters, chapter_quotes):
        decisions = attribute_chapter(ch.paragraphs, quotes, index)
        segments = _segments(ch, quotes, decisions)
        breaks = frozenset(p for p, para in enumerate(ch.paragraphs) if para.scene_break_before)
        chapters.append(Chapter(ch.index, ch.title, tuple(segments), breaks))
    links = _described_named(chapters, index)
    chapters = [_renamed(ch, links) for ch in chapters]
    chapters = [_renamed(ch, _apposed(ch, index)) for ch in chapters]
    chapters, extra = _name_narrator(chapters, index)
    return Script(
        book.title,
        book.author,
        tuple(chapters),
        _characters(index, chapters, extra, links),
        book.year,
        book.narrator,
        book.language,
        book.cover,
    )


# "I called myself Pip", "my name is Ishmael", "came to be called Pip".
_SELF_NAMED = re.compile(
    r"\b(?:I called myself|[Mm]y name (?:is|was)|I am called|I was called|came to be called)\s+([A-Z][a-z]+)\b"
)


def _self_named(chapters: list[Chapter], index: CharacterIndex) -> str | None:
    """The name a first-person narration gives its teller, the one it gives most often."""
    said = Counter(
        index.resolve(m.group(1)) or m.group(1)
        for ch in chapters
        for s in ch.segments
        if s.kind == "narration"
        for m in _SELF_NAMED.finditer(s.text)
    )
    return said.most_common(1)[0][0] if said else None


def _described_named(chapters: list[Chapter], index: CharacterIndex) -> dict[str, str]:
    """Descriptions that speak ("said the painter") and the one named character each stands for: of the
    description's gender, named in the narration shortly before most of its tagged lines, and not
    someone it talks with (Basil Hallward, not Lord Henry, who answers him)."""
    described = {name for name in index.characters if name.startswith("the ")}
    named: defaultdict[str, Counter[str]] = defaultdict(Counter)
    beside: defaultdict[str, Counter[str]] = defaultdict(Counter)
    tags: Counter[str] = Counter()
    for ch in chapters:
        by_para: defaultdict[int, list[Segment]] = defaultdict(list)
        for seg in ch.segments:
            by_para[seg.paragraph].append(seg)
        for seg in ch.segments:
            if seg.kind != "dialogue" or seg.speaker not in described or seg.rule != "tag":
                continue
            tags[seg.speaker] += 1
            back = range(seg.paragraph - int(DESCRIPTION_LINK["paragraphs_back"]), seg.paragraph + 1)
            near = [s for p in back for s in by_para.get(p, ()) if s.kind == "narration"]
            named[seg.speaker].update({who for s in near for _, _, who in index.mentions(s.text)} - described)
            around = [s for p in (seg.paragraph - 1, seg.paragraph + 1) for s in by_para.get(p, ())]
            beside[seg.speaker].update(s.speaker for s in around if s.kind == "dialogue" and s.speaker)
    links = {}
    for desc, count in tags.items():
        gender = index.gender(desc)
        fits = sorted(
            (n, who)
            for who, n in named[desc].items()
            if gender != "unknown"
            and index.gender(who) == gender
            and beside[desc][who] <= DESCRIPTION_LINK["partner_share"] * n
        )
        if count < DESCRIPTION_LINK["min_tags"] or not fits:
            continue
        best, who = fits[-1]
        runner_up = fits[-2][0] if len(fits) > 1 else 0
        if best >= DESCRIPTION_LINK["named_share"] * count and best >= DESCRIPTION_LINK["runner_up_ratio"] * runner_up:
            links[desc] = who
    return links


# "Mr. Wells, the lawyer," / "the lawyer, Mr. Wells,": a name and a description set side by side.
_APPOSED_AFTER = re.compile(r",\s+(?:the|a|an)\s+(?:[a-z]+\s+){0,2}?([A-Za-z]+)\s*[,.;:]")
_APPOSED_BEFORE = re.compile(r"\b[Tt]he\s+(?:[a-z]+\s+){0,2}?([A-Za-z]+),\s+$")


def _apposed(chapter: Chapter, index: CharacterIndex) -> dict[str, str]:
    """Descriptions that speak in a chapter ("said the lawyer") and the one named character the chapter
    sets each beside ("Mr. Wells, the lawyer,"), when it sets no one else there and their sexes agree.
    Only in that chapter: a book may have more than one lawyer."""
    by_noun = {name.split()[-1].lower(): name for name in index.characters if name.startswith("the ")}
    beside: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for seg in chapter.segments if by_noun else ():
        for start, end, who in index.mentions(seg.text):
            if who.startswith("the ") or who in index.groups:
                continue
            after = _APPOSED_AFTER.match(seg.text, end)
            before = _APPOSED_BEFORE.search(seg.text, max(0, start - 40), start)
            for m in (after, before):
                if m and m.group(1).lower() in by_noun:
                    beside[by_noun[m.group(1).lower()]][who] += 1
    links = {}
    for desc, named in beside.items():
        who = next(iter(named))
        if len(named) == 1 and (
            "unknown" in (index.gender(desc), index.gender(who)) or index.gender(desc) == index.gender(who)
        ):
            links[desc] = who
    return links


def _renamed(chapter: Chapter, names: dict[str, str]) -> Chapter:
    """The chapter with its speakers renamed."""
    if not names:
        return chapter
    segs = tuple(replace(s, speaker=names[s.speaker]) if s.speaker in names else s for s in chapter.segments)
    return replace(chapter, segments=segs)


def _name_narrator(chapters: list[Chapter], index: CharacterIndex) -> tuple[list[Chapter], list[Character]]:
    """A first-person narrator who speaks ("…," I said) is a character, named by what the others
    call them in the lines next to theirs; "I" when nobody names them."""
    dialogue = [s for ch in chapters for s in ch.segments if s.kind == "dialogue"]
    if not any(s.speaker == NARRATOR for s in dialogue):
        return chapters, []
    ordinary = {w for ch in chapters for s in ch.segments for w in _LOWER_WORD.findall(s.text)}
    near: Counter[str] = Counter()  # vocatives in the lines just before and after the narrator's
    anywhere: Counter[str] = Counter()
    for i, seg in enumerate(dialogue):
        if seg.speaker in (NARRATOR, None):
            continue
        beside = any(0 <= j < len(dialogue) and dialogue[j].speaker == NARRATOR for j in (i - 1, i + 1))
        for name in vocatives(seg.text):
            # A known character, or a name that cannot be an exclamation ("Rubbish!").
            known = index.resolve(name)
            if known or len(name.split()) > 1 or name.lower() not in ordinary:
                anywhere[known or name] += 1
                near[known or name] += beside
    speakers = Counter(s.speaker for s in dialogue)
    # Whom the narration names in a speech tag ("says Tom Smith"): someone else, as the narrator's own
    # tags say "I".
    tagged = Counter(s.speaker for s in dialogue if s.rule == "tag")
    # The name the others call the narrator by: said in the lines beside theirs, and never the name
    # of someone who is heard speaking in their own right (the narrator's own lines say "I").
    mine = speakers[NARRATOR]
    ranked = sorted(anywhere, key=lambda n: -(NARRATOR_NAME["near_weight"] * near[n] + anywhere[n]))
    best = next(
        (
            n
            for n in ranked
            if anywhere[n] >= NARRATOR_NAME["min_uses"]
            and near[n] >= NARRATOR_NAME["min_near"]
            and speakers[n] <= mine / NARRATOR_NAME["max_share_divisor"]
            and tagged[n] < NARRATOR_NAME["max_tagged"]
        ),
        None,
    )
    name = _self_named(chapters, index) or best or "I"
    # A narrator who is also in the cast ("Pip") keeps that character's name and takes the alias "I".
    extra = [Character(name=name, aliases=("I",))] if name != "I" else [Character(name="I")]
    return [_renamed(ch, {NARRATOR: name}) for ch in chapters], extra


def _characters(
    index: CharacterIndex, chapters: list[Chapter], extra: list[Character], links: dict[str, str]
) -> tuple[Character, ...]:
    """Characters with their line and word counts; a speaker who calls out "Mommy!" is a child; a
    description linked to a name is one more alias of that character."""
    lines, words = speech_counts(chapters)
    child_voice: Counter[str] = Counter(
        seg.speaker
        for ch in chapters
        for seg in ch.segments
        if seg.kind == "dialogue"
        and seg.speaker
        and seg.text.split()
        and seg.text.split()[0].lower().strip(",.!?") in CHILD_VOCATIVES
    )
    also: defaultdict[str, list[str]] = defaultdict(list)
    for desc, who in links.items():
        also[who] += [desc, *index.characters[desc].aliases]
    told = {c.name: c for c in extra}
    out = []
    for c in [*index.characters.values(), *(c for c in extra if c.name not in index.characters)]:
        name = c.name
        if name in links:
            continue
        if name in told and c is not told[name]:  # the narrator is this character: "I" is theirs too
            c = _with_aliases(c, told[name].aliases)
        if also[name]:
            c = _with_aliases(c, also[name])
        # A child calls out "Mommy!" often; a grown daughter of an old novel says "Mama" now and then.
        calls = child_voice[name] and child_voice[name] >= CHARACTER_LIMITS["child_call_share"] * lines.get(name, 0)
        age = c.age if c.age != "unknown" or not calls else "child"
        out.append(replace(c, age=age, lines=lines.get(name, 0), words=words.get(name, 0)))
    out.sort(key=lambda c: (-c.lines, -c.words, c.name))
    return tuple(out)


def _with_aliases(c: Character, more: tuple[str, ...] | list[str]) -> Character:
    """The character with more aliases, longest first, as CharacterIndex lists them."""
    return replace(c, aliases=tuple(sorted({*c.aliases, *more}, key=lambda a: (-len(a), a))))
