"""Reports for every company: Ctrl+C stops the batch with a summary, a dead worker fails only its company."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from hrdd.batch import run_batch
from hrdd.demo import create_demo
from hrdd.storage import Store

ROOT = Path(__file__).parent.parent


def adviser_db(path: Path, bundle, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    store = Store(path)
    ids = [create_demo(store, bundle, "en", name=f"Client {i}", modules=["due_diligence"])[0] for i in range(n)]
    store.close()
    return ids


def complete_pdfs(folder: Path) -> list[Path]:
    """Every file in ``folder`` is a whole PDF: no temporary or half-written file is left."""
    files = sorted(folder.iterdir())
    assert all(f.suffix == ".pdf" for f in files), files
    for f in files:
        assert len(PdfReader(f).pages) >= 1
    return files


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_dead_worker_does_not_end_the_batch(tmp_path, bundle):
    ids = adviser_db(tmp_path / "a.db", bundle, 4)
    killed: list[int] = []

    def kill_a_worker_once(result) -> None:  # type: ignore[no-untyped-def]
        if not killed:
            import multiprocessing

            victim = multiprocessing.active_children()[0]
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)

    out = tmp_path / "reports"
    summary = run_batch(tmp_path / "a.db", ids, "en", out, workers=2, progress=kill_a_worker_once)
    assert killed
    assert not summary.interrupted and summary.cancelled == []
    # the reports the dead worker's pool was writing are tried again, each in a process of its own
    assert [r.company_id for r in summary.results] == ids and summary.failed == []
    assert len(complete_pdfs(out)) == len(ids)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc")
def test_a_company_whose_report_process_dies_is_failed_and_the_rest_is_accounted_for(tmp_path, bundle):
    ids = adviser_db(tmp_path / "b.db", bundle, 3)
    stop = threading.Event()

    def kill_every_worker() -> None:
        while not stop.is_set():
            for pid in children_of(os.getpid()):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            stop.wait(0.005)

    killer = threading.Thread(target=kill_every_worker, daemon=True)
    killer.start()
    try:
        summary = run_batch(tmp_path / "b.db", ids, "en", tmp_path / "reports", workers=2)
    finally:
        stop.set()
        killer.join()
    assert not summary.interrupted and summary.cancelled == []
    assert [r.company_id for r in summary.results] == ids
    assert summary.failed, "every worker was killed, so reports failed"
    assert all(r.error == "the process writing this report stopped unexpectedly" for r in summary.failed)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to a process group")
def test_ctrl_c_cancels_what_is_left_and_prints_a_summary(tmp_path, bundle):
    db = tmp_path / "c.db"
    n = 30
    adviser_db(db, bundle, n)
    out = tmp_path / "reports"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HRDD_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([sys.executable, "-m", "hrdd.cli", "--db", str(db), "report", "--all", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        while not (out.is_dir() and any(out.glob("*.pdf"))) and proc.poll() is None:
            threading.Event().wait(0.02)  # wait for the first report to be written
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal does: the whole process group
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr, stderr
    [line] = [x for x in stdout.splitlines() if x.startswith("Interrupted.")]
    found = re.search(r": (\d+); failed: (\d+); cancelled: (\d+)\.$", line)
    assert found, line
    written, failed, cancelled = (int(x) for x in found.groups())
    assert written + failed + cancelled == n and cancelled > 0 and failed == 0
    assert len(complete_pdfs(out)) == written


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for its parent counts as ended)."""
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) == "Z"
    except OSError:
        return True


def wait_until(condition, seconds: float = 60) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it holds or ``seconds`` have passed (a bound, not a speed claim)."""
    event = threading.Event()
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        event.wait(0.05)
    return condition()


def start_batch(tmp_path: Path, bundle, n: int) -> tuple[subprocess.Popen[str], Path, Path, list[int]]:  # type: ignore[no-untyped-def]
    """``hrdd report --all --jobs 2`` over ``n`` companies, once its first report is written;
    with the pids of the processes it started."""
    db = tmp_path / "t.db"
    adviser_db(db, bundle, n)
    out = tmp_path / "reports"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HRDD_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([sys.executable, "-m", "hrdd.cli", "--db", str(db), "report", "--all", "--jobs", "2",
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    while not (out.is_dir() and any(out.glob("*.pdf"))) and proc.poll() is None:
        threading.Event().wait(0.02)
    assert proc.poll() is None, proc.communicate()
    workers = children_of(proc.pid)
    assert len(workers) >= 2, workers
    return proc, db, out, workers


def database_is_free(db: Path) -> bool:
    import sqlite3

    connection = sqlite3.connect(db, timeout=0)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        connection.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc")
def test_sigterm_stops_the_batch_and_its_workers_with_a_summary(tmp_path, bundle):
    """SIGTERM to the batch process alone (what `kill` or a service manager sends) used to end it
    at once and leave its two workers running, holding the database open."""
    proc, db, out, workers = start_batch(tmp_path, bundle, 30)
    try:
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=120)
        assert wait_until(lambda: all(gone(pid) for pid in workers)), [p for p in workers if not gone(p)]
    finally:
        for pid in [proc.pid, *workers]:
            if not gone(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 128 + signal.SIGTERM, stdout + stderr
    assert "Traceback" not in stderr, stderr
    [line] = [x for x in stdout.splitlines() if x.startswith("Interrupted.")]
    found = re.search(r": (\d+); failed: (\d+); cancelled: (\d+)\.$", line)
    assert found, line
    written, failed, cancelled = (int(x) for x in found.groups())
    assert written + failed + cancelled == 30 and cancelled > 0 and failed == 0
    assert len(complete_pdfs(out)) == written  # the reports being written were finished, none half-written
    assert database_is_free(db)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc")
def test_workers_leave_when_the_batch_process_is_killed(tmp_path, bundle):
    """SIGKILL cannot be handled: the workers notice that their batch process is gone and end."""
    proc, db, _out, workers = start_batch(tmp_path, bundle, 30)
    try:
        proc.kill()
        proc.communicate(timeout=60)
        assert wait_until(lambda: all(gone(pid) for pid in workers)), [p for p in workers if not gone(p)]
    finally:
        for pid in workers:
            if not gone(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    assert database_is_free(db)
