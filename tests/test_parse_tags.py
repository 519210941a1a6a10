"""Speech tags that real novels write and a first parser missed (issue 13), each in a story of our own:

- a name the narration often puts after "of" or "from" ("thinking of Edmund") is still a person
  when it tags speech again and again;
- "said Rowena--" (a dash straight after the name) is a tag;
- a speech introduced at the end of the narration that follows a paragraph's last quote
  ("…," said Ann. Then Bo turned and said,) is the introducer's, not the previous speaker's;
- "the Voice", said again and again, is a character; "the voice" is nobody in particular;
- a character known by a description ("the Marquis") takes the gender of the he/she that follows it;
- a first-person narrator is never the "he" of a "he said";
- the name (or he/she) just before a speech verb speaks, not a he/she earlier in the sentence
  ("When she had gone, Tobias exclaimed,"; "Tobias, as the gate shut, said,");
- "Miss Quayle" is Ingrid Quayle, the one woman of that name, unless someone calls her "Miss
  Ingrid Quayle" (then "Miss Quayle" is her elder sister);
- "May", a given name that is also a word, is a person when the book names her mid-sentence and
  tags her speech ("May Welland", "said May"), and the month or the verb stays no one;
- "Mr. Thorne" is Walter Thorne when the book calls him "Thorne" more than "Walter", and a father
  when it calls the son by his first name;
- "Mrs. Walter Thorne" is not also "Walter Thorne", her husband;
- "Come in, Walter": a first name said only in speech is the one character with that first name;
- "said the sculptor", again and again, just after the narration names Jasper Quill (a man, like
  the sculptor, and not the man he talks with) is Jasper Quill;
- "cried his wife impatiently" is the wife of the man in view, not whoever the book once called
  someone's wife;
- a line is seldom spoken by someone it names ("If Thomas knew…"): not as a beat, nor in a
  conversation decoded whole;
- a name never tagged as speaking and of no known sex (a town, "Brixham") speaks no line;
- a first-person narrator's relatives who speak are characters ("said my grandmother"), answer to
  what the narrator calls them ("Gran"), and are the character the narration names as that
  relative ("My sister, Mrs. Hal Brody");
- a "he said" is never a first-person narrator's, even when no man is in view: the line is left to
  the fallback voice;
- a narrator who gives their name ("My name is Ishmael", "I called myself Pip") is called by it, and
  is the cast's character of that name if there is one;
- in a first-person story, a name the narration uses once and the speeches call someone by ("So have
  you, Davy.") is a person, and speaks;
- "said the girl" is whichever young woman is in view, not the one little girl of the book;
- "He made no answer." is neither the tag nor the beat of the line after it;
- "the road went on", again and again, is no one: a noun not a person's must tag a quote to speak;
- "the Thornes", the plural of a surname the book gives, are a family, never one voice;
- "Walter Thorne, the miller," makes "said the miller" Walter's in that chapter, not in another;
- "and said to herself" just before a quote, with no comma, is a tag;
- "Chelsea Embankment" is a place, never a voice, even where "Chelsea" is given a person's verbs;
- a lead-in ending in "--" (a plain-text dash) is a tag, as one ending in "," or a dash is;
- "till Ingrid looked up and Walter thus began:--": the name before a short adverb and the verb speaks;
- "He was silent for a minute, but at last he said:" is his tag all the same;
- after a paragraph "Walter made no answer.", an untagged line is said to Walter, not by him;
- "said the hostess wearily": the hostess, not "wearily"; a woman in view where no one is known by it;
- "said Forde" is Colonel Forde, called so often, not Mr. Lacey whose first name the book gives once;
- "but suddenly she broke out:" is a tag;
- "Walter watched her": an object "her" or "him" says nothing of the sex of the one who does it;
- "Mr. van der Berg": a name after two particles is whole;
- "said the old lady" is the old woman in view;
- "He turned to Ingrid." then a line: his, not hers; "She walked on with Walter.": hers, not his.
"""

from __future__ import annotations

from audiobook.ingest.text import read_text
from audiobook.model import Script
from audiobook.parse import parse_book


def _parse(text: str) -> Script:
    return parse_book(read_text(text, "story.txt", "story"))


def _lines(script: Script) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for ch in script.chapters for s in ch.segments if s.kind == "dialogue"]


def _speaker_of(script: Script, words: str) -> str | None:
    """The speaker of the one line with these words, by the fullest name the cast knows them by."""
    hits = [who for who, text in _lines(script) if words in text]
    assert len(hits) == 1, (words, _lines(script))
    cast = next((c for c in script.characters if c.name == hits[0]), None)
    return max([hits[0], *cast.aliases], key=len) if cast else hits[0]


def test_a_name_that_tags_speech_is_a_person_however_often_it_follows_of() -> None:
    prose = [
        "Harriet Vane sat by the window. Her letters were full of Edmund, and of Edmund's debts.",
        "She had heard from Edmund twice, and thought of Edmund often; the gossip of Edmund filled the town.",
        "Nobody spoke of Edmund at dinner, and the talk of Edmund waited for the morning.",
        "A parcel came from Edmund, then a note from Edmund, then a bill on Edmund's account.",
        "The cook was fond of Edmund; the vicar was wary of Edmund; the dog ran from Edmund.",
        "Half the parish was tired of Edmund, and the other half was afraid of Edmund or in awe of Edmund.",
    ]
    talk = [
        "\u201cThe roof leaks again,\u201d said Edmund.",
        "\u201cThen mend it,\u201d said Harriet.",
        "\u201cI have no ladder,\u201d said Edmund.",
        "\u201cBorrow one from the mill,\u201d said Harriet.",
        "\u201cThe miller dislikes me,\u201d said Edmund.",
    ]
    script = _parse("\n\n".join(["# One", *prose, *talk]))
    assert "Edmund" in {c.name for c in script.characters}
    assert _speaker_of(script, "roof leaks") == "Edmund"
    assert _speaker_of(script, "miller dislikes") == "Edmund"


