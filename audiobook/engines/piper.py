"""Piper (piper-tts, ONNX Runtime on the CPU): neural voices, offline, repeatable line by line.

A Piper model samples noise inside its graph (two RandomNormalLike nodes: the duration predictor's and
the prior's), and `onnxruntime.set_seed` does not reach them, so the same line differs run to run.
Zero noise makes it repeatable but flat. Here each random node is replaced, in memory, by a graph input
sliced to the shape the node would have drawn, and that input is fed from numpy's generator seeded by a
hash of the model, the line, the sentence and the settings: the model's natural variation is kept, and a
line sounds the same in every process (docs/engines.md, "Piper").

piper-tts bundles its own libespeak-ng; loading ours in the same process crashed (SIGSEGV), so this
engine refuses to start where ours is loaded, and ours refuses where piper's is.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import EngineError, SynthesisError
from ..model import VoiceSpec
from . import piper_timbres
from .base import Audio, Engine, Palette, VoiceInfo
from .piper_voices import PiperModel, find_models, search_dirs, user_cache_dir
from .resample import resample

INSTALL_HINT = "pip install 'audiobook[piper]'"
# Whom a packaged voice suits: Piper's config does not say.
_GENDERS = {"joe": "male"}
# Every Piper voice is given to the pipeline at this rate ("medium" and "high" models speak at it; "low"
# and "x_low" ones at 16 kHz are resampled by soxr), so that voices of any model mix in one book.
OUTPUT_RATE = 22050
# Words a minute measured at each length_scale (joe, 2,000 words of prose): not proportional.
RATE_TABLE = ((239.0, 0.8), (210.0, 1.0), (188.0, 1.2), (154.0, 1.5))
LENGTH_SCALE_LIMITS = (0.5, 2.5)
PRIOR_CHANNELS = 192  # the prior noise's channels in every Piper model (VITS's inter_channels)
FRAMES_PER_PHONEME = 8  # a first guess at the prior noise's length; doubled until it is enough


def length_scale_for(wpm: float) -> float:
    """Piper's length_scale for a rate in words a minute: piecewise linear through RATE_TABLE, the end
    segments extended beyond it, clamped to LENGTH_SCALE_LIMITS."""
    pairs = list(zip(RATE_TABLE, RATE_TABLE[1:]))
    (w0, s0), (w1, s1) = next((p for p in pairs if wpm >= p[1][0]), pairs[-1])
    scale = s0 + (wpm - w0) * (s1 - s0) / (w1 - w0)
    return min(max(scale, LENGTH_SCALE_LIMITS[0]), LENGTH_SCALE_LIMITS[1])


def seeded_graph(model_path: Path) -> tuple[bytes, list[str]]:
    """The model with each RandomNormalLike node replaced by a graph input `noise_<k>` ([1, C, N],
    N at least the node's length), sliced to the node's shape: noise we draw instead of the graph."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(model_path))
    graph = model.graph
    names = []
    randoms = [n for n in graph.node if n.op_type == "RandomNormalLike"]
    for k, node in enumerate(randoms):
        name = f"noise_{k}"
        names.append(name)
        graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, None, None]))
        graph.initializer.append(helper.make_tensor(f"{name}_starts", TensorProto.INT64, [3], [0, 0, 0]))
        at = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(at, helper.make_node("Slice", [name, f"{name}_starts", f"{name}_shape"], [node.output[0]]))
        graph.node.insert(at, helper.make_node("Shape", [node.input[0]], [f"{name}_shape"]))
    if len(names) != 2:
        raise EngineError(f"{model_path.name}: expected 2 random nodes in a Piper model, found {len(names)}")
    return model.SerializeToString(), names


SEEDED_GRAPH_VERSION = 1  # bump when seeded_graph changes what it writes


