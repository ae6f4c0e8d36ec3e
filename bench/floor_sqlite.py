"""Floors for import and benchmark, with the sqlite3 module only.

    python bench/floor_sqlite.py insert ROWS    # ROWS answer rows, one executemany, one transaction
    python bench/floor_sqlite.py groupby ROWS   # a GROUP BY over ROWS score rows (per sector and step)

Only the insert or the query is timed (median of several runs), not building the rows.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from _common import emit, median


def insert(rows: int, folder: Path, repeat: int = 3) -> dict:  # type: ignore[type-arg]
    data = [(i // 26 + 1, f"q{i % 26}", "adopted", 0, None, "2026-12-01T00:00:00") for i in range(rows)]
    wall, cpu = [], []
    for r in range(repeat):
        db = sqlite3.connect(folder / f"insert-{r}.db")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE answers (assessment_id INTEGER, question_id TEXT, value TEXT, dont_know INTEGER,"
                   " note TEXT, answered_at TEXT, PRIMARY KEY (assessment_id, question_id))")
        t0, c0 = time.perf_counter(), time.process_time()
        with db:
            db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)", data)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        db.close()
    return {"rows": rows, "wall": median(wall), "cpu": median(cpu), "rows_per_s": rows / median(wall)}


def groupby(rows: int, folder: Path, repeat: int = 5) -> dict:  # type: ignore[type-arg]
    db = sqlite3.connect(folder / "scores.db")
    db.execute("CREATE TABLE scores (assessment_id INTEGER, sector TEXT, module TEXT, step INTEGER, score REAL)")
    with db:
        db.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?)",
                       ((i // 6, "ABCDEFGHIJ"[i % 10], "due_diligence", i % 6 + 1, (i * 7919 % 100) / 100)
                        for i in range(rows)))
    db.close()
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        db = sqlite3.connect(folder / "scores.db")
        db.execute("SELECT sector, module, step, count(*), avg(score), min(score), max(score) FROM scores "
                   "GROUP BY sector, module, step").fetchall()
        db.close()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"rows": rows, "wall": median(wall), "cpu": median(cpu)}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        emit({"insert": insert, "groupby": groupby}[sys.argv[1]](int(sys.argv[2]), Path(tmp)))
