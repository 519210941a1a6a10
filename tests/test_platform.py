"""macOS and Windows, as far as Linux can show them: the engine `auto` picks, libespeak-ng loaded from the
wheel by its path (as there), the system voices' genders and languages as the caster reads them, and the
path taken without fork (AUDIOBOOK_NO_FORK=1, the Windows path): no process forked, spawned workers, and
the same bytes as the forked path, with --jobs 2 as with --jobs 1."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from paths import EXAMPLE, VOICES

from audiobook import workers
from audiobook.cast import auto_cast
from audiobook.engines import default_engine_name, palette_from_voices
from audiobook.engines.base import VoiceInfo
from audiobook.engines.pyttsx3_driver import platform_voice
from audiobook.model import Character, VoiceSpec

LINES = [
    ("The lantern swung in the wind, and nobody answered.", VoiceSpec("espeak", "gmw/en-us+f2", 170, 60)),
    ('"Who goes there?" asked the keeper, loudly.', VoiceSpec("espeak", "gmw/en", 150, 40, 0.8)),
    ("It was only the sea.", VoiceSpec("espeak", "gmw/en-us+m3", 190, 50)),
]


@pytest.mark.parametrize(
    ("platform", "wheel", "engine"),
    [
        ("linux", True, "espeak"),
        ("linux", False, "espeak"),  # and espeak's error says how to install it
        ("darwin", True, "espeak"),  # the wheel exists for both Macs
        ("darwin", False, "pyttsx3"),  # not installed: NSSpeech
        ("win32", True, "espeak"),  # 64-bit Windows (x64, ARM)
        ("win32", False, "pyttsx3"),  # 32-bit Windows: no wheel, SAPI5
    ],
)
def test_auto_is_espeak_wherever_its_wheel_is_installed(monkeypatch, platform, wheel, engine):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: (object() if wheel else None) if name == "espeakng_loader" else real(name, *a),
    )
    assert default_engine_name() == engine


def test_no_fork_is_the_windows_path(monkeypatch):
    """AUDIOBOOK_NO_FORK=1: no fork, and the pool spawns its workers (what Windows and macOS do)."""
    monkeypatch.delenv(workers.NO_FORK_ENV, raising=False)
    assert workers.fork_allowed() and workers.start_method() == "forkserver"
    monkeypatch.setenv(workers.NO_FORK_ENV, "1")
    assert not workers.fork_allowed() and workers.start_method() == "spawn"
    monkeypatch.setenv(workers.NO_FORK_ENV, "0")
    assert workers.fork_allowed()
    monkeypatch.delenv(workers.NO_FORK_ENV)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert workers.start_method() == "spawn"


# What pyttsx3's Voice holds on each platform (pyttsx3 2.99's nsss.py and sapi5.py build them so).
NSSPEECH = [
    SimpleNamespace(id="com.apple.voice.compact.en-US.Samantha", name="Samantha", gender="VoiceGenderFemale",
                    languages=["en_US"], age=35),
    SimpleNamespace(id="com.apple.speech.synthesis.voice.Fred", name="Fred", gender="VoiceGenderMale",
                    languages=["en_US"], age=30),
    SimpleNamespace(id="com.apple.speech.synthesis.voice.Bells", name="Bells", gender="VoiceGenderNeuter",
                    languages=["en_US"], age=100),
    SimpleNamespace(id="com.apple.voice.compact.fr-FR.Thomas", name="Thomas", gender="VoiceGenderMale",
                    languages=["fr_FR"], age=35),
]  # fmt: skip
SAPI5 = [
    SimpleNamespace(id=r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_DAVID_11.0",
                    name="Microsoft David Desktop", gender="Male", languages=["en-US"], age="Adult"),
    SimpleNamespace(id=r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_ZIRA_11.0",
                    name="Microsoft Zira Desktop", gender="Female", languages=["en-US"], age="Adult"),
    SimpleNamespace(id="odd", name=None, gender=None, languages=["Unknown Locale: 9999"], age=None),
]  # fmt: skip


def test_the_system_voices_are_read_as_the_os_reports_them():
    assert [(v.gender, v.languages) for v in map(platform_voice, NSSPEECH)] == [
        ("female", ("en-us",)),
        ("male", ("en-us",)),
        ("unknown", ("en-us",)),
        ("male", ("fr-fr",)),
    ]
    assert [(v.name, v.gender, v.languages) for v in map(platform_voice, SAPI5)] == [
        ("Microsoft David Desktop", "male", ("en-us",)),
        ("Microsoft Zira Desktop", "female", ("en-us",)),
        ("odd", "unknown", ()),
    ]


def _crowd() -> list[Character]:
    kinds = [("female", "adult"), ("male", "adult"), ("female", "child"), ("male", "elderly"), ("unknown", "adult")]
    return [Character(f"{g}-{a}-{i}", (), g, a, lines=10 - i) for g, a in kinds for i in range(3)]


def test_the_system_voices_are_auto_cast_by_gender():
    """A platform's voices feed the caster through the Engine interface (palette_from_voices): women's
    parts go to the voices the OS calls female, men's to male ones."""
    voices = [platform_voice(v) for v in SAPI5 + NSSPEECH]
    gender = {v.id: v.gender for v in voices}
    _, _, cast = auto_cast(_crowd(), "pyttsx3", palette_from_voices(voices), set())
    for name, spec in cast.items():
        if name.startswith(("female", "male")):
            assert gender[spec.voice_id] == name.split("-")[0], (name, spec)


