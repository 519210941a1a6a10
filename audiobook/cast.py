"""Cast: Script + VoicesConfig -> CastScript. Pure: a voice and a pause for every segment.

With no voices.yaml every character is auto-cast: distinct voices, female characters on female
timbres, male on male, children higher and quicker, the elderly slower, the narrator unlike them all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .config import CharacterEntry, VoiceEntry, VoicesConfig
from .engines.base import CastVoice, Palette, VoiceInfo
from .model import OPENING_TITLE, CastChapter, CastLine, CastScript, Chapter, Character, Script, Segment, VoiceSpec


@dataclass(frozen=True)
class Casting:
    """Who speaks with which voice: the narrator, each character, and everyone else."""

    narrator: VoiceSpec
    fallback: VoiceSpec
    characters: dict[str, VoiceSpec]  # canonical script name -> voice
    roles: dict[str, str]  # canonical script name -> voices.yaml name

    def voice_of(self, name: str) -> VoiceSpec:
        """The voice a character's lines are spoken in: their own, else the fallback."""
        return self.characters.get(name, self.fallback)


PITCH_APART = 8  # two characters on one timbre are at least this far apart in pitch (0-100)


def _age_key(c: Character) -> tuple[str, str]:
    gender = c.gender if c.gender in ("female", "male") else "unknown"
    age = c.age if c.age in ("child", "elderly") else "adult"
    if gender == "unknown":
        return ("unknown", "adult") if age == "adult" else ("male", age)
    return gender, age


def _by_kind(palette: Palette) -> dict[tuple[str, str], list[tuple[str, int, int]]]:
    """The palette's character voices as (voice id, rate, pitch), by (gender, age), in the engine's order."""
    kinds: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for v in palette.voices:
        kinds.setdefault((v.gender, v.age), []).append((v.voice_id, v.rate, v.pitch))
    return kinds


def in_narrators_accent(palette: Palette, narrator: VoiceSpec, engine: str) -> Palette:
    """The palette with the timbres it lays on its narrator's voice (`base+variant`: espeak-ng's variants,
    Piper's derived timbres) laid on `narrator`'s instead, when voices.yaml gives the narrator another
    voice of the same engine: characters speak with the accent of the voice that tells the story. A
    palette of whole voices (the system's, on Windows or macOS) is kept as it is."""
    own = palette.narrator.voice_id.split("+")[0]
    told = narrator.voice_id.split("+")[0]
    if told == own or narrator.engine != engine:
        return palette

    def moved(v: CastVoice) -> CastVoice:
        base, plus, timbre = v.voice_id.partition("+")
        return replace(v, voice_id=f"{told}+{timbre}") if plus and base == own else v

    return replace(palette, fallback=moved(palette.fallback), voices=tuple(moved(v) for v in palette.voices))


