"""One voices.yaml rule for every command (-c, else the one beside the story), and `cast` shows exactly
the voices `generate` will use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook import cast_plan, pipeline
from audiobook.cli import cli
from audiobook.errors import ExitCode, InputError

TALE = (
    "# The Mill Race\n\n"
    "Wren Talbot pushed the gate open. \u201cThe wheel has stopped again,\u201d she said.\n\n"
    "Osric Hale wiped his hands on his apron. \u201cThen the sluice is blocked,\u201d he said.\n\n"
    "\u201cI can fetch the long hook,\u201d said Wren Talbot.\n\n"
    "Osric Hale nodded. \u201cBring the lamp down too.\u201d\n"
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture()
def tale(tmp_path, monkeypatch) -> Path:
    """stories/tale.md, run from the folder above it (so ./voices.yaml is not beside the story)."""
    (tmp_path / "stories").mkdir()
    story = tmp_path / "stories" / "tale.md"
    story.write_text(TALE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("stories/tale.md")


def _rows(stdout: str) -> dict[str, list[str]]:
    """CHARACTER -> [voice, rate, pitch, from...] from `cast`'s table."""
    out = {}
    for line in stdout.splitlines()[1:]:
        for name in ("narrator", "Wren Talbot", "Osric Hale"):
            if line.startswith(name + " "):
                cells = line[len(name) :].split()
                out[name] = cells if name == "narrator" else cells[4:]
    return out


@pytest.mark.integration
def test_cast_write_goes_beside_the_story_and_generate_reads_it(tale):
    r = run("cast", str(tale), "--write")
    assert r.exit_code == 0, r.output
    beside = tale.parent / "voices.yaml"
    assert beside.is_file() and not Path("voices.yaml").exists()
    assert f"Wrote {beside}: added Wren Talbot, Osric Hale." in r.stderr
    # A voice no auto-cast would choose: `generate` (no -c) must read it from beside the story.
    beside.write_text(
        beside.read_text(encoding="utf-8").replace("gmw/en-gb-x-rp+m1", "gmw/en-gb-scotland+m3"), encoding="utf-8"
    )
    r = run("generate", str(tale), "-o", "out", "-q", "-j", "1")
    assert r.exit_code == 0, r.output
    book = json.loads(next(Path("out").rglob("book.json")).read_text(encoding="utf-8"))
    voices = {c["name"]: c["voice"] for c in book["characters"]}
    assert voices["Osric Hale"] == "gmw/en-gb-scotland+m3"
    assert run("cast", str(tale)).exit_code == 0
    assert _rows(run("cast", str(tale)).stdout)["Osric Hale"][:1] == ["gmw/en-gb-scotland+m3"]


def test_cast_shows_the_fallback_for_whoever_voices_yaml_lacks(tale):
    cfg = tale.parent / "voices.yaml"
    cfg.write_text(
        "characters:\n  Wren Talbot:\n    voice: gmw/en-us+f5\nfallback:\n  voice: gmw/en-us+klatt2\n  rate: 160\n",
        encoding="utf-8",
    )
    r = run("cast", str(tale))
    assert r.exit_code == 0, r.output
    rows = _rows(r.stdout)
    assert rows["Wren Talbot"][0] == "gmw/en-us+f5" and rows["Wren Talbot"][3:] == ["voices.yaml"]
    # `generate` would read Osric's lines with the fallback voice: `cast` says so.
    assert rows["Osric Hale"][:2] == ["gmw/en-us+klatt2", "160"]
    assert " ".join(rows["Osric Hale"][3:]) == "fallback (add with --write)"
    prep = pipeline.prepare(tale, cfg)
    osric = next(line for ch in prep.cast.chapters for line in ch.lines if line.segment.speaker == "Osric Hale")
    assert (osric.voice.voice_id, osric.role) == ("gmw/en-us+klatt2", "fallback")

    r = run("cast", str(tale), "--write")
    assert r.exit_code == 0, r.output
    rows = _rows(r.stdout)
    assert rows["Osric Hale"][3:] == ["added"] and rows["Osric Hale"][0] != "gmw/en-us+klatt2"
    assert "added Osric Hale" in r.stderr
    # ... and the voice shown is the one `generate` now uses.
    prep = pipeline.prepare(tale, cfg)
    osric = next(line for ch in prep.cast.chapters for line in ch.lines if line.segment.speaker == "Osric Hale")
    assert [osric.voice.voice_id, str(osric.voice.rate), str(osric.voice.pitch)] == rows["Osric Hale"][:3]
    assert "Wren Talbot:\n    voice: gmw/en-us+f5\n" in cfg.read_text(encoding="utf-8")  # kept as written


