"""`audiobook serve` run for real, as a subprocess, for the tests that fetch pages and audio from it."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paths import ROOT


@contextmanager
def serving(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """`audiobook serve FOLDER --port 0` as a subprocess: (base URL, the page URLs it printed)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiobook", "serve", str(folder), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout

    def read(stream) -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put("")  # end of output

    threading.Thread(target=read, args=(proc.stdout,), daemon=True).start()
    try:
        first = lines.get(timeout=60)
        assert first.startswith(f"Serving {folder} at http://127.0.0.1:"), (first, proc.stderr)
        base = first.rsplit(" ", 1)[1]
        urls = []
        while (line := lines.get(timeout=60)) != "Press Ctrl-C to stop.":
            assert line.startswith("  "), line
            urls.append(line.strip())
        yield base, urls
    finally:
        proc.terminate()
        proc.wait(timeout=20)