def _seeded_file(m: PiperModel) -> Path | None:
    """The model's seeded graph as a file in the user's cache folder (written whole, then renamed into
    place), or None where it cannot be written."""
    path = user_cache_dir() / "piper" / f"{m.sha256[:40]}.seeded-{SEEDED_GRAPH_VERSION}.onnx"
    if path.is_file():
        return path
    try:
        graph, _ = seeded_graph(m.model_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.{os.getpid()}.part")
        part.write_bytes(graph)
        os.replace(part, path)
    except OSError:
        return None
    finally:
        _give_back_memory()
    return path


def _espeak_loaded() -> bool:
    """Whether our libespeak-ng was loaded in this process (piper's own would then crash it)."""
    lib = sys.modules.get("audiobook.engines.libespeak")
    return bool(lib is not None and getattr(lib, "_data_dir", None))


class PiperEngine(Engine):
    """Piper voices from voices folders and installed packages (piper_voices.py), one ONNX Runtime session
    per model, one thread each."""

    name = "piper"
    sample_rate = OUTPUT_RATE

    def __init__(self, voices_dirs: Sequence[str | Path] = ()) -> None:
        if importlib.util.find_spec("onnx") is None:  # rewrites the graph to feed it our noise
            raise EngineError(f"the piper engine is not installed: {INSTALL_HINT}")
        try:
            import onnxruntime
            import piper
        except ImportError as exc:
            raise EngineError(f"the piper engine is not installed: {INSTALL_HINT}") from exc
        if _espeak_loaded():
            raise EngineError("the piper engine cannot run in a process that loaded the espeak engine")
        # piper's libespeak-ng loaded now, not at the first line: our espeak engine, started after, refuses.
        importlib.import_module("piper.espeakbridge")
        self._ort = onnxruntime
        self._piper_version = _dist_version("piper-tts")
        self._dirs = search_dirs(voices_dirs)
        self._models = {m.id: m for m in find_models(self._dirs)}
        if not self._models:
            raise EngineError(f"no Piper voice is installed: {INSTALL_HINT}")
        self._loaded: dict[str, tuple[Any, list[str]]] = {}
        # ONNX Runtime's CPU arena keeps the largest sentence's activations for ever (a worker grew to
        # 400 MB on the example story); shrunk after every run, it holds 160 MB, at no measured cost.
        self._run_options = onnxruntime.RunOptions()
        self._run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        _ = piper

    def options(self) -> dict[str, Any]:
        """The folders searched, as found here: a worker process finds the same voices."""
        return {"voices_dirs": tuple(str(d) for d in self._dirs)}

    def models(self) -> list[PiperModel]:
        """The models found, in the order they were searched."""
        return list(self._models.values())

    @property
    def version(self) -> str:
        models = ", ".join(f"{m.id} sha256:{m.sha256}" for m in self._models.values())
        return f"piper-tts {self._piper_version} seeded-noise 1 ({models})"

    def voice_version(self, voice_id: str) -> str:
        """piper-tts's version and this voice's model file, only: another model added or changed does
        not re-render this voice's lines."""
        model = self._models.get(voice_id.split("+")[0].split("#")[0])
        if model is None:
            return self.version
        timbres = f"praat-parselmouth {_dist_version('praat-parselmouth')} timbres {piper_timbres.VERSION}"
        if model.sample_rate != self.sample_rate:
            timbres += f" soxr {_dist_version('soxr')} HQ {model.sample_rate}->{self.sample_rate}"
        return f"piper-tts {self._piper_version} seeded-noise 1 {timbres} ({model.id} sha256:{model.sha256})"

    def has_voice(self, voice_id: str) -> bool:
        """A model's id, alone or with one of its derived timbres (`+female`, `+child`, `+old`, ...)."""
        model, _, timbre = voice_id.partition("+")
        return model in self._models and (not timbre or timbre in piper_timbres.BY_NAME)

    def palette(self) -> Palette:
        """The first model narrates and plays men; its derived timbres play women, children and the old."""
        first = next(iter(self._models.values()))
        return piper_timbres.palette(first.id, first.config.get("espeak", {}).get("voice", ""))

    def voices(self) -> list[VoiceInfo]:
        out = []
        for m in self._models.values():
            speaker = m.id.split("-")[1] if "-" in m.id else m.id
            languages = (m.language,) if m.language else ()
            out.append(VoiceInfo(m.id, speaker, _GENDERS.get(speaker, "unknown"), languages))
        return out + piper_timbres.variants()

    def _voice(self, voice_id: str) -> tuple[Any, list[str]]:
        """The PiperVoice for a model (its session ours: one intra-op thread), and its noise inputs."""
        if voice_id not in self._loaded:
            if voice_id not in self._models:
                raise SynthesisError(f"piper has no voice {voice_id!r}")
            from piper import PiperVoice
            from piper.config import PiperConfig

            m = self._models[voice_id]
            session = self._session(m)
            names = sorted(i.name for i in session.get_inputs() if i.name.startswith("noise_"))
            self._loaded[voice_id] = (PiperVoice(session=session, config=PiperConfig.from_dict(m.config)), names)
        return self._loaded[voice_id]

    def _session(self, m: PiperModel) -> Any:
        """An ONNX Runtime session (one thread) of the model's seeded graph, loaded from its file in the
        user's cache folder, written there by the first process that needed it. Loaded from a file, a
        worker holds 140 MB; rewritten in memory, 220 MB (the onnx library and two copies of the
        model). Where the cache cannot be written, the graph is rewritten in memory."""
        options = self._ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        path = _seeded_file(m)
        if path is not None:
            try:
                return self._ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
            except Exception:  # a damaged cache file: made again below, in memory
                path.unlink(missing_ok=True)
        graph, _ = seeded_graph(m.model_path)
        session = self._ort.InferenceSession(graph, sess_options=options, providers=["CPUExecutionProvider"])
        del graph
        _give_back_memory()
        return session

    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        """Every sentence of `text` spoken with noise seeded by (model, text, sentence, settings)."""
        import numpy as np

        if not self.has_voice(voice.voice_id):
            raise SynthesisError(f"piper has no voice {voice.voice_id!r}")
        model_id, timbre = piper_timbres.split_id(voice.voice_id)
        pv, names = self._voice(model_id)
        m = self._models[model_id]
        inference = m.config.get("inference", {})
        scales = (
            float(inference.get("noise_scale", 0.667)),
            length_scale_for(voice.rate),
            float(inference.get("noise_w", 0.8)),
        )
        chunks = []
        for i, phonemes in enumerate(pv.phonemize(text)):
            if not phonemes:
                continue
            ids = pv.phonemes_to_ids(phonemes)
            key = f"{m.sha256}|{voice.voice_id}|{scales}|{i}|{text}".encode()
            seed = int.from_bytes(hashlib.sha256(key).digest()[:8], "little")
            chunks.append(self._run(pv.session, names, ids, scales, seed))
        audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        audio = resample(audio, m.sample_rate, self.sample_rate)
        audio = piper_timbres.apply(audio, self.sample_rate, timbre, voice.pitch)
        audio = np.clip(audio * float(voice.volume), -1.0, 1.0)
        pcm = (audio * 32767.0).astype("<i2").tobytes()
        _give_back_memory()  # Praat's and numpy's buffers of a long line: 40 MB a worker, for 1-3 ms
        return Audio(pcm, self.sample_rate)

    def _run(self, session: Any, names: list[str], ids: list[int], scales: tuple[float, ...], seed: int) -> Any:
        """One sentence through the graph, its noise drawn frame by frame from `seed`: the first k frames
        are the same however many are drawn, so drawing more when too few were drawn changes nothing."""
        import numpy as np

        frames = len(ids) * FRAMES_PER_PHONEME + 64
        feeds = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array(scales, dtype=np.float32),
        }
        error: Exception | None = None
        for _ in range(6):
            rng = np.random.default_rng(seed)
            feeds[names[0]] = rng.standard_normal((len(ids), 2), dtype=np.float32).T[None].copy()
            prior = rng.standard_normal((frames, PRIOR_CHANNELS), dtype=np.float32)
            feeds[names[1]] = prior.T[None].copy()
            try:
                return session.run(None, feeds, self._run_options)[0].squeeze()
            except Exception as exc:  # the noise was shorter than the line: draw more
                error = exc
                frames *= 4
        raise SynthesisError(f"piper failed on {len(ids)} phonemes: {error}")


def _give_back_memory() -> None:
    """Return freed heap to the system (glibc keeps it for the process otherwise, in every worker): after
    the graph is rewritten in memory (two copies of the model, ~130 MB), and after each line."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to do
            pass


def _dist_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"