def test_a_name_followed_by_a_dash_is_a_tag() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Rowena Hale and Mr. Pike stood at the gate. Rowena looked at the sky, and Mr. Pike looked at Rowena.",
            "\u201cIt will rain before noon,\u201d said Mr. Pike.",
            "\u201cYou,\u201d said Rowena--\u201cyou always say so.\u201d",
            "Mr. Pike laughed.",
            "\u201cI know,\u201d said Rowena-- \u201cand you are always right.\u201d",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "always say so") == "Rowena Hale"
    assert _speaker_of(script, "always right") == "Rowena Hale"


def test_a_speech_introduced_after_the_last_quote_of_a_paragraph_is_the_introducers() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Clara Moss and Tobias Reed walked to the pier. Tobias carried the basket.",
            "Clara carried the map, and she led the way.",
            "\u201cThe boat is late,\u201d said Tobias.",
            "\u201cIt is always late,\u201d said Clara. She shaded her eyes, looked along the water, and said,",
            "\u201cThere it is, past the lighthouse.\u201d",
            "\u201cAt last,\u201d said Tobias.",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "past the lighthouse") == "Clara Moss"


def test_a_lead_in_that_ends_a_sentence_tells_of_the_speech_before_it() -> None:
    # '"…," was what her look said.' ends with a full stop: it is about that speech, not the next, which
    # is Tobias's answer.
    text = "\n\n".join(
        [
            "# One",
            "Clara Moss and Tobias Reed sat by the fire. Tobias poked the coals.",
            "\u201cWe should have stayed in town,\u201d said Tobias.",
            "\u201cI told you so,\u201d was what Clara's look said.",
            "\u201cI know you did.\u201d",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "I know you did") == "Tobias Reed"


def _voice_story(voice: str) -> str:
    rounds = [
        "\u201cWho is there?\u201d said Mr. Brack, and he looked round the empty room.",
        f"\u201cOnly a friend,\u201d said {voice}.",
        "Mr. Brack backed against the wall.",
        f"\u201cStay where you are,\u201d said {voice}. \u201cI mean you no harm.\u201d",
    ]
    return "\n\n".join(["# One", "Mr. Brack lit the lamp in the parlour.", *rounds * 3])


def test_the_capitalised_voice_that_speaks_again_and_again_is_a_character() -> None:
    script = _parse(_voice_story("the Voice"))
    assert "the Voice" in {c.name for c in script.characters}
    speakers = {who for who, text in _lines(script) if "friend" in text or "Stay where" in text}
    assert speakers == {"the Voice"}
    plain = _parse(_voice_story("the voice"))
    assert not any(c.name.lower() == "the voice" for c in plain.characters)


def test_a_description_takes_the_gender_of_the_he_or_she_after_it() -> None:
    rounds = [
        "The Marquis rose from his chair. He was pale with anger.",
        "\u201cYou insult me,\u201d said the Marquis.",
        "The Marquis drew his glove. He threw it on the table.",
        "\u201cI meant no insult,\u201d said Ada Finch.",
        "\u201cThen you will apologise,\u201d said the Marquis.",
    ]
    script = _parse("\n\n".join(["# One", "Ada Finch waited in the hall.", *rounds * 2]))
    marquis = next(c for c in script.characters if c.name == "the Marquis")
    assert marquis.gender == "male"


def test_a_first_person_narrator_is_never_the_he_of_a_he_said() -> None:
    # "I" and Tom talk; then "he said" with no name: Tom, the only "he", never the narrator.
    exchange = [
        "\u201cThe ferry leaves at six,\u201d I said.",
        "\u201cThen we must hurry,\u201d said Tom Avery.",
        "\u201cWe have an hour yet,\u201d I said.",
        "\u201cAn hour is nothing,\u201d he said.",
    ]
    script = _parse("\n\n".join(["# One", "Tom Avery met me at the quay. He carried two bags.", *exchange]))
    assert _speaker_of(script, "An hour is nothing") == "Tom Avery"


def test_her_mother_is_not_the_woman_named_last() -> None:
    # "cried her mother" after a line to the daughter: the mother, though the daughter is the latest woman.
    text = "\n\n".join(
        [
            "# One",
            "Mrs. Harker sat by the fire with her husband. She was knitting, and she looked cross.",
            "\u201cDo not fidget so, Polly!\u201d said Mrs. Harker.",
            "Polly put down her book. She said nothing.",
            "\u201cThe Gales are to dine here on Friday,\u201d said Mr. Harker.",
            "\u201cAnd not a word to me about it,\u201d cried her mother.",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "not a word to me") == "Mrs. Harker"


def test_a_common_given_name_gives_a_gender_the_pronouns_never_show() -> None:
    # Nobody is ever "he" or "she" here, yet Randolph is a boy's name and Veronica a girl's; Mrs. and
    # Mr. of one name stay two people of their own sexes.
    text = "\n\n".join(
        [
            "# One",
            "Randolph and Veronica waited at the station with Mr. and Mrs. Quill.",
            "\u201cThe train is late,\u201d said Randolph.",
            "\u201cTrains are always late,\u201d said Veronica.",
            "\u201cNot this one,\u201d said Mrs. Quill.",
            "\u201cEvery one,\u201d said Mr. Quill.",
        ]
    )
    genders = {c.name: c.gender for c in _parse(text).characters}
    assert genders["Randolph"] == "male"
    assert genders["Veronica"] == "female"
    assert genders["Mrs. Quill"] == "female" and genders["Mr. Quill"] == "male"


def test_his_wife_is_the_woman_of_his_family_name() -> None:
    # "cried his wife": Mr. Harker's wife is Mrs. Harker, though Polly Crane is the woman named last
    # (the "his" is Mr. Harker, the latest man; the wife bears his name and a "Mrs.").
    text = "\n\n".join(
        [
            "# One",
            "Mrs. Harker sat by the fire. She was knitting. Mr. Harker read his paper; he frowned at it.",
            "Polly Crane came in with the tea. She set it down and went out again.",
            "\u201cThe Gales are to dine here on Friday,\u201d said Mr. Harker.",
            "\u201cAnd not a word to me about it,\u201d cried his wife.",
        ]
    )
    assert _speaker_of(_parse(text), "not a word to me") == "Mrs. Harker"


def test_mr_surname_said_often_is_not_the_son_called_by_his_first_name() -> None:
    # "Mr. Tallis" is the father; "Henry", once "Mr. Henry Tallis", the son: two men, two voices.
    father = [f"Mr. Tallis sat down {where}. He looked tired." for where in ("by the fire", "on the step", "at last")]
    son = [f"Henry stood {where}. He was smiling." for where in ("by the door", "at the window", "in the hall")]
    talk = [
        "\u201cThe frost will kill the roses,\u201d said Mr. Tallis.",
        "\u201cThen we shall plant more,\u201d said Henry.",
        "\u201cYou always say that,\u201d said Mr. Tallis.",
        "\u201cAnd I am always right,\u201d said Henry.",
    ]
    text = "\n\n".join(["# One", "Mr. Henry Tallis came home in the spring.", *father, *son, *talk])
    script = _parse(text)
    names = {c.name: c for c in script.characters}
    assert "Mr. Tallis" in names and "Mr. Tallis" not in names["Henry"].aliases
    assert _speaker_of(script, "kill the roses") != _speaker_of(script, "plant more")


def test_a_house_or_a_street_is_no_character() -> None:
    # "Gull Cottage stood…", "Wren Street lay…": named as people are (they act), but places.
    text = "\n\n".join(
        [
            "# One",
            "Gull Cottage stood on the cliff. Gull Cottage looked out to sea. Wren Street lay below it.",
            "Wren Street woke early. Nora Finch lived at Gull Cottage; she walked down to Wren Street.",
            "\u201cThe fish are in,\u201d said Nora Finch.",
        ]
    )
    names = {c.name for c in _parse(text).characters}
    assert "Nora Finch" in names
    assert not names & {"Gull Cottage", "Wren Street"}


def test_one_little_or_a_mama_makes_no_child_of_a_grown_up() -> None:
    # "However little Mr. Quill liked it" is no child, nor is a daughter who says "Mama" once in many
    # lines; "little Tom", said again and again, is a boy.
    things = "tea cart room fire lamp bath soup pie broth cake".split()
    lines = [f"\u201cThe {thing} is ready,\u201d said Ellen Quill." for thing in things]
    text = "\n\n".join(
        [
            "# One",
            "However little Mr. Quill liked it, he went. Mr. Quill walked to the mill; he was tired.",
            "Little Tom ran after him. Little Tom was six. Ellen Quill waited; she was twenty.",
            "\u201cMama, the bread has risen,\u201d said Ellen Quill.",
            *lines,
            "\u201cWait for me!\u201d said Tom.",
        ]
    )
    ages = {c.name: c.age for c in _parse(text).characters}
    assert ages["Mr. Quill"] != "child"
    assert ages["Ellen Quill"] != "child"
    assert ages["Tom"] == "child"


def test_she_who_was_addressed_by_name_answers() -> None:
    # "…, Miss Lark?" asked Mr. Pym; then "…," said she, opening her paragraph: Miss Lark answers, though
    # Mrs. Dunn is the woman the narration named last.
    text = "\n\n".join(
        [
            "# One",
            "Mrs. Dunn poured the tea; she was talking of the weather. Miss Lark sat by the window.",
            "\u201cThe roads are flooded,\u201d said Mrs. Dunn.",
            "\u201cDid you come through the flood this morning, Miss Lark?\u201d asked Mr. Pym.",
            "\u201cOnly as far as the bridge,\u201d said she. \u201cI turned back there.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "as far as the bridge") == "Miss Lark"


def test_the_name_just_before_the_speech_verb_speaks() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle, Olaf Berg and Tobias Marsh walked down to the harbour.",
            "\u201cThe boats are in,\u201d said Olaf.",
            "\u201cAnd the nets are torn,\u201d said Ingrid. When she had gone up the hill, Tobias exclaimed,",
            "\u201cThen the fish will be cheap tonight!\u201d",
            "\u201cCheap and old,\u201d said Olaf. Ingrid came back, and Tobias, as the gate swung shut, said,",
            "\u201cOld fish is still fish.\u201d",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "fish will be cheap") == "Tobias Marsh"
    assert _speaker_of(script, "still fish") == "Tobias Marsh"


def _sisters_story(extra: str) -> str:
    return "\n\n".join(
        [
            "# One",
            f"Ingrid Quayle came down to breakfast late. {extra}",
            "Miss Quayle smiled at the maid. Miss Quayle poured the tea. Miss Quayle said nothing more.",
            "\u201cGood morning,\u201d said Miss Quayle.",
            "\u201cGood morning,\u201d said Ingrid.",
        ]
    )


def test_miss_and_a_family_name_is_the_one_woman_of_that_name() -> None:
    cast = {c.name: c for c in _parse(_sisters_story("She was hungry.")).characters}
    ingrid = next(c for c in cast.values() if "Ingrid Quayle" in (c.name, *c.aliases))
    assert "Miss Quayle" in (ingrid.name, *ingrid.aliases)


def test_miss_and_a_family_name_is_an_elder_sister_when_the_book_has_miss_and_a_given_name() -> None:
    cast = _parse(_sisters_story("\u201cGood morning, Miss Ingrid Quayle,\u201d said the cook.")).characters
    ingrid = next(c for c in cast if "Ingrid Quayle" in (c.name, *c.aliases))
    assert "Miss Quayle" not in (ingrid.name, *ingrid.aliases)
    assert "Miss Quayle" in {c.name for c in cast}


def _cast_of(script: Script, name: str) -> tuple[str, ...]:
    """All the names of the one character known by `name`."""
    hits = [c for c in script.characters if name in (c.name, *c.aliases)]
    assert len(hits) == 1, (name, script.characters)
    return (hits[0].name, *hits[0].aliases)


def test_may_is_a_person_when_the_book_treats_her_as_one() -> None:
    text = "\n\n".join(
        [
            "# One",
            "In May the roses came out. May Welland had come to stay, and Tobias Marsh had met May at the ball.",
            "\u201cYou may come in,\u201d said Tobias. May smiled and came in.",
            "\u201cThe roses are out,\u201d said May. She sat down; May was tired.",
            "\u201cThey always are in May,\u201d said Tobias. May's hat was wet, and May laughed at it.",
            "\u201cThen I shall cut some,\u201d said May.",
        ]
    )
    script = _parse(text)
    assert "May Welland" in _cast_of(script, "May")
    assert _speaker_of(script, "cut some") == "May Welland"
    assert _speaker_of(script, "always are in") == "Tobias Marsh"


def _thorne_story(son: bool) -> str:
    called = "Walter" if son else "Thorne"
    return "\n\n".join(
        [
            "# One",
            "Walter Thorne came home from the city. Mrs. Walter Thorne met him at the door, and Walter Thorne smiled.",
            f"{called} hung up his coat. {called} looked tired, and {called} sat down by the fire.",
            f"\u201cA long day,\u201d said {called}.",
            "\u201cAnd a wet one,\u201d said Mrs. Thorne.",
            "Mr. Thorne came in from the garden. Mr. Thorne smiled.",
            "\u201cThe roses are out,\u201d said Mr. Thorne.",
            f"\u201cSo they are,\u201d said {called}.",
        ]
    )


def test_mister_and_a_surname_is_the_one_man_the_book_calls_by_it() -> None:
    assert "Mr. Thorne" in _cast_of(_parse(_thorne_story(son=False)), "Walter Thorne")


def test_mister_and_a_surname_is_a_father_when_the_son_goes_by_his_first_name() -> None:
    assert "Mr. Thorne" not in _cast_of(_parse(_thorne_story(son=True)), "Walter Thorne")


def test_a_wife_called_by_her_husbands_name_does_not_take_it_as_her_own() -> None:
    assert "Walter Thorne" not in _cast_of(_parse(_thorne_story(son=False)), "Mrs. Thorne")


def test_a_first_name_said_only_in_speech_is_the_one_character_with_that_first_name() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Walter Thorne knocked at the door of the mill, and Margaret Quayle opened it. Walter Thorne bowed.",
            "\u201cI have brought the flour money,\u201d said Thomas Marsh.",
            "\u201cCome in, Walter,\u201d said Margaret.",
            "\u201cThank you; I cannot stay.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "cannot stay") == "Walter Thorne"


def test_a_speaking_description_is_the_one_named_character_it_stands_for() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Jasper Quill stood in his studio with Thomas Marsh. Jasper Quill had not slept; he looked pale.",
            "\u201cThe clay is too wet,\u201d said the sculptor. The sculptor sighed; he pressed it flat.",
            "\u201cThen let it dry,\u201d said Thomas.",
            "Jasper Quill walked to the window and back again.",
            "\u201cIt will crack if it dries,\u201d said the sculptor. The sculptor frowned; he was not pleased.",
            "\u201cEverything cracks,\u201d said Thomas.",
            "Thomas laughed at his friend. Jasper Quill did not laugh.",
            "\u201cNot everything,\u201d said the sculptor, and he covered the clay with a cloth.",
        ]
    )
    script = _parse(text)
    assert "the sculptor" in _cast_of(script, "Jasper Quill")
    assert _speaker_of(script, "Not everything") == "Jasper Quill"
    assert _speaker_of(script, "Everything cracks") == "Thomas Marsh"


def test_his_wife_is_the_wife_of_the_man_in_view_not_a_wife_named_elsewhere() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Mr. Thorne and Mrs. Thorne sat at breakfast with Margaret Quayle. Colonel Ashby came in with "
            "Mrs. Ashby, his wife.",
            "\u201cGood morning,\u201d said Margaret.",
            "Mr. Thorne read the paper and said nothing.",
            "\u201cAre you listening to me?\u201d cried his wife impatiently.",
            "\u201cNot in the least,\u201d said Margaret.",
        ]
    )
    assert _speaker_of(_parse(text), "listening to me") == "Mrs. Thorne"


