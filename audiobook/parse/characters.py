"""Characters: names found in the text, clustered with their aliases, with a gender and an age guess.

Explainable rules only. A capitalised name becomes a character when the text treats it as a person
(it tags speech, carries a title, does something, or a he/she follows it), not when it follows "the"
(the Mirrorball Trophy) or only ever starts sentences (Later, Sure).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model import Age, Character, Gender
from .lexicon import (
    CHILD_WORDS,
    ELDERLY_WORDS,
    FEMALE_PRONOUNS,
    FEMALE_TITLES,
    GENERIC_PEOPLE,
    IRREGULAR_PAST,
    MALE_PRONOUNS,
    MALE_TITLES,
    NOT_DESCRIPTIONS,
    NOT_NAMES,
    OCCUPATIONS,
    PERSON_NOUNS,
    SPEECH_VERBS,
    TITLES,
    sentence_spans,
)

_TITLE_WORDS = sorted({t.capitalize() for t in TITLES}, key=len, reverse=True)
_ABBREVIATED = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Capt",
    "Col",
    "Gen",
    "Lt",
    "Rev",
    "Mme",
    "Mlle",
    "Fr",
    "Sgt",
    "Messrs",
)
# "Mr. Pell" or "Mr Pell"; "Uncle Robert" but never "Grandmother. Next" (a sentence ends there).
_TITLE = (
    r"(?:(?:(?:"
    + "|".join(_ABBREVIATED)
    + r")\.?|(?:"
    + "|".join(re.escape(t) for t in _TITLE_WORDS if t not in _ABBREVIATED)
    + r"))\s+)"
)
_TOKEN = r"(?:O['\u2019])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)*"
_PARTICLE = r"(?:van|von|der|den|de|du|da|di|le|la|del|della|ten|ter)"
# "Mr. van der Luyden", "Professor de Worms", "Vincent de Paul"
_CANDIDATE = re.compile(
    rf"(?<![\w'\u2019-])(?P<title>{_TITLE})?(?P<name>(?:{_PARTICLE}\s)?{_TOKEN}"
    rf"(?:\s(?:{_PARTICLE}\s){{0,2}}{_TOKEN}){{0,2}})"
    r"(?P<poss>['\u2019]s?\b)?"
)
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][a-z]+)?")
_PERSON_VERB = re.compile(
    r"\s+(?:[a-z]+ed|"
    + "|".join(IRREGULAR_PAST)
    + r"|smiles|says|asks|looks|turns|walks|nods|laughs|sighs|shrugs|grins|frowns)\b"
)
# Verbs whose object is a person: "met Tomas Weller", "kissed Nora".
_PERSON_OBJECT = re.compile(
    r"\b(?:met|greeted|kissed|hugged|thanked|married|introduced|visited|told|asked|"
    r"interrupted|embraced|scolded|warned|called|helped|nudged|followed|joined)\s+$"
)
# Words after which a name is the subject of what follows: its pronouns are its own.
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[,;:(\u2014]|\b(?:and|but|then|when|as|while|so|yet|because|after|"
    r"before|until|if|though|although|once|where)\b)\s*$",
    re.IGNORECASE,
)
_NOT_PERSON_BEFORE = re.compile(r"\b(?:in|at|of|from|into|across|on)\s+$", re.IGNORECASE)
_THING_BEFORE = re.compile(r"\b(?:the|a|an|this|that|our|their)\s+$")
_NOUN_ALT = "|".join(sorted((re.escape(n) for n in PERSON_NOUNS), key=len, reverse=True))
# "Dr. Rhys Okafor, the village doctor" / "her son Pip" / "the boy Pip"
_APPOS_AFTER = re.compile(rf"^,\s+(?:the|a|an|his|her|their|our|my)\s+(?:[a-z-]+\s+){{0,2}}?(?P<noun>{_NOUN_ALT})\b")
_APPOS_BEFORE = re.compile(rf"\b(?:the|his|her|their|our|my)\s+(?:[a-z-]+\s+)?(?P<noun>{_NOUN_ALT})\s+$", re.IGNORECASE)


_PRONOUN_BEFORE = re.compile(r"\b(?:he|she|He|She|they|They|I|we|We)\b")


_ABBREV_DOT = re.compile(r"\b(" + "|".join(_ABBREVIATED) + r")\\\.")
_ABBREV_BARE = re.compile(r"\b(" + "|".join(_ABBREVIATED) + r")\b(?!\.)")


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
    male: int = 0
    female: int = 0
    ages: Counter[str] = field(default_factory=Counter)
    nouns: Counter[str] = field(default_factory=Counter)


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
            male += 5 * f.count * (t in MALE_TITLES)
            female += 5 * f.count * (t in FEMALE_TITLES)
            for noun, n in f.nouns.items():
                g = PERSON_NOUNS[noun][0]
                male += 3 * n * (g == "male")
                female += 3 * n * (g == "female")
        if male > female:
            return "male"
        if female > male:
            return "female"
        return "unknown"

    def age(self) -> Age:
        ages: Counter[str] = Counter()
        for f in self.forms:
            ages.update(f.ages)
            for noun, n in f.nouns.items():
                ages[PERSON_NOUNS[noun][1]] += n
        ages.pop("unknown", None)
        if not ages:
            return "unknown"
        return ages.most_common(1)[0][0]  # type: ignore[return-value]

    def name(self) -> str:
        # The form the text uses most; ties go to the fuller form.
        best = max(self.forms, key=lambda f: (f.count, len(f.tokens), bool(f.title)))
        return best.text


class CharacterIndex:
    """The characters of a book and a fast way to find their mentions in narration."""

    def __init__(self, clusters: list[_Cluster], descriptors: dict[str, str]):
        self.characters: dict[str, Character] = {}
        self._by_form: dict[str, str] = {}
        for cl in sorted(clusters, key=lambda c: -c.count):
            name = cl.name()
            if name in self.characters:
                continue
            names = {f.text for f in cl.forms} | {" ".join(f.tokens) for f in cl.forms if len(f.tokens) > 1}
            aliases = tuple(sorted(names - {name}, key=lambda a: (-len(a), a)))
            self.characters[name] = Character(name=name, aliases=aliases, gender=cl.gender(), age=cl.age())
            for f in cl.forms:
                self._by_form.setdefault(_dotted(f.text), name)
                if f.text.startswith("the "):
                    self._by_form.setdefault(_dotted("The" + f.text[3:]), name)
        self.descriptors = dict(descriptors)
        # A title spelled out that only one character carries stands for them ("said Mademoiselle").
        carriers: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for cl in clusters:
            for f in cl.forms:
                if f.title and not f.title.endswith(".") and f.title.lower() not in {"mr", "mrs", "ms", "dr", "miss"}:
                    carriers[f.title][self._by_form.get(_dotted(f.text), "")] += f.count
        for title, names in carriers.items():
            names.pop("", None)
            top = names.most_common(1)
            if top and top[0][1] >= 0.8 * sum(names.values()) and title not in self._by_form:
                self._by_form[title] = top[0][0]  # the one it nearly always means
        forms = sorted(self._by_form, key=len, reverse=True)
        names = "|".join(_ABBREV_DOT.sub(r"\1\\.?", re.escape(f)) for f in forms) or r"(?!x)x"
        nouns = "|".join(re.escape(n) for n in sorted(self.descriptors, key=len, reverse=True)) or r"(?!x)x"
        self._mention = re.compile(
            rf"(?<![\w'\u2019-])(?:(?P<name>{names})(?![\w-])|(?:[Tt]he|[Hh]is|[Hh]er)\s+(?P<noun>(?i:{nouns}))\b)"
        )

    def resolve(self, form: str) -> str | None:
        """The canonical name for a surface form or a descriptor noun."""
        form = _dotted(form)
        if form in self._by_form:
            return self._by_form[form]
        if form.startswith("the ") and "The" + form[3:] in self._by_form:
            return self._by_form["The" + form[3:]]
        return self.descriptors.get(form.lower().removeprefix("the ").strip())

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of each character named or described in `text`."""
        out = []
        for m in self._mention.finditer(text):
            who = (
                self._by_form[_dotted(m.group("name"))]
                if m.group("name")
                else self.descriptors[m.group("noun").lower()]
            )
            out.append((m.start(), m.end(), who))
        return out

    def gender(self, name: str | None) -> Gender:
        """The gender of a character, 'unknown' when unsure or not a character."""
        c = self.characters.get(name or "")
        return c.gender if c else "unknown"


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in '.!?"\u201d\u201c('


