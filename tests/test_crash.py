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


# --- SIGKILL at random points ---------------------------------------------------------------------

LONG = os.environ.get("HRDD_FUZZ_LONG") == "1"
KILLS = 40 if LONG else 2
"""Kills per target (the long run: ``HRDD_FUZZ_LONG=1``)."""

ANSWERING = """
import sys
from pathlib import Path
from hrdd.answers import Answer
from hrdd.loader import load_bundled
from hrdd.models import Profile
from hrdd.storage import Store

store = Store(Path(sys.argv[1]))
module = load_bundled().questionnaire("due_diligence")
company = store.create_company(Profile(name="Killed while answering"))
assessment = store.start_assessment(company, module, "fr")
questions = [q for q in module.questions if q.kind == "single"]
print("ready", assessment, flush=True)
n = 0
while True:
    question = questions[n % len(questions)]
    store.save_answer(assessment, Answer(question_id=question.id, value=question.options[n % 2].id, note=str(n)))
    print("ok", question.id, n, flush=True)  # confirmed: save_answer returned
    n += 1
"""

INSTALLING = """
import sys
from pathlib import Path
from hrdd.loader import load_bundled
from hrdd.packs import install_pack

bundled = load_bundled()
print("ready", flush=True)
n = 0
while True:
    source = Path(sys.argv[1 + n % 2])
    install_pack(source, bundled)
    print("installed", source.name, flush=True)
    n += 1
"""


