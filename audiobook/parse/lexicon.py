"""Word lists and small text helpers the parser's rules share."""

from __future__ import annotations

import re

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
exclaim cried went put began recall recalled reason reasoned reflect reflected assent assented
object objected state stated note noted point pointed prompt prompted soothe soothed assure assured
cut interposed interpose interject interjected volunteer volunteered pursue pursued venture ventured
"""
SPEECH_VERBS = frozenset(_SPEECH_VERB_STEMS.split())

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

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
SUBJECT_PRONOUNS = {"he": "male", "she": "female"}

MALE_TITLES = frozenset(
    {
        "mr",
        "mister",
        "sir",
        "lord",
        "uncle",
        "father",
        "brother",
        "king",
        "prince",
        "duke",
        "count",
        "baron",
        "master",
        "monsieur",
        "signor",
        "herr",
        "grandpa",
        "grandfather",
        "colonel",
        "major",
        "general",
        "sergeant",
        "reverend",
        "rev",
        "fr",
        "papa",
        "daddy",
        "dad",
        "señor",
        "don",
    }
)
FEMALE_TITLES = frozenset(
    {
        "mrs",
        "miss",
        "ms",
        "lady",
        "aunt",
        "auntie",
        "mother",
        "sister",
        "queen",
        "princess",
        "duchess",
        "countess",
        "baroness",
        "madame",
        "mme",
        "mademoiselle",
        "mlle",
        "signora",
        "frau",
        "grandma",
        "grandmother",
        "mistress",
        "dame",
        "nurse",
        "señora",
        "mama",
        "mommy",
        "mom",
        "mum",
    }
)
NEUTRAL_TITLES = frozenset(
    {
        "dr",
        "doctor",
        "professor",
        "prof",
        "captain",
        "capt",
        "judge",
        "officer",
        "detective",
        "inspector",
        "chief",
        "lieutenant",
        "lt",
        "agent",
        "coach",
    }
)
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
# Titles that are spoken to a parent or grandparent: saying them marks the speaker as a child.
CHILD_VOCATIVES = frozenset({"mommy", "daddy", "mama", "papa", "mummy"})

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

# People named only by what they are: "said the waiter", "the old man replied".
OCCUPATIONS = frozenset(
    """
waiter waitress porter driver servant maid landlady landlord clerk officer policeman constable soldier
sailor captain colonel doctor nurse priest vicar curate rector footman butler coachman cabman cabby guard
conductor stranger visitor king queen duchess duke count countess baron baroness professor secretary
inspector detective judge lawyer general major lieutenant sergeant marquis president chairman manager
barman bartender cook gardener housekeeper governess host hostess guide boatman fisherman shopman
shopkeeper farmer peasant beggar postman messenger agent student prisoner warder jailer magistrate
chaplain bishop abbe cardinal emperor empress princess prince lord lady knight squire page herald
caterpillar hatter gryphon dodo mouse rabbit turtle footman cat
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

# Capitalised words that start sentences or are otherwise never a person's name.
NOT_NAMES = frozenset(
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
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december
god heaven lord english french german
hello hi hey goodbye thanks thank please sorry okay ok
to thus poor dear neither either good great old young little whatever whoever nothing everything
something someone anyone nobody everybody somebody anybody besides afterwards presently certainly
surely alas hush why say look come go oh ah eh hm
""".split()
)

ABBREVIATIONS = (
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "St.",
    "Jr.",
    "Sr.",
    "Prof.",
    "Capt.",
    "Col.",
    "Gen.",
    "Lt.",
    "Rev.",
    "Mt.",
    "No.",
    "vs.",
    "etc.",
    "Mme.",
    "Mlle.",
    "Fr.",
    "Sgt.",
)

_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u2019')\]]*\s+(?=[\"\u201c\u2018'(\[]*[A-Z0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a stretch of narration."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start : m.start()]
        if any(head.endswith(a) for a in ABBREVIATIONS) or re.search(r"\b[A-Z]\.$", head):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
