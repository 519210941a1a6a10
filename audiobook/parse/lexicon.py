"""Word lists and small text helpers the parser's rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# Verbs that introduce or tag speech, in the forms fiction uses.
_SPEECH_VERB_STEMS = """
say said says saying ask asked asks reply replied replies answer answered answers whisper whispered
whispers shout shouted shouts cry cried cries exclaim exclaimed exclaims continue continued continues
add added adds mutter muttered mutters murmur murmured murmurs call called calls yell yelled yells
scream screamed screams begin began begins repeat repeated repeats insist insisted insists agree agreed
explain explained explains demand demanded demands snap snapped snaps growl growled growls sigh sighed
sighs breathe breathed hiss hissed plead pleaded begged beg tell told tells remark remarked remarks
observe observed observes return returned returns rejoin rejoined retort retorted interrupt interrupted
declare declared declares announce announced announces admit admitted suggest suggested suggests protest
protested urge urged respond responded offer offered promise promised warn warned warns wonder wondered
gasp gasped stammer stammered stutter stuttered grumble grumbled groan groaned sob sobbed wail wailed
roar roared bellow bellowed chuckle chuckled giggle giggled tease teased blurt blurted laugh laughed
laughs smile smiled smiles grin grinned snort snorted sneer sneered scoff scoffed squeal squealed
shriek shrieked croak croaked rasp rasped mumble mumbled purr purred coo cooed chirp chirped
counter countered concede conceded confess confessed correct corrected echo echoed inquire inquired
enquire enquired query queried persist persisted proceed proceeded resume resumed conclude concluded
went put recall recalled reason reasoned reflect reflected assent assented
object objected state stated note noted point pointed prompt prompted soothe soothed assure assured
cut interposed interpose interject interjected volunteer volunteered pursue pursued venture ventured
"""
SPEECH_VERBS = frozenset(_SPEECH_VERB_STEMS.split())
# Verbs that tag speech only with their particle: "broke in", "put in", "chimed in", "went on".
PHRASAL_SPEECH_VERBS = frozenset({"broke", "put", "chimed", "went"})

# Irregular past tenses and participles: what a person did ("Denham made no comment, but said").
IRREGULAR_PAST = tuple(
    """
