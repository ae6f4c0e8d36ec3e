"""When things go wrong around hrdd: damaged or foreign database files, locks, missing
permissions — one line and a non-zero exit, nothing changed; and hrdd's own processes killed
with SIGKILL at random points — nothing confirmed lost, nothing half-written."""

from __future__ import annotations

import ctypes
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hrdd.storage import Store, StoreError

ROOT = Path(__file__).parent.parent


def hrdd(args: list[str], env: dict[str, str] | None = None, unprivileged: bool = False,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m hrdd.cli ARGS`` in a process of its own (as a user who is refused what file
    permissions forbid, even when the tests run as root)."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "hrdd.cli", *args], env=full, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_without_root_override if unprivileged else None)


def _without_root_override() -> None:
    """Root passes every permission check through CAP_DAC_OVERRIDE (1) and CAP_DAC_READ_SEARCH (2):
    drop both from the process about to start, so a read-only file is read-only for it too."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def one_line_error(proc: subprocess.CompletedProcess[str], expected: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], proc.stderr


def schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select name, sql from sqlite_master order by name").fetchall()
    finally:
        conn.close()


# --- damaged environments ----------------------------------------------------------------------

def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "hrdd.db"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    for args in (["companies"], ["demo"], []):  # [] starts the app: refused before it opens
        one_line_error(hrdd(["--db", str(path), *args]), "is not an hrdd database (it is not an SQLite")
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hrdd.db"]


def test_another_applications_database_does_not_get_hrdds_tables(tmp_path):
    path = tmp_path / "invoices.db"
    conn = sqlite3.connect(path)
    conn.execute("create table invoices (id integer primary key, amount real)")
    conn.execute("insert into invoices (amount) values (12.5)")
    conn.commit()
    conn.close()
    before = schema(path)
    one_line_error(hrdd(["--db", str(path), "demo"]), "is another application's database (it holds invoices)")
    assert schema(path) == before
    with pytest.raises(StoreError, match="another application's database"):
        Store(path)
    assert schema(path) == before and not list(tmp_path.glob("*.bak"))


def test_a_database_from_a_newer_hrdd_is_refused_not_silently_used(tmp_path):
    path = tmp_path / "hrdd.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) values ('hrdd', '0099_future', 'x')")
    conn.commit()
    conn.close()
    before = schema(path)
    one_line_error(hrdd(["--db", str(path), "companies"]),
                   "was last used by a newer version of hrdd (it has changes this version does not know: 0099_future)")
    assert schema(path) == before and not list(tmp_path.glob("*.bak"))


def test_a_locked_database_makes_writers_wait_then_say_so_and_readers_go_on(tmp_path, bundle):
    path = tmp_path / "hrdd.db"
    store = Store(path)
    from hrdd.models import Profile

    store.create_company(Profile(name="Kept"))
    store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                               "c.execute('begin immediate')\nc.execute(\"update companies set name = 'Holder'\")\n"
                               "print('locked', flush=True)\nsys.stdin.readline()\nc.execute('commit')\n", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"  # type: ignore[union-attr]
        one_line_error(hrdd(["--db", str(path), "demo"], env={"HRDD_LOCK_WAIT": "1"}),
                       "is busy: another program has kept it locked for longer than hrdd waits (1 s)")
        reader = hrdd(["--db", str(path), "companies"], env={"HRDD_LOCK_WAIT": "1"})
        assert reader.returncode == 0 and "Kept" in reader.stdout, reader.stderr
    finally:
        holder.communicate("\n", timeout=30)
    store = Store(path)
    assert [c.profile.name for c in store.companies()] == ["Holder"]  # the other program's write, nothing of ours


def test_read_only_files_and_folders_are_refused_in_one_line(tmp_path):
    folder = tmp_path / "ro"
    path = folder / "hrdd.db"
    Store(path).close()
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        for args in (["companies"], ["demo"]):
            one_line_error(hrdd(["--db", str(path), *args], unprivileged=True), "is read-only: hrdd saves every answer")
        path.chmod(0o644)
        folder.chmod(0o555)
        one_line_error(hrdd(["--db", str(path), "demo"], unprivileged=True), f"the folder {folder} is read-only")
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        one_line_error(hrdd(["demo"], env={"HRDD_DATA_DIR": str(locked / "data")}, unprivileged=True),
                       f"cannot create the folder {locked / 'data'}")
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert path.read_bytes() == before
