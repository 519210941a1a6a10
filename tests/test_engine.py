"""The real engine: libespeak-ng through pyttsx3's bindings. Voices, settings, and no lost audio."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from audio_tools import median_f0, pcm_to_array

from audiobook.cast import PITCH_APART, auto_cast, make_casting
from audiobook.config import CharacterEntry, VoiceEntry, VoicesConfig
from audiobook.engines import ENGINE_NAMES, VoiceInfo, create_engine, palette_from_voices, register_engine
from audiobook.engines.piper_timbres import palette as piper_palette
from audiobook.model import Character, Script, VoiceSpec

pytestmark = pytest.mark.integration

PARAGRAPHS = [
    f"Paragraph {i}. The harbour lights came on one by one as the fishing boats returned, and "
    f"{'the keeper counted every flash from the tower, ' * (1 + i % 4)}until the last boat was home."
    for i in range(36)
]


def _voice(voice_id: str = "gmw/en-us", rate: int = 175, pitch: int = 50) -> VoiceSpec:
    return VoiceSpec("espeak", voice_id, rate, pitch, 1.0)


def test_voices_and_variants_are_listed(espeak):
    ids = {v.id for v in espeak.voices()}
    assert {"gmw/en-us", "gmw/en-gb-x-rp", "+f2", "+m1", "+Nguyen"} <= ids
    assert espeak.has_voice("gmw/en-us+f2") and espeak.has_voice("gmw/en-US")
    # pyttsx3 would silently keep the previous voice for these: we refuse them.
    assert not espeak.has_voice("gmw/en-us+F2")
    assert not espeak.has_voice("en-gb")
    assert "gmw/en-us+f2" in espeak.suggest("gmw/en-us+F2")


def test_variants_really_sound_different(espeak):
    text = PARAGRAPHS[1]
    male = median_f0(pcm_to_array(espeak.synthesize(text, _voice("gmw/en-us+m1")).pcm), 22050)
    female = median_f0(pcm_to_array(espeak.synthesize(text, _voice("gmw/en-us+f2")).pcm), 22050)
    assert 70 < male < 130
    assert female > 1.5 * male


def test_no_setting_leaks_from_one_line_to_the_next(espeak):
    """pyttsx3's driver loses a quickly changed property; every line here gets its own settings."""
    text = "Every line keeps its own voice and its own pitch."
    alone = {p: median_f0(pcm_to_array(espeak.synthesize(text, _voice(pitch=p)).pcm), 22050) for p in (15, 85)}
    assert alone[85] > 1.4 * alone[15]
    for i in range(16):
        p = 15 if i % 2 else 85
        f0 = median_f0(pcm_to_array(espeak.synthesize(text, _voice(pitch=p)).pcm), 22050)
        assert f0 == pytest.approx(alone[p], rel=0.08), f"line {i} at pitch {p}"


def test_rate_is_honoured(espeak):
    slow = espeak.synthesize(PARAGRAPHS[2], _voice(rate=120)).seconds
    fast = espeak.synthesize(PARAGRAPHS[2], _voice(rate=240)).seconds
    assert 1.7 < slow / fast < 2.3


DRIVER_CHECK = r"""
import sys, json
from audiobook.engines.pyttsx3_driver import Pyttsx3Engine
from audiobook.cast import auto_cast
from audiobook.engines import ENGINE_NAMES, VoiceInfo, create_engine, palette_from_voices, register_engine
from audiobook.model import Character, VoiceSpec
e = Pyttsx3Engine()
texts = json.loads(sys.argv[1])
out = [e.synthesize(t, VoiceSpec("pyttsx3", "gmw/en-us+f2", 175, 40 + 10 * (i % 3))).seconds
       for i, t in enumerate(texts)]
from audiobook.engines.espeak_voices import PALETTE
print(json.dumps({"seconds": out, "has": e.has_voice("gmw/en-us+f2"), "bad": e.has_voice("gmw/en-us+F2"),
                  "palette": e.palette() == PALETTE, "tmp": str(e._tmp)}))
"""


