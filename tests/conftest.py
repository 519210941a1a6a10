"""Shared fixtures: paths, engines, and a story rendered once per session for the audio tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "the-lantern-at-gull-point.md"
VOICES = ROOT / "voices.yaml"
SEED = ROOT.parent / "shared" / "seed" / "000_9e465333c74efe3c.txt"


@pytest.fixture(scope="session")
def espeak():
    """The real engine: libespeak-ng through pyttsx3's bindings (never skipped: it installs from PyPI)."""
    from audiobook.engines import create_engine

    return create_engine("espeak")


@pytest.fixture()
def fake():
    """The fake engine of tests/fake_engine.py, built by name as the registry builds any engine."""
    import fake_engine  # noqa: F401  (registers "fake")

    from audiobook.engines import create_engine

    return create_engine("fake")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the commissioning story is not at {SEED} (shared/ lies beside the repository)")
    return SEED


@pytest.fixture(scope="session")
def example_render(tmp_path_factory):
    """The bundled example story rendered with the real engine and the top-level voices.yaml."""
    from audiobook.pipeline import generate

    out = tmp_path_factory.mktemp("example")
    report = generate(EXAMPLE, VOICES, out)
    return report, Path(report.output_dir)


@pytest.fixture(scope="session")
def seed_render(tmp_path_factory, seed_path):
    """The seed story rendered with no voices.yaml: every character auto-cast."""
    from audiobook.pipeline import generate

    out = tmp_path_factory.mktemp("seed")
    report = generate(seed_path, None, out)
    return report, Path(report.output_dir)