def started(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(args, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc


def kill_after(proc: subprocess.Popen[str], first: str, count: int, delay: float) -> list[str]:
    """Wait until the process printed ``count`` lines starting with ``first``, let it work ``delay``
    seconds more, SIGKILL it; return every line it printed (what it confirmed)."""
    import signal
    import threading

    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        seen = 0
        for line in proc.stdout:  # type: ignore[union-attr]
            if not line.endswith("\n"):
                break  # cut by the kill: not a confirmation
            lines.append(line.rstrip("\n"))
            seen += line.startswith(first)
            if seen >= count:
                ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert ready.wait(300), proc.stderr.read()  # type: ignore[union-attr]
    threading.Event().wait(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    reader.join(60)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr.read())  # type: ignore[union-attr]
    return lines


def strays(folder: Path) -> list[str]:
    """Temporary files hrdd may leave only while it runs (WAL and shared-memory files are SQLite's own)."""
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.name.endswith((".part", ".tmp")) or (p.name.startswith(".") and "packs" in p.parts)]


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("pragma integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_killed_while_answering_every_confirmed_answer_is_kept(tmp_path):
    import random

    rng = random.Random(1)
    total = 0
    for kill in range(KILLS):
        db = tmp_path / f"answers-{kill}.db"
        proc = started([sys.executable, "-c", ANSWERING, str(db)], {"HRDD_DATA_DIR": str(tmp_path / "data")})
        lines = kill_after(proc, "ok", rng.randrange(1, 200), rng.uniform(0, 0.02))
        assessment = int(lines[0].split()[1])
        confirmed: dict[str, int] = {}
        for line in lines[1:]:
            _ok, question, n = line.split()
            confirmed[question] = int(n)
        assert integrity(db) == "ok"
        store = Store(db)
        saved = {q: int(a.note or -1) for q, a in store.answers(assessment).items()}
        # each confirmed answer is there — or a later one, written just before the kill
        assert all(saved.get(q, -1) >= n for q, n in confirmed.items()), (kill, confirmed, saved)
        total += len(lines) - 1
        store.close()
        assert strays(tmp_path) == []
    if LONG:
        print(f"\nCRASH answering: {KILLS} kills, {total} confirmed writes checked, 0 lost")


def test_killed_while_importing_each_file_is_imported_whole_or_not_at_all(tmp_path, bundle):
    import json
    import random
    import uuid

    from hrdd.exchange import BATCH, export_assessment
    from hrdd.demo import create_demo

    rng = random.Random(2)
    member = Store(tmp_path / "member.db")
    _company, assessment = create_demo(member, bundle, "en", modules=["due_diligence"])
    record = json.loads(export_assessment(member, assessment).model_dump_json())
    files = []
    for i in range(2 * BATCH + 50):  # three transactions of up to BATCH files
        record["company"]["uid"] = record["assessment"]["uid"] = str(uuid.uuid4())
        path = tmp_path / f"export-{i:03d}.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        files.append(path)
    expected = len(record["answers"])
    whole = 0
    for kill in range(KILLS):
        db = tmp_path / f"federation-{kill}.db"
        proc = started([sys.executable, "-m", "hrdd.cli", "--db", str(db), "import", *map(str, files)],
                       {"HRDD_DATA_DIR": str(tmp_path / "data")})
        lines = kill_after(proc, str(tmp_path), rng.randrange(1, 2 * BATCH), rng.uniform(0, 0.05))
        confirmed = {line.split(": ")[0] for line in lines if ": imported (" in line}
        assert 0 < len(confirmed) < len(files)  # killed half-way through the files
        assert len(confirmed) % BATCH == 0  # said imported only once its transaction is committed
        assert integrity(db) == "ok"
        store = Store(db)
        for path in files:
            uid = json.loads(path.read_text(encoding="utf-8"))["assessment"]["uid"]
            found = store.assessment_by_uid(uid)
            if found is None:
                assert str(path) not in confirmed, (kill, path)
                assert store.company_by_uid(uid) is None  # not even its company
            else:
                assert len(store.answers(found.id)) == expected and found.completed, (kill, path)
                whole += 1
        store.close()
        assert strays(tmp_path) == []
    if LONG:
        print(f"\nCRASH import: {KILLS} kills of an import of {len(files)} files, {whole} files found whole, "
              "0 half-imported")


def test_killed_while_installing_a_pack_leaves_the_old_or_the_new_one(tmp_path, bundle, isolated):
    import random

    from hrdd.packs import installed_packs, packs_dir
    from hrdd.paths import questionnaires_dir

    rng = random.Random(3)
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        import shutil

        shutil.copytree(questionnaires_dir() / "example-pack", folder)
    text = (second / "textiles.yaml").read_text(encoding="utf-8")
    (second / "textiles.yaml").write_text(text.replace("In textiles, a code", "In textiles and leather, a code"),
                                          encoding="utf-8")
    variants = {tuple(sorted((p.name, p.read_bytes()) for p in f.glob("*.yaml"))) for f in (first, second)}
    data = isolated / "data"
    outcomes: list[object] = []
    for kill in range(KILLS):
        proc = started([sys.executable, "-c", INSTALLING, str(first), str(second)], {"HRDD_DATA_DIR": str(data)})
        after = rng.randrange(0, 20)  # installs done before the kill (0: during the first one)
        lines = kill_after(proc, "installed" if after else "ready", max(after, 1), rng.uniform(0, 0.02))
        target = packs_dir() / "example-textiles" / "1.0"
        packs = installed_packs(bundle)  # the next hrdd: finishes or undoes a swap the kill cut short
        if any(line.startswith("installed") for line in lines):
            assert [(p.meta.id, p.meta.version) for p in packs] == [("example-textiles", "1.0")], kill
        if target.exists():
            assert tuple(sorted((p.name, p.read_bytes()) for p in target.iterdir())) in variants, kill
        assert strays(data) == [], kill
        outcomes.append(tuple(sorted((p.name, p.read_bytes()) for p in target.iterdir())) if target.exists()
                        else None)
    if LONG:
        print(f"\nCRASH pack install: {KILLS} kills, {outcomes.count(None)} before the first install, "
              f"{len(set(o for o in outcomes if o))} distinct complete versions seen, 0 mixed")


def test_a_swap_cut_short_between_its_two_renames_is_undone_or_finished(tmp_path, bundle, isolated):
    """The states a kill inside install_pack can leave, made by hand (the random kills rarely hit
    the microseconds between the renames)."""
    import shutil

    from hrdd.packs import install_pack, installed_packs, packs_dir
    from hrdd.paths import questionnaires_dir

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # a process that has ended
    install_pack(questionnaires_dir() / "example-pack", bundle)
    folder = packs_dir() / "example-textiles"
    old = {p.name: p.read_bytes() for p in (folder / "1.0").iterdir()}
    # killed after the old version was moved aside, before the new one went in
    (folder / "1.0").rename(folder / f".old-{dead}-1.0-0badcafe")
    shutil.copytree(folder / f".old-{dead}-1.0-0badcafe", folder / f".new-{dead}-1.0-12345678")
    assert [p.meta.version for p in installed_packs(bundle)] == ["1.0"]
    assert {p.name: p.read_bytes() for p in (folder / "1.0").iterdir()} == old
    assert sorted(p.name for p in folder.iterdir()) == ["1.0"]
    # killed after the new version went in, before the old one was removed
    shutil.copytree(folder / "1.0", folder / f".old-{dead}-1.0-0badcafe")
    assert [p.meta.version for p in installed_packs(bundle)] == ["1.0"]
    assert sorted(p.name for p in folder.iterdir()) == ["1.0"]