def test_a_beat_is_not_the_person_the_line_speaks_of() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Margaret Quayle and Thomas Marsh had quarrelled at breakfast.",
            "\u201cYou never listen,\u201d said Margaret.",
            "\u201cI always listen,\u201d said Thomas.",
            "Thomas went out to the mill, and Margaret sat alone by the stove.",
            "\u201cIf Thomas knew what the letter said, he would laugh at me.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "If Thomas knew") == "Margaret Quayle"


def test_a_decoded_line_is_not_given_to_the_person_it_speaks_of() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Margaret Quayle and Thomas Marsh sat round the fire. Jasper Quill smiled at them both; "
            "Jasper Quill had walked from the mill.",
            "\u201cThe river is rising,\u201d said Thomas.",
            "\u201cIt always rises in March,\u201d said Margaret.",
            "\u201cThomas is right, for once; it is higher than last year.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "Thomas is right") == "Jasper Quill"


def test_a_place_that_passed_for_a_name_speaks_no_line() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Margaret Quayle and Thomas Marsh walked by the harbour at Brixham.",
            "\u201cThe boats are late,\u201d said Margaret.",
            "\u201cThey always are,\u201d said Thomas.",
            "The lights of Brixham went on one by one. Brixham was quiet.",
            "\u201cI am cold.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "I am cold") == "Margaret Quayle"