said stood knelt felt ran went came saw took gave sat held shook thought knew made got told left began spoke
set put let cut hit read led met fed kept lay lit slept spun stuck swung threw wore woke won wrote drew drove
ate fell fought found flew forgot froze grew hung heard hid bit blew broke brought built bought caught chose
clung crept dug fled flung rose rode rang sang sank shot shut slid spent stole strode struck swore swept swam
taught tore understood wept wound became forgave overheard taken given broken spoken risen fallen seen done
gone written driven chosen forgotten hidden stolen sworn torn worn
""".split()
)

# Pronouns, as sets of words and as regex alternations (each alternative is a whole word: no order matters).
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
SUBJECT_PRONOUNS = {"he": "male", "she": "female"}
# A pronoun that tells a gender: any of the above, capitalised only where a sentence starts with it.
GENDERED_PRONOUN = "he|him|his|himself|she|her|hers|herself|He|His|She|Her"
# The subject of a speech tag: "…," he said. / "…," said she. / I said.
SUBJECT_PRONOUN = "he|she|He|She|I"
# The subject that opens a sentence: "She turned to the window."
SENTENCE_SUBJECT_PRONOUN = "He|She|I"
# Any subject pronoun, of one person or several: "She remembered when Robert…".
ANY_SUBJECT_PRONOUN = "he|she|He|She|they|They|I|we|We"


def pronoun_gender(pronoun: str) -> str:
    """ "male" for he/him/his/himself in any case, else "female" (for a match of GENDERED_PRONOUN)."""
    return "male" if pronoun.lower() in MALE_PRONOUNS else "female"


# --- Titles -------------------------------------------------------------------------------------
# Every title the rules know is one row of TITLE_TABLE: its spelling (lower case, no full stop) and how
# the rules use it. The sets and regex alternations below are all drawn from it: add a title there only.


@dataclass(frozen=True)
class Title:
    """What one spelling of a title tells, and which rules take it."""

    # "male", "female", "neutral" (either sex); None: not a title word on its own, only in the uses
    # marked below (the rules that ask "is this word a title?", i.e. TITLES, skip it).
    gender: Literal["male", "female", "neutral"] | None
    abbreviated: bool = False  # written with or without a full stop ("Mr. Pell", "Mr Pell")
    dotted: bool = False  # a name's canonical form writes it with a full stop ("Mr Pell" is "Mr. Pell")
    common: bool = False  # too common to stand for one person when said alone ("said Miss" is nobody)
    honorific: bool = False  # a form of address, never a description ("said the obliging Mrs. Ford")
    family: Literal["mr", "mrs", "miss"] | None = None  # Mr./Mrs./Miss: Mrs. and Miss Bates are two people
    first_name: bool = False  # goes with a first name ("Uncle Robert"); the rest go with a surname
    rank: bool = False  # a first name or, when none fits, a surname (Sir Walter, Lady Russell)
    description: str | None = None  # what makes its bearer "the doctor", "the captain"
    vocative: bool = False  # a vocative may carry it: "…, Mr. Knightley!", "Uncle Robert, look!"
    child: bool = False  # spoken to a parent or grandparent: saying it marks the speaker as a child


# The abbreviated titles come first, in the order the regexes try them, then the spelled-out ones a
# vocative may carry, in the order its regex tries them (any order finds the same matches).
TITLE_TABLE: dict[str, Title] = {
    "mr": Title("male", abbreviated=True, dotted=True, common=True, honorific=True, family="mr", vocative=True),
    "mrs": Title("female", abbreviated=True, dotted=True, common=True, honorific=True, family="mrs", vocative=True),
    "ms": Title("female", abbreviated=True, dotted=True, common=True, honorific=True, family="miss", vocative=True),
    "dr": Title(
        "neutral", abbreviated=True, dotted=True, common=True, honorific=True, description="doctor", vocative=True
    ),
    "prof": Title("neutral", abbreviated=True, dotted=True, description="professor"),
    "capt": Title("neutral", abbreviated=True, dotted=True, description="captain"),
    "col": Title("male", abbreviated=True, dotted=True),
    "gen": Title("male", abbreviated=True, dotted=True),
    "lt": Title("neutral", abbreviated=True, dotted=True),
    "rev": Title("male", abbreviated=True, dotted=True),
    "mme": Title("female", abbreviated=True, dotted=True, honorific=True, family="mrs", vocative=True),
    "mlle": Title("female", abbreviated=True, dotted=True, honorific=True, family="miss", vocative=True),
    "fr": Title("male", abbreviated=True, dotted=True),
    "sgt": Title("male", abbreviated=True, dotted=True),
    "messrs": Title(None, abbreviated=True, honorific=True),
    # Spelled out, and a vocative's.
    "miss": Title("female", common=True, honorific=True, family="miss", vocative=True),
    "sir": Title("male", honorific=True, first_name=True, rank=True, vocative=True),
    "madame": Title("female", honorific=True, family="mrs", vocative=True),
    "monsieur": Title("male", honorific=True, family="mr", vocative=True),
    "mademoiselle": Title("female", honorific=True, family="miss", vocative=True),
    "captain": Title("neutral", description="captain", vocative=True),
    "colonel": Title("male", vocative=True),
    "uncle": Title("male", first_name=True, vocative=True),
    "aunt": Title("female", first_name=True, vocative=True),
    "lady": Title("female", first_name=True, rank=True, vocative=True),
    "lord": Title("male", first_name=True, rank=True, vocative=True),
    # Spelled out: men.
    "mister": Title("male", honorific=True, family="mr"),
    "master": Title("male", family="mr"),
    "herr": Title("male", honorific=True, family="mr"),
    "signor": Title("male", honorific=True, family="mr"),
    "señor": Title("male", family="mr"),
    "father": Title("male", first_name=True),
    "brother": Title("male", first_name=True),
    "grandpa": Title("male", first_name=True),
    "grandfather": Title("male", first_name=True),
    "king": Title("male", first_name=True),
    "prince": Title("male", first_name=True),
    "don": Title("male", first_name=True),
    "duke": Title("male"),
    "count": Title("male"),
    "baron": Title("male"),
    "major": Title("male"),
    "general": Title("male"),
    "sergeant": Title("male"),
    "reverend": Title("male"),
    "dad": Title("male"),
    "papa": Title("male", child=True),
    "daddy": Title("male", child=True),
    # Spelled out: women.
    "frau": Title("female", honorific=True, family="mrs"),
    "signora": Title("female", honorific=True, family="mrs"),
    "señora": Title("female", family="mrs"),
    "auntie": Title("female", first_name=True),
    "mother": Title("female", first_name=True),
    "sister": Title("female", first_name=True),
    "grandma": Title("female", first_name=True),
    "grandmother": Title("female", first_name=True),
    "queen": Title("female", first_name=True),
    "princess": Title("female", first_name=True),
    "dame": Title("female", first_name=True, rank=True),
    "duchess": Title("female"),
    "countess": Title("female"),
    "baroness": Title("female"),
    "mistress": Title("female"),
    "nurse": Title("female"),
    "mom": Title("female"),
    "mum": Title("female"),
    "mama": Title("female", child=True),
    "mommy": Title("female", child=True),
    # Spelled out: either sex.
    "doctor": Title("neutral", description="doctor"),
    "professor": Title("neutral", description="professor"),
    "judge": Title("neutral"),
    "officer": Title("neutral"),
    "detective": Title("neutral"),
    "inspector": Title("neutral"),
    "chief": Title("neutral"),
    "lieutenant": Title("neutral"),
    "agent": Title("neutral"),
    "coach": Title("neutral"),
    # Not title words on their own.
    "st": Title(None, dotted=True, honorific=True, first_name=True),
    "saint": Title(None, first_name=True),
    "cousin": Title(None, first_name=True),
    "mummy": Title(None, child=True),
}


def _titles(**uses: object) -> tuple[str, ...]:
    """The spellings whose every field in `uses` has the value given, in the table's order."""
    return tuple(s for s, t in TITLE_TABLE.items() if all(getattr(t, k) == v for k, v in uses.items()))


