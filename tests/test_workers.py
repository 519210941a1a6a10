"""The worker pool synth speaks lines with (audiobook/workers.py): results in order, and a worker's
death, however it dies, ends the run with one error instead of a hang."""

from __future__ import annotations

import os
import signal
import struct
import threading
import time
from pathlib import Path

import pytest

from audiobook.errors import AudiobookError, EngineError
from audiobook.workers import DIED, WorkerPool, serve_units


def _nothing() -> None:
    return None


def _echo(state: None, unit: tuple[str, float], stop) -> str:
    """Answer `unit[0]` upper-cased after sleeping unit[1] seconds; 'fail' raises, 'die' is killed."""
    text, delay = unit
    time.sleep(delay)
    if text == "fail":
        raise EngineError("the engine said no")
    if text == "bug":
        raise ValueError("a plain bug")
    if text == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if text.startswith("log:"):
        with open(text[4:], "a") as f:
            f.write("x")
    return text.upper()


def serve_echo(conn, stop, parent: int) -> None:
    serve_units(conn, stop, parent, _nothing, _echo)


def serve_half_a_message(conn, stop, parent: int) -> None:
    """A worker killed in the middle of sending its answer: the length of a large message, a few of
    its bytes, and then nothing (what `kill -9` does to a worker sending 100 KB of MP3)."""
    conn.recv()
    os.write(conn.fileno(), struct.pack("!i", 1_000_000) + b"\x80\x04half")
    os.kill(os.getpid(), signal.SIGKILL)


def _within(seconds: float, call):
    """`call()`'s result or exception, failing the test (not hanging it) if it takes too long."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s: the pool hangs"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


@pytest.fixture
def pool():
    made: list[WorkerPool] = []

    def make(serve=serve_echo, workers: int = 2) -> WorkerPool:
        made.append(WorkerPool(workers, serve, (os.getpid(),), in_flight=3))
        return made[-1]

    yield make
    for p in made:
        p.close()


def test_results_come_back_in_order_whichever_worker_is_quicker(pool):
    units = [(f"line {n}", 0.05 if n % 3 == 0 else 0.0) for n in range(40)]
    assert _within(60, lambda: list(pool().map(units))) == [f"LINE {n}" for n in range(40)]


def test_an_engine_error_in_a_worker_is_raised_as_itself(pool):
    with pytest.raises(EngineError, match="the engine said no"):
        _within(60, lambda: list(pool().map([("a", 0), ("fail", 0), ("b", 0)])))


def test_a_bug_in_a_worker_is_raised_with_its_traceback(pool):
    with pytest.raises(RuntimeError, match="ValueError: a plain bug") as caught:
        _within(60, lambda: list(pool().map([("bug", 0)])))
    assert not isinstance(caught.value, AudiobookError)
    assert "_echo" in str(caught.value)  # where in the worker it happened


def test_a_worker_killed_while_working_ends_the_run(pool):
    with pytest.raises(EngineError) as caught:
        _within(60, lambda: list(pool().map([("a", 0), ("b", 0.2), ("die", 0.1), ("c", 0)] * 3)))
    assert str(caught.value) == DIED


def test_a_worker_killed_half_way_through_sending_its_answer_ends_the_run(pool):
    """The hang that made us leave ProcessPoolExecutor: its shared result pipe kept half a message,
    and its manager thread waited for the rest for ever."""
    with pytest.raises(EngineError) as caught:
        _within(60, lambda: list(pool(serve_half_a_message, workers=1).map([("a", 0)])))
    assert str(caught.value) == DIED


def test_a_map_left_half_read_does_not_hand_its_answers_to_the_next(pool):
    p = pool()
    first = p.map([(f"old {n}", 0.01) for n in range(12)])
    assert next(first) == "OLD 0"
    first.close()
    assert _within(60, lambda: list(p.map([(f"new {n}", 0) for n in range(5)]))) == [f"NEW {n}" for n in range(5)]


def test_closing_stops_the_workers_and_drops_the_units_not_begun(pool, tmp_path: Path):
    log = tmp_path / "started"
    p = pool()
    results = p.map([(f"log:{log}", 0.3)] * 30)
    assert next(results) == f"LOG:{str(log).upper()}"
    processes = [w.process for w in p._workers]
    _within(60, p.close)
    assert all(not proc.is_alive() for proc in processes)
    started = len(log.read_text())
    assert started < 12, f"{started} of 30 units run after close"  # 2 workers x 3 in flight, at most


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads process states from /proc")
def test_a_worker_goes_when_the_render_that_started_it_is_killed(tmp_path: Path):
    """`kill -9` of the render: its workers do not live on, waiting for work."""
    import subprocess
    import sys

    script = tmp_path / "render.py"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parents[1])!r}]\n"
        "from test_workers import serve_echo\n"
        "from audiobook.workers import WorkerPool\n"
        "if __name__ == '__main__':\n"
        "    pool = WorkerPool(2, serve_echo, (os.getpid(),))\n"
        "    print(' '.join(str(w.process.pid) for w in pool._workers), flush=True)\n"
        "    time.sleep(600)\n"
    )
    run = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in run.stdout.readline().split()]  # type: ignore[union-attr]
    assert len(pids) == 2
    run.kill()
    run.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True
