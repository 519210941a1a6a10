"""Speech engines behind one interface, chosen by name (the `engine:` key of voices.yaml)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..errors import ConfigError
from .base import Audio, Engine, VoiceInfo

__all__ = ["Audio", "Engine", "VoiceInfo", "ENGINE_NAMES", "create_engine", "default_engine_name"]


def _espeak() -> Engine:
    from .espeak import EspeakEngine

    return EspeakEngine()


def _pyttsx3() -> Engine:
    from .pyttsx3_driver import Pyttsx3Engine

    return Pyttsx3Engine()


def _fake() -> Engine:
    from .fake import FakeEngine

    return FakeEngine()


_REGISTRY: dict[str, Callable[[], Engine]] = {"espeak": _espeak, "pyttsx3": _pyttsx3, "fake": _fake}
ENGINE_NAMES = ("auto", *_REGISTRY)


def default_engine_name() -> str:
    """espeak-ng driven synchronously on Linux; pyttsx3's platform driver elsewhere."""
    return "espeak" if sys.platform == "linux" else "pyttsx3"


def resolve_engine_name(name: str) -> str:
    """'auto' -> the platform's engine; other names unchanged."""
    return default_engine_name() if name == "auto" else name


def create_engine(name: str = "auto") -> Engine:
    """A ready engine; EngineError if it cannot run here, ConfigError for an unknown name."""
    real = resolve_engine_name(name)
    if real not in _REGISTRY:
        raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINE_NAMES)}")
    return _REGISTRY[real]()
