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


# Titles, lower case and without a full stop. A title carries a gender, or none.
MALE_TITLES = frozenset(
    """
mr mister sir lord uncle father brother king prince duke count baron master monsieur signor herr grandpa
grandfather colonel major general sergeant reverend rev fr papa daddy dad señor don
""".split()
)
FEMALE_TITLES = frozenset(
    """
mrs miss ms lady aunt auntie mother sister queen princess duchess countess baroness madame mme mademoiselle
mlle signora frau grandma grandmother mistress dame nurse señora mama mommy mom mum
""".split()
)
NEUTRAL_TITLES = frozenset(
    """
dr doctor professor prof captain capt judge officer detective inspector chief lieutenant lt agent coach
""".split()
)
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
# Titles written abbreviated, with or without a full stop ("Mr. Pell", "Mr Pell"), in the order a regex tries them.
ABBREVIATED_TITLES = (
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
# Titles a name's canonical form writes with a full stop ("Mr Pell" is "Mr. Pell").
DOTTED_TITLES = frozenset("mr mrs ms dr st prof capt lt mme mlle rev fr".split())
# Titles too common to stand for one person when said alone ("said Miss" is nobody in particular).
COMMON_TITLES = frozenset("mr mrs ms dr miss".split())
# Forms of address that are never a description: "said the obliging Mrs. Ford" names Mrs. Ford.
HONORIFICS = frozenset(
    "mr mrs ms miss mister dr mme mlle monsieur madame mademoiselle herr frau signor signora sir st messrs".split()
)
# Mr./Mrs./Miss families: two forms whose classes differ are two people (Mrs. and Miss Bates).
TITLE_CLASS = {
    **dict.fromkeys(("mr", "mister", "monsieur", "herr", "signor", "señor", "master"), "mr"),
    **dict.fromkeys(("mrs", "madame", "mme", "frau", "signora", "señora"), "mrs"),
    **dict.fromkeys(("miss", "ms", "mlle", "mademoiselle"), "miss"),
}
# Titles used with a first name ("Uncle Robert", "Sir Walter"); the rest go with a surname.
FIRST_NAME_TITLES = frozenset(
    """
uncle aunt auntie sir lady lord cousin brother sister father mother grandpa grandma grandfather grandmother
king queen prince princess dame don saint st
""".split()
)
# Titles of rank that go with a first name or, when no first name fits, a surname (Sir Walter, Lady Russell).
RANK_TITLES = frozenset("sir lady lord dame".split())
# Titles that make their bearer "the doctor", "the captain", "the professor".
TITLE_DESCRIPTIONS = {
    "dr": "doctor",
    "doctor": "doctor",
    "capt": "captain",
    "captain": "captain",
    "prof": "professor",
    "professor": "professor",
}
# Titles a vocative may carry: "…, Mr. Knightley!", "Uncle Robert, look!" (abbreviated ones, then spelled out).
VOCATIVE_ABBREVIATED_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Mme", "Mlle")
VOCATIVE_TITLES = (
    "Miss",
    "Sir",
    "Madame",
    "Monsieur",
    "Mademoiselle",
    "Captain",
    "Colonel",
    "Uncle",
    "Aunt",
    "Lady",
    "Lord",
)
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

# Where one sentence ends and the next begins: the space after a full stop, "!", "?" or "…" (and any
# closing quotes or brackets), before a capital or a digit (behind any opening quotes or brackets).
_SENTENCE_END = re.compile(
    r"""
    (?<=[.!?\u2026])               # just after the sentence's final punctuation
    ["\u201d\u2019')\]]*         # closing quotes and brackets stay with it
    \s+                          # the gap between the sentences
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
        head = text[start : m.start()]
        if any(head.endswith(a) for a in ABBREVIATIONS) or _INITIAL.search(head):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