def _gender_votes(text: str, after: int) -> tuple[int, int]:
    """The first he/she-type pronoun after a sentence's subject, before anyone else is named."""
    window = text[after : after + 240]
    for nxt in _CANDIDATE.finditer(window):
        # Someone else named: stop. A place ("at Gull Point") or a thing ("the Trophy") is no one.
        if nxt.group("name").split()[0].lower() not in NOT_NAMES and not (
            _THING_BEFORE.search(window, 0, nxt.start()) or _NOT_PERSON_BEFORE.search(window, 0, nxt.start())
        ):
            window = window[: nxt.start()]
            break
    for w in _WORD.findall(window):
        lw = w.lower()
        if lw in MALE_PRONOUNS:
            return 1, 0
        if lw in FEMALE_PRONOUNS:
            return 0, 1
    return 0, 0


def find_characters(narration: list[str], speech: list[str]) -> CharacterIndex:
    """Find the people in a book from its narration (paragraph texts with quotes blanked out)."""
    forms: dict[str, _Form] = {}
    lower_words: set[str] = set()
    for text in narration:
        lower_words.update(w for w in _WORD.findall(text) if w.islower())
    for text in speech:
        lower_words.update(w for w in _WORD.findall(text) if w.islower())

    occurrences: list[tuple[_Form, str, int, int, int]] = []
    for text in narration:
        starts = {s for s, _ in sentence_spans(text)}
        for m in _CANDIDATE.finditer(text):
            title = m.group("title")
            tokens = tuple(m.group("name").split())
            # Sentence-initial function words glued to a name: "But Leo", "When Mara".
            while not title and tokens and (tokens[0].lower() in NOT_NAMES or tokens[0].islower()):
                tokens = tokens[1:]
            if not title and len(tokens) > 1 and tokens[0].lower() in lower_words and _starts_sentence(text, m.start()):
                tokens = tokens[1:]  # "Downstairs Jock …": a word that starts the sentence
            # "Miss Woodhouse Miss Taylor": a title starts another name.
            cut = next((i for i, t in enumerate(tokens) if i and t.lower() in TITLES), None)
            if cut:
                tokens = tokens[:cut]
            if not tokens or (not title and any(t.lower() in NOT_NAMES for t in tokens)):
                continue
            if title:
                title = title.strip()
                if title.rstrip(".").lower() in {
                    "mr",
                    "mrs",
                    "ms",
                    "dr",
                    "st",
                    "prof",
                    "capt",
                    "lt",
                    "mme",
                    "mlle",
                    "rev",
                    "fr",
                } and not title.endswith("."):
                    title += "."
            text_form = f"{title} {' '.join(tokens)}" if title else " ".join(tokens)
            f = forms.get(text_form)
            if f is None:
                f = forms[text_form] = _Form(text_form, title, tokens)
            f.count += 1
            start = m.start("name") if not title else m.start()
            start = text.index(tokens[0], start) if not title else start
            before = text[:start]
            at_sentence_start = start in starts or not before.strip() or before.rstrip()[-1:] in '"\u201c\u2018('
            if not at_sentence_start:
                f.mid_sentence += 1
            after = text[m.end() :]
            if title:
                f.person += 2
            if _PERSON_VERB.match(after) or m.group("poss") or _PERSON_OBJECT.search(before):
                f.person += 1
            verb_after = re.match(r"\s*,?\s*([a-z]+)", after)
            verb_before = re.search(r"\b([a-z]+)\s+$", before)
            if (verb_after and verb_after.group(1) in SPEECH_VERBS) or (
                verb_before and verb_before.group(1) in SPEECH_VERBS and after[:1] in ".,;!?"
            ):
                f.person += 3
            if not title and _THING_BEFORE.search(before):
                f.not_person += 3  # the Mirrorball Trophy
            elif not title and _NOT_PERSON_BEFORE.search(before):
                f.not_person += 1  # in Paris
            sentence_start = max((s for s in starts if s <= start), default=0)
            occurrences.append((f, text, sentence_start, start, m.end()))
            prev_word = re.search(r"([A-Za-z-]+)\s+$", before)
            if prev_word:
                pw = prev_word.group(1).lower()
                if pw in CHILD_WORDS:
                    f.ages["child"] += 1
                elif pw in ELDERLY_WORDS:
                    f.ages["elderly"] += 1
            ap = _APPOS_AFTER.match(after) or _APPOS_BEFORE.search(before)
            if ap:
                f.nouns[ap.group("noun").lower()] += 1
                f.person += 2

    # Gender: the pronouns after a sentence's first person are most likely theirs.
    claimed: set[tuple[int, int]] = set()
    for f, text, sentence_start, start, end in occurrences:
        key = (id(text), sentence_start)
        if key in claimed or f.not_person > f.person:
            continue
        claimed.add(key)
        if _PRONOUN_BEFORE.search(text, sentence_start, start) or not _SUBJECT_BEFORE.search(
            text[sentence_start:start]
        ):
            continue  # "She remembered when Robert…", "winning Dancing With…"
        male, female = _gender_votes(text, end)
        f.male += male
        f.female += female
        f.person += bool(male or female)
    # "Marisol turned…" vouches for "Marisol Ortega" and the other way round.
    single_evidence: Counter[str] = Counter()
    for f in forms.values():
        if len(f.tokens) == 1 and not f.title:
            single_evidence[f.tokens[0]] += f.person
    for f in forms.values():
        if len(f.tokens) > 1 and f.not_person == 0:
            f.person += single_evidence[f.tokens[0]] + single_evidence[f.tokens[-1]]
    people = [f for f in forms.values() if _is_person(f, lower_words)]
    # A first name or surname seen only at sentence starts ("Arthur scratched his head.") is still
    # that person when a full name it belongs to is known.
    maybe = [f for f in forms.values() if f not in people and len(f.tokens) == 1 and f.not_person <= f.person]
    clusters = _cluster(people, maybe)
    descriptors = _descriptors(clusters)
    clusters += _described(narration, clusters, descriptors)
    return CharacterIndex(clusters, descriptors)


