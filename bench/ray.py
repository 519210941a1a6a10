"""The Ray executor against the local process pool, and `batch` against one `generate` per book.

    python -m bench.ray [--words 100000] [--jobs N] [--books 10] [--book-words 5000]

It prints:
- (a) the cold render (empty cache) of the benchmark novel (tests/novels.py, as bench/render.py makes it)
  by the process pool, then by Ray actors on a Ray started on this machine with as many CPUs as the
  pool has workers; the Ray render's wall time as a ratio of the pool's (the target is at most 1.15),
  without and with the time Ray takes to start;
- (b) `audiobook batch` of `--books` short books against the same books rendered by one
  `audiobook generate` each, one after another (each into an empty output folder and cache).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.novels import novel


def cold_renders(words: int, jobs: int, work: Path) -> None:
    """(a): the benchmark novel rendered cold by the pool, then on Ray; the ratio of the two."""
    from audiobook.model import RenderOptions
    from audiobook.pipeline import generate
    from audiobook.ray_executor import RayExecutors, import_ray

    story = work / f"novel-{words}.md"
    story.write_text(novel(words), encoding="utf-8")
    started = time.perf_counter()
    pool = generate(story, None, work / "pool", RenderOptions(jobs=jobs))
    pool_s = time.perf_counter() - started
    print(f"novel: {words:,} words, {pool.segments:,} segments, {pool.audio_seconds / 3600:.2f} h of audio")
    print(f"(a) cold render, process pool ({jobs} workers): {pool_s:.1f} s")

    ray = import_ray()
    started = time.perf_counter()
    with RayExecutors(workers=jobs, num_cpus=jobs, object_store_memory=200 * 1024 * 1024) as executors:
        ray.get(ray.remote(lambda: None).remote())  # a worker process answers: Ray is up
        up_s = time.perf_counter() - started
        begun = time.perf_counter()
        on_ray = generate(story, None, work / "ray", RenderOptions(jobs=jobs), executors=executors)
        ray_s = time.perf_counter() - begun
    same = _mp3s(work / "pool") == _mp3s(work / "ray")
    print(f"(a) cold render, Ray ({jobs} actors on a local Ray): {ray_s:.1f} s, plus {up_s:.1f} s to start Ray")
    print(f"(a) Ray / pool: {ray_s / pool_s:.2f} (with Ray's start: {(ray_s + up_s) / pool_s:.2f}); target <= 1.15")
    print(f"(a) the same MP3 bytes: {'yes' if same else 'NO'}; {on_ray.synthesized:,} lines synthesized on Ray")


def _mp3s(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*.mp3") if ".cache" not in p.parts}


def batch_against_generate(books: int, words: int, jobs: int, work: Path) -> None:
    """(b): `batch` of short books against one `generate` per book, one after another."""
    shelf = work / "shelf"
    shelf.mkdir()
    for n in range(books):
        text = novel(words, seed=100 + n).replace("Title: The Benchmark Shore", f"Title: Short Book {n + 1}", 1)
        (shelf / f"book-{n + 1:02d}.md").write_text(text, encoding="utf-8")
    exe = str(Path(sys.executable).parent / "audiobook")
    started = time.perf_counter()
    for story in sorted(shelf.iterdir()):
        _run([exe, "generate", str(story), "-o", str(work / "one-by-one"), "-q", "--jobs", str(jobs)])
    alone_s = time.perf_counter() - started
    started = time.perf_counter()
    _run([exe, "batch", str(shelf), "-o", str(work / "batch"), "-q", "--jobs", str(jobs)])
    batch_s = time.perf_counter() - started
    same = _mp3s(work / "one-by-one") == _mp3s(work / "batch")
    print(f"(b) {books} books of {words:,} words: {books} x generate {alone_s:.1f} s, batch {batch_s:.1f} s")
    print(f"(b) batch / sequential generate: {batch_s / alone_s:.2f}; the same MP3 bytes: {'yes' if same else 'NO'}")


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=100_000, help="the benchmark novel's length")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--books", type=int, default=10)
    ap.add_argument("--book-words", type=int, default=5_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-ray-"))
    try:
        cold_renders(args.words, args.jobs, work)
        batch_against_generate(args.books, args.book_words, args.jobs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