def test_a_first_person_narrators_relatives_are_characters() -> None:
    text = "\n\n".join(
        [
            "# One",
            "I went down to the kitchen, where my grandmother was shelling peas. Aunt Em sat by the window.",
            "\u201cYou are late again,\u201d said my grandmother.",
            "\u201cThe bus broke down,\u201d I said.",
            "\u201cIt always breaks down on a Friday,\u201d said Aunt Em. She bit off her thread.",
            "My grandmother laughed. \u201cThen take an earlier one.\u201d",
            "\u201cThere is no earlier one, Gran.\u201d",
            "\u201cThen walk,\u201d she said.",
        ]
    )
    script = _parse(text)
    grandmother = next(c for c in script.characters if c.name == "my grandmother")
    assert (grandmother.gender, grandmother.age) == ("female", "elderly")
    assert _speaker_of(script, "late again") == "my grandmother"
    assert _speaker_of(script, "earlier one.") == "my grandmother"
    assert _speaker_of(script, "Then walk") == "my grandmother"  # the one "Gran" spoke to
    assert _speaker_of(script, "on a Friday") == "Aunt Em"


def test_a_relative_the_narration_names_is_that_character() -> None:
    text = "\n\n".join(
        [
            "# One",
            "My sister, Mrs. Hal Brody, kept the shop on the corner. Mrs. Hal Brody was a hard woman.",
            "\u201cShut the door,\u201d said my sister.",
            "\u201cIt is shut,\u201d I said.",
        ]
    )
    script = _parse(text)
    assert "my sister" in _cast_of(script, "Mrs. Hal Brody")
    assert _speaker_of(script, "Shut the door") == "Mrs. Hal Brody"