_VERBS_ALT = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_DESCRIPTION = r"(?:[a-z]+\s+)?(?:[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?|[a-z]+)"
_DESCRIBED_AFTER = re.compile(rf"\b(?:{_VERBS_ALT})\s+(?P<d>the\s+{_DESCRIPTION})\b")
_DESCRIBED_BEFORE = re.compile(
    rf"(?:^|[.,;!?]\s+|\s\s)(?P<d>[Tt]he\s+{_DESCRIPTION})"
    rf"\s+(?:[a-z]+ly\s+)?(?:{_VERBS_ALT})\b"
)


def _described(narration: list[str], clusters: list[_Cluster], descriptors: dict[str, str]) -> list[_Cluster]:
    """Characters known only by a description in speech tags: "said the Hatter", "the waiter asked".
    A description that fits a named character ("the professor" for Professor De Worms) becomes a
    descriptor of that character instead."""
    found: Counter[str] = Counter()
    known = {f.text for cl in clusters for f in cl.forms} | {t for cl in clusters for f in cl.forms for t in f.tokens}
    for text in narration:
        for rx in (_DESCRIBED_AFTER, _DESCRIBED_BEFORE):
            for m in rx.finditer(text):
                # "the burly barman" is "the barman"; "the March Hare" keeps its capitals.
                said = m.group("d").split()
                if any(w.lower() in NOT_DESCRIPTIONS or w.lower() in NOT_NAMES for w in said[1:]):
                    continue  # "replied the other with…"
                words = ["the"] + [w for w in said[1:-1] if w[0].isupper()] + [said[-1]]
                found[" ".join(words)] += 1
    out: list[_Cluster] = []
    for phrase, n in found.most_common():
        words = phrase.split()
        noun = words[-1].lower()
        if (
            noun in NOT_DESCRIPTIONS
            or words[1].lower() in NOT_DESCRIPTIONS
            or noun in descriptors
            or (noun in GENERIC_PEOPLE and len(words) == 2)
        ):  # but "the Invisible Man" is one
            continue
        if noun in _HONORIFICS or (len(words) > 2 and not words[-2][0].isupper() and words[-1] in known):
            continue  # "said the obliging Mrs. Ford", "said the motionless Syme": a name after all
        # A title, or a rank written as the first word of a name ("Admiral Croft"), that one person has.
        titled = [
            cl
            for cl in clusters
            if any(
                (f.title or "").lower().rstrip(".") in (noun, noun[:2])
                or (len(words) == 2 and len(f.tokens) > 1 and f.tokens[0] == words[1])
                for f in cl.forms
            )
        ]
        # "the count" is Count Mippipopolous; but "the General", a name in its own right used far more
        # often than the one General Perovski, is someone else.
        if len(titled) == 1 and not (words[-1][0].isupper() and n >= 5 * titled[0].count):
            descriptors[noun] = titled[0].name()
            continue
        capital = words[-1][0].isupper()
        if not (capital or noun in OCCUPATIONS or n >= 3):
            continue
        f = _Form(phrase, None, tuple(words), count=n, person=3)
        g = PERSON_NOUNS.get(" ".join(words[-2:]).lower()) or PERSON_NOUNS.get(noun)
        if g:
            f.nouns[" ".join(words[-2:]).lower() if " ".join(words[-2:]).lower() in PERSON_NOUNS else noun] += 1
        out.append(_Cluster([f]))
    return out


