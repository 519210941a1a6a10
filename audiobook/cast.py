"""Cast: Script + VoicesConfig -> CastScript. Pure: a voice and a pause for every segment.

With no voices.yaml every character is auto-cast: distinct voices, female characters on female
timbres, male on male, children higher and quicker, the elderly slower, the narrator unlike them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import CharacterEntry, VoiceEntry, VoicesConfig
from .engines.base import VoiceInfo
from .model import CastChapter, CastLine, CastScript, Character, Script, VoiceSpec

# espeak-ng timbres by role, clearest first (median F0 and intelligibility measured in NOTES.md).
_ESPEAK_NARRATOR = ("gmw/en-gb-x-rp", 165, 42)
_ESPEAK_FALLBACK = ("gmw/en-us", 170, 55)
_ESPEAK_PALETTE: dict[tuple[str, str], list[tuple[str, int, int]]] = {
    # (gender, age): [(voice id, rate, pitch)]
    ("female", "adult"): [
        ("gmw/en-us+f2", 170, 50),
        ("gmw/en-us+f1", 170, 50),
        ("gmw/en-us+f5", 170, 45),
        ("gmw/en-us+steph", 175, 50),
        ("gmw/en-us+f3", 165, 40),
        ("gmw/en-us+f4", 170, 55),
    ],
    ("male", "adult"): [
        ("gmw/en-us+m1", 170, 45),
        ("gmw/en-us+Gene", 170, 50),
        ("gmw/en-us+Reed", 175, 45),
        ("gmw/en-us+m7", 170, 50),
        ("gmw/en-us+Denis", 165, 50),
        ("gmw/en-us+victor", 170, 50),
        ("gmw/en-us+mike2", 170, 50),
        ("gmw/en-us+klatt4", 170, 50),
    ],
    ("male", "child"): [("gmw/en-us+Nguyen", 185, 72), ("gmw/en-us+ed", 185, 80)],
    ("female", "child"): [("gmw/en-us+anika", 185, 62), ("gmw/en-us+Andrea", 185, 65)],
    ("male", "elderly"): [("gmw/en-us+grandpa", 145, 40), ("gmw/en-us+croak", 145, 45)],
    ("female", "elderly"): [("gmw/en-us+f4", 145, 35), ("gmw/en-us+f1", 145, 30)],
}
_ESPEAK_PALETTE[("unknown", "adult")] = [("gmw/en-us-nyc+m7", 170, 55), ("gmw/en-us-nyc+f5", 170, 50)]


@dataclass(frozen=True)
class Casting:
    """Who speaks with which voice: the narrator, each character, and everyone else."""

    narrator: VoiceSpec
    fallback: VoiceSpec
    characters: dict[str, VoiceSpec]  # canonical script name -> voice
    roles: dict[str, str]  # canonical script name -> voices.yaml name


def _age_key(c: Character) -> tuple[str, str]:
    gender = c.gender if c.gender in ("female", "male") else "unknown"
    age = c.age if c.age in ("child", "elderly") else "adult"
    if gender == "unknown":
        return ("unknown", "adult") if age == "adult" else ("male", age)
    return gender, age


def _generic_palette(voices: list[VoiceInfo]) -> dict[tuple[str, str], list[tuple[str, int, int]]]:
    """For engines without espeak's variants: the engine's voices by gender, pitch and rate varied."""
    real = [v for v in voices if v.kind == "voice"]
    female = [v.id for v in real if v.gender == "female"] or [v.id for v in real]
    male = [v.id for v in real if v.gender == "male"] or [v.id for v in real]
    pal: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    pal[("female", "adult")] = [(v, 170, p) for p in (50, 40, 60) for v in female]
    pal[("male", "adult")] = [(v, 170, p) for p in (50, 40, 60) for v in male]
    pal[("female", "child")] = [(v, 185, 75) for v in female]
    pal[("male", "child")] = [(v, 185, 75) for v in male]
    pal[("female", "elderly")] = [(v, 145, 35) for v in female]
    pal[("male", "elderly")] = [(v, 145, 35) for v in male]
    pal[("unknown", "adult")] = [(v, 170, 55) for v in male + female]
    return pal


def auto_cast(
    characters: tuple[Character, ...] | list[Character],
    engine: str,
    voices: list[VoiceInfo],
    taken: set[str] | None = None,
) -> tuple[VoiceSpec, VoiceSpec, dict[str, VoiceSpec]]:
    """(narrator, fallback, {character: voice}): no two characters share a timbre while one is free,
    and none takes a voice id in `taken` (cast by hand already)."""
    ids = {v.id for v in voices}
    espeak = "gmw/en-us" in ids
    if espeak:
        palette = _ESPEAK_PALETTE
        narrator = VoiceSpec(engine, *_ESPEAK_NARRATOR)
        fallback = VoiceSpec(engine, *_ESPEAK_FALLBACK)
    else:
        palette = _generic_palette(voices)
        first = next((v.id for v in voices if v.kind == "voice"), "default")
        narrator = VoiceSpec(engine, first, 165, 45)
        fallback = VoiceSpec(engine, first, 170, 60)
    used: dict[tuple[str, str], int] = {}
    busy = set(taken or ()) | {narrator.voice_id}
    cast: dict[str, VoiceSpec] = {}
    # Most lines first: the prominent characters get the clearest voices.
    for c in sorted(characters, key=lambda c: (-c.lines, -c.words, c.name)):
        key = _age_key(c)
        options = (
            [o for o in palette.get(key) or palette[("unknown", "adult")] if o[0] not in busy]
            or palette.get(key)
            or palette[("unknown", "adult")]
        )
        i = used.get(key, 0)
        choice = options[i % len(options)]
        if i >= len(options):
            # Every timbre of this kind is taken: the same timbre again, pitched apart.
            shift = 8 * (i // len(options))
            choice = (choice[0], choice[1], max(0, min(100, choice[2] + (shift if i % 2 else -shift))))
        used[key] = i + 1
        cast[c.name] = VoiceSpec(engine, *choice)
    return narrator, fallback, cast


def match_entries(characters: tuple[Character, ...], entries: tuple[CharacterEntry, ...]) -> dict[str, CharacterEntry]:
    """Which voices.yaml entry each script character is: by name or any alias, case-insensitively."""
    by_name: dict[str, CharacterEntry] = {}
    for e in entries:
        for n in (e.name, *e.aliases):
            by_name[n.lower()] = e
    out = {}
    for c in characters:
        for n in (c.name, *c.aliases):
            if n.lower() in by_name:
                out[c.name] = by_name[n.lower()]
                break
    return out


def make_casting(script: Script, config: VoicesConfig, engine: str, voices: list[VoiceInfo], auto_all: bool) -> Casting:
    """Voices for the narrator and every character: voices.yaml first, auto-cast for the rest when
    `auto_all` (no voices.yaml was given), else the fallback voice."""
    entries = match_entries(script.characters, config.characters)
    hand_cast = {e.voice.voice for e in config.characters if e.voice.voice} | (
        {config.narrator.voice} if config.narrator.voice else set()
    )
    uncast = [c for c in script.characters if c.name not in entries]
    narrator_auto, fallback_auto, auto = auto_cast(uncast, engine, voices, hand_cast)
    narrator = config.narrator.spec(engine, narrator_auto)
    fallback = (config.fallback or VoiceEntry()).spec(engine, fallback_auto)
    characters: dict[str, VoiceSpec] = {}
    roles: dict[str, str] = {}
    for c in script.characters:
        if c.name in entries:
            e = entries[c.name]
            characters[c.name] = e.voice.spec(engine, fallback)
            roles[c.name] = e.name
        elif auto_all:
            characters[c.name] = auto[c.name]
            roles[c.name] = c.name
    return Casting(narrator, fallback, characters, roles)


def cast_script(script: Script, casting: Casting, config: VoicesConfig) -> CastScript:
    """Bind every segment to its voice and the pause after it."""
    pauses = config.pauses
    chapters = []
    for ch in script.chapters:
        lines = []
        segs = ch.segments
        for i, seg in enumerate(segs):
            if seg.kind == "narration":
                voice, role = casting.narrator, "narrator"
            elif seg.speaker in casting.characters:
                voice, role = casting.characters[seg.speaker], casting.roles[seg.speaker]
            else:
                voice, role = casting.fallback, "fallback"
            if i + 1 == len(segs):
                pause = 0
            elif segs[i + 1].paragraph == seg.paragraph:
                pause = pauses.within_paragraph
            elif any(seg.paragraph < p <= segs[i + 1].paragraph for p in ch.scene_breaks):
                pause = pauses.scene_break
            else:
                pause = pauses.paragraph
            lines.append(CastLine(seg, voice, role, pause))
        chapters.append(CastChapter(ch.index, ch.title, tuple(lines)))
    return CastScript(script.title, script.author, tuple(chapters), pauses.head, pauses.tail)