def test_a_relatives_husband_is_not_the_relative() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Hal Brody, my sister's husband, kept the shop on the corner. Hal Brody was a quiet man.",
            "\u201cShut the door,\u201d said my sister.",
            "\u201cIt is shut,\u201d I said.",
        ]
    )
    script = _parse(text)
    assert "my sister" not in _cast_of(script, "Hal Brody")
    assert _speaker_of(script, "Shut the door") == "my sister"


def test_a_he_said_is_never_the_first_person_narrators_even_with_no_one_else_in_view() -> None:
    text = "\n\n".join(
        [
            "# One",
            "I opened the door. A tall stranger stood on the step, dripping.",
            "\u201cIs this the mill?\u201d he asked.",
            "\u201cIt is,\u201d I said.",
        ]
    )
    script = _parse(text)
    assert _lines(script)[0] == (None, "Is this the mill?")  # the fallback voice, not the narrator's
    assert _lines(script)[1] == ("I", "It is,")


def test_a_narrator_who_gives_their_name_is_called_by_it() -> None:
    text = "\n\n".join(
        [
            "# One",
            "My name is Ishmael, and I kept the lighthouse at Gull Rock.",
            "Someone knocked at the door after dark.",
            "\u201cWho is there?\u201d I called.",
            "\u201cOnly me,\u201d said Margaret Quayle.",
        ]
    )
    script = _parse(text)
    assert _lines(script)[0] == ("Ishmael", "Who is there?")
    assert "I" in _cast_of(script, "Ishmael")  # the narrator: read in the narrator's voice