def _is_person(f: _Form, lower_words: set[str]) -> bool:
    if f.person == 0 or f.not_person > f.person:
        return False
    if all(t.lower() in TITLES for t in f.tokens):
        return False  # "Mrs" on its own is nobody
    if f.title:
        return True
    if len(f.tokens) == 1 and f.tokens[0].endswith("ing"):
        return False  # "Looking up, she…"
    if len(f.tokens) == 1 and f.tokens[0].lower() in lower_words and (f.person < 3 or f.mid_sentence < f.count / 2):
        return False  # "Next", "Hope": an ordinary word unless named mid-sentence as a person
    return f.mid_sentence > 0 or f.person >= 3 or len(f.tokens) > 1


_HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mister",
        "dr",
        "mme",
        "mlle",
        "monsieur",
        "madame",
        "mademoiselle",
        "herr",
        "frau",
        "signor",
        "signora",
        "sir",
        "st",
        "messrs",
    }
)
_TITLE_CLASS = {
    **dict.fromkeys(("mr", "mister", "monsieur", "herr", "signor", "señor", "master"), "mr"),
    **dict.fromkeys(("mrs", "madame", "mme", "frau", "signora", "señora"), "mrs"),
    **dict.fromkeys(("miss", "ms", "mlle", "mademoiselle"), "miss"),
}
# Titles used with a first name ("Uncle Robert", "Sir Walter"); the rest go with a surname.
_FIRST_NAME_TITLES = frozenset(
    {
        "uncle",
        "aunt",
        "auntie",
        "sir",
        "lady",
        "lord",
        "cousin",
        "brother",
        "sister",
        "father",
        "mother",
        "grandpa",
        "grandma",
        "grandfather",
        "grandmother",
        "king",
        "queen",
        "prince",
        "princess",
        "dame",
        "don",
        "saint",
        "st",
    }
)


