"""--jobs 2 renders the same book as --jobs 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audiobook.pipeline import generate
from conftest import EXAMPLE, VOICES

pytestmark = pytest.mark.integration


def _manifest(report):
    return json.loads((Path(report.output_dir) / "book.json").read_text())


def test_two_workers_render_what_one_does(tmp_path):
    one = _manifest(generate(EXAMPLE, VOICES, tmp_path / "one", jobs=1))
    two = _manifest(generate(EXAMPLE, VOICES, tmp_path / "two", jobs=2))
    assert len(one["chapters"]) == len(two["chapters"]) == 3
    for a_ch, b_ch in zip(one["chapters"], two["chapters"]):
        assert (a_ch["title"], a_ch["file"]) == (b_ch["title"], b_ch["file"])
        # espeak-ng's output for a line varies by a few samples with what its process spoke before
        # (measured: up to 1% of a line), so times agree to within that, not to the sample.
        assert a_ch["duration"] == pytest.approx(b_ch["duration"], rel=0.002)
        for a, b in zip(a_ch["segments"], b_ch["segments"], strict=True):
            same = ("kind", "speaker", "role", "voice", "rate", "pitch", "volume", "source_start",
                    "source_end", "rule", "confidence", "text")
            assert {k: a[k] for k in same} == {k: b[k] for k in same}
            assert a["end"] - a["start"] == pytest.approx(b["end"] - b["start"], rel=0.01, abs=0.03)
            assert a["start"] == pytest.approx(b["start"], rel=0.002, abs=0.03)
    assert {k: v for k, v in one.items() if k != "chapters"} == {k: v for k, v in two.items() if k != "chapters"}
