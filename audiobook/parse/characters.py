"""Characters: names found in the text, clustered with their aliases, with a gender and an age guess.

Explainable rules only. A capitalised name becomes a character when the text treats it as a person
(it tags speech, carries a title, does something, or a he/she follows it), not when it follows "the"
(the Mirrorball Trophy) or only ever starts sentences (Later, Sure). `find_characters` goes:
scan the narration for names and their evidence, vote on genders, share evidence between a full
name and its parts, keep the people, cluster their forms into characters, then add the characters
known only by a description ("said the waiter").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model import Age, Character, Gender
from .lexicon import (
    ABBREVIATED_TITLES,
    ANY_SUBJECT_PRONOUN,
    CALENDAR_WORDS,
    CHILD_WORDS,
    COMMON_TITLES,
    DOTTED_TITLES,
    ELDERLY_WORDS,
    FEMALE_PRONOUNS,
    FEMALE_TITLES,
    FIRST_NAME_TITLES,
    GENERIC_PEOPLE,
    GIVEN_NAMES,
    HONORIFICS,
    IRREGULAR_PAST,
    KIN_CALLS,
    KIN_NOUNS,
    MALE_PRONOUNS,
    MALE_TITLES,
    NOT_DESCRIPTIONS,
    NOT_NAMES,
    OCCUPATIONS,
    PERSON_NOUNS,
    PHRASAL_SPEECH_VERBS,
    PLACE_WORDS,
    RANK_TITLES,
    SPEECH_VERBS,
    TITLE_CLASS,
    TITLE_DESCRIPTIONS,
    TITLES,
    WORD_NAMES,
    sentence_spans,
)
from .weights import CHARACTER_LIMITS, GENDER_VOTES, LIMITS, NOT_PERSON_EVIDENCE, PERSON_EVIDENCE

_TITLE_WORDS = sorted({t.capitalize() for t in TITLES}, key=len, reverse=True)
_ABBREVIATED_ALT = "|".join(ABBREVIATED_TITLES)
_TITLE_WORD_ALT = "|".join(re.escape(t) for t in _TITLE_WORDS if t not in ABBREVIATED_TITLES)
# A title before a name: "Mr. Pell" or "Mr Pell"; "Uncle Robert" but never "Grandmother. Next" (a sentence ends there).
_TITLE = rf"""(?:
    (?:
        (?:{_ABBREVIATED_ALT})\.?        # "Mr.", "Mr"
      | (?:{_TITLE_WORD_ALT})            # "Uncle", "Professor" (longest first)
    )\s+
)"""
_TOKEN = r"(?:O['\u2019])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)*"  # "O'Brien", "McAdam", "Smith-Jones"
_PARTICLE = r"(?:van|von|der|den|de|du|da|di|le|la|del|della|ten|ter)"
# A capitalised name of up to three words, perhaps titled, perhaps possessive: "Professor de Worms",
# "Vincent de Paul", "Mr. van der Luyden", "Leo's".
_CANDIDATE = re.compile(
    rf"""
    (?<![\w'\u2019-])                    # not inside a word
    (?=[A-Z]|{_PARTICLE}\s)              # a capital or a particle next: elsewhere, fail at once
    (?P<title>{_TITLE})?
    (?P<name>
        (?:{_PARTICLE}\s){{0,2}}{_TOKEN}            # the first word ("van der Luyden")
        (?:\s(?:{_PARTICLE}\s){{0,2}}{_TOKEN}){{0,2}}  # up to two more
    )
    (?P<poss>['\u2019]s?\b)?             # "Leo's", "James'"
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][a-z]+)?")
_PRESENT_ACTIONS = "smiles|says|asks|looks|turns|walks|nods|laughs|sighs|shrugs|grins|frowns"
_IRREGULAR_PAST_ALT = "|".join(IRREGULAR_PAST)
# A name doing something: "Pell smiled", "Pell ran", "Pell nods".
_PERSON_VERB = re.compile(rf"\s+(?:[a-z]+ed|{_IRREGULAR_PAST_ALT}|{_PRESENT_ACTIONS})\b")
# Verbs whose object is a person: "met Tomas Weller", "kissed Nora".
_PERSON_OBJECT = re.compile(
    r"""
    \b(?:met|greeted|kissed|hugged|thanked|married|introduced|visited|told|asked
       |interrupted|embraced|scolded|warned|called|helped|nudged|followed|joined)
    \s+$                                 # just before the name
    """,
    re.VERBOSE,
)
# Words after which a name is the subject of what follows: its pronouns are its own.
_SUBJECT_BEFORE = re.compile(
    r"""
    (?:^                                 # the sentence's start
      | [,;:(\u2014]                     # a clause's
      | \b(?:and|but|then|when|as|while|so|yet|because|after|before|until|if|though|although|once|where)\b
    )\s*$                                # just before the name
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NOT_PERSON_BEFORE = re.compile(r"\b(?:in|at|of|from|into|across|on)\s+$", re.IGNORECASE)  # "in Paris"
_THING_BEFORE = re.compile(r"\b(?:the|a|an|this|that|our|their)\s+$")  # "the Mirrorball Trophy"
_NOUN_ALT = "|".join(sorted((re.escape(n) for n in PERSON_NOUNS), key=len, reverse=True))
# "Dr. Rhys Okafor, the village doctor", "Pip, her youngest son"
_APPOS_AFTER = re.compile(
    rf"""
    ^,\s+(?:the|a|an|his|her|their|our|my)\s+
    (?:[a-z-]+\s+){{0,2}}?               # up to two adjectives
    (?P<noun>{_NOUN_ALT})\b
    """,
    re.VERBOSE,
)
# "her son Pip", "the boy Pip"
_APPOS_BEFORE = re.compile(
    rf"""
    \b(?:the|his|her|their|our|my)\s+
    (?:[a-z-]+\s+)?                      # an adjective
    (?P<noun>{_NOUN_ALT})\s+$            # just before the name
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PRONOUN_BEFORE = re.compile(rf"\b(?:{ANY_SUBJECT_PRONOUN})\b")
_VERB_AFTER = re.compile(r"\s*,?\s*([a-z]+)")  # "Pell said", "Pell, said"
_VERB_BEFORE = re.compile(r"\b([a-z]+)\s+$")  # "said Pell"
_WORD_BEFORE = re.compile(r"(?<![A-Za-z-])([A-Za-z-]+)\s+$")  # "little Pip" (tried from a word's start only)

_ABBREV_DOT = re.compile(r"\b(" + _ABBREVIATED_ALT + r")\\\.")  # "Mr\." in a re.escape()d form
_ABBREV_BARE = re.compile(r"\b(" + _ABBREVIATED_ALT + r")\b(?!\.)")
_FAMILY_CLASSES = frozenset(TITLE_CLASS.values())  # Mr., Mrs. and Miss
_WOMEN_CLASSES = _FAMILY_CLASSES - {"mr"}  # Mrs. and Miss


@functools.lru_cache(maxsize=4096)  # asked again and again for the same few names (CharacterIndex.mentions)
def _dotted(form: str) -> str:
    """ "Mrs Smith" and "Mrs. Smith" are one form: the dotted one."""
    return _ABBREV_BARE.sub(r"\1.", form)


@dataclass
class _Form:
    """One surface form of a name ("Mr. Pell", "Witney Carson") and what the text says about it."""

    text: str
    title: str | None
    tokens: tuple[str, ...]
    count: int = 0
    mid_sentence: int = 0
    person: int = 0
    not_person: int = 0
    tagged: int = 0  # uses as a speech tag's subject: "Pell said", "says Friday"
    articled: int = 0  # uses after an article: "the Mirrorball Trophy", "the Hatter"
    male: int = 0
    female: int = 0
    ages: Counter[str] = field(default_factory=Counter)
    nouns: Counter[str] = field(default_factory=Counter)

    def thing(self) -> bool:
        """More often used as a place or thing than as a person, and not a speaker: a name that tags
        speech again and again ("said Edward") is someone however often it follows "of" or "from"."""
        speaker = self.tagged >= CHARACTER_LIMITS["speaker_tags"] and self.articled * 2 < self.count
        return self.not_person > self.person and not speaker  # "the Hatter" is a description's business


@dataclass
class _Cluster:
    forms: list[_Form]

    @property
    def count(self) -> int:
        return sum(f.count for f in self.forms)

    def gender(self) -> Gender:
        male = sum(f.male for f in self.forms)
        female = sum(f.female for f in self.forms)
        for f in self.forms:
            t = (f.title or "").lower().rstrip(".")
            male += GENDER_VOTES["title"] * f.count * (t in MALE_TITLES)
            female += GENDER_VOTES["title"] * f.count * (t in FEMALE_TITLES)
            for noun, n in f.nouns.items():
                g = PERSON_NOUNS[noun][0]
                male += GENDER_VOTES["noun"] * n * (g == "male")
                female += GENDER_VOTES["noun"] * n * (g == "female")
        if male > female:
            return "male"
        if female > male:
            return "female"
        return self._given_name_gender()

    def _given_name_gender(self) -> Gender:
        """With no other evidence, what a common given name says ("Babs", "Randolph"); unknown when the
        forms disagree or none starts with one."""
        said = {
            GIVEN_NAMES[f.tokens[0]]
            for f in self.forms
            if f.tokens[0] in GIVEN_NAMES and (not f.title or _bare_title(f) in FIRST_NAME_TITLES)
        }
        return said.pop() if len(said) == 1 else "unknown"  # type: ignore[return-value]

    def age(self, votes_wanted: bool = True) -> Age:
        """The age the text gives; with `votes_wanted`, a child or an old age only when said a few times."""
        ages: Counter[str] = Counter()
        for f in self.forms:
            ages.update(f.ages)
            for noun, n in f.nouns.items():  # "her son Pip", "the King": said outright, worth two
                ages[PERSON_NOUNS[noun][1]] += 2 * n
        ages.pop("unknown", None)
        if any(_title_class(f.title) in ("mr", "mrs") and _bare_title(f) != "master" for f in self.forms):
            ages.pop("child", None)  # a Mr. or a Mrs. is grown up ("little Mr. Darcy" is a figure of speech)
        if not ages:
            return "unknown"
        age, votes = ages.most_common(1)[0]
        # One "young Elinor" in a novel makes no child: a child's or an old voice wants a few uses saying so.
        wanted = max(CHARACTER_LIMITS["age_votes"], CHARACTER_LIMITS["age_share"] * self.count)
        sure = age == "adult" or votes >= wanted or not votes_wanted
        return age if sure else "unknown"  # type: ignore[return-value]

    def name(self) -> str:
        # The form the text uses most; ties go to the fuller form.
        best = max(self.forms, key=lambda f: (f.count, len(f.tokens), bool(f.title)))
        return best.text


def _families(clusters: list[_Cluster]) -> set[str]:
    """The characters named as a family: the plural of another character's surname ("the Emersons",
    "Miss Bartletts", "the Miss Dashwoods", "the Wilcoxes": Mr. Emerson, Miss Bartlett, ...) or a title
    in the plural ("the Misses Dashwood", "Messrs. Shoolbred")."""
    bearers: defaultdict[str, set[int]] = defaultdict(set)  # surname -> the clusters with a form ending in it
    singular: set[str] = set()  # names one person bears: "Mr. Braddocks", "Henry Braddocks", "De Griers"
    for cl in clusters:
        for f in cl.forms:
            if len(f.tokens) > 1 or f.title:
                bearers[f.tokens[-1]].add(id(cl))
            if (f.title and f.title != "Miss") or (len(f.tokens) > 1 and f.tokens[0] not in ("the", "Miss", "Misses")):
                singular.add(f.tokens[-1])
    out = set()
    for cl in clusters:
        words = cl.name().split()
        last = words[-1]
        if {"Misses", "Messrs.", "Messrs"} & set(words):
            out.add(cl.name())
        elif len(last) > 3 and last[0].isupper() and last.endswith("s") and last not in singular:
            one = {last[:-1], last[:-2] if last.endswith("es") else ""}
            if any(bearers.get(n, set()) - {id(cl)} for n in one):
                out.add(cl.name())
    return out


class CharacterIndex:
    """The characters of a book and a fast way to find their mentions in narration."""

    def __init__(self, clusters: list[_Cluster], descriptors: dict[str, str]):
        self.characters: dict[str, Character] = {}
        self._by_form: dict[str, str] = {}
        owner = {f.text: id(cl) for cl in clusters for f in cl.forms}
        # Who may be heard in a conversation unnamed by a tag: someone the book tags as speaking (a
        # description that speaks is one), gives a full name, or whose sex it tells; not "York" nor
        # "Chelsea", places that passed for people.
        # Families ("the Emersons", "the Miss Dashwoods"): people, but never one voice in a conversation.
        self.groups = _families(clusters)
        self.speakers = {
            cl.name()
            for cl in clusters
            if (cl.gender() != "unknown" or any(f.tagged or len(f.tokens) > 1 for f in cl.forms))
            and cl.name() not in self.groups
        }
        for cl in sorted(clusters, key=lambda c: -c.count):
            name = cl.name()
            if name in self.characters:
                continue
            # "Mrs. June Pell" is also "June Pell"; "Mrs. Newland Archer" is not "Newland Archer", her husband.
            bare = {" ".join(f.tokens) for f in cl.forms if len(f.tokens) > 1}
            names = {f.text for f in cl.forms} | {n for n in bare if owner.get(n, id(cl)) == id(cl)}
            aliases = tuple(sorted(names - {name}, key=lambda a: (-len(a), a)))
            self.characters[name] = Character(name=name, aliases=aliases, gender=cl.gender(), age=cl.age())
            for f in cl.forms:
                self._by_form.setdefault(_dotted(f.text), name)
                if f.tokens[0] in ("the", "my"):  # "The waiter", "My grandmother" opening a sentence
                    self._by_form.setdefault(_dotted(f.tokens[0].capitalize() + f.text[len(f.tokens[0]) :]), name)
        self.descriptors = dict(descriptors)
        self._add_carried_titles(clusters)
        # "Basil", said only in speech, is Basil Hallward: the first name of one full name.
        firsts: defaultdict[str, set[str]] = defaultdict(set)
        for cl in clusters:
            for f in cl.forms:
                if len(f.tokens) > 1 and f.tokens[0] != "the" and f.text in self._by_form:
                    firsts[f.tokens[0]].add(self._by_form[f.text])
        self._by_first = {first: next(iter(names)) for first, names in firsts.items() if len(names) == 1}
        forms = sorted(self._by_form, key=len, reverse=True)
        names_alt = "|".join(_ABBREV_DOT.sub(r"\1\\.?", re.escape(f)) for f in forms) or r"(?!x)x"
        nouns_alt = "|".join(re.escape(n) for n in sorted(self.descriptors, key=len, reverse=True)) or r"(?!x)x"
        initials = "".join(sorted({re.escape(f[0]) for f in forms} | set("TtHh")))  # what a mention starts with
        # A name, longest first ("Mr. Pell" before "Pell"), or "the"/"his"/"her" and a descriptor noun.
        self._mention = re.compile(
            rf"""
            (?<![\w'\u2019])(?<![A-Za-z]-)         # not inside a word, nor after "Anglo-"; "--Jo" is fine
            (?=[{initials}])                      # (elsewhere, fail before trying every name)
            (?:
                (?P<name>{names_alt})(?!\w|-[A-Za-z])   # "Jo--" and "Jo-" end a name; "Jo-Ann" does not
              | (?:[Tt]he|[Hh]is|[Hh]er)\s+(?P<noun>(?i:{nouns_alt}))\b
            )
            """,
            re.VERBOSE,
        )
        self._mentions_in: dict[str, list[tuple[int, int, str]]] = {}

    def _add_carried_titles(self, clusters: list[_Cluster]) -> None:
        """A title spelled out that only one character carries stands for them ("said Mademoiselle")."""
        carriers: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for cl in clusters:
            for f in cl.forms:
                if f.title and not f.title.endswith(".") and f.title.lower() not in COMMON_TITLES:
                    carriers[f.title][self._by_form.get(_dotted(f.text), "")] += f.count
        for title, bearers in carriers.items():
            bearers.pop("", None)
            top = bearers.most_common(1)
            share = CHARACTER_LIMITS["title_share"]
            if top and top[0][1] >= share * sum(bearers.values()) and title not in self._by_form:
                self._by_form[title] = top[0][0]  # the one it nearly always means

    def resolve(self, form: str) -> str | None:
        """The canonical name for a surface form or a descriptor noun."""
        form = _dotted(form)
        if form in self._by_form:
            return self._by_form[form]
        if form.startswith("the ") and "The" + form[3:] in self._by_form:
            return self._by_form["The" + form[3:]]
        kin = KIN_CALLS.get(form.lower())  # "Gran": the narrator's grandmother, when she speaks
        return (
            self.descriptors.get(form.lower().removeprefix("the ").strip())
            or self._by_first.get(form)
            or (self._by_form.get(f"my {kin}") if kin else None)
        )

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of each character named or described in `text`. Remembered per
        text: the rules ask again and again about the same quote (tags, beats, the decoder's turns)."""
        found = self._mentions_in.get(text)
        if found is None:
            found = []
            for m in self._mention.finditer(text):
                name = m.group("name")
                who = self._by_form[_dotted(name)] if name else self.descriptors[m.group("noun").lower()]
                found.append((m.start(), m.end(), who))
            self._mentions_in[text] = found
        return list(found)  # a copy: the one remembered stays as found

    def gender(self, name: str | None) -> Gender:
        """The gender of a character, 'unknown' when unsure or not a character."""
        c = self.characters.get(name or "")
        return c.gender if c else "unknown"

    def age(self, name: str | None) -> str:
        """The age of a character ("child", "adult", "elderly"), 'unknown' when unsure or not a character."""
        c = self.characters.get(name or "")
        return c.age if c else "unknown"


# --- Scanning the narration for names ---------------------------------------------------------

# Where a name was seen: its form, the paragraph's text, where its sentence starts, where it starts and ends.
_Occurrence = tuple[_Form, str, int, int, int]


def find_characters(narration: list[str], speech: list[str]) -> CharacterIndex:
    """Find the people in a book from its narration (paragraph texts with quotes blanked out)."""
    lower_words = _lower_words([*narration, *speech])
    forms, occurrences = _scan(narration, lower_words)
    _weigh_vocatives(forms, narration, speech, lower_words)
    _vote_genders(occurrences)
    _share_evidence(forms, lower_words)
    people = [f for f in forms.values() if _is_person(f, lower_words)]
    # A first name or surname seen only at sentence starts ("Arthur scratched his head.") is still
    # that person when a full name it belongs to is known.
    maybe = [f for f in forms.values() if not _is_person(f, lower_words) and len(f.tokens) == 1 and not f.thing()]
    clusters = _cluster(people, maybe, _younger_sisters([*narration, *speech]))
    descriptors = _descriptors(clusters)
    clusters += _described(narration, clusters, descriptors)
    clusters += _kin_speakers(narration, clusters)
    return CharacterIndex(clusters, descriptors)


# (The word boundary before "Miss" is checked behind it: a pattern that starts with a literal lets the
# search jump from one "Miss" to the next instead of trying every position.)
_MISS_GIVEN = re.compile(r"Miss(?<=\bMiss) [A-Z][a-z]+ ([A-Z][a-z]+)\b")


def _younger_sisters(texts: list[str]) -> frozenset[str]:
    """Family names a book gives as "Miss Anne Elliot": there "Miss Elliot" is the eldest sister."""
    return frozenset(m.group(1) for text in texts for m in _MISS_GIVEN.finditer(text))


def _lower_words(texts: list[str]) -> set[str]:
    """Every word the book writes in lower case somewhere: "hope", "next" (then "Hope" may be no name)."""
    words: set[str] = set()
    for text in texts:
        words.update(_WORD.findall(text))
    return {w for w in words if w.islower()}  # each distinct word asked once


def _scan(narration: list[str], lower_words: set[str]) -> tuple[dict[str, _Form], list[_Occurrence]]:
    """Every capitalised name in the narration, by surface form, with the evidence around each use."""
    forms: dict[str, _Form] = {}
    occurrences: list[_Occurrence] = []
    for text in narration:
        ordered = [s for s, _ in sentence_spans(text)]  # where its sentences start, in order
        starts = set(ordered)
        for m in _CANDIDATE.finditer(text):
            named = _name_of(m, text, lower_words)
            if named is None:
                continue
            title, tokens = named
            text_form = f"{title} {' '.join(tokens)}" if title else " ".join(tokens)
            f = forms.get(text_form)
            if f is None:
                f = forms[text_form] = _Form(text_form, title, tokens)
            f.count += 1
            start = m.start() if title else text.index(tokens[0], m.start("name"))
            before, after = text[:start], text[m.end() :]
            at_sentence_start = start in starts or not before.strip() or before.rstrip()[-1:] in '"\u201c\u2018('
            if not at_sentence_start:
                f.mid_sentence += 1
            # The evidence is in the few words beside the name: a tail of the text before it, not the
            # whole paragraph (whose every name would make the scan quadratic in the paragraph's length).
            near = _last_words(before[-LIMITS["name_context_chars"] :])
            _weigh_person(f, m, title, near, after[: LIMITS["name_context_chars"]])
            _weigh_age(f, near)
            at = bisect.bisect_right(ordered, start)  # how many of its sentences start by the name
            sentence_start = ordered[at - 1] if at else 0
            occurrences.append((f, text, sentence_start, start, m.end()))
    return forms, occurrences


def _name_of(m: re.Match[str], text: str, lower_words: set[str]) -> tuple[str | None, tuple[str, ...]] | None:
    """The (title, name words) a candidate match stands for, trimmed of what is no name; None if nothing is left."""
    title = m.group("title")
    tokens = tuple(m.group("name").split())
    # Sentence-initial function words glued to a name: "But Leo", "When Mara".
    while not title and tokens and (tokens[0].lower() in NOT_NAMES or tokens[0].islower()):
        if len(tokens) == 1 and tokens[0].lower() in CALENDAR_WORDS | WORD_NAMES:
            break  # "Friday" alone: a person only if it tags speech (see _is_person)
        if len(tokens) > 1 and tokens[0].lower() in WORD_NAMES and tokens[1].lower() not in NOT_NAMES:
            break  # "May Welland"
        tokens = tokens[1:]
    if (
        not title
        and len(tokens) > 1
        and tokens[0].lower() in lower_words  # (not lower_words - WORD_NAMES: a copy of the book's words per name)
        and tokens[0].lower() not in WORD_NAMES
        and _starts_sentence(text, m.start())
    ):
        tokens = tokens[1:]  # "Downstairs Jock …": a word that starts the sentence
    # "Miss Woodhouse Miss Taylor": a title starts another name.
    cut = next((i for i, t in enumerate(tokens) if i and t.lower() in TITLES), None)
    if cut:
        tokens = tokens[:cut]
    word_name = tokens[0].lower() in CALENDAR_WORDS | WORD_NAMES if tokens else False
    if not tokens or (not title and any(t.lower() in NOT_NAMES for t in tokens[word_name:])):
        return None
    if title:
        title = title.strip()
        if title.rstrip(".").lower() in DOTTED_TITLES and not title.endswith("."):
            title += "."
    return title, tokens


# The patterns read before a name (_PERSON_OBJECT, _VERB_BEFORE, _THING_BEFORE, _NOT_PERSON_BEFORE,
# _APPOS_BEFORE, _WORD_BEFORE) end in the space just before it and span at most four words ("her dear
# old man Isaac"): they are searched in its last few words (a search tries every position of its text).
_WORDS_BEFORE = 6


def _last_words(text: str, n: int = _WORDS_BEFORE) -> str:
    """`text` from the start of its n-th last word (whitespace-separated), or all of it when shorter.
    A pattern that ends at the end of `text` and spans at most n words finds there what it finds in
    the whole: it starts in one of those words, and the cut falls just after a space (where \\b and a
    lookbehind for letters read the same as at the start of a text)."""
    parts = text.rsplit(None, n)
    return text[text.find(parts[1], len(parts[0])) :] if len(parts) > n else text


def _weigh_person(f: _Form, m: re.Match[str], title: str | None, before: str, after: str) -> None:
    """Add the evidence around one use of a name that it is a person, or a place or thing."""
    if title:
        f.person += PERSON_EVIDENCE["title"]
    if _PERSON_VERB.match(after) or m.group("poss") or _PERSON_OBJECT.search(before):
        f.person += PERSON_EVIDENCE["action"]
    verb_after = _VERB_AFTER.match(after)
    verb_before = _VERB_BEFORE.search(before)
    verb = (verb_after and verb_after.group(1) in SPEECH_VERBS and verb_after.group(1)) or (
        verb_before and verb_before.group(1) in SPEECH_VERBS and after[:1] in ".,;!?" and verb_before.group(1)
    )
    if verb:
        f.person += PERSON_EVIDENCE["speech_tag"]
        f.tagged += verb not in PHRASAL_SPEECH_VERBS  # "Saturday went" may be no speech ("went on" is)
    if not title and _THING_BEFORE.search(before):
        f.not_person += NOT_PERSON_EVIDENCE["after_article"]  # the Mirrorball Trophy
        f.articled += 1
    elif not title and _NOT_PERSON_BEFORE.search(before):
        f.not_person += NOT_PERSON_EVIDENCE["after_preposition"]  # in Paris
    ap = _APPOS_AFTER.match(after) or _APPOS_BEFORE.search(before)
    if ap:
        f.nouns[ap.group("noun").lower()] += 1
        f.person += PERSON_EVIDENCE["apposition"]


def _weigh_age(f: _Form, before: str) -> None:
    """ "little Pip", "old Isaac": the word before a name tells an age."""
    prev_word = _WORD_BEFORE.search(before)
    if prev_word:
        pw = prev_word.group(1).lower()
        if pw in CHILD_WORDS:
            f.ages["child"] += 1
        elif pw in ELDERLY_WORDS:
            f.ages["elderly"] += 1


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in '.!?"\u201d\u201c('


# --- Gender votes and shared evidence ---------------------------------------------------------


def _vote_genders(occurrences: list[_Occurrence]) -> None:
    """The pronouns after a sentence's first person are most likely theirs: one vote each."""
    claimed: set[tuple[int, int]] = set()
    for f, text, sentence_start, start, end in occurrences:
        key = (id(text), sentence_start)
        if key in claimed or f.thing():
            continue
        claimed.add(key)
        if _PRONOUN_BEFORE.search(text, sentence_start, start) or not _SUBJECT_BEFORE.search(
            text[sentence_start:start]
        ):
            continue  # "She remembered when Robert…", "winning Dancing With…"
        male, female = _gender_votes(text, end)
        f.male += male
        f.female += female
        f.person += PERSON_EVIDENCE["pronoun"] * bool(male or female)


def _gender_votes(text: str, after: int, stops: frozenset[str] = frozenset()) -> tuple[int, int]:
    """The first he/she-type pronoun after a sentence's subject, before anyone else is named (or
    before a word of `stops`: "the Caterpillar took the hookah out of its mouth" is no "her")."""
    window = text[after : after + LIMITS["gender_window_chars"]]
    for nxt in _CANDIDATE.finditer(window):
        # Someone else named: stop. A place ("at Gull Point") or a thing ("the Trophy") is no one.
        if nxt.group("name").split()[0].lower() in NOT_NAMES:
            continue
        head = _last_words(window[: nxt.start()])  # the words just before it ("at", "the")
        if not (_THING_BEFORE.search(head) or _NOT_PERSON_BEFORE.search(head)):
            window = window[: nxt.start()]
            break
    for m in _WORD.finditer(window):
        lw = m.group().lower()
        if lw in stops:
            return 0, 0
        if lw == "him" or (lw == "her" and _OBJECT_AFTER.match(window, m.end())):
            continue  # "Walter watched her": someone else, done to (it would be "himself")
        if lw in MALE_PRONOUNS:
            return 1, 0
        if lw in FEMALE_PRONOUNS:
            return 0, 1
    return 0, 0


# What follows a "her" that is an object, not a possessive: "watched her.", "told her that", "gave her a".
_OBJECT_AFTER = re.compile(
    r"\s*(?:[^\w\s]|$|(?:the|a|an|that|to|and|or|but|in|on|at|for|with|from|of|by|as|if|so|up|out|off|away|again|back|down|once|too)\b)"
)


# A name a speech calls someone by: "So have you, Davy." / "Davy, come here."
_CALLED = re.compile(r"(?:,\s+|^)([A-Z][a-z]+)(?=\s*(?:[.!?,;]|[\u2014-]{1,2}|$))")


_I = re.compile(r"\bI\b")


def _weigh_vocatives(forms: dict[str, _Form], narration: list[str], speech: list[str], lower_words: set[str]) -> None:
    """In a first-person narration, which names the people the teller talks with less often, a single
    name the narration uses that the speeches also call someone by ("So have you, Davy.") is likelier
    a person; not a first name of a full name the narration gives, which joins that name."""
    words = sum(len(text.split()) for text in narration)
    if sum(len(_I.findall(text)) for text in narration) < CHARACTER_LIMITS["first_person_share"] * words:
        return  # a third-person narration names its people itself
    called: Counter[str] = Counter()
    for quote in speech:
        called.update(m.group(1) for m in _CALLED.finditer(quote))
    firsts = {f.tokens[0] for f in forms.values() if len(f.tokens) > 1}
    for f in forms.values():
        tok = f.tokens[0]
        if len(f.tokens) == 1 and not f.title and called[tok] and tok not in firsts:
            if tok.lower() not in lower_words and tok.lower() not in NOT_NAMES:
                f.person += PERSON_EVIDENCE["vocative"] * min(called[tok], 2)


def _share_evidence(forms: dict[str, _Form], lower_words: set[str]) -> None:
    """ "Marisol turned…" vouches for "Marisol Ortega" and the other way round. A full name also seen
    after a preposition ("of Jane Fairfax") still takes its first name's evidence when that word is only
    ever a name and nobody's surname: "Jane" makes "Jane Fairfax" a person, where "Archer" (Newland
    Archer) does not make "Archer Madeira" one, nor "Marquis" (also a marquis) "the Marquis de St"."""
    single_evidence: Counter[str] = Counter()
    surnames = {f.tokens[-1] for f in forms.values() if len(f.tokens) > 1}
    for f in forms.values():
        # An ordinary word is no name's evidence unless it tags speech: "First, he…" is not "First Cause".
        if len(f.tokens) == 1 and not f.title and (f.tagged or f.tokens[0].lower() not in lower_words):
            single_evidence[f.tokens[0]] += f.person
    for f in forms.values():
        if len(f.tokens) > 1 and f.not_person == 0:
            f.person += single_evidence[f.tokens[0]] + single_evidence[f.tokens[-1]]
        elif len(f.tokens) > 1 and f.tokens[0] not in surnames and f.tokens[0].lower() not in lower_words:
            f.person += single_evidence[f.tokens[0]]


def _is_person(f: _Form, lower_words: set[str]) -> bool:
    if f.person == 0 or f.thing():
        return False
    if all(t.lower() in TITLES for t in f.tokens):
        return False  # "Mrs" on its own is nobody
    if len(f.tokens) > 1 and not f.title and f.tokens[-1] in PLACE_WORDS:
        return False  # "Windy Corner lay in the sun"
    if f.title:
        return True
    if len(f.tokens) == 1 and f.tokens[0].endswith("ing"):
        return False  # "Looking up, she…"
    if len(f.tokens) == 1 and f.tokens[0].lower() in CALENDAR_WORDS | WORD_NAMES and not f.tagged:
        return False  # "on Friday", but "says Friday" is a man
    sure = PERSON_EVIDENCE["sure"]
    if (
        len(f.tokens) == 1
        and f.tokens[0].lower() in lower_words
        and (f.person < sure or f.mid_sentence < f.count * CHARACTER_LIMITS["mid_sentence_share"] or not f.tagged)
    ):
        return False  # "Next", "Hope", "Nature": an ordinary word unless it is named mid-sentence as a speaker
    return f.mid_sentence > 0 or f.person >= sure or len(f.tokens) > 1


# --- Characters known by a description --------------------------------------------------------

_VERBS_ALT = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
# "the burly barman", "the March Hare", "the doctor"
_DESCRIPTION = r"(?:[a-z]+\s+)?(?:[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?|[a-z]+)"
# "said the Hatter" (the lookahead first: a word followed by "the", before trying every verb on it)
_DESCRIBED_AFTER = re.compile(rf"\b(?=[a-z]+\s+the\s)(?:{_VERBS_ALT})\s+(?P<d>the\s+{_DESCRIPTION})\b")
# "The waiter asked", "the old man slowly replied"
_DESCRIBED_BEFORE = re.compile(
    rf"""
    (?=[Tt]he\s)                         # "the" first: elsewhere, fail at once
    (?:^|(?<=[.,;!?]\s)|(?<=\s\s))       # where a clause starts
    (?P<d>[Tt]he\s+{_DESCRIPTION})
    \s+(?:[a-z]+ly\s+)?                  # an adverb
    (?:{_VERBS_ALT})\b
    """,
    re.VERBOSE,
)


def _described(narration: list[str], clusters: list[_Cluster], descriptors: dict[str, str]) -> list[_Cluster]:
    """Characters known only by a description in speech tags: "said the Hatter", "the waiter asked".
    A description that fits a named character ("the professor" for Professor De Worms) becomes a
    descriptor of that character instead."""
    known = {f.text for cl in clusters for f in cl.forms} | {t for cl in clusters for f in cl.forms for t in f.tokens}
    out: list[_Cluster] = []
    found, beside_speech = _descriptions(narration)
    for phrase, n in found.most_common():
        words = phrase.split()
        noun = words[-1].lower()
        # "said the voice" is no one in particular; "said the Voice", again and again, is someone.
        uses = CHARACTER_LIMITS["description_uses"]
        named_thing = words[-1][0].isupper() and n >= uses
        if (
            (noun in NOT_DESCRIPTIONS and not named_thing)
            or (words[1].lower() in NOT_DESCRIPTIONS and not named_thing)
            or noun in descriptors
            # "the man" is whichever man is in view; "the stranger", said again and again, is one person
            or (noun in GENERIC_PEOPLE and len(words) == 2 and (GENERIC_PEOPLE[noun] != "unknown" or n < uses))
        ):  # but "the Invisible Man" is one
            continue
        if noun in HONORIFICS or (len(words) > 2 and not words[-2][0].isupper() and words[-1] in known):
            continue  # "said the obliging Mrs. Ford", "said the motionless Syme": a name after all
        titled = _ranked(clusters, words, noun)
        # "the count" is Count Mippipopolous; but "the General", a name in its own right used far more
        # often than the one General Perovski, is someone else.
        if len(titled) == 1 and not (
            words[-1][0].isupper() and n >= CHARACTER_LIMITS["rank_name_ratio"] * titled[0].count
        ):
            descriptors[noun] = titled[0].name()
            continue
        capital = words[-1][0].isupper()
        # Any other noun is someone when it tags speech again and again, once at least beside a quote
        # ("the road went on, very white" is no one).
        if capital or noun in OCCUPATIONS or (n >= uses and beside_speech[phrase]):
            out.append(_Cluster([_described_form(phrase, words, n)]))
    _vote_described_genders(narration, [cl.forms[0] for cl in out])
    return out


# Where a description's votes stop: "it" (an animal, a thing), and "him"/"her", more often someone
# else than the description ("the Caterpillar called after her").
_DESCRIBED_STOPS = frozenset({"it", "its", "itself", "him", "her", "hers"})


def _vote_described_genders(narration: list[str], forms: list[_Form]) -> None:
    """ "The Marquis started up. He…": the he/she after a description that opens a sentence votes for
    its gender, as it does for a name (a noun's own gender, "the waitress", still counts more)."""
    if not forms:
        return
    by_phrase = {f.text.lower(): f for f in forms}
    alt = "|".join(re.escape(f.text.split(" ", 1)[1]) for f in forms)
    rx = re.compile(rf"\b[Tt]he\s+(?:[a-z]+\s+)?({alt})\b")
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for text in narration:
        for m in rx.finditer(text):
            if _starts_sentence(text, m.start()) or _SUBJECT_BEFORE.search(text[: m.start()]):
                male, female = _gender_votes(text, m.end(), _DESCRIBED_STOPS)
                votes["the " + m.group(1).lower()].update(male=male, female=female)
    for phrase, v in votes.items():
        # A few votes, nearly all one way: one stray "she" (Alice's) makes no female caterpillar.
        if v["male"] + v["female"] >= 2 and abs(v["male"] - v["female"]) * 3 >= v["male"] + v["female"]:
            by_phrase[phrase].male += v["male"]
            by_phrase[phrase].female += v["female"]


_KIN_ALT = "|".join(sorted(KIN_NOUNS, key=len, reverse=True))
# A first-person narrator's relative who speaks: "said my grandmother", "my father replied" (each way
# looked for only where "my" follows, as _DESCRIBED_AFTER and _DESCRIBED_BEFORE: elsewhere it fails at once).
_MY_KIN = re.compile(
    rf"""
    \b(?=[a-z]+\s+my\s)(?:{_VERBS_ALT})\s+my\s+(?:[a-z]+\s+)?(?P<after>{_KIN_ALT})\b       # said my (old) aunt
    # My aunt (quietly) said
    | (?=[Mm]y\s)(?:^|(?<=[.,;!?]\s)|(?<=\s\s))[Mm]y\s+(?P<before>{_KIN_ALT})\s+(?:[a-z]+ly\s+)?(?:{_VERBS_ALT})\b
    """,
    re.VERBOSE,
)


def _kin_speakers(narration: list[str], clusters: list[_Cluster]) -> list[_Cluster]:
    """A narrator's relatives the narration tags as speaking ("said my grandmother"): a character each,
    "my grandmother", of the noun's sex and age; or one more name of the character the narration
    gives as that relative ("My sister, Mrs. Joe Gargery, …"). Only a first-person narration says "my"
    outside quotes."""
    # Most paragraphs of most books never say "my" outside quotes: only the others are searched.
    mine = [text for text in narration if "my" in text or "My" in text]
    said: Counter[str] = Counter()
    for text in mine:
        said.update(m.group("after") or m.group("before") for m in _MY_KIN.finditer(text))
    out = []
    for noun, n in said.items():
        f = _Form(f"my {noun}", None, ("my", noun), count=n, person=PERSON_EVIDENCE["sure"])
        f.nouns[noun] += 1
        named = _named_as(mine, clusters, noun)
        if named is not None:
            named.forms.append(f)
        else:
            out.append(_Cluster([f]))
    return out


def _named_as(narration: list[str], clusters: list[_Cluster], noun: str) -> _Cluster | None:
    """The one character the narration names beside "my <noun>": "my sister, Mrs. Joe Gargery" or
    "Mrs. Joe, my sister" (not "Joe, my sister's husband")."""
    by_text = {f.text: cl for cl in clusters for f in cl.forms if f.tokens[0] not in ("the", "my")}
    rx = re.compile(
        rf"\b[Mm]y\s+{noun},?\s+(?P<next>[A-Z][^,;:!?\u2014]*)|(?P<prev>[A-Z][\w.' ]*),\s+my\s+{noun}\b(?!['\u2019])"
    )
    found: dict[int, _Cluster] = {}
    for text in narration:
        for m in rx.finditer(text):
            words = (m.group("next") or m.group("prev")).split()
            # The longest name the phrase starts with (after "my sister, ") or ends with (before ", my sister").
            spans = (
                [words[:k] for k in range(len(words), 0, -1)]
                if m.group("next")
                else [words[k:] for k in range(len(words))]
            )
            hit = next((by_text[" ".join(w)] for w in spans if " ".join(w) in by_text), None)
            if hit is not None:
                found[id(hit)] = hit
    return next(iter(found.values())) if len(found) == 1 else None


def _descriptions(narration: list[str]) -> tuple[Counter[str], Counter[str]]:
    """How often each description tags speech, reduced to its capitals and noun ("the burly barman" is
    "the barman"; "the March Hare" keeps its capitals); and how often it does so beside a quote."""
    found: Counter[str] = Counter()
    beside: Counter[str] = Counter()
    for text in narration:
        for rx in (_DESCRIBED_AFTER, _DESCRIBED_BEFORE):
            for m in rx.finditer(text):
                said = m.group("d").split()
                if any(w in NOT_DESCRIPTIONS or w.lower() in NOT_NAMES for w in said[1:]):
                    continue  # "replied the other with…" (but "said the Voice" may be someone)
                words = ["the"] + [w for w in said[1:-1] if w[0].isupper()] + [said[-1]]
                found[" ".join(words)] += 1
                near = (
                    _QUOTE_BEFORE.search(text, 0, m.start())
                    if rx is _DESCRIBED_AFTER
                    else _QUOTE_AFTER.match(text, m.end())
                )
                beside[" ".join(words)] += near is not None
    return found, beside


# Where the narration had a quote (blanked to "." and spaces): just before "said the boy", or a few
# words after "the boy said".
_QUOTE_BEFORE = re.compile(r"\.\s{3,}$")
_QUOTE_AFTER = re.compile(r"[^.!?]{0,60}?\.\s{3,}")


def _ranked(clusters: list[_Cluster], words: list[str], noun: str) -> list[_Cluster]:
    """The characters with a title, or a rank written as the first word of a name ("Admiral Croft"),
    that a description names."""
    return [
        cl
        for cl in clusters
        if any(
            (f.title or "").lower().rstrip(".") in (noun, noun[:2])
            or (len(words) == 2 and len(f.tokens) > 1 and f.tokens[0] == words[1])
            for f in cl.forms
        )
    ]


def _described_form(phrase: str, words: list[str], n: int) -> _Form:
    """The one form of a character known by a description, with its person noun (for gender and age)."""
    f = _Form(phrase, None, tuple(words), count=n, person=PERSON_EVIDENCE["sure"])
    pair, noun = " ".join(words[-2:]).lower(), words[-1].lower()
    if PERSON_NOUNS.get(pair) or PERSON_NOUNS.get(noun):
        f.nouns[pair if pair in PERSON_NOUNS else noun] += 1
    return f


# --- Clustering forms into characters ---------------------------------------------------------


def _title_class(title: str | None) -> str | None:
    """Mr./Mrs./Miss families: two forms whose classes differ are two people (Mrs. and Miss Bates)."""
    if not title:
        return None
    t = title.lower().rstrip(".")
    return TITLE_CLASS.get(t, t)


def _title_gender(tclass: str | None) -> str | None:
    if tclass is None:
        return None
    if tclass == "mr" or tclass in MALE_TITLES:
        return "male"
    if tclass in _WOMEN_CLASSES or tclass in FEMALE_TITLES:
        return "female"
    return None


def _compatible(cl: _Cluster, f: _Form) -> bool:
    """Whether `f` can name the same person as the forms already in `cl`."""
    tc = _title_class(f.title)
    if tc is None:
        return True
    classes = {_title_class(g.title) for g in cl.forms} - {None}
    if tc in _FAMILY_CLASSES and classes & (_FAMILY_CLASSES - {tc}):
        return False
    want = _title_gender(tc)
    have = cl.gender()
    return want is None or have in ("unknown", want)


def _bare_title(f: _Form) -> str:
    return (f.title or "").lower().rstrip(".")


@dataclass
class _Clustering:
    """The characters made so far, and the ways a single name finds its character."""

    clusters: list[_Cluster] = field(default_factory=list)
    # Characters with a full name, and those a bare name made: what a first name or surname can join.
    named: list[_Cluster] = field(default_factory=list)
    # Per single name, the characters a title with it ("Mrs. Quill") or it alone ("Quill") went to.
    titled_single: defaultdict[str, list[_Cluster]] = field(default_factory=lambda: defaultdict(list))
    # How often each single name is used bare ("George"), for telling a father from his son.
    bare: Counter[str] = field(default_factory=Counter)
    # Family names with a "Miss Anne Elliot" in the book: "Miss Elliot" joins no plain "Anne Elliot".
    sisters: frozenset[str] = frozenset()

    def new(self, f: _Form) -> _Cluster:
        cl = _Cluster([f])
        self.clusters.append(cl)
        return cl

    def by_first(self, tok: str) -> list[_Cluster]:
        return [c for c in self.named if any(g.tokens[0] == tok for g in c.forms if len(g.tokens) > 1)]

    def by_last(self, tok: str) -> list[_Cluster]:
        return [c for c in self.named if any(g.tokens[-1] == tok for g in c.forms if len(g.tokens) > 1)]


def _cluster(forms: list[_Form], maybe: list[_Form], sisters: frozenset[str] = frozenset()) -> list[_Cluster]:
    """Merge full names, first names, surnames with titles into one character each.
    Forms in `maybe` join a character they clearly belong to, and never make a new one.
    Mr., Mrs. and Miss with one surname are three people; a bare surname goes to the one it fits."""
    state = _Clustering(sisters=sisters)
    state.bare.update({f.tokens[0]: f.count for f in [*forms, *maybe] if len(f.tokens) == 1 and not f.title})
    _join_full_names(state, forms)
    state.named = list(state.clusters)
    _join_titled_names(state, forms)
    _join_bare_names(state, forms, maybe)
    return state.clusters


def _join_full_names(state: _Clustering, forms: list[_Form]) -> None:
    """1. Full names: one character per name, titled variants joined when compatible."""
    full = sorted((f for f in forms if len(f.tokens) >= 2), key=lambda f: (f.title is not None, -f.count))
    by_tokens: defaultdict[tuple[str, ...], list[_Cluster]] = defaultdict(list)
    for f in full:
        home = next((c for c in by_tokens[f.tokens] if _compatible(c, f)), None)
        if home:
            home.forms.append(f)
        else:
            by_tokens[f.tokens].append(state.new(f))


def _join_titled_names(state: _Clustering, forms: list[_Form]) -> None:
    """2. A title with one name: "Mrs. Quill", "Uncle Robert", "Dr. Okafor"."""
    for f in sorted((f for f in forms if len(f.tokens) == 1 and f.title), key=lambda f: -f.count):
        tok = f.tokens[0]
        fits = _titled_fits(state, f)
        same = next(
            (c for c in state.titled_single[tok] if _title_class(c.forms[0].title) == _title_class(f.title)), None
        )
        if same:
            same.forms.append(f)
        elif len(fits) == 1:
            fits[0].forms.append(f)
            state.titled_single[tok].append(fits[0])
        else:
            state.titled_single[tok].append(state.new(f))


def _titled_fits(state: _Clustering, f: _Form) -> list[_Cluster]:
    """The full-named characters a titled single name can be: "Uncle Robert" is Robert Pell."""
    tok, t = f.tokens[0], _bare_title(f)
    pool = state.by_first(tok) if t in FIRST_NAME_TITLES else state.by_last(tok)
    if t in RANK_TITLES and not pool:
        pool = state.by_last(tok)
    given = any(not g.title and len(g.tokens) > 1 for c in state.by_first(tok) for g in c.forms)
    if not pool and _title_class(f.title) and given:  # "Mrs. Joe" is the "Mrs. Joe Gargery" (of Joe Gargery)
        return [
            c
            for c in state.by_first(tok)
            if any(g.tokens[0] == tok and _title_class(g.title) == _title_class(f.title) for g in c.forms)
        ]
    fits = [c for c in pool if _compatible(c, f)]
    if t not in FIRST_NAME_TITLES:
        # "Mrs. Bennet" is not Elizabeth Bennet, nor "Colonel Fussell" Albert Fussell: a title and a
        # surname join a full name only when it is given with the same title ("Mrs. June Pell").
        tc = _title_class(f.title)
        same_title = [
            c for c in fits if any(_title_class(g.title) == tc for g in c.forms) and not _two_men(state, c, f)
        ]
        if not same_title and tc == "miss" and tok not in state.sisters:
            # "Miss Woodhouse" is Emma Woodhouse, the one woman of that name; but where someone says
            # "Miss Anne Elliot", "Miss Elliot" is her elder sister.
            women = [c for c in fits if c.gender() == "female"]
            return women if len(women) == 1 and len(fits) == 1 else []
        if not same_title and tc == "mr":
            men = [c for c in fits if c.gender() == "male" and c.count > 1]
            return men if len(men) == 1 and _called_by_surname(state, men[0], tok) else []
        fits = same_title
    return fits


def _called_by_surname(state: _Clustering, cl: _Cluster, surname: str) -> bool:
    """Whether the book calls the man of `cl` ("Newland Archer") by his surname alone more often than
    by his first name: then "Mr. Archer" is he, not a father of a son called by his first name."""
    firsts = {g.tokens[0] for g in cl.forms if len(g.tokens) > 1}
    return all(state.bare[surname] > state.bare[first] for first in firsts)


def _two_men(state: _Clustering, cl: _Cluster, f: _Form) -> bool:
    """Whether "Mr. Emerson", said again and again, is someone else than the George Emerson the book
    calls "George" at least as often: a father and his son (once, "Mr. George Emerson")."""
    uses = CHARACTER_LIMITS["two_names_uses"]
    firsts = {g.tokens[0] for g in cl.forms if len(g.tokens) > 1}
    return f.count >= uses and any(state.bare[first] >= f.count for first in firsts)


def _join_bare_names(state: _Clustering, forms: list[_Form], maybe: list[_Form]) -> None:
    """3. A bare name: the first name of one character, else the surname of one; else a new
    character, unless it is only a `maybe`."""
    weak = {id(f) for f in maybe}
    for f in sorted((f for f in [*forms, *maybe] if len(f.tokens) == 1 and not f.title), key=lambda f: -f.count):
        tok = f.tokens[0]
        target = _bare_target(state, tok)
        if target is None and id(f) in weak:
            continue
        if target is None:
            target = state.new(f)
            state.named.append(target)
            state.titled_single[tok].append(target)
        else:
            target.forms.append(f)


def _bare_target(state: _Clustering, tok: str) -> _Cluster | None:
    """The one character a bare name belongs to, if there is one."""
    firsts = state.by_first(tok) or [
        c for c in state.titled_single[tok] if _bare_title(c.forms[0]) in FIRST_NAME_TITLES
    ]
    # "Fitzwilliam": Colonel Fitzwilliam, called so far more than Mr. Darcy is called "Fitzwilliam Darcy".
    titled = [c for c in state.titled_single[tok] if _bare_title(c.forms[0]) not in FIRST_NAME_TITLES]
    if firsts and len(titled) == 1 and titled[0] not in firsts:
        as_first = sum(f.count for c in firsts for f in c.forms if len(f.tokens) > 1 and f.tokens[0] == tok)
        if sum(f.count for f in titled[0].forms if f.title) > as_first:
            return titled[0]
    if firsts:
        return firsts[0] if len(firsts) == 1 else _most_called(firsts, tok)
    lasts = state.by_last(tok)
    surnamed = [c for c in state.titled_single[tok] if c not in lasts] + lasts
    men = [c for c in surnamed if any(_title_class(g.title) == "mr" for g in c.forms)]
    # A bare surname is rarely a married or unmarried woman's ("Braddocks said" is Mr.).
    surnamed = [c for c in surnamed if not all(_title_class(g.title) in _WOMEN_CLASSES for g in c.forms)]
    if len(surnamed) == 1:
        return surnamed[0]
    if len(men) == 1:
        return men[0]  # "Weston" alone is Mr. Weston more often than Mrs. Weston
    return None


def _most_called(clusters: list[_Cluster], first: str) -> _Cluster | None:
    """Of the characters who share a first name ("Jane Fairfax", "Miss Jane Bates"), the one the book
    calls by that full name far more often than all the others together; None when none stands out."""
    uses = sorted(
        (
            (sum(f.count for f in cl.forms if len(f.tokens) > 1 and f.tokens[0] == first), i)
            for i, cl in enumerate(clusters)
        ),
        reverse=True,
    )
    top, rest = uses[0][0], sum(n for n, _ in uses[1:])
    return clusters[uses[0][1]] if top >= CHARACTER_LIMITS["first_name_ratio"] * max(rest, 1) else None


def _descriptors(clusters: list[_Cluster]) -> dict[str, str]:
    """Nouns that stand for one character: "the doctor" for Dr. Okafor, "the boy" for the only boy."""
    claims: defaultdict[str, set[str]] = defaultdict(set)
    for cl in clusters:
        name = cl.name()
        for f in cl.forms:
            for noun in f.nouns:
                if f.tokens[0] != "the":
                    claims[noun].add(name)
            t = _bare_title(f)
            if t in TITLE_DESCRIPTIONS:
                claims[TITLE_DESCRIPTIONS[t]].add(name)
        # "the boy" is the only boy the text ever calls little, even once ("little Pip"); but "the girl"
        # is as often a young woman (Lucy Honeychurch) as the one little girl, so it stays whoever is in view
        gender, age = cl.gender(), cl.age(votes_wanted=False)
        if age == "child" and gender == "male":
            claims["boy"].add(name)
        if age == "elderly" and gender != "unknown":
            claims["old man" if gender == "male" else "old woman"].add(name)
    return {noun: next(iter(names)) for noun, names in claims.items() if len(names) == 1 and noun not in KIN_NOUNS}
