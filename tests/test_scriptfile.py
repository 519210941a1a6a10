"""The editable script: written, edited, read back; edited speakers win; changed text is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_engine import FakeEngine

from audiobook.cli import cli
from audiobook.errors import InputError
from audiobook.pipeline import generate, load_script

STORY = (
    "Chapter 1\n\nNora Vance opened the door. \u201cYou\u2019re late,\u201d she said.\n\n"
    "Felix Vance shrugged. \u201cThe bus was slow.\u201d\n\n\u201cIt always is.\u201d\n"
)


@pytest.fixture()
def files(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    script = tmp_path / "story.script"
    r = CliRunner().invoke(cli, ["script", str(story), "--write", str(script)])
    assert r.exit_code == 0, r.output
    return story, script


def _speakers(script):
    return [(s.kind, s.speaker, s.text) for ch in script.chapters for s in ch.segments]


def test_unedited_script_is_the_story(files):
    story, script = files
    assert _speakers(load_script(script)) == _speakers(load_script(story))


def test_edited_speaker_wins_and_nothing_else_changes(files):
    story, script = files
    text = script.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.endswith("| It always is."))
    assert " Nora Vance | " in line
    script.write_text(text.replace(line, line.replace(" Nora Vance | ", " Felix Vance | ")), encoding="utf-8")
    before, after = _speakers(load_script(story)), _speakers(load_script(script))
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed == [(("dialogue", "Nora Vance", "It always is."), ("dialogue", "Felix Vance", "It always is."))]
    seg = [s for ch in load_script(script).chapters for s in ch.segments if s.text == "It always is."][0]
    assert (seg.rule, seg.confidence) == ("edited", 1.0)


def test_narration_can_be_given_to_a_character_and_back(files):
    _, script = files
    text = script.read_text(encoding="utf-8")
    text = text.replace("narrator | Felix Vance shrugged.", "Felix Vance | Felix Vance shrugged.")
    text = text.replace("Felix Vance | The bus was slow.", "narrator | The bus was slow.")
    script.write_text(text, encoding="utf-8")
    segs = {s.text: s for ch in load_script(script).chapters for s in ch.segments}
    assert (segs["Felix Vance shrugged."].kind, segs["Felix Vance shrugged."].speaker) == ("dialogue", "Felix Vance")
    assert (segs["The bus was slow."].kind, segs["The bus was slow."].speaker) == ("narration", None)


def test_changed_text_is_refused_with_its_line(files):
    _, script = files
    lines = script.read_text(encoding="utf-8").splitlines()
    n = next(i for i, x in enumerate(lines) if x.endswith("| The bus was slow."))
    lines[n] = lines[n].replace("slow", "late")
    script.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=rf"story\.script:{n + 1}: the text no longer matches"):
        load_script(script)


def test_changed_story_is_refused(files):
    story, script = files
    story.write_text(STORY.replace("opened the door", "opened the big door"), encoding="utf-8")
    with pytest.raises(InputError, match="write the script again"):
        load_script(script)


def test_generate_accepts_a_script(files, tmp_path):
    _, script = files
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("Nora Vance | It always is.", "Felix Vance | It always is."), encoding="utf-8")
    report = generate(script, None, tmp_path / "out", engine=FakeEngine())
    manifest = json.loads((Path(report.output_dir) / "book.json").read_text())
    seg = [s for s in manifest["chapters"][0]["segments"] if s["text"] == "It always is."][0]
    assert seg["speaker"] == "Felix Vance" and seg["rule"] == "edited"


def test_script_stats_and_unsure(files):
    story, _ = files
    r = CliRunner().invoke(cli, ["script", str(story), "--stats"])
    assert r.exit_code == 0 and "Nora Vance" in r.stdout and "female" in r.stdout
    r = CliRunner().invoke(cli, ["script", str(story), "--unsure"])
    assert r.exit_code == 0
    assert "It always is." in r.stdout  # decided by turn-taking: worth a look
    assert "You\u2019re late" not in r.stdout  # tagged: sure


def test_a_script_of_a_script_reads_back(files, tmp_path):
    """`script story.script --write s2.script` names the story, not the script, as its source."""
    story, script = files
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("Nora Vance | It always is.", "Felix Vance | It always is."), encoding="utf-8")
    (tmp_path / "again").mkdir()
    second = tmp_path / "again" / "s2.script"
    r = CliRunner().invoke(cli, ["script", str(script), "--write", str(second)])
    assert r.exit_code == 0, r.output
    assert _speakers(load_script(second)) == _speakers(load_script(script))  # the edit carried over
    assert "# source: ../story.txt" in second.read_text(encoding="utf-8").splitlines()
    assert ("dialogue", "Felix Vance", "It always is.") in _speakers(load_script(second))


CASE_STORY = (
    "Chapter 1\n\nMarta Quill set the kettle down. \u201cSit,\u201d said Marta.\n\n"
    "Bo Penhallow sat by the stove. \u201cThank you,\u201d said Bo.\n\n\u201cMore tea?\u201d Marta asked.\n"
)


def test_speaker_names_are_matched_whatever_their_case(tmp_path):
    """A speaker typed as "Narrator", "bo" or "marta quill" is the narrator, or the story's character
    by name or alias: no new character is made up from a change of case."""
    story = tmp_path / "kettle.txt"
    story.write_text(CASE_STORY, encoding="utf-8")
    script = tmp_path / "kettle.script"
    assert CliRunner().invoke(cli, ["script", str(story), "--write", str(script)]).exit_code == 0
    before = load_script(story)
    assert {c.name: c.aliases for c in before.characters} == {"Marta": ("Marta Quill",), "Bo Penhallow": ("Bo",)}
    text = script.read_text(encoding="utf-8")
    for old, new in [
        ("narrator | Bo Penhallow sat", "Narrator | Bo Penhallow sat"),
        ("Bo Penhallow | Thank you,", "bo | Thank you,"),
        ("Marta | More tea?", "marta quill | More tea?"),
        ("narrator | Marta asked.", "BO PENHALLOW | Marta asked."),
        ("Marta | Sit,", "the cook | Sit,"),
        ("narrator | said Marta.", "The Cook | said Marta."),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    script.write_text(text, encoding="utf-8")
    after = load_script(script)
    assert [c.name for c in after.characters] == ["Marta", "Bo Penhallow", "the cook"]
    assert [(s.kind, s.speaker) for ch in after.chapters for s in ch.segments] == [
        ("narration", None),
        ("dialogue", "the cook"),
        ("dialogue", "the cook"),
        ("narration", None),
        ("dialogue", "Bo Penhallow"),
        ("narration", None),
        ("dialogue", "Marta"),
        ("dialogue", "Bo Penhallow"),
    ]
    counts = {c.name: c.lines for c in after.characters}
    assert counts == {"Marta": 1, "Bo Penhallow": 2, "the cook": 2}


def test_a_markdown_story_with_markup_in_its_speech_round_trips(tmp_path):
    """The script holds the spoken text (a link read as its words); reading it back matches the story."""
    story = tmp_path / "story.md"
    story.write_text(
        "# Chapter 1\n\nNora Vance pointed. \u201cTake the [lower road](https://example.org/map) "
        "and *hurry*,\u201d she said.\n\nFelix Vance nodded. \u201cI will.\u201d\n",
        encoding="utf-8",
    )
    script = tmp_path / "story.script"
    r = CliRunner().invoke(cli, ["script", str(story), "--write", str(script)])
    assert r.exit_code == 0, r.output
    assert "https://" not in script.read_text(encoding="utf-8").split("\n", 3)[-1]
    edited = script.read_text(encoding="utf-8").replace("Nora Vance | Take", "Felix Vance | Take")
    script.write_text(edited, encoding="utf-8")
    speakers = _speakers(load_script(script))
    assert ("dialogue", "Felix Vance", "Take the lower road and hurry,") in speakers