def test_in_a_first_person_story_a_name_the_speeches_call_someone_by_is_a_person() -> None:
    text = "\n\n".join(
        [
            "# Chapter One",
            "I hadn\u2019t seen my brother in ten years when he knocked at the door.",
            "\u2018You\u2019ve got old, Nell,\u2019 he said.",
            "\u2018So have you, Davy.\u2019",
            "He laughed and stepped inside. \u2018Where\u2019s Mother?\u2019",
            "\u2018Asleep. She sleeps all afternoon now.\u2019",
            "\u2018And the farm?\u2019",
            "\u2018Sold,\u2019 I said. \u2018Didn\u2019t you get my letters?\u2019",
            "Davy shook his head. \u2018I\u2019ve been moving about.\u2019",
        ]
    )
    assert [who for who, _ in _lines(_parse(text))] == ["Davy", "I", "Davy", "I", "Davy", "I", "I", "Davy"]


def test_the_girl_is_the_woman_in_view_not_the_one_little_girl() -> None:
    text = "\n\n".join(
        [
            "# One",
            "Margaret Quayle came into the garden, where little Rosie was feeding the hens. Rosie was six; "
            "she loved the hens, and little Rosie named them all.",
            "Thomas Marsh stood at the gate. Margaret smiled; she went down the path to meet him.",
            "\u201cYou are early,\u201d said Thomas.",
            "\u201cThe train was early,\u201d said the girl, and she laughed at him.",
        ]
    )
    assert _speaker_of(_parse(text), "train was early") == "Margaret Quayle"


def test_one_who_makes_no_answer_does_not_speak_the_next_line() -> None:
    """ "Ingrid made no answer." then a line: not hers (it is no tag, and no beat), but the one who
    spoke to her going on."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle was writing a letter, and Walter Thorne sat by the fire with the newspaper.",
            "\u201cHow pleased your brother will be with such a long letter!\u201d said Walter.",
            "Ingrid made no answer.",
            "\u201cYou write uncommonly fast.\u201d",
            "\u201cYou are mistaken. I write rather slowly.\u201d",
            "\u201cAnd you never blot a line, I suppose.\u201d",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "uncommonly fast") == "Walter Thorne"
    assert _speaker_of(script, "write rather slowly") == "Ingrid Quayle"
    assert _speaker_of(script, "never blot a line") == "Walter Thorne"


def test_a_thing_that_goes_on_is_not_a_person() -> None:
    """ "the road went on", again and again, is no one: a noun that is not a person's speaks only when
    it tags a quote ("said the sexton" beside one still makes the sexton a character)."""
    paragraphs = ["# One"]
    for place, way in (("the mill", "up a hill"), ("the church", "along the ridge"), ("the ford", "on ahead")):
        paragraphs.append(f"We drove past {place}. The road went {way}, white and straight, between the hedges.")
        paragraphs.append("\u201cIs it much farther?\u201d asked Ingrid Quayle.")
        paragraphs.append("\u201cA mile or two,\u201d said the sexton.")
    names = {c.name for c in _parse("\n\n".join(paragraphs)).characters}
    assert "the road" not in names and "the sexton" in names


def test_a_family_is_never_one_voice() -> None:
    """ "The Thornes", the plural of a surname the book gives (Walter Thorne, Mrs. Thorne), are a family:
    they say what a tag gives them all ("said the Thornes"), but are never the speaker a beat or a
    conversation picks."""
    text = "\n\n".join(
        [
            "# One",
            "Walter Thorne lived at the mill with his mother, Mrs. Thorne. Ingrid Quayle lived at the inn.",
            "Everyone knew the Thornes. The Thornes kept bees, the Thornes kept geese, and on Sundays the "
            "Thornes walked to church behind the Quayles. The vicar liked the Thornes; the Thornes liked "
            "the vicar. The Thornes were never late, and the Thornes never missed a sermon.",
            "\u201cGood night, vicar,\u201d said the Thornes.",
            "\u201cYou are up early,\u201d said Walter, when Ingrid passed the mill.",
            "\u201cI always am,\u201d said Ingrid.",
            "The Thornes were at breakfast the next day when Ingrid came in with the letters.",
            "\u201cThere is one for your mother, and none for you.\u201d",
            "\u201cThere never is.\u201d",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "Good night, vicar") == "the Thornes"
    assert _speaker_of(script, "one for your mother") == "Ingrid Quayle"
    assert _speaker_of(script, "There never is") == "Walter Thorne"


def test_a_description_set_beside_a_name_is_that_person_in_that_chapter() -> None:
    """ "Walter Thorne, the miller, …" then "said the miller": Walter, in that chapter; the miller of
    another chapter, set beside no name, is still "the miller" (a book may have two)."""
    text = "\n\n".join(
        [
            "# One",
            "Walter Thorne had kept the mill since his father died. Walter Thorne was a silent man.",
            "Ingrid Quayle took the corn to Walter Thorne, the miller, on a wet Monday.",
            "\u201cYou are late,\u201d said the miller.",
            "\u201cThe road was flooded,\u201d said Ingrid.",
            "\u201cIt always is,\u201d said the miller.",
            "# Two",
            "Years later Ingrid rode to a mill in the next valley.",
            "\u201cWho are you?\u201d said the miller.",
            "\u201cA friend of Walter Thorne,\u201d said Ingrid.",
            "\u201cNever heard of him,\u201d said the miller.",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "You are late") == "Walter Thorne"
    assert _speaker_of(script, "It always is") == "Walter Thorne"
    assert _speaker_of(script, "Who are you") == "the miller"
    assert _speaker_of(script, "Never heard of him") == "the miller"


def test_said_to_herself_with_no_comma_is_a_tag() -> None:
    """ "…and said to herself \u201c…\u201d" (no comma before the quote) is her tag, and "said to the
    Knave" the speaker's, not the Knave's."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle and Walter Thorne waited in the hall for the Knave.",
            "\u201cHe is late,\u201d said Walter.",
            "\u201cHe always is,\u201d said Ingrid.",
            "Walter went out to look for the carriage, and Ingrid sat down on the stairs and said to herself "
            "\u201cI shall count to a hundred, and then I shall go home.\u201d",
            "At last the Knave came in, and Walter turned to him and said to the Knave "
            "\u201cYou have kept a lady waiting.\u201d",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "count to a hundred") == "Ingrid Quayle"
    assert _speaker_of(script, "kept a lady waiting") == "Walter Thorne"


