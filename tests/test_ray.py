"""Rendering on Ray: a simulated three-node cluster on this machine renders three books with `batch`,
byte for byte as `--jobs 1` renders them, even when one node's worker is killed mid-render; and without
Ray, `--executor ray` says how to install it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner
from paths import EXAMPLE, VOICES

from audiobook.batch import Batch, render_books
from audiobook.model import RenderOptions

SHORT_BOOKS = {
    "orchard.md": (
        "Title: The Orchard Ladder\nAuthor: Test Press\n\n## One\n\n"
        "The ladder leaned against the oldest pear tree in the orchard.\n\n"
        "\u201cHold it steady,\u201d said Mara, climbing with a basket on her arm.\n\n"
        "\u201cI am holding it,\u201d said Tobias. \u201cThe ground is soft after the rain.\u201d\n\n"
        "## Two\n\nBy noon the basket was full and the ladder had sunk an inch into the mud.\n\n"
        "\u201cNext year we buy a better one,\u201d said Mara.\n"
    ),
    "ferry.txt": (
        "Title: Last Ferry\nAuthor: Test Press\n\nCHAPTER 1\n\n"
        "The ferry horn sounded twice across the grey water.\n\n"
        "\u201cWe will not make it,\u201d said Ines, running down the ramp.\n\n"
        "\u201cWe will if you stop talking,\u201d said Pell, and he caught the rail just in time.\n"
    ),
}

FERRY_VOICES = (
    "narrator:\n  voice: gmw/en-us+Reed\n  rate: 175\n  pitch: 45\n"
    "characters:\n  Ines:\n    voice: gmw/en-us+f2\n  Pell:\n    voice: gmw/en-us+Reed\n    pitch: 40\n"
)


@pytest.fixture(scope="module")
def cluster():
    """Three Ray nodes on this machine (one CPU and a small object store each), joined by this process
    for the module's tests, then shut down."""
    ray = pytest.importorskip("ray") if not os.environ.get("CI") else __import__("ray")
    from ray.cluster_utils import Cluster

    store = 80 * 1024 * 1024
    c = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "object_store_memory": store, "include_dashboard": False},
    )
    try:
        for _ in range(2):
            c.add_node(num_cpus=1, object_store_memory=store)
        ray.init(address=c.address, logging_level="WARNING", log_to_driver=False)
        c.wait_for_nodes()
        yield c
    finally:
        ray.shutdown()
        c.shutdown()


class _KillOneWorker:
    """RayExecutors whose executor, once `after` units have been answered, kills one worker's process
    (SIGKILL, as the OOM killer would) while the render goes on."""

    def __init__(self, inner, after: int):
        self.inner = inner
        self.after = after
        self.killed: list[int] = []
        self._answered = 0
        self._lock = threading.Lock()

    def start(self, engine, cache_root, workers, engines):
        executor = self.inner.start(engine, cache_root, workers, engines)
        owner = self

        class Killing:
            thread_safe = True

            def map(self, units):
                for result in executor.map(units):
                    owner._count(executor)
                    yield result

            def close(self):
                executor.close()

        return Killing()

    def _count(self, executor) -> None:
        with self._lock:
            self._answered += 1
            if self._answered != self.after:
                return
        pid = executor.pids()[-1]
        os.kill(pid, signal.SIGKILL)
        self.killed.append(pid)


def _mp3s(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*.mp3") if ".cache" not in p.parts}


@pytest.mark.integration
def test_three_books_on_three_nodes_match_jobs_1_with_a_worker_killed(cluster, tmp_path):
    from audiobook.ray_executor import RayExecutors

    stories = [EXAMPLE]
    for name, text in SHORT_BOOKS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        stories.append(tmp_path / name)
    # A voice whose noise once differed on Ray (drawn from libc's random numbers in a Ray worker).
    (tmp_path / "ferry.yaml").write_text(FERRY_VOICES, encoding="utf-8")

    def config_for(story: str):
        return {str(EXAMPLE): str(VOICES), str(tmp_path / "ferry.txt"): str(tmp_path / "ferry.yaml")}.get(story)

    for story in stories:  # the reference: each book alone, `--jobs 1`, in a process of its own
        config = ["-c", config_for(str(story))] if config_for(str(story)) else []
        command = [sys.executable, "-m", "audiobook", "generate", str(story), *config, "-o", str(tmp_path / "jobs1")]
        subprocess.run([*command, "-j", "1", "--no-cache", "-q"], check=True)
    expected = _mp3s(tmp_path / "jobs1")
    assert len(expected) == 3 + 2 + 1

    shared_cache = (tmp_path / "shared-cache").as_uri()  # through fsspec, as an s3:// cache would be
    plan = Batch(tmp_path / "ray", RenderOptions(jobs=3, cache_dir=shared_cache), config_for)
    with RayExecutors(workers=3) as ray_executors:
        killer = _KillOneWorker(ray_executors, after=6)
        results = render_books(stories, plan, killer, books_at_once=2)
        lost = ray_executors.lost
    assert [r.error for r in results] == ["", "", ""]
    assert killer.killed and lost >= 1  # a worker died mid-render, and the run noticed and went on
    assert _mp3s(tmp_path / "ray") == expected
    assert sum(r.report.synthesized for r in results) > 0
    _generate_on_the_cluster(tmp_path, shared_cache, expected)


def _generate_on_the_cluster(tmp_path, shared_cache: str, expected) -> None:
    """`generate --executor ray` joins the cluster this process is connected to: with the batch's
    cache every line is a hit (the workers wrote it, the render reads it); with none, every line is
    spoken on the cluster. Both give the --jobs 1 bytes."""
    from audiobook.cli import cli

    ferry = ["generate", str(tmp_path / "ferry.txt"), "-c", str(tmp_path / "ferry.yaml"), "--executor", "ray"]
    warm = CliRunner().invoke(cli, [*ferry, "--cache-dir", shared_cache, "-o", str(tmp_path / "warm")])
    assert warm.exit_code == 0, warm.output
    assert ": 0 synthesized, " in warm.output
    orchard = ["generate", str(tmp_path / "orchard.md"), "--executor", "ray", "--no-cache", "-j", "2"]
    cold = CliRunner().invoke(cli, [*orchard, "-o", str(tmp_path / "warm")])
    assert cold.exit_code == 0, cold.output
    assert ", 0 reused" in cold.output
    made = _mp3s(tmp_path / "warm")
    assert len(made) == 3 and made == {name: expected[name] for name in made}


def test_without_ray_executor_ray_says_how_to_install_it(tmp_path, monkeypatch):
    from audiobook.cli import cli

    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as it does where it is not installed
    story = tmp_path / "s.md"
    story.write_text(SHORT_BOOKS["ferry.txt"], encoding="utf-8")
    for command in (["generate", str(story)], ["batch", str(tmp_path)]):
        result = CliRunner().invoke(cli, [*command, "-o", str(tmp_path / "out"), "--executor", "ray"])
        lines = result.output.strip().splitlines()
        assert result.exit_code != 0
        assert lines == ["Error: --executor ray needs Ray, which is not installed here: pip install 'audiobook[ray]'"]
