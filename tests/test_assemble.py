"""Assembly arithmetic with the fake engine: clip lengths, pauses, head and tail add up exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_engine import FakeEngine

from audiobook.config import Pauses
from audiobook.model import BookInfo
from audiobook.pipeline import generate, prepare
from audiobook.speech import speakable

STORY = """Title: Two Rooms
Author: Test Writer

Chapter 1: Morning

Nora Vance opened the window. \u201cIt\u2019s cold,\u201d she said. \u201cClose it.\u201d

Felix Vance laughed. \u201cYou opened it.\u201d

* * *

The day went on.

Chapter 2: Night

\u201cGood night,\u201d said Felix.
"""


@pytest.fixture()
def rendered(tmp_path):
    src = tmp_path / "two-rooms.txt"
    src.write_text(STORY, encoding="utf-8")
    engine = FakeEngine()
    report = generate(src, None, tmp_path / "out", engine=engine)
    book = Path(report.output_dir)
    return report, book, json.loads((book / "book.json").read_text()), engine


def test_layout_and_names(rendered):
    report, book, manifest, _ = rendered
    assert (book.parent.name, book.name) == ("Test Writer", "Two Rooms")  # Author/Title
    files = sorted(p.name for p in book.iterdir() if not p.name.startswith("."))
    assert files == [
        "01 - Chapter 1 - Morning.mp3",
        "01 - Chapter 1 - Morning.vtt",
        "02 - Chapter 2 - Night.mp3",
        "02 - Chapter 2 - Night.vtt",
        "book.json",
        "index.html",
        "playlist.m3u",
    ]
    assert sorted(p.name for p in book.iterdir() if p.name.startswith(".")) == [".audiobook-files", ".audiobook.lock"]
    assert manifest["title"] == "Two Rooms" and manifest["author"] == "Test Writer"
    playlist = (book / "playlist.m3u").read_text().splitlines()
    assert playlist[0] == "#EXTM3U" and playlist[2] == "01 - Chapter 1 - Morning.mp3"


# A block (a line and its pause) plays for whole MP3 frames: a pause may run up to one frame long.
SLACK = 1153 / 44100


def test_timeline_is_exact(rendered):
    _, _, manifest, engine = rendered
    from audiobook.model import VoiceSpec

    p = Pauses()
    sr = engine.sample_rate
    for ch in manifest["chapters"]:
        segs = ch["segments"]
        assert p.head / 1000 <= segs[0]["start"] <= p.head / 1000 + SLACK + 1104 / 44100  # the first block's own delay
        for a, b in zip(segs, segs[1:]):
            spec = VoiceSpec("fake", a["voice"], a["rate"], a["pitch"], a["volume"])
            length = FakeEngine.frames_for(speakable(a["text"]), spec, sr) / sr
            assert a["end"] - a["start"] == pytest.approx(length, abs=2e-3)
            gap = (b["start"] - a["end"]) * 1000
            assert any(
                pause <= gap <= pause + SLACK * 1000
                for pause in (p.within_paragraph, p.paragraph, p.scene_break, p.title)
            ), gap
        assert p.tail / 1000 - 0.026 <= ch["duration"] - segs[-1]["end"] <= p.tail / 1000 + SLACK


def test_pauses_follow_context(rendered):
    _, _, manifest, _ = rendered
    segs = manifest["chapters"][0]["segments"]
    p = Pauses()
    kinds = []
    for a, b in zip(segs, segs[1:]):
        gap = (b["start"] - a["end"]) * 1000
        kinds.append(
            next(
                name
                for name, ms in (
                    ("within", p.within_paragraph),
                    ("paragraph", p.paragraph),
                    ("scene", p.scene_break),
                    ("title", p.title),
                )
                if ms <= gap <= ms + SLACK * 1000
            )
        )
    # the chapter's title, then narration / quote / tag / quote in one paragraph, then a new paragraph,
    # ..., then the scene break
    assert segs[0]["rule"] == "title" and segs[0]["text"] == "Chapter 1: Morning"
    assert kinds[0] == "title"
    assert kinds[1:4] == ["within"] * 3
    assert kinds[4] == "paragraph"
    assert kinds[-1] == "scene"


@pytest.mark.integration
def test_encoded_duration_matches_manifest(rendered):
    from audio_tools import decode

    _, book, manifest, _ = rendered
    for ch in manifest["chapters"]:
        audio = decode(book / ch["file"])
        assert len(audio) / 44100 == pytest.approx(ch["duration"], abs=0.001)


def test_tags(rendered):
    from mutagen.id3 import ID3

    _, book, manifest, _ = rendered
    tags = ID3(book / manifest["chapters"][1]["file"])
    assert str(tags["TIT2"]) == "Chapter 2: Night"
    assert str(tags["TALB"]) == "Two Rooms"
    assert str(tags["TPE1"]) == "Test Writer"
    assert str(tags["TRCK"]) == "2/2"
    assert str(tags["TCON"]) == "Audiobook"
    assert str(tags["TPE2"]) == "Test Writer"
    assert str(tags["TCOM"]).startswith("audiobook text-to-speech")  # the narrator credit
    assert str(tags["TDRC"]).isdigit()


@pytest.mark.integration
def test_options_override_tags_and_embed_a_cover(tmp_path):
    import subprocess

    from mutagen.id3 import ID3

    from audiobook.ffmpeg import ffmpeg_exe

    src = tmp_path / "two-rooms.txt"
    src.write_text(STORY, encoding="utf-8")
    png = tmp_path / "cover.png"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=teal:s=300x300", "-frames:v", "1", "-y", str(png)],
        check=True,
    )
    report = generate(
        src,
        None,
        tmp_path / "out",
        None,
        BookInfo(title="Other Rooms", author="A. Writer", narrator="Robo Reader", year="1999", cover=str(png)),
        engine=FakeEngine(),
    )
    book = Path(report.output_dir)
    assert (book.parent.name, book.name) == ("A. Writer", "Other Rooms")
    assert (book / "cover.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    tags = ID3(next(book.glob("01 - *.mp3")))
    assert (str(tags["TALB"]), str(tags["TPE1"]), str(tags["TCOM"]), str(tags["TDRC"])) == (
        "Other Rooms",
        "A. Writer",
        "Robo Reader",
        "1999",
    )
    assert tags.getall("APIC")[0].data[:3] == b"\xff\xd8\xff"


def test_a_bad_cover_fails_before_anything_is_written(tmp_path):
    from audiobook.errors import InputError

    src = tmp_path / "two-rooms.txt"
    src.write_text(STORY, encoding="utf-8")
    (tmp_path / "cover.gif").write_bytes(b"GIF89a....")
    with pytest.raises(InputError, match="not a JPEG or PNG"):
        generate(src, None, tmp_path / "out", None, BookInfo(cover=str(tmp_path / "cover.gif")), engine=FakeEngine())
    assert not (tmp_path / "out").exists()


def test_vtt_cues_carry_speakers_and_times(rendered):
    _, book, manifest, _ = rendered
    vtt = (book / manifest["chapters"][0]["transcript"]).read_text().splitlines()
    assert vtt[0] == "WEBVTT"
    cues = [line for line in vtt if line.startswith("<v ")]
    segs = manifest["chapters"][0]["segments"]
    assert len(cues) == len(segs)
    assert cues[0] == "<v Narrator>Chapter 1: Morning"  # the title, read first
    assert cues[1] == "<v Narrator>Nora Vance opened the window."
    assert cues[2].startswith("<v Nora Vance>It\u2019s cold,")
    times = [line for line in vtt if "-->" in line]
    starts = [line.split(" --> ")[0] for line in times]
    assert starts == sorted(starts)


def test_casting_without_config_is_distinct(tmp_path):
    src = tmp_path / "s.txt"
    src.write_text(STORY, encoding="utf-8")
    prep = prepare(src, None, engine=FakeEngine())
    voices = {name: spec for name, spec in prep.casting.characters.items()}
    assert set(voices) == {"Nora Vance", "Felix Vance"}
    assert voices["Nora Vance"] != voices["Felix Vance"]
    assert prep.casting.narrator not in voices.values()


def test_speakable():
    assert speakable("*Run*, she said\u2014now!") == "Run, she said, now!"
    assert speakable("  a   b  ") == "a b"
    assert speakable("__bold__ and _it_") == "bold and it"