def auto_cast(
    characters: tuple[Character, ...] | list[Character],
    engine: str,
    palette: Palette,
    taken: set[str] | None = None,
) -> tuple[VoiceSpec, VoiceSpec, dict[str, VoiceSpec]]:
    """(narrator, fallback, {character: voice}) from the voices `palette` offers: no two characters share a
    timbre while one of their kind is free, and none takes a voice id in `taken` (cast by hand already).
    A timbre given again (to a character of another kind, or when every one of the kind is taken) is
    pitched apart from each character who has it."""
    narrator = VoiceSpec(engine, palette.narrator.voice_id, palette.narrator.rate, palette.narrator.pitch)
    fallback = VoiceSpec(engine, palette.fallback.voice_id, palette.fallback.rate, palette.fallback.pitch)
    kinds = _by_kind(palette)
    # A kind the engine offers nothing for takes the voices for anyone; an engine with none, its fallback.
    anyone = kinds.get(("unknown", "adult")) or [(fallback.voice_id, fallback.rate, fallback.pitch)]
    busy = set(taken or ()) | {narrator.voice_id}
    used: dict[tuple[str, str], int] = {}
    pitches: dict[str, list[int]] = {}  # voice id -> the pitch of each character given it so far
    cast: dict[str, VoiceSpec] = {}
    # Most lines first: the prominent characters get the clearest voices.
    for c in sorted(characters, key=lambda c: (-c.lines, -c.words, c.name)):
        key = _age_key(c)
        offered = kinds.get(key) or anyone
        options = [o for o in offered if o[0] not in busy] or offered
        i = used.get(key, 0)
        unheard = [o for o in options if o[0] not in pitches]  # a timbre no one has yet, the clearest first
        voice_id, rate, pitch = unheard[0] if unheard else options[i % len(options)]
        if not unheard and i >= len(options):
            # Every timbre of this kind is taken: the same timbre again, pitched apart.
            shift = PITCH_APART * (i // len(options))
            pitch = max(0, min(100, pitch + (shift if i % 2 else -shift)))
        used[key] = i + 1
        given = pitches.setdefault(voice_id, [])
        cast[c.name] = VoiceSpec(engine, voice_id, rate, _pitched_apart(pitch, given))
        given.append(cast[c.name].pitch)
    return narrator, fallback, cast


def _pitched_apart(pitch: int, given: list[int]) -> int:
    """`pitch`, else the first of pitch+8, pitch-8, pitch+16, pitch-16 (within 0-100) at least PITCH_APART
    from every pitch in `given` (the timbre's other characters), else `pitch`: too many on one timbre."""
    for step in range(5):
        shift = PITCH_APART * ((step + 1) // 2) * (1 if step % 2 else -1)
        candidate = max(0, min(100, pitch + shift))
        if all(abs(candidate - p) >= PITCH_APART for p in given):
            return candidate
    return pitch


def language_mismatch(language: str, voice_id: str, voices: list[VoiceInfo]) -> str | None:
    """What to say when the book's language (an EPUB's dc:language) is not one the narrator's voice
    (among the engine's `voices`) speaks: an English voice reading French is not an audiobook. None
    when they agree or either is unknown."""
    lang = language.lower().split("-")[0]
    base = voice_id.split("+")[0]
    spoken = next((v.languages for v in voices if v.id == base), ())
    if not lang or not spoken or any(x.lower().split("-")[0] == lang for x in spoken):
        return None
    return (
        f"the book is in {language!r} but the narrator's voice {base} speaks {', '.join(spoken)}; "
        f"give voices.yaml voices of that language (`audiobook voices --lang {lang}` lists them)"
    )


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


def make_casting(script: Script, config: VoicesConfig, engine: str, palette: Palette, auto_all: bool) -> Casting:
    """Voices for the narrator and every character: voices.yaml first, auto-cast from the engine's
    `palette` for the rest when `auto_all` (no voices.yaml was given), else the fallback voice."""
    entries = match_entries(script.characters, config.characters)
    hand_cast = {e.voice.voice for e in config.characters if e.voice.voice} | (
        {config.narrator.voice} if config.narrator.voice else set()
    )
    told = first_person(script)
    uncast = [c for c in script.characters if c.name not in entries and c.name not in told]
    offered = palette.narrator
    narrator = config.narrator.spec(engine, VoiceSpec(engine, offered.voice_id, offered.rate, offered.pitch))
    _, fallback_auto, auto = auto_cast(uncast, engine, in_narrators_accent(palette, narrator, engine), hand_cast)
    fallback = (config.fallback or VoiceEntry()).spec(engine, fallback_auto)
    characters: dict[str, VoiceSpec] = {}
    roles: dict[str, str] = {}
    for c in script.characters:
        if c.name in entries:
            e = entries[c.name]
            characters[c.name] = e.voice.spec(engine, fallback)
            roles[c.name] = e.name
        elif c.name in told:  # "…," I said: the voice that tells the story says its own lines
            characters[c.name] = narrator
            roles[c.name] = c.name
        elif auto_all:
            characters[c.name] = auto[c.name]
            roles[c.name] = c.name
    return Casting(narrator, fallback, characters, roles)


def first_person(script: Script) -> set[str]:
    """The character who tells the story as "I" (the parser names them, with the alias "I")."""
    return {c.name for c in script.characters if c.name == "I" or "I" in c.aliases}


def cast_script(script: Script, casting: Casting, config: VoicesConfig, announce: bool = True) -> CastScript:
    """Bind every segment to its voice and the pause after it; with `announce`, each chapter opens with
    its title in the narrator's voice (`title_segment`) and the `title` pause after it."""
    pauses = config.pauses
    chapters = []
    for ch in script.chapters:
        lines = []
        title = title_segment(ch) if announce else None
        if title:
            lines.append(CastLine(title, casting.narrator, "narrator", pauses.title if ch.segments else 0))
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


# Why a line is there: the chapter's title, read by the narrator (book.json's `rule`).
TITLE_RULE = "title"


def title_segment(ch: Chapter) -> Segment | None:
    """The chapter's title as the narrator reads it before the first line, as every audiobook does
    ("Chapter Two: The Stopped Clock"). It lies at no text of its own: both its offsets are the first
    line's start. None for the untitled text before a book's first heading ("Opening")."""
    if not ch.title.strip() or ch.title == OPENING_TITLE:
        return None
    at = ch.segments[0].start if ch.segments else 0
    return Segment("narration", ch.title.strip(), None, at, at, paragraph=-1, rule=TITLE_RULE)