_DRIVER_AS_PLATFORM = """
from test_platform import _crowd
from audiobook.cast import auto_cast
from audiobook.engines.pyttsx3_driver import Pyttsx3Engine


class AsPlatform(Pyttsx3Engine):
    _on_espeak = False  # read the driver's Voice objects as NSSpeech's or SAPI5's are read


engine = AsPlatform()
voices = engine.voices()
own = {v.id: v for v in Pyttsx3Engine().voices() if v.kind == "voice"}  # espeak-ng's own listing
assert len(voices) > 50 and {v.id for v in voices} == set(own)
# The same genders and languages (lower-cased: "chr-US-Qaaa-x-west" is read "chr-us-qaaa-x-west").
assert all(v.gender == own[v.id].gender for v in voices)
assert all(v.languages == tuple(x.lower() for x in own[v.id].languages) for v in voices)
# espeak-ng calls all its base voices male: the caster then gives women's parts any of the voices
# (palette_from_voices), each part a voice the driver has, no two the same voice at the same pitch.
_, _, cast = auto_cast(_crowd(), "pyttsx3", engine.palette(), set())
assert len(cast) == len(_crowd()) and all(engine.has_voice(spec.voice_id) for spec in cast.values())
women = [(spec.voice_id, spec.pitch) for name, spec in cast.items() if name.startswith("female-adult")]
assert len(set(women)) == len(women) == 3, women
"""


@pytest.mark.integration
def test_the_real_drivers_voices_feed_the_same_caster():
    """pyttsx3's own espeak driver (the one real driver on Linux), read as a platform's: its voices come
    through platform_voice with the genders and languages espeak-ng gives them, and are auto-cast. In a
    process of its own: the driver initialises the library the espeak engine uses in another mode."""
    tests = str(Path(__file__).parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER_AS_PLATFORM], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_a_voice_info_keeps_what_cast_and_voices_read():
    # `audiobook voices` prints id, gender, languages and name; language_mismatch compares the first tag.
    v = platform_voice(NSSPEECH[3])
    assert v == VoiceInfo("com.apple.voice.compact.fr-FR.Thomas", "Thomas", "male", ("fr-fr",))


_LOAD_AS_ELSEWHERE = """
import hashlib, sys
sys.platform = "darwin"  # load_library takes the macOS and Windows way: the wheel's library, by path
from audiobook.engines import libespeak
from audiobook.engines.espeak import EspeakEngine
from audiobook.model import VoiceSpec
import espeakng_loader
engine = EspeakEngine()
from pyttsx3.drivers import _espeak
assert _espeak.dll is libespeak._library[0], "pyttsx3's bindings are not bound to the wheel's library"
assert str(libespeak.library_path()) == espeakng_loader.get_library_path()
print(hashlib.sha256(engine.synthesize(sys.argv[1], VoiceSpec("espeak", "gmw/en-us+f2", 170, 60)).pcm).hexdigest())
"""


@pytest.mark.integration
def test_the_wheels_library_is_loaded_by_its_path_as_on_macos_and_windows(espeak):
    """pyttsx3's bindings look for libespeak-ng only in fixed places (Homebrew's, Program Files): on macOS
    and Windows they are handed the wheel's. Simulated here by telling the loader it is on macOS."""
    text, voice = LINES[0]
    done = subprocess.run([sys.executable, "-c", _LOAD_AS_ELSEWHERE, text], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == hashlib.sha256(espeak.synthesize(text, voice).pcm).hexdigest()


@pytest.mark.integration
def test_without_fork_each_line_is_the_forked_ones_whatever_came_before(espeak, monkeypatch):
    forked = [espeak.synthesize(text, voice).pcm for text, voice in LINES]
    monkeypatch.setenv(workers.NO_FORK_ENV, "1")

    def no_fork():
        raise AssertionError("forked without fork")

    monkeypatch.setattr(os, "fork", no_fork)
    for order in ([0, 1, 2], [2, 1, 0, 0, 2]):
        assert [espeak.synthesize(*LINES[i]).pcm for i in order] == [forked[i] for i in order]


def _render(tmp_path: Path, name: str, jobs: str, no_fork: bool) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if k != workers.NO_FORK_ENV}
    if no_fork:
        env[workers.NO_FORK_ENV] = "1"
    out = tmp_path / name
    args = ["generate", str(EXAMPLE), "-c", str(VOICES), "-o", str(out), "-j", jobs, "--no-cache", "-q"]
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return {p.name: p.read_bytes() for p in out.rglob("*.mp3")}


@pytest.mark.integration
def test_without_fork_jobs_2_is_byte_identical_to_jobs_1_and_to_the_forked_render(tmp_path):
    one = _render(tmp_path, "one", "1", no_fork=True)
    two = _render(tmp_path, "two", "2", no_fork=True)
    forked = _render(tmp_path, "forked", "2", no_fork=False)
    assert len(one) >= 3 and sorted(one) == sorted(two) == sorted(forked)
    assert all(one[n] == two[n] == forked[n] for n in one)


@pytest.mark.integration
def test_voices_lists_the_pyttsx3_voices_with_gender_and_language():
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", "voices", "--engine", "pyttsx3", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split()[:3] == ["ID", "GENDER", "LANGUAGE"]
    assert any(r.split()[:3] == ["gmw/en-us", "male", "en-us"] for r in rows), done.stdout
    assert "pyttsx3" in done.stdout.splitlines()[-1]