def _title_class(title: str | None) -> str | None:
    """Mr./Mrs./Miss families: two forms whose classes differ are two people (Mrs. and Miss Bates)."""
    if not title:
        return None
    t = title.lower().rstrip(".")
    return _TITLE_CLASS.get(t, t)


def _title_gender(tclass: str | None) -> str | None:
    if tclass is None:
        return None
    if tclass == "mr" or tclass in MALE_TITLES:
        return "male"
    if tclass in ("mrs", "miss") or tclass in FEMALE_TITLES:
        return "female"
    return None


def _compatible(cl: _Cluster, f: _Form) -> bool:
    """Whether `f` can name the same person as the forms already in `cl`."""
    tc = _title_class(f.title)
    if tc is None:
        return True
    classes = {_title_class(g.title) for g in cl.forms} - {None}
    if tc in ("mr", "mrs", "miss") and classes & ({"mr", "mrs", "miss"} - {tc}):
        return False
    want = _title_gender(tc)
    have = cl.gender()
    return want is None or have in ("unknown", want)


def _cluster(forms: list[_Form], maybe: list[_Form]) -> list[_Cluster]:
    """Merge full names, first names, surnames with titles into one character each.
    Forms in `maybe` join a character they clearly belong to, and never make a new one.
    Mr., Mrs. and Miss with one surname are three people; a bare surname goes to the one it fits."""
    clusters: list[_Cluster] = []

    def new(f: _Form) -> _Cluster:
        cl = _Cluster([f])
        clusters.append(cl)
        return cl

    # 1. Full names: one character per name, titled variants joined when compatible.
    full = sorted((f for f in forms if len(f.tokens) >= 2), key=lambda f: (f.title is not None, -f.count))
    by_tokens: defaultdict[tuple[str, ...], list[_Cluster]] = defaultdict(list)
    for f in full:
        home = next((c for c in by_tokens[f.tokens] if _compatible(c, f)), None)
        if home:
            home.forms.append(f)
        else:
            by_tokens[f.tokens].append(new(f))
    named = list(clusters)

    def by_first(tok: str) -> list[_Cluster]:
        return [c for c in named if any(g.tokens[0] == tok for g in c.forms if len(g.tokens) > 1)]

    def by_last(tok: str) -> list[_Cluster]:
        return [c for c in named if any(g.tokens[-1] == tok for g in c.forms if len(g.tokens) > 1)]

    # 2. A title with one name: "Mrs. Quill", "Uncle Robert", "Dr. Okafor".
    titled_single: defaultdict[str, list[_Cluster]] = defaultdict(list)
    for f in sorted((f for f in forms if len(f.tokens) == 1 and f.title), key=lambda f: -f.count):
        tok, t = f.tokens[0], f.title.lower().rstrip(".") if f.title else ""
        pool = by_first(tok) if t in _FIRST_NAME_TITLES else by_last(tok)
        if t in ("sir", "lady", "lord", "dame") and not pool:
            pool = by_last(tok)
        fits = [c for c in pool if _compatible(c, f)]
        tc = _title_class(f.title)
        if t not in _FIRST_NAME_TITLES:
            # "Mrs. Bennet" is not Elizabeth Bennet, nor "Colonel Fussell" Albert Fussell: a title and a
            # surname join a full name only when it is given with the same title ("Mrs. June Pell").
            fits = [c for c in fits if any(_title_class(g.title) == tc for g in c.forms)]
        same = next((c for c in titled_single[tok] if _title_class(c.forms[0].title) == _title_class(f.title)), None)
        if same:
            same.forms.append(f)
        elif len(fits) == 1:
            fits[0].forms.append(f)
            titled_single[tok].append(fits[0])
        else:
            titled_single[tok].append(new(f))

    # 3. A bare name: the first name of one character, else the surname of one.
    weak = {id(f) for f in maybe}
    for f in sorted((f for f in [*forms, *maybe] if len(f.tokens) == 1 and not f.title), key=lambda f: -f.count):
        tok = f.tokens[0]
        target: _Cluster | None = None
        firsts = by_first(tok) or [
            c for c in titled_single[tok] if (c.forms[0].title or "").lower().rstrip(".") in _FIRST_NAME_TITLES
        ]
        if len(firsts) == 1:
            target = firsts[0]
        elif not firsts:
            lasts = by_last(tok)
            surnamed = [c for c in titled_single[tok] if c not in lasts] + lasts
            men = [c for c in surnamed if any(_title_class(g.title) == "mr" for g in c.forms)]
            # A bare surname is rarely a married or unmarried woman's ("Braddocks said" is Mr.).
            surnamed = [c for c in surnamed if not all(_title_class(g.title) in ("mrs", "miss") for g in c.forms)]
            if len(surnamed) == 1:
                target = surnamed[0]
            elif len(men) == 1:
                target = men[0]  # "Weston" alone is Mr. Weston more often than Mrs. Weston
        if target is None and id(f) in weak:
            continue
        if target is None:
            target = new(f)
            named.append(target)
            titled_single[tok].append(target)
        else:
            target.forms.append(f)
    return clusters


def _descriptors(clusters: list[_Cluster]) -> dict[str, str]:
    """Nouns that stand for one character: "the doctor" for Dr. Okafor, "the boy" for the only boy."""
    claims: defaultdict[str, set[str]] = defaultdict(set)
    for cl in clusters:
        name = cl.name()
        for f in cl.forms:
            for noun in f.nouns:
                if f.tokens[0] != "the":
                    claims[noun].add(name)
            t = (f.title or "").lower().rstrip(".")
            if t in ("dr", "doctor"):
                claims["doctor"].add(name)
            elif t in ("capt", "captain"):
                claims["captain"].add(name)
            elif t in ("prof", "professor"):
                claims["professor"].add(name)
        gender, age = cl.gender(), cl.age()
        if age == "child" and gender != "unknown":
            claims["boy" if gender == "male" else "girl"].add(name)
        if age == "elderly" and gender != "unknown":
            claims["old man" if gender == "male" else "old woman"].add(name)
    return {noun: next(iter(names)) for noun, names in claims.items() if len(names) == 1}