def test_a_place_named_in_two_words_is_no_speaker() -> None:
    """ "Chelsea Embankment" (a place word last) is a place however often the book names it, even when
    the book gives "Chelsea" a person's verbs: never the other speaker of a conversation begun after it
    is named, nor anyone's voice."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle walked home along Chelsea Embankment. Chelsea Embankment was empty; the tide was "
            "high, and the lamps of Chelsea Embankment were lit.",
            "\u201cMiss Quayle!\u201d called Walter Thorne from the steps. He came down to Ingrid.",
            "Chelsea would have sighed at them. Chelsea Embankment was empty still, and the river was loud.",
            "Chelsea frowned on such meetings, and Chelsea talked of them for a week.",
            "\u201cYou walk alone here at night?\u201d",
            "\u201cI always have.\u201d",
            "\u201cThen I shall walk with you.\u201d",
        ]
    )
    script = _parse(text)
    assert not any("Chelsea" in c.name for c in script.characters if c.lines)
    assert _speaker_of(script, "You walk alone") == "Walter Thorne"
    assert _speaker_of(script, "I always have") == "Ingrid Quayle"


def test_a_lead_in_ending_in_two_hyphens_is_a_tag() -> None:
    """Plain-text books write the dash as "--": '"It is," said Walter; then, after a long look at her,
    he began--' and a paragraph of speech is Walter's, as it is after "began," or "began\u2014"."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle and Walter Thorne stood at the gate of the mill.",
            "\u201cIt is late,\u201d said Ingrid.",
            "\u201cIt is,\u201d said Walter. Neither moved; then, after a long look at her, he began--",
            "\u201cI have something to tell you before you go.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "something to tell you") == "Walter Thorne"


