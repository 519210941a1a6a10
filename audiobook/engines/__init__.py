"""Speech engines behind one interface, chosen by name (the `engine:` key of voices.yaml)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ConfigError, EngineError
from .base import Audio, CastVoice, Engine, Palette, VoiceInfo, palette_from_voices

__all__ = [
    "Audio",
    "CastVoice",
    "Engine",
    "Palette",
    "VoiceInfo",
    "ENGINE_NAMES",
    "create_engine",
    "default_engine_name",
    "engine_of",
    "voice_label",
    "palette_from_voices",
    "register_engine",
]


def _espeak(voices_dirs: Sequence[str | Path]) -> Engine:
    from .espeak import EspeakEngine

    return EspeakEngine()


def _pyttsx3(voices_dirs: Sequence[str | Path]) -> Engine:
    from .pyttsx3_driver import Pyttsx3Engine

    return Pyttsx3Engine()


def _piper(voices_dirs: Sequence[str | Path]) -> Engine:
    """Piper when its extra is installed; otherwise an EngineError that says how to install it."""
    try:
        from .piper import PiperEngine
    except ImportError as exc:  # pragma: no cover - piper.py imports nothing optional at module level
        raise EngineError("the piper engine is not installed: pip install 'audiobook[piper]'") from exc
    return PiperEngine(voices_dirs)


# "piper" is always a name a user may give, so that `engine: piper` without the extra says how to install
# it (an EngineError) rather than that no such engine exists.
_REGISTRY: dict[str, Callable[[Sequence[str | Path]], Engine]] = {
    "espeak": _espeak,
    "pyttsx3": _pyttsx3,
    "piper": _piper,
}
# The engines a user may name (`--engine`, the `engine:` key of voices.yaml): the real ones only. An
# engine added by register_engine is built by name but never offered.
ENGINE_NAMES = ("auto", *_REGISTRY)


def register_engine(name: str, factory: Callable[[], Engine]) -> None:
    """Let create_engine(name) build an engine with `factory` (tests register theirs). In this process only:
    a render with jobs > 1 builds each worker's engine by name in a fresh process, which knows the built-in
    engines alone, so render a registered engine with jobs 1."""
    if name == "auto" or name in ENGINE_NAMES:
        raise ValueError(f"{name!r} names a built-in engine")
    _REGISTRY[name] = lambda voices_dirs: factory()


# Engines whose own voice ids carry their name (`piper:en_US-joe-medium`); the others' ids take it as a
# prefix only to be told apart in a cast that mixes engines (`espeak:gmw/en-us+f2`).
_NAMED_IDS = ("piper",)


def engine_of(voice_id: str, default: str) -> tuple[str, str]:
    """(engine, the id that engine knows) for a voice id of voices.yaml: `espeak:gmw/en-us` is espeak-ng's
    `gmw/en-us`, `piper:...` is Piper's own id, and an id without an engine's name before a colon is the
    `default` engine's."""
    prefix, colon, rest = voice_id.partition(":")
    if not colon or prefix not in _REGISTRY or prefix == "auto":
        return default, voice_id
    return prefix, voice_id if prefix in _NAMED_IDS else rest


def voice_label(engine: str, voice_id: str, default: str) -> str:
    """A voice id as voices.yaml writes it in a cast whose engine is `default`: prefixed when it is
    another engine's."""
    if engine == default or engine in _NAMED_IDS:
        return voice_id
    return f"{engine}:{voice_id}"


def default_engine_name() -> str:
    """espeak-ng driven synchronously wherever it is installed (the same voices, speed and repeatable
    output on every system: on Linux always, where a missing library is then said plainly; on macOS and
    Windows when the espeakng-loader wheel is installed, which exists for both Macs and for 64-bit
    Windows); pyttsx3's platform driver (NSSpeech, SAPI5) where it is not."""
    import importlib.util

    if sys.platform.startswith("linux") or importlib.util.find_spec("espeakng_loader") is not None:
        return "espeak"
    return "pyttsx3"


def resolve_engine_name(name: str) -> str:
    """'auto' -> the platform's engine; other names unchanged."""
    return default_engine_name() if name == "auto" else name


def create_engine(name: str = "auto", voices_dirs: Sequence[str | Path] = ()) -> Engine:
    """A ready engine; EngineError if it cannot run here, ConfigError for an unknown name. `voices_dirs`:
    folders of voice models searched first, by the engines that read models (Piper)."""
    real = resolve_engine_name(name)
    if real not in _REGISTRY:
        raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINE_NAMES)}")
    return _REGISTRY[real](voices_dirs)