MALE_TITLES = frozenset(_titles(gender="male"))
FEMALE_TITLES = frozenset(_titles(gender="female"))
NEUTRAL_TITLES = frozenset(_titles(gender="neutral"))
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
# Capitalised, in the order a regex tries them: "Mr", "Mrs", …, "Messrs".
ABBREVIATED_TITLES = tuple(s.capitalize() for s in _titles(abbreviated=True))
DOTTED_TITLES = frozenset(_titles(dotted=True))
COMMON_TITLES = frozenset(_titles(common=True))
HONORIFICS = frozenset(_titles(honorific=True))
TITLE_CLASS = {s: t.family for s, t in TITLE_TABLE.items() if t.family}
FIRST_NAME_TITLES = frozenset(_titles(first_name=True))
RANK_TITLES = frozenset(_titles(rank=True))
TITLE_DESCRIPTIONS = {s: t.description for s, t in TITLE_TABLE.items() if t.description}
# Capitalised, in the order a regex tries them: the abbreviated ones ("Mr"), then the spelled-out ones ("Miss").
VOCATIVE_ABBREVIATED_TITLES = tuple(s.capitalize() for s in _titles(vocative=True, abbreviated=True))
VOCATIVE_TITLES = tuple(s.capitalize() for s in _titles(vocative=True, abbreviated=False))
CHILD_VOCATIVES = frozenset(_titles(child=True))

# Nouns that describe a person in a tag or an apposition ("said the doctor", "her son Pip").
PERSON_NOUNS: dict[str, tuple[str, str]] = {
    # noun: (gender, age)
    "boy": ("male", "child"),
    "girl": ("female", "child"),
    "child": ("unknown", "child"),
    "kid": ("unknown", "child"),
    "son": ("male", "unknown"),
    "daughter": ("female", "unknown"),
    "man": ("male", "adult"),
    "woman": ("female", "adult"),
    "gentleman": ("male", "adult"),
    "lady": ("female", "adult"),
    "father": ("male", "adult"),
    "mother": ("female", "adult"),
    "husband": ("male", "adult"),
    "wife": ("female", "adult"),
    "brother": ("male", "unknown"),
    "sister": ("female", "unknown"),
    "uncle": ("male", "adult"),
    "aunt": ("female", "adult"),
    "grandfather": ("male", "elderly"),
    "grandmother": ("female", "elderly"),
    "doctor": ("unknown", "adult"),
    "captain": ("unknown", "adult"),
    "stranger": ("unknown", "adult"),
    "old man": ("male", "elderly"),
    "old woman": ("female", "elderly"),
    "old lady": ("female", "elderly"),
    "nurse": ("female", "adult"),
    "teacher": ("unknown", "adult"),
    "professor": ("unknown", "adult"),
    "keeper": ("unknown", "adult"),
    "driver": ("unknown", "adult"),
    "girlfriend": ("female", "adult"),
    "boyfriend": ("male", "adult"),
    "king": ("male", "adult"),
    "queen": ("female", "adult"),
    "prince": ("male", "unknown"),
    "princess": ("female", "unknown"),
    "baby": ("unknown", "child"),
    "youth": ("male", "child"),
    "lad": ("male", "child"),
    "lass": ("female", "child"),
}
# Nouns that say how one person stands to another ("his wife", "her aunt"): whose they are depends on
# whose the "his" or "her" is, so none stands for one character across a book.
KIN_NOUNS = frozenset(
    """son daughter father mother husband wife brother sister uncle aunt grandfather grandmother
    cousin niece nephew""".split()
)
# What a child calls a relative to their face ("Gran", "Papa"): the relative it means.
KIN_CALLS = {
    **dict.fromkeys(("gran", "granny", "grandma", "grandmamma", "nana"), "grandmother"),
    **dict.fromkeys(("grandpa", "grandad", "granddad", "grandpapa"), "grandfather"),
    **dict.fromkeys(("mother", "mama", "mamma", "mum", "mom", "mummy", "mommy", "ma"), "mother"),
    **dict.fromkeys(("father", "papa", "pa", "dad", "daddy"), "father"),
}
# Ranks, trades and roles that say a sex ("the duchess", "the landlady"): a description's gender.
PERSON_NOUNS.update(
    {noun: ("male", "adult") for noun in "duke marquis earl baron viscount emperor landlord host policeman".split()}
    | {
        noun: ("female", "adult")
        for noun in """duchess marchioness countess baroness viscountess empress landlady hostess governess
        maid housemaid parlourmaid chambermaid waitress actress widow""".split()
    }
)

