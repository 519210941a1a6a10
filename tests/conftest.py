"""Shared fixtures: engines, and the stories rendered once per test run for the audio tests."""

from __future__ import annotations

import fcntl
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from paths import EXAMPLE, EXAMPLE_INFO, SEED, VOICES

# Piper voices a developer downloaded (the user's data folder, $AUDIOBOOK_VOICES_DIR) would change what the
# tests cast and list: they, and every command they run, see the installed packages' voices alone.
os.environ.pop("AUDIOBOOK_VOICES_DIR", None)
os.environ["XDG_DATA_HOME"] = str(Path(__file__).resolve().parent / "data" / "no-user-data")
# What engines keep in the user's cache folder (Piper's seeded graphs) goes to a folder of the tests' own.
os.environ["XDG_CACHE_HOME"] = os.path.join(tempfile.gettempdir(), f"audiobook-tests-{os.getuid()}", "cache")


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The integration tests first (the order within each kind kept): under pytest-xdist the slow ones
    are shared out between the workers first and the quick ones fill in at the end."""
    items.sort(key=lambda item: item.get_closest_marker("integration") is None)


def _once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> object:
    """`make(folder)`'s result, made once per test run. Under pytest-xdist the workers share it: the
    first to ask makes it while the others wait on a lock, then read what it left (a session fixture
    alone would be made once in every worker). Nobody may change what is in `folder`."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, above each worker's own
    result = root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            result.write_bytes(pickle.dumps(make(root / name)))
    return pickle.loads(result.read_bytes())


@pytest.fixture(scope="session")
def example_render(tmp_path_factory):
    """The bundled example story rendered with the real engine and the top-level voices.yaml, by two
    worker processes, into an empty output folder (its line cache, `.cache` there, made afresh)."""
    from audiobook.model import RenderOptions
    from audiobook.pipeline import generate

    report = _once(
        tmp_path_factory, "example", lambda out: generate(EXAMPLE, VOICES, out, RenderOptions(jobs=2), EXAMPLE_INFO)
    )
    return report, Path(report.output_dir)


@pytest.fixture(scope="session")
def example_render_no_announce(tmp_path_factory):
    """The example rendered as `example_render` is, but with `--no-announce`: no chapter title read."""
    from audiobook.model import ReadOptions, RenderOptions
    from audiobook.pipeline import generate

    report = _once(
        tmp_path_factory,
        "example-no-announce",
        lambda out: generate(
            EXAMPLE, VOICES, out, RenderOptions(jobs=2), EXAMPLE_INFO, reading=ReadOptions(announce=False)
        ),
    )
    return report, Path(report.output_dir)


@pytest.fixture(scope="session")
def seed_render(tmp_path_factory, seed_path):
    """The seed story rendered with no voices.yaml (every character auto-cast), by two workers."""
    from audiobook.model import RenderOptions
    from audiobook.pipeline import generate

    report = _once(tmp_path_factory, "seed", lambda out: generate(seed_path, None, out, RenderOptions(jobs=2)))
    return report, Path(report.output_dir)


@pytest.fixture(autouse=True)
def _real_audio_only_in_integration_tests(request, monkeypatch):
    """A test not marked `integration` may neither run ffmpeg nor speak with a real engine: those
    tests are `make test-fast`, which must stay quick. One that does fails here, naming the fix."""
    if request.node.get_closest_marker("integration"):
        return
    import shutil

    import imageio_ffmpeg

    from audiobook.engines.espeak import EspeakEngine
    from audiobook.engines.pyttsx3_driver import Pyttsx3Engine

    def refuse(*args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} runs ffmpeg or a real engine: mark it integration")

    from audiobook.ffmpeg import ffmpeg_exe

    ffmpeg_exe.cache_clear()  # an earlier integration test of this process found it: look again
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **kw: None if "ffmpeg" in name else which(name, *a, **kw))
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", refuse)
    monkeypatch.setattr(EspeakEngine, "synthesize", refuse)
    monkeypatch.setattr(Pyttsx3Engine, "synthesize", refuse)
