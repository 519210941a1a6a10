"""Every number the parser's rules weigh evidence with, in one place: confidences, scores, limits.

Rule code names these; it holds no bare numbers of its own.
"""

from __future__ import annotations

# How sure each attribution rule is of the speaker it names (attribute.py).
CONFIDENCE = {
    "tag": 0.95,  # a speech tag names the speaker: "…," said Leo
    "tag:pronoun": 0.85,  # a tag with he/she: "…," she said
    "beat": 0.75,  # a named character acts beside the quote
    "beat:pronoun": 0.65,  # he/she acts beside the quote
    "beat:previous": 0.6,  # someone acts in the paragraph before a paragraph of pure speech
    "paragraph": 0.85,  # another quote of the paragraph has a speaker (never above theirs)
    "turn": 0.6,  # two people take turns
    "turn:other": 0.5,  # a conversation's second line: whoever else was last in view
    "vocative": 0.7,  # the previous line addressed them by name
}

# A conversation decoded whole (conversation.py): how likely each kind of evidence is, hand-set.
CONVERSATION = {
    "candidates": 6,  # at most this many people may speak in one conversation
    "alternate": 0.7,  # a turn spoken by whoever spoke two turns before
    "same_again": 0.08,  # by whoever spoke just before (a speech broken into paragraphs)
    "third_person": 0.22,  # by someone else
    "gender_match": 0.8,  # a he/she tag: someone of that gender
    "gender_unknown": 0.3,  # someone whose gender is not known
    "gender_mismatch": 0.02,  # someone of the other gender
    "named_here": 1.0,  # someone the turn's narration names (a factor)
    "answers_addressed": 4.0,  # whom the line before addressed by name (a factor)
    "addressed_by_next": 3.0,  # whom the line after addresses by name (a factor)
    "sir_fits": 1.5,  # beside a line that says "sir", a man (for "madam", a woman) (a factor)
    "sir_misfits": 0.5,  # ... someone of the other gender (a factor)
    "speaks_to_self": 0.01,  # whom the line itself addresses
    "speaks_of_self": 0.2,  # whom the line names without addressing them (a factor)
    "least_sure": 0.3,  # the confidence of a decoded line whose best two readings are alike
    "most_sure": 0.8,  # ... and of one whose reading is clear (never above its rule's)
    "chain_hint": 1.3,  # whom the line-by-line turn-taking chose (a factor: breaks ties)
}

# How far back, or how far along, a rule looks (quotes.py, attribute.py, characters.py).
LIMITS = {
    "scare_quote_words": 4,  # a quote of at most this many words, unpunctuated, inside a sentence is no speech
    "pronoun_paragraphs": 6,  # a he/she means someone mentioned at most this many paragraphs back
    "other_paragraphs": 4,  # "the other" is someone mentioned at most this many paragraphs back
    "tag_after_chars": 80,  # names looked for in the narration just after a quote: this many characters
    "tag_verb_tail_chars": 20,  # a tag before a quote: its speech verb at most this far from the quote
    "gender_window_chars": 240,  # a name's he/she looked for this many characters after it
    "conversation_gap_paragraphs": 3,  # a conversation remembers who spoke this many paragraphs before it
    "name_context_chars": 120,  # the evidence that a name is a person is read this far before and after it
}

# Evidence that a capitalised name is a person, added up per surface form (characters.py).
PERSON_EVIDENCE = {
    "title": 2,  # "Mr. Pell"
    "action": 1,  # "Pell smiled", "Pell's", "met Pell"
    "speech_tag": 3,  # "Pell said", "said Pell."
    "apposition": 2,  # "Pell, the village doctor", "her son Pip"
    "pronoun": 1,  # a he/she follows it as the subject of its sentence
    "vocative": 1,  # a speech calls someone by it ("So have you, Davy."), counted twice at most
    "sure": 3,  # a total that makes a person of a form on its own
}
# Evidence that it is not: a place or a thing.
NOT_PERSON_EVIDENCE = {
    "after_article": 3,  # "the Mirrorball Trophy"
    "after_preposition": 1,  # "in Paris"
}
# Votes for a character's gender from how the text names them; each he/she after a name is one vote.
GENDER_VOTES = {
    "title": 5,  # per use of a gendered title ("Mrs.", "Uncle")
    "noun": 3,  # per gendered noun in apposition ("her son Pip")
}
CHARACTER_LIMITS = {
    # An ordinary lower-case word ("Hope") is a name only when at least this share of its uses is mid-sentence.
    "mid_sentence_share": 0.5,
    # A title spelled out ("said Mademoiselle") stands for the character who carries it this share of the time.
    "title_share": 0.8,
    # "the General" is someone else than the one General Perovski when said this many times as often.
    "rank_name_ratio": 5,
    # Times a lower-case description ("the waiter said") must tag speech to become a character.
    "description_uses": 3,
    # A first name two characters share ("Jane") is the one whose full name the book uses this many times as often.
    "first_name_ratio": 3,
    # A name that tags speech this many times is a person, whatever prepositions stand before it elsewhere.
    "speaker_tags": 3,
    # "Mr. Emerson" used this many times, and "George" (of George Emerson) as often: two men.
    "two_names_uses": 5,
    # An age ("little Pip", "old Isaac", "her son") wants at least this many uses saying it, and one in 200 of all.
    "age_votes": 2,
    "age_share": 0.005,
    # A narration is in the first person when "I" is at least this share of its words (a vocative then counts
    # as evidence of a person: the teller's companions are named less in the narration).
    "first_person_share": 0.01,
    # A speaker is a child when at least this share of their lines open with "Mommy!", "Papa", ...
    "child_call_share": 0.1,
}

# Naming a first-person narrator from what the others call them (__init__.py).
NARRATOR_NAME = {
    "near_weight": 2,  # a vocative in a line beside the narrator's counts this many times one further off
    "min_uses": 2,  # a name said at least this many times
    "min_near": 1,  # and at least this many times beside the narrator's lines
    "max_share_divisor": 10,  # and the name of no one heard speaking more than a tenth as often as the narrator
    "max_tagged": 2,  # nor of anyone the narration names this many times in a speech tag ("says Tom Smith")
}

# A description that speaks ("said the painter") named as the one character it stands for (__init__.py).
DESCRIPTION_LINK = {
    "min_tags": 3,  # the description tags speech at least this many times
    "named_share": 0.5,  # and the narration names the character within a few paragraphs of at least this share
    "runner_up_ratio": 2,  # at least this many times as often as anyone else
    "partner_share": 0.5,  # and they spoke beside the description's lines at most this share as often
    "paragraphs_back": 3,  # how far back the narration is read for the name
}