# The last word of a place's name and seldom of a person's: "Windy Corner", "Barton Cottage", "Hanover
# Square" (not Park, Lane or Castle, which are surnames too: Lena Park, Lois Lane).
PLACE_WORDS = frozenset(
    """Abbey Avenue Barracks Bridge Buildings Cathedral Cottage Corner Crescent Embankment Gardens Gallery
    Harbour Hospital Hotel Lodge Manor Mansions Museum Palace Parsonage Quay Rectory Road Square Station
    Street Terrace Theatre Vicarage Wharf Workhouse""".split()
)

# Common English given names that say a sex, for a character whose pronouns the text never shows
# ("Babs", "Randolph"): a general list, not any book's cast. Names used for both sexes are left out.
GIVEN_NAMES: dict[str, str] = {
    name: gender
    for gender, names in (
        (
            "male",
            """Adam Albert Alexander Alfred Algernon Andrew Anthony Archibald Arthur Augustus Benjamin Bernard
            Bertie Bertram Bill Billy Bob Cecil Charles Charlie Christopher Clarence Claude Cyril Daniel David
            Dick Donald Douglas Edgar Edmund Edward Edwin Ernest Eustace Felix Frank Frederick Fred Geoffrey
            George Gerald Gilbert Godfrey Harold Harry Henry Herbert Horace Howard Hubert Hugh Hugo Isaac Jack
            Jacob James Jim Jimmy Joe John Jonathan Joseph Julius Lawrence Leonard Lewis Louis Ludovic Mark
            Martin Matthew Maurice Michael Nathaniel Ned Neville Nicholas Oliver Oscar Patrick Paul Percy
            Peter Philip Ralph Randolph Raymond Reginald Richard Robert Roger Rupert Samuel Sebastian Simon
            Stephen Teddy Theodore Thomas Timothy Tom Tony Walter Wilfred William Willie""",
        ),
        (
            "female",
            """Ada Agatha Agnes Alice Amelia Amy Angela Ann Anna Anne Annie Babs Barbara Beatrice Bella Bertha
            Betsy Betty Blanche Bridget Caroline Catherine Cecilia Celia Charlotte Clara Constance Cynthia
            Daisy Diana Dinah Dora Dorothy Edith Edna Eleanor Elinor Eliza Elizabeth Ella Ellen Eloise Elsie
            Emily Emma Esther Ethel Eva Eveline Fanny Flora Florence Frances Georgiana Gertrude Grace Gwendolen
            Hannah Harriet Helen Henrietta Hester Ida Irene Isabel Isabella Jane Janet Jemima Jenny Josephine
            Judith Julia Kate Katharine Katherine Kitty Laura Lavinia Lily Lizzie Lizzy Lottie Louisa Louise
            Lucy Lydia Mabel Madeline Maggie Margaret Maria Marianne Marjorie Martha Mary Matilda Maud Meg Milly
            Minnie Molly Nancy Nell Nellie Nora Olive Patience Pauline Penelope Phoebe Polly Priscilla Rachel
            Rebecca Rose Rosamond Ruth Sally Sarah Sophia Sophie Susan Sybil Sylvia Theresa Veronica Victoria
            Violet Winifred""",
        ),
    )
    for name in names.split()
}