def test_the_name_before_thus_began_speaks() -> None:
    """ "Walter Thorne stood by her a long while, till Ingrid looked up and Walter Thorne thus began:--" then
    a speech: Walter's, not Ingrid's (a short adverb may stand between the name and its verb, as an
    "-ly" one may)."""
    text = "\n\n".join(
        [
            "# One",
            "Walter Thorne called on Ingrid Quayle at seven.",
            "\u201cGood evening,\u201d said Walter.",
            "\u201cGood evening,\u201d said Ingrid.",
            "Ingrid Quayle sat at the window with her sewing. Walter Thorne stood by her a long while, till "
            "Ingrid looked up and Walter Thorne thus began:--",
            "\u201cWhat a fine evening this is for sewing!\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "fine evening") == "Walter Thorne"


def test_silent_for_a_while_then_speaking_is_a_tag() -> None:
    """ "He was silent for a minute, but at last he said:" is still his tag: the silence ends in speech."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle and Walter Thorne walked down to the river.",
            "\u201cWhy did you ask about the boat?\u201d said Ingrid.",
            "He was silent for a minute or two as they walked along, but at last he said:",
            "\u201cBecause it was not where the boatman left it.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "not where the boatman") == "Walter Thorne"


def test_the_line_after_a_silence_is_said_to_the_silent_one() -> None:
    """ "Walter made no answer." as a paragraph of its own, then a line with no tag: it is said to
    Walter, so it is Ingrid's, who spoke before, not the turn Walter would otherwise take."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle waited at the gate while Walter Thorne mended the net.",
            "\u201cAre you coming to the fair?\u201d said Ingrid.",
            "\u201cPerhaps,\u201d said Walter.",
            "\u201cPerhaps is no answer at all,\u201d said Ingrid.",
            "Walter made no answer.",
            "\u201cThen I shall go without you.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "go without you") == "Ingrid Quayle"


def test_said_the_hostess_wearily_is_the_woman_in_view() -> None:
    """ "said the hostess wearily": the noun is "hostess", not the adverb after it; and where the book
    knows no one as "the hostess", a woman's noun stands for the woman in view, as "said the young
    lady" does (Mrs. Dale, who met them, not Ingrid, whose turn it would be)."""
    text = "\n\n".join(
        [
            "# One",
            "\u201cWe walked from the station,\u201d said Ingrid Quayle.",
            "\u201cIn this rain!\u201d said Walter Thorne.",
            "Mrs. Dale met them at the door and took their coats.",
            "\u201cIt is Friday,\u201d said Walter.",
            "\u201cThen we must have the fish after all,\u201d said the hostess wearily.",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "fish after all") == "Mrs. Dale"
    fish = [s for ch in script.chapters for s in ch.segments if "fish after all" in s.text]
    assert [s.rule for s in fish] == ["tag:pronoun"]  # read from its tag, not left to the turn


def test_a_bare_name_is_the_colonels_surname_before_anothers_first_name() -> None:
    """ "said Forde": Colonel Forde, whom the book calls so again and again, not Mr. Lacey, whose
    first name Forde it gives once ("Mr. Forde Lacey")."""
    text = "\n\n".join(
        [
            "# One",
            "Mr. Forde Lacey came down to Rosings with his cousin, Colonel Forde. Colonel Forde was the "
            "younger son of an earl; Mr. Lacey was the master of a great house.",
            "Colonel Forde talked pleasantly at dinner. Mr. Lacey said little; Colonel Forde said a great deal.",
            "\u201cMy cousin is a poor traveller,\u201d said Forde.",
            "\u201cI travel well enough,\u201d said Mr. Lacey.",
            "\u201cYou sulk in every inn,\u201d said Forde, laughing.",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "poor traveller") == "Colonel Forde"
    assert _speaker_of(script, "sulk in every inn") == "Colonel Forde"


def test_she_broke_out_is_a_tag() -> None:
    """ "Walter wondered if she was tired; but suddenly she broke out:" then a speech: hers (a tag read
    from "broke out"), not Walter's, whom the sentence names first."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle sat very still by the window. Walter Thorne watched her. He had watched her all "
            "evening. Ingrid had not looked at him once; she had not spoken.",
            "Walter wondered if she was tired; but suddenly she broke out:",
            "\u201cI will not go back to that house, whatever they say.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "will not go back") == "Ingrid Quayle"


def test_a_him_or_her_done_to_says_nothing_of_the_doers_sex() -> None:
    """ "Walter Thorne watched her." votes for nobody's sex: "her" there is an object (his own would be
    "herself"); "Ingrid lost her glove" still says Ingrid is a woman."""
    text = "\n\n".join(
        [
            "# One",
            "Ingrid Quayle came into the shop. Walter Thorne watched her. Walter Thorne helped her to a "
            "chair. Ingrid Quayle thanked him. Ingrid Quayle lost her glove, and Walter Thorne found it.",
            "\u201cYour glove,\u201d said Walter Thorne.",
            "\u201cThank you,\u201d said Ingrid Quayle.",
        ]
    )
    genders = {c.name: c.gender for c in _parse(text).characters}
    assert genders["Walter Thorne"] != "female" and genders["Ingrid Quayle"] == "female"


def test_a_name_after_two_particles_is_whole() -> None:
    """ "said Mr. van der Berg" is Mr. van der Berg, not "Mr." and a stray "Berg"; and Mrs. van der Berg
    is another person."""
    text = "\n\n".join(
        [
            "# One",
            "Mr. van der Berg and Mrs. van der Berg received Ingrid Quayle in the long drawing-room.",
            "\u201cYou are welcome,\u201d said Mr. van der Berg.",
            "\u201cMost welcome,\u201d said Mrs. van der Berg.",
            "\u201cYou are very kind,\u201d said Ingrid.",
        ]
    )
    script = _parse(text)
    assert _speaker_of(script, "You are welcome") == "Mr. van der Berg"
    assert _speaker_of(script, "Most welcome") == "Mrs. van der Berg"


def test_the_old_lady_is_the_old_woman_in_view() -> None:
    """ "said the old lady" is old Mrs. Dale, not Ingrid, though Ingrid was named last: of the women in
    view, the one the book calls old."""
    text = "\n\n".join(
        [
            "# One",
            "Old Mrs. Dale lived alone at the mill. Old Mrs. Dale was ninety; old Mrs. Dale had buried three "
            "husbands, and old Mrs. Dale feared nobody.",
            "Walter Thorne brought his cousin to see her. Miss Ingrid Quayle curtsied, and the old woman looked "
            "them over.",
            "\u201cSo this is the cousin,\u201d said the old lady.",
            "\u201cI am, ma'am,\u201d said Ingrid.",
        ]
    )
    assert _speaker_of(_parse(text), "this is the cousin") == "Mrs. Dale"


def test_the_one_turned_to_is_not_the_speaker() -> None:
    """ "He turned to Ingrid. \u201c…\u201d": the line is his, said to her (a beat never picks the one a
    sentence turns to, looks at or appeals to)."""
    text = "\n\n".join(
        [
            "# One",
            "Walter Thorne and Miss Ingrid Quayle stood at the gate with old Mr. Dale.",
            "\u201cThe fair is tomorrow,\u201d said Mr. Dale.",
            "Walter nodded. He turned to Ingrid. \u201cYou will come with me?\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "come with me") == "Walter Thorne"


def test_the_one_walked_with_is_not_the_speaker() -> None:
    """ "Ingrid walked on with Walter." names Ingrid first and acting; "She walked on with Walter." names
    only Walter, who is not the subject: the line is hers."""
    text = "\n\n".join(
        [
            "# One",
            "Walter Thorne and Miss Ingrid Quayle left the mill together.",
            "\u201cIt will rain,\u201d said Walter.",
            "\u201cLet it,\u201d said Ingrid.",
            "She walked on with Walter. \u201cI like the rain.\u201d",
        ]
    )
    assert _speaker_of(_parse(text), "like the rain") == "Miss Ingrid Quayle"
