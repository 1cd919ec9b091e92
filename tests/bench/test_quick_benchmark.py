"""The benchmark runs end to end (``make bench ARGS=--quick``) with no failed request.

Only completion and errors are checked here; the figures themselves go in
bench/results/latest.md, never into pass or fail.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_quick_benchmark_completes_with_zero_errors(tmp_path):
    if shutil.which("wrk") is None:
        pytest.fail("The benchmark needs wrk: apt-get install -y wrk")
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--quick",
            "--duration",
            "1",
            "--warmup",
            "1",
            "--output",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((tmp_path / "latest.json").read_text())
    assert report["meta"]["articles"] >= 5000
    for phase in ("cold", "warm"):
        rows = report["phases"][phase]["rows"]
        assert rows[0]["page"].startswith("trivial view")
        assert {row["page"] for row in rows} >= {"article", "front page", "section, page 1"}
        for row in rows:
            assert row["requests"] > 0 and row["errors"] == 0, row
        assert report["phases"][phase]["worker_rss_mb"]
    cold = {row["page"] for row in report["phases"]["cold"]["rows"]}
    assert {page for page in cold if page.startswith("search: ")} >= {
        "search: accented",
        "search: no accents",
        "search: phrase, no hits",
        "search: typo",
    }
    assert "QR code download (PNG, view)" in cold
    # A QR code is built once, then always served from storage.
    for phase in ("cold", "warm"):
        assert report["phases"][phase]["qr_codes_built_after_warmup"] == 0
    table = (tmp_path / "latest.md").read_text()
    assert "| article |" in table and "% of trivial" in table