# Descriptions too common to be one person: "said the young man" means whoever that is just now.
GENERIC_PEOPLE = {
    "man": "male",
    "woman": "female",
    "girl": "female",
    "boy": "male",
    "lady": "female",
    "gentleman": "male",
    "youth": "male",
    "lad": "male",
    "lass": "female",
    "fellow": "male",
    "child": "unknown",
    "stranger": "unknown",
}

# People named only by what they are: "said the waiter", "the old man replied" (and every noun of PERSON_NOUNS).
OCCUPATIONS = frozenset(
    """
waiter waitress porter servant maid landlady landlord clerk officer policeman constable soldier
sailor colonel priest vicar curate rector footman butler coachman cabman cabby guard
conductor visitor duchess duke count countess baron baroness secretary
inspector detective judge lawyer general major lieutenant sergeant marquis president chairman manager
barman bartender cook gardener housekeeper governess host hostess guide boatman fisherman shopman
shopkeeper farmer peasant beggar postman messenger agent student prisoner warder jailer magistrate
chaplain bishop abbe cardinal emperor empress lord knight squire page herald
""".split()
) | frozenset(PERSON_NOUNS)
NOT_DESCRIPTIONS = frozenset(
    """
other others former latter one first second rest same whole two three voice wind door clock fire rain sea
answer reply words word letter note thing things sound noise silence
""".split()
)

CHILD_WORDS = frozenset({"little", "young", "tiny", "small"})
ELDERLY_WORDS = frozenset({"old", "elderly", "aged", "ancient", "grey-haired", "white-haired"})

# The days and months: no one's name, unless the book tags a speaker with one ("says Friday").
CALENDAR_WORDS = frozenset(
    """
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december
""".split()
)

# Given names that are also ordinary words the list below turns away ("May Welland", "Will Ladislaw", "June"):
# a name when a family name follows, or when the book tags a speaker with it alone ("said May").
WORD_NAMES = frozenset({"may", "will", "june", "april", "august"})

# Capitalised words that start sentences or are otherwise never a person's name.
NOT_NAMES = CALENDAR_WORDS | frozenset(
    """
a an the and but or nor for so yet if then than when while where what which who whom whose why how
he she it they we i you me him her them us his hers its their our your my mine yours ours theirs
this that these those there here now not no yes oh ah well o aye nay
after before as at by from in into of on onto over under up down out off with within without about
above across against along among around behind below beneath beside besides between beyond during
except inside near outside since through throughout till toward towards until upon via
all any both each every few many most much none one other several some such own same
is was were be been being am are has have had do does did will would shall should can could may might
must let
sure perhaps maybe still even just only also too very quite really indeed though although however
later soon once again already always never often sometimes finally suddenly meanwhile instead
chapter part book volume section prologue epilogue
god heaven lord english french german
hello hi hey goodbye thanks thank please sorry okay ok
to thus poor dear neither either good great old young little whatever whoever nothing everything
something someone anyone nobody everybody somebody anybody afterwards presently certainly
surely alas hush say look come go eh hm
""".split()
)

# Words ending in a full stop that end no sentence: the abbreviated titles ("Messrs." aside, which
# sentence_spans has never treated as one) and a few more.
ABBREVIATIONS = (
    *(f"{t}." for t in ABBREVIATED_TITLES if t != "Messrs"),
    *("St.", "Jr.", "Sr.", "Mt.", "No.", "vs.", "etc."),
)

# Where one sentence ends and the next begins: a full stop, "!", "?" or "…", then the space after it (the
# `gap`, with any closing quotes or brackets), before a capital or a digit (behind any opening quotes or
# brackets). Matched from the punctuation, not from a lookbehind for it: the search jumps to each mark.
_SENTENCE_END = re.compile(
    r"""
    [.!?\u2026]                  # the sentence's final punctuation
    (?P<gap>
      ["\u201d\u2019')\]]*         # closing quotes and brackets stay with it
      \s+                        # the gap between the sentences
    )
    (?=["\u201c\u2018'(\[]*[A-Z0-9])  # the next one starts with a capital or a digit
    """,
    re.VERBOSE,
)
# A single capital with a full stop, an initial: "J. M. Barrie" goes on.
_INITIAL = re.compile(r"\b[A-Z]\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a stretch of narration."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start("gap")  # just after the punctuation
        # An abbreviation or an initial ("J.") just before: read the last few characters, not the whole sentence.
        if text.endswith(ABBREVIATIONS, start, end) or _INITIAL.search(text[max(start, end - 3) : end]):
            continue
        spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
