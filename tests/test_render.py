"""End to end on the real engine and real ffmpeg: the example story and the commissioning story."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from audio_tools import decode, median_f0, rms_db, span
from paths import EXAMPLE, VOICES

from audiobook.cli import cli

pytestmark = pytest.mark.integration


def _manifest(book):
    return json.loads((book / "book.json").read_text(encoding="utf-8"))


def test_example_chapters_match_their_manifest(example_render):
    report, book = example_render
    manifest = _manifest(book)
    assert report.chapters == 3 and not report.failed
    assert [c["title"] for c in manifest["chapters"]] == [
        "Chapter One: The Gathering Wind",
        "Chapter Two: The Stopped Clock",
        "Chapter Three: Morning at Gull Point",
    ]
    for ch in manifest["chapters"]:
        audio = decode(book / ch["file"])
        assert len(audio) / 44100 == pytest.approx(ch["duration"], abs=0.06)
        assert ch["duration"] > 60
        assert rms_db(audio) > -35, "chapter is silent"
        segs = ch["segments"]
        starts = [s["start"] for s in segs]
        assert starts == sorted(starts) and segs[-1]["end"] < ch["duration"]
        for s in segs:
            # speech where the manifest says a segment is, silence in the pause after it
            assert rms_db(span(audio, s["start"], s["end"])) > -35, s["text"][:40]
        for a, b in zip(segs, segs[1:]):
            gap = span(audio, a["end"] + 0.05, b["start"] - 0.05)
            if len(gap) > 4410:
                assert rms_db(gap) < -50


def test_example_vtt_cues_in_order(example_render):
    _, book = example_render
    manifest = _manifest(book)
    for ch in manifest["chapters"]:
        vtt = (book / ch["transcript"]).read_text(encoding="utf-8")
        cues = re.findall(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n<v ([^>]+)>", vtt)
        assert len(cues) == len(ch["segments"])
        assert [c[0] for c in cues] == sorted(c[0] for c in cues)
        speakers = [c[2] for c in cues]
        assert "Narrator" in speakers and "Pip" in speakers


def test_example_characters_speak_in_their_own_voices(example_render):
    _, book = example_render
    manifest = _manifest(book)
    pitch: dict[str, list[float]] = {}
    voice: dict[str, set[str]] = {}
    for ch in manifest["chapters"]:
        audio = decode(book / ch["file"])
        for s in ch["segments"]:
            who = s["speaker"] or "Narrator"
            voice.setdefault(who, set()).add(s["voice"])
            if s["end"] - s["start"] > 1.0:
                pitch.setdefault(who, []).append(median_f0(span(audio, s["start"], s["end"])))
    assert voice["Mara"] == {"gmw/en-us+f2"} and voice["Tobias"] == {"gmw/en-us+m1"}
    assert voice["Pip"] == {"gmw/en-us+Nguyen"} and voice["Narrator"] == {"gmw/en-gb-x-rp"}
    med = {k: sorted(v)[len(v) // 2] for k, v in pitch.items()}
    assert med["Mara"] > 1.5 * med["Tobias"]  # a woman and a man, heard in the real audio
    assert med["Pip"] > 1.3 * med["Tobias"]  # the child higher than his father


SEED_SPEAKERS = [
    "Leo",
    "Leo",
    "Leo",
    "Witney",
    "Witney",
    "Leo",
    "Witney",
    "Witney",
    "Robert",
    "Leo",
    "Witney",
    "Witney",
    "Witney",
]


def test_seed_story_attribution_and_casting(seed_render, seed_path):
    report, book = seed_render
    manifest = _manifest(book)
    assert report.chapters == 1 and not report.failed
    segs = manifest["chapters"][0]["segments"]
    dialogue = [s for s in segs if s["kind"] == "dialogue"]
    assert [s["speaker"] for s in dialogue] == SEED_SPEAKERS
    source = seed_path.read_text(encoding="utf-8")
    # the single-quoted letter is read by the narrator as part of its sentence
    o_at = source.index("\u2018O\u2019")
    assert any(s["kind"] == "narration" and s["source_start"] < o_at < s["source_end"] for s in segs)
    voices = {s["speaker"]: s["voice"] for s in dialogue}
    assert len(set(voices.values())) == 3
    narrator = {s["voice"] for s in segs if s["kind"] == "narration"}
    assert narrator.isdisjoint(voices.values())
    chars = {c["name"]: c for c in manifest["characters"]}
    assert chars["Witney"]["gender"] == "female" and chars["Robert"]["gender"] == "male"
    assert chars["Leo"]["age"] == "child"
    audio = decode(book / manifest["chapters"][0]["file"])
    f0 = {}
    for who in ("Witney", "Robert", "Leo"):
        spans = [s for s in dialogue if s["speaker"] == who]
        f0[who] = max(median_f0(span(audio, s["start"], s["end"])) for s in spans)
    assert f0["Witney"] > 1.5 * f0["Robert"]
    assert f0["Leo"] > 1.3 * f0["Robert"]


def test_seed_script_jsonl_covers_every_quote(seed_path):
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, ["script", "--format", "jsonl", str(seed_path)])
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    source = seed_path.read_text(encoding="utf-8")
    opens = [m.start() for m in re.finditer("\u201c", source)]
    dialogue = [row for row in rows if row["kind"] == "dialogue"]
    assert len(opens) == len(dialogue) == 13
    for at, row in zip(opens, dialogue):
        close = source.index("\u201d", at)
        assert row["start"] == at and row["end"] == close + 1
    # segments tile the text in order without overlap
    for a, b in zip(rows, rows[1:]):
        assert a["end"] <= b["start"]


def test_edited_script_recasts_one_line_only(example_render, tmp_path):
    """Write the script, give one of Tobias's lines to Pip, render: only that line changes voice."""
    from click.testing import CliRunner

    _, book = example_render
    original = _manifest(book)
    script = tmp_path / "lantern.script"
    assert CliRunner().invoke(cli, ["script", str(EXAMPLE), "--write", str(script)]).exit_code == 0
    text = script.read_text(encoding="utf-8")
    assert "] Tobias | It always matters." in text
    script.write_text(text.replace("] Tobias | It always matters.", "] Pip | It always matters."), encoding="utf-8")
    # Into a new folder, with a copy of the session render's line cache: only the recast line is spoken.
    cache = tmp_path / "cache"
    shutil.copytree(book.parent.parent / ".cache", cache)
    r = CliRunner().invoke(
        cli, ["generate", str(script), "-c", str(VOICES), "-o", str(tmp_path / "out"), "--cache-dir", str(cache)]
    )
    assert r.exit_code == 0, r.output
    assert " segments: 1 synthesized, " in r.stderr, r.stderr
    edited_book = tmp_path / "out" / book.parent.name / book.name
    edited = _manifest(edited_book)
    diffs = []
    for a_ch, b_ch in zip(original["chapters"], edited["chapters"]):
        for a, b in zip(a_ch["segments"], b_ch["segments"], strict=True):
            assert a["text"] == b["text"]
            if (a["speaker"], a["voice"]) != (b["speaker"], b["voice"]):
                diffs.append((a, b, b_ch))
    assert len(diffs) == 1
    a, b, ch = diffs[0]
    assert (a["speaker"], b["speaker"], b["voice"]) == ("Tobias", "Pip", "gmw/en-us+Nguyen")
    audio = decode(edited_book / ch["file"])
    tobias = [s for s in ch["segments"] if s["speaker"] == "Tobias"]
    assert median_f0(span(audio, b["start"], b["end"])) > 1.3 * median_f0(
        span(audio, tobias[0]["start"], tobias[0]["end"])
    )
