"""The benchmark harness runs end to end: every row of issue 12's table is measured, none fails.
Nothing here is timed; the figures themselves are not checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = [
    "`hrdd companies`, `hrdd report --help`",
    "TUI start to first screen, empty database",
    "key press → answer committed → next question drawn",
    "TUI RSS over a",
    "one full report, warm",
    "`hrdd import` of exported files",
    "TUI start to first screen, many companies",
    "`hrdd benchmark` over the imported companies",
    "`hrdd report --all`",
]


def test_every_row_of_the_benchmark_table_runs(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-2000:]
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert [row for row in ROWS if not any(line.startswith(f"| {row}") for line in table)] == [], done.stdout
    assert [line for line in table if "error:" in line] == [], done.stdout
    assert not list(tmp_path.glob("hrdd-bench-*")), "the harness leaves its temporary folder behind"
