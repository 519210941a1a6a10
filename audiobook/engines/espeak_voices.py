"""espeak-ng's voices, for both engines that speak with it: listed, looked up, and offered for casting.

Voice ids are pyttsx3's: "gmw/en-us", with an optional "+variant" (a timbre from espeak-ng-data/voices/!v).
"""

from __future__ import annotations

import difflib
from types import ModuleType

from .base import CastVoice, Palette, VoiceInfo, palette_from_voices
from .libespeak import data_root


def list_voices(es: ModuleType, data_dir: str) -> list[VoiceInfo]:
    """espeak-ng's voices (ids lower-cased: espeak finds them whatever the case) and its +variants."""
    out: list[VoiceInfo] = []
    for v in es.ListVoices(None):
        langs = v.languages[1:].split(b"\x00")[0].decode(errors="replace") if v.languages else ""
        gender = {1: "male", 2: "female"}.get(v.gender, "unknown")
        out.append(
            VoiceInfo(v.identifier.decode().lower(), v.name.decode(errors="replace"), gender, (langs,) if langs else ())
        )
    root = data_root(data_dir)
    variants = root / "voices" / "!v" if root else None
    if variants and variants.is_dir():
        for f in sorted(variants.iterdir(), key=lambda p: p.name.lower()):
            if not f.is_file():
                continue
            name, gender = f.name, "unknown"
            for line in f.read_text(errors="replace").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "name":
                    name = " ".join(parts[1:])
                elif len(parts) >= 2 and parts[0] == "gender":
                    gender = parts[1].lower()
            out.append(VoiceInfo(f"+{f.name}", name, gender, (), kind="variant"))
    return out


def has_voice(voices: list[VoiceInfo], voice_id: str) -> bool:
    """A base id in any case, plus an optional variant in its exact case (espeak ignores a wrong one)."""
    base, _, variant = voice_id.partition("+")
    known = {v.id for v in voices}
    return base.lower() in known and (not variant or f"+{variant}" in known)


def suggest(voices: list[VoiceInfo], voice_id: str, n: int = 3) -> list[str]:
    """Real ids close to a wrong one: the base and the variant corrected separately."""
    base, plus, variant = voice_id.partition("+")
    bases = [v.id for v in voices if v.kind == "voice"]
    variants = [v.id[1:] for v in voices if v.kind == "variant"]
    base_ok = [base.lower()] if base.lower() in bases else difflib.get_close_matches(base, bases, n=n, cutoff=0.5)
    if not plus:
        return base_ok
    lowered = {v.lower(): v for v in variants}
    var_ok = (
        [lowered[variant.lower()]]
        if variant.lower() in lowered
        else difflib.get_close_matches(variant, variants, n=n, cutoff=0.5)
    )
    return [f"{b}+{v}" for b in base_ok[:1] for v in var_ok] or base_ok


# The narrator's voice, and the accent every character speaks with: a British reader's. The characters
# differ from the narrator, and from each other, by timbre (a +variant), not by accent.
NARRATOR_BASE = "gmw/en-gb-x-rp"
_ACCENT = NARRATOR_BASE.split("/")[-1]  # the language code its voices are listed under


def _offer(gender: str, age: str, *timbres: tuple[str, int, int]) -> tuple[CastVoice, ...]:
    """(variant, rate, pitch) on the narrator's base voice, for characters of this gender and age, in the
    order given."""
    return tuple(CastVoice(f"{NARRATOR_BASE}+{v}", gender, age, rate, pitch, _ACCENT) for v, rate, pitch in timbres)


# Timbres by role, clearest first (median F0 and intelligibility measured in NOTES.md). The same timbre
# may serve two roles at different settings (+f4 for women and, slower and lower, for old women).
PALETTE = Palette(
    narrator=CastVoice(NARRATOR_BASE, "unknown", "adult", 165, 42, _ACCENT),
    # Lines by no one known: a timbre no character is offered, so it is never taken for one of them.
    fallback=_offer("unknown", "adult", ("m8", 170, 60))[0],
    voices=(
        *_offer(
            "female",
            "adult",
            ("f2", 170, 50),
            ("f1", 170, 50),
            ("f5", 170, 45),
            ("steph", 175, 50),
            ("f3", 165, 40),
            ("f4", 170, 55),
        ),
        *_offer(
            "male",
            "adult",
            ("m1", 170, 45),
            ("Gene", 170, 50),
            ("Reed", 175, 45),
            ("m7", 170, 50),
            ("Denis", 165, 50),
            ("victor", 170, 50),
            ("mike2", 170, 50),
            ("klatt4", 170, 50),
        ),
        *_offer("male", "child", ("Nguyen", 185, 72), ("ed", 185, 80)),
        *_offer("female", "child", ("anika", 185, 62), ("Andrea", 185, 65)),
        *_offer("male", "elderly", ("grandpa", 145, 40), ("croak", 145, 45)),
        *_offer("female", "elderly", ("f4", 145, 35), ("f1", 145, 30)),
        # Characters the text gives no gender.
        *_offer("unknown", "adult", ("m7", 170, 55), ("f5", 170, 50)),
    ),
)


def palette(voices: list[VoiceInfo]) -> Palette:
    """espeak-ng's casting palette, where its voices are named as PALETTE names them (espeak-ng 1.50 and
    later); else the generic one built from `voices`."""
    if "gmw/en-us" in {v.id for v in voices}:
        return PALETTE
    return palette_from_voices(voices)