def test_pyttsx3_driver_path_is_guarded(espeak):
    """The pyttsx3 driver path (SAPI5/NSSpeech elsewhere; espeak here) returns whole clips, first included."""
    import json

    texts = PARAGRAPHS[:6]
    r = subprocess.run(
        [sys.executable, "-c", DRIVER_CHECK, json.dumps(texts)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert "Audio saved" not in r.stdout  # the driver's own printing is swallowed
    got = json.loads(r.stdout)
    assert got["has"] and not got["bad"]
    assert got["palette"]  # on espeak, the driver casts with espeak-ng's timbres
    assert not os.path.exists(got["tmp"])  # the driver's scratch folder went with its process
    ref = [
        espeak.synthesize(t, VoiceSpec("espeak", "gmw/en-us+f2", 175, 40 + 10 * (i % 3))).seconds
        for i, t in enumerate(texts)
    ]
    for i, (a, b) in enumerate(zip(got["seconds"], ref)):
        # The driver adds espeak's end-of-sentence pause; nothing may be missing.
        assert b - 0.03 <= a <= b + 0.6, f"clip {i}: {a:.2f} s via the driver, {b:.2f} s synchronous"


DRIVER_SETTINGS = r"""
import json, sys, wave
from audiobook.engines.pyttsx3_driver import Pyttsx3Engine
from audiobook.cast import auto_cast
from audiobook.engines import ENGINE_NAMES, VoiceInfo, create_engine, palette_from_voices, register_engine
from audiobook.model import Character, VoiceSpec
e = Pyttsx3Engine()
folder, text, lines = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
for i, (voice, rate, pitch, volume) in enumerate(lines):
    a = e.synthesize(text, VoiceSpec("pyttsx3", voice, rate, pitch, volume))
    with wave.open(f"{folder}/{i}.wav", "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(a.sample_rate); w.writeframes(a.pcm)
"""


def _spoken_seconds(x, rate: int) -> float:
    """From the first to the last sample above -34 dBFS: the speech, without the silence around it."""
    import numpy as np

    loud = np.flatnonzero(np.abs(x) > 0.02)
    return float(loud[-1] - loud[0]) / rate if len(loud) else 0.0


def test_pyttsx3_driver_honours_rate_pitch_and_volume(tmp_path, espeak):
    """Every line through the driver path sounds as its settings say: measured on the samples it returns,
    against the synchronous engine given the same settings. Extremes alternate, so a setting the
    driver dropped (the previous line's kept) shows on the very line it was dropped for."""
    import json
    import wave

    from audio_tools import rms_db

    text = "The ferry left the quay at noon, and the gulls followed it past the breakwater and out to sea."
    lines = [("gmw/en-us+f2", 100, 15, 1.0), ("gmw/en-us+m1", 300, 85, 0.25)] * 8
    r = subprocess.run(
        [sys.executable, "-c", DRIVER_SETTINGS, str(tmp_path), text, json.dumps(lines)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    got = []
    for i in range(len(lines)):
        with wave.open(str(tmp_path / f"{i}.wav"), "rb") as w:
            got.append((pcm_to_array(w.readframes(w.getnframes())), w.getframerate()))
    slow, fast = _spoken_seconds(*got[0]), _spoken_seconds(*got[1])
    assert 2.5 < slow / fast < 3.5, f"rate 100: {slow:.2f} s of speech, rate 300: {fast:.2f} s"
    for i, ((voice, rate, pitch, volume), (x, sr)) in enumerate(zip(lines, got)):
        ref = espeak.synthesize(text, VoiceSpec("espeak", voice, rate, pitch, volume))
        y = pcm_to_array(ref.pcm)
        what = f"line {i} ({voice}, rate {rate}, pitch {pitch}, volume {volume})"
        assert _spoken_seconds(x, sr) == pytest.approx(_spoken_seconds(y, ref.sample_rate), rel=0.05), what
        assert median_f0(x, sr) == pytest.approx(median_f0(y, ref.sample_rate), rel=0.1), what
        assert rms_db(x) == pytest.approx(rms_db(y), abs=2.0), what


def test_a_line_sounds_the_same_whatever_came_before(espeak):
    """libespeak-ng carries state between utterances; each line is spoken from the same state."""
    line, voice = PARAGRAPHS[3], _voice("gmw/en-gb-x-rp", 165, 42)
    first = espeak.synthesize(line, voice).pcm
    espeak.synthesize(PARAGRAPHS[7], _voice("gmw/en-us+Nguyen", 185, 72))
    espeak.synthesize("Short.", _voice("gmw/en-us+f2"))
    assert espeak.synthesize(line, voice).pcm == first


def _cast() -> list[Character]:
    """More characters of every kind than the espeak palette holds: named gender, age, number; lines and
    words vary so the order of casting (most lines first) is not the order of the list."""
    kinds = [("female", "adult", 9), ("male", "adult", 10), ("male", "child", 3), ("female", "child", 3)]
    kinds += [("male", "elderly", 3), ("female", "elderly", 3), ("unknown", "unknown", 4)]
    kinds += [("unknown", "child", 1), ("unknown", "elderly", 1)]
    names = [(f"{g[0]}{a[0]}{i}", g, a) for g, a, k in kinds for i in range(k)]
    return [Character(n, (), g, a, lines=(k * 7) % 11, words=(k * 13) % 17) for k, (n, g, a) in enumerate(names, 1)]


TAKEN = {"gmw/en-gb-x-rp+f1", "gmw/en-gb-x-rp+Reed"}  # cast by hand: auto-cast leaves them alone while it can

ESPEAK_CAST = {  # voice (after the narrator's "gmw/en-gb-x-rp"), rate, pitch
    "fa0": ("+f3", 165, 40), "fa1": ("+f5", 170, 37), "fa2": ("+f2", 170, 50), "fa3": ("+f4", 170, 55),
    "fa4": ("+steph", 175, 58), "fa5": ("+f5", 170, 45), "fa6": ("+f2", 170, 58), "fa7": ("+f3", 165, 32),
    "fa8": ("+steph", 175, 50), "fc0": ("+Andrea", 185, 65), "fc1": ("+anika", 185, 54), "fc2": ("+anika", 185, 62),
    "fe0": ("+f4", 145, 43), "fe1": ("+f4", 145, 19), "fe2": ("+f4", 145, 35), "ma0": ("+mike2", 170, 50),
    "ma1": ("+m7", 170, 74), "ma2": ("+m7", 170, 50), "ma3": ("+klatt4", 170, 50), "ma4": ("+m1", 170, 45),
    "ma5": ("+Denis", 165, 50), "ma6": ("+m1", 170, 53), "ma7": ("+Gene", 170, 50), "ma8": ("+victor", 170, 50),
    "ma9": ("+Gene", 170, 42), "mc0": ("+ed", 185, 80), "mc1": ("+Nguyen", 185, 64), "mc2": ("+ed", 185, 88),
    "me0": ("+croak", 145, 45), "me1": ("+croak", 145, 53), "me2": ("+grandpa", 145, 40),
    "uc0": ("+Nguyen", 185, 72), "ue0": ("+grandpa", 145, 32), "uu0": ("+f5", 170, 58), "uu1": ("+f5", 170, 66),
    "uu2": ("+m7", 170, 63), "uu3": ("+m7", 170, 39),
}  # fmt: skip

GENERIC_CAST = {  # voice, rate, pitch ("v/b" is cast by hand)
    "fa0": ("v/a", 170, 58), "fa1": ("v/a", 170, 34), "fa2": ("v/a", 170, 50), "fa3": ("v/a", 170, 16),
    "fa4": ("v/a", 170, 56), "fa5": ("v/a", 170, 40), "fa6": ("v/a", 170, 68), "fa7": ("v/a", 170, 44),
    "fa8": ("v/a", 170, 60), "fc0": ("v/a", 185, 83), "fc1": ("v/a", 185, 59), "fc2": ("v/a", 185, 75),
    "fe0": ("v/a", 145, 43), "fe1": ("v/a", 145, 3), "fe2": ("v/a", 145, 27), "ma0": ("v/c", 170, 68),
    "ma1": ("v/c", 170, 74), "ma2": ("v/c", 170, 60), "ma3": ("v/c", 170, 34), "ma4": ("v/c", 170, 50),
    "ma5": ("v/c", 170, 58), "ma6": ("v/c", 170, 56), "ma7": ("v/c", 170, 24), "ma8": ("v/c", 170, 32),
    "ma9": ("v/c", 170, 44), "mc0": ("v/c", 185, 83), "mc1": ("v/c", 185, 59), "mc2": ("v/c", 185, 99),
    "me0": ("v/c", 145, 43), "me1": ("v/c", 145, 59), "me2": ("v/c", 145, 35), "uc0": ("v/c", 185, 75),
    "ue0": ("v/c", 145, 11), "uu0": ("v/c", 170, 63), "uu1": ("v/c", 170, 79), "uu2": ("v/c", 170, 55),
    "uu3": ("v/c", 170, 39),
}  # fmt: skip


def test_espeak_auto_cast_is_pinned(espeak):
    """The espeak engine's palette casts a crowd exactly as it always has: timbres by gender and age, the
    clearest to the characters with most lines, a taken timbre skipped, a reused one pitched apart."""
    narrator, fallback, cast = auto_cast(_cast(), "espeak", espeak.palette(), TAKEN)
    assert narrator == VoiceSpec("espeak", "gmw/en-gb-x-rp", 165, 42)
    assert fallback == VoiceSpec("espeak", "gmw/en-gb-x-rp+m8", 170, 60)
    assert cast == {n: VoiceSpec("espeak", f"gmw/en-gb-x-rp{v}", r, p) for n, (v, r, p) in ESPEAK_CAST.items()}
    offered = espeak.palette()
    assert all(espeak.has_voice(v.voice_id) for v in (offered.narrator, offered.fallback, *offered.voices))
    # Every voice in the narrator's accent; two characters on one timbre always pitched apart.
    assert {v.voice_id.split("+")[0] for v in (fallback, *cast.values())} == {"gmw/en-gb-x-rp"}
    given = sorted((v.voice_id, v.pitch) for v in cast.values())
    assert all(a[0] != b[0] or b[1] - a[1] >= PITCH_APART for a, b in zip(given, given[1:]))


def _casting(palette, engine: str, narrator: str | None, cast_by_hand: dict[str, str]):
    crowd = tuple(_cast())
    config = VoicesConfig(
        narrator=VoiceEntry(voice=narrator),
        characters=tuple(CharacterEntry(n, voice=VoiceEntry(voice=v)) for n, v in cast_by_hand.items()),
    )
    return make_casting(Script("t", "a", (), crowd), config, engine, palette, auto_all=True)


def test_characters_speak_with_the_accent_of_the_narrator_voices_yaml_names(espeak):
    """voices.yaml gives the narrator an American voice: the characters it does not cast are auto-cast on
    that voice (the same timbres, laid on it), the one it casts keeps the voice it was told, and the
    fallback follows the narrator too."""
    casting = _casting(espeak.palette(), "espeak", "gmw/en-us+m3", {"fa0": "gmw/en-gb-scotland+f1"})
    assert casting.narrator.voice_id == "gmw/en-us+m3"
    assert casting.characters["fa0"] == VoiceSpec("espeak", "gmw/en-gb-scotland+f1", 170, 60)
    others = {n: v for n, v in casting.characters.items() if n != "fa0"}
    assert {v.voice_id.split("+")[0] for v in (casting.fallback, *others.values())} == {"gmw/en-us"}
    assert all(espeak.has_voice(v.voice_id) for v in others.values())
    # Told nothing about the narrator, everyone keeps the palette's British reader's accent.
    default = _casting(espeak.palette(), "espeak", None, {"fa0": "gmw/en-gb-scotland+f1"})
    assert {v.voice_id.split("+")[0] for n, v in default.characters.items() if n != "fa0"} == {"gmw/en-gb-x-rp"}
    # The same timbres in either accent: only the base voice moved.
    assert {n: v.voice_id.split("+")[1] for n, v in others.items()} == {
        n: v.voice_id.split("+")[1] for n, v in default.characters.items() if n in others
    }


def test_accent_follows_a_piper_narrator_but_not_whole_system_voices_or_another_engine():
    """Piper's derived timbres move onto the narrator's model; a palette of whole voices (the system's)
    and a narrator of another engine leave the auto-cast as the palette offers it."""
    piper = _casting(piper_palette("en_GB-alan-low", "en-gb"), "piper", "en_US-joe-medium", {})
    timbred = [v.voice_id for v in piper.characters.values() if "+" in v.voice_id]
    assert timbred and all(v.startswith("en_US-joe-medium+") for v in timbred)
    voices = [VoiceInfo("v/a", "a", "female", ("en",)), VoiceInfo("v/c", "c", "male", ("en",))]
    whole = _casting(palette_from_voices(voices), "other", "v/c", {})
    assert {v.voice_id for v in whole.characters.values()} == {"v/a", "v/c"}
    other_engine = _casting(piper_palette("en_GB-alan-low", "en-gb"), "piper", "espeak:gmw/en-us", {})
    assert other_engine.narrator == VoiceSpec("espeak", "gmw/en-us", 165, 50)
    timbred = [v.voice_id for v in other_engine.characters.values() if "+" in v.voice_id]
    assert timbred and all(v.startswith("en_GB-alan-low+") for v in timbred)


def test_an_engine_that_names_only_genders_gets_the_generic_palette():
    """The base class's palette: an engine's voices by gender, pitched apart; its first voice narrates."""
    voices = [VoiceInfo("v/a", "a", "female", ("en",)), VoiceInfo("v/b", "b", "male", ("en",))]
    voices += [VoiceInfo("v/c", "c", "male", ("en",)), VoiceInfo("+x", "x", "unknown", (), kind="variant")]
    narrator, fallback, cast = auto_cast(_cast(), "other", palette_from_voices(voices), {"v/b"})
    assert (narrator, fallback) == (VoiceSpec("other", "v/a", 165, 45), VoiceSpec("other", "v/a", 170, 60))
    assert cast == {n: VoiceSpec("other", *spec) for n, spec in GENERIC_CAST.items()}


def test_registered_engines_are_built_by_name_but_never_offered(tmp_path):
    """Tests register their fake engine; a user can name only the real ones."""
    from fake_engine import FakeEngine

    from audiobook.config import parse_config
    from audiobook.errors import ConfigError

    assert type(create_engine("fake")) is FakeEngine
    assert ENGINE_NAMES == ("auto", "espeak", "pyttsx3", "piper")
    with pytest.raises(ConfigError, match="unknown engine 'fake'"):
        parse_config({"engine": "fake"})
    with pytest.raises(ValueError):
        register_engine("espeak", FakeEngine)


_RAND_PROBE = """
import ctypes, hashlib, sys
from audiobook.engines import create_engine
from audiobook.model import VoiceSpec
engine = create_engine("espeak")
if sys.argv[1] == "disturbed":  # what a Ray worker or a library may have done to the C library's rand()
    libc = ctypes.CDLL(None)
    libc.srand(4242)
    for _ in range(997):
        libc.rand()
voice = VoiceSpec("espeak", "gmw/en-us+Reed", 170, 50)  # a breathy variant: its noise draws on rand()
audio = engine.synthesize("The harbour lights burned low, and the wind came in off the water.", voice)
print(hashlib.sha256(audio.pcm).hexdigest())
"""


@pytest.mark.integration
@pytest.mark.parametrize("fork", ["", "1"], ids=["forked", "no-fork"])
def test_a_line_does_not_depend_on_the_c_librarys_random_state(fork):
    """The +Reed variant's noise comes from libc's rand(): a process that drew from it first (Ray's
    workers do) must still speak the same bytes (issue 15 found 6 lines in 100 differing)."""
    env = {**os.environ, "AUDIOBOOK_NO_FORK": fork}
    out = {
        state: subprocess.run(
            [sys.executable, "-c", _RAND_PROBE, state], capture_output=True, text=True, env=env, check=True
        ).stdout.strip()
        for state in ("clean", "disturbed")
    }
    assert out["clean"] and out["clean"] == out["disturbed"]