def test_cast_without_voices_yaml_shows_the_auto_cast(tale):
    r = run("cast", str(tale))
    assert r.exit_code == 0, r.output
    assert " ".join(_rows(r.stdout)["Wren Talbot"][3:]) == "auto-cast (keep with --write)"
    assert not (tale.parent / "voices.yaml").exists() and not Path("voices.yaml").exists()
    prep = pipeline.prepare(tale, None)
    assert _rows(r.stdout)["Wren Talbot"][0] == prep.casting.characters["Wren Talbot"].voice_id


def test_every_command_resolves_voices_yaml_the_same_way(tale, tmp_path, monkeypatch):
    """-c when given, else voices.yaml beside SOURCE (not the working folder's)."""
    Path("voices.yaml").write_text("characters: {}\n", encoding="utf-8")  # in the way: never read
    seen: list[object] = []

    def spy(source, config_path, *a, **k):
        seen.append(None if config_path is None else Path(config_path))
        raise InputError("stop here")

    monkeypatch.setattr(pipeline, "prepare", spy)
    monkeypatch.setattr(cast_plan, "prepare", spy)
    commands = (["generate", str(tale)], ["preview", str(tale), "Wren Talbot"], ["cast", str(tale)])
    for cmd in commands:
        run(*cmd)
    assert seen == [None, None, None]  # nothing beside the story: auto-cast, all three
    beside = tale.parent / "voices.yaml"
    beside.write_text("characters: {}\n", encoding="utf-8")
    seen.clear()
    for cmd in commands:
        run(*cmd)
    assert seen == [beside] * 3
    other = tmp_path / "other.yaml"
    other.write_text("characters: {}\n", encoding="utf-8")
    seen.clear()
    for cmd in commands:
        run(*cmd, "-c", str(other))
    assert seen == [other] * 3


def _one_error_line(result, code: int, *fragments: str) -> str:
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


def test_cast_with_a_missing_c_file_fails_as_generate_does(tale):
    r = run("cast", str(tale), "-c", "nope.yaml")
    assert _one_error_line(r, ExitCode.CONFIG, "nope.yaml: no such file") == _one_error_line(
        run("generate", str(tale), "-c", "nope.yaml"), ExitCode.CONFIG
    )


def test_cast_write_where_it_cannot_is_one_error_line_and_exit_7(tale):
    Path("a-file").write_text("in the way", encoding="utf-8")
    r = run("cast", str(tale), "--write", "-c", "a-file/voices.yaml")
    _one_error_line(r, ExitCode.OUTPUT, "a-file/voices.yaml: cannot write")
    r = run("cast", str(tale), "--write", "-c", "missing/voices.yaml")
    _one_error_line(r, ExitCode.OUTPUT, "missing/voices.yaml: cannot write")
    assert not Path("missing").exists()


_TOLD = """# One

Tom Avery met me at the quay. He carried two bags.

"The ferry leaves at six," I said.

"Then we must hurry," said Tom Avery.

"We have an hour yet," I said.
"""


def test_a_first_person_narrator_speaks_in_the_narrators_voice_unless_voices_yaml_says(tmp_path):
    story = tmp_path / "told.md"
    story.write_text(_TOLD, encoding="utf-8")
    plan = cast_plan.plan_cast(story, tmp_path / "voices.yaml")  # no voices.yaml: auto-cast
    rows = {c.name: (voice, origin) for c, voice, origin in plan.rows}
    assert rows["I"] == (plan.narrator, "narrator")
    assert rows["Tom Avery"][0] != plan.narrator
    # voices.yaml that casts the narrator character: that voice, not the narrator's.
    (tmp_path / "voices.yaml").write_text(
        "narrator: {voice: gmw/en-gb-x-rp}\ncharacters:\n  I: {voice: gmw/en-us+m3}\n", encoding="utf-8"
    )
    plan = cast_plan.plan_cast(story, tmp_path / "voices.yaml")
    rows = {c.name: (voice, origin) for c, voice, origin in plan.rows}
    assert rows["I"][0].voice_id == "gmw/en-us+m3" and rows["I"][1] == "voices.yaml"
    # voices.yaml that does not list them: still the narrator's voice, not the fallback.
    (tmp_path / "voices.yaml").write_text("narrator: {voice: gmw/en-gb-x-rp}\n", encoding="utf-8")
    plan = cast_plan.plan_cast(story, tmp_path / "voices.yaml")
    rows = {c.name: (voice, origin) for c, voice, origin in plan.rows}
    assert rows["I"] == (plan.narrator, "narrator")
