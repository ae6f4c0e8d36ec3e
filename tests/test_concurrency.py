"""Several programs on one database at once: answers written through the storage API while
``hrdd import`` of many files and ``hrdd report --all`` run — real processes, no lost write,
no "database is locked" reaching anyone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from hrdd.demo import create_demo
from hrdd.exchange import export_assessment
from hrdd.storage import Store

LONG = os.environ.get("HRDD_FUZZ_LONG") == "1"
FILES = 1_000 if LONG else 120
ROOT = Path(__file__).parent.parent

WRITER = """
import sys, time
from pathlib import Path
from hrdd.answers import Answer
from hrdd.loader import load_bundled
from hrdd.models import Profile
from hrdd.storage import Store

db, stop, minimum = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
store = Store(db)
module = load_bundled().questionnaire("due_diligence")
company = store.create_company(Profile(name="Writer"))
assessment = store.start_assessment(company, module, "nl")
questions = [q for q in module.questions if q.kind == "single"]
print("ready", assessment, flush=True)
n = 0
while n < minimum or not stop.exists():
    question = questions[n % len(questions)]
    option = question.options[n % len(question.options)]
    store.save_answer(assessment, Answer(question_id=question.id, value=option.id, note=f"write {n}"))
    print("ok", question.id, option.id, n, flush=True)  # confirmed: save_answer returned
    if n % 25 == 0:
        store.set_commentary(company, f"comment {n}")
    n += 1
"""


def make_exports(folder: Path, store: Store, bundle, n: int) -> list[Path]:  # type: ignore[no-untyped-def]
    _company, assessment = create_demo(store, bundle, "en", modules=["due_diligence"])
    record = json.loads(export_assessment(store, assessment).model_dump_json())
    folder.mkdir()
    paths = []
    for i in range(n):
        record["company"]["uid"] = record["assessment"]["uid"] = str(uuid.uuid4())
        record["company"]["profile"]["name"] = f"Member {i}"
        path = folder / f"{i:04d}.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        paths.append(path)
    return paths


def test_answers_import_and_reports_on_one_database_at_the_same_time(tmp_path, bundle):
    db = tmp_path / "shared.db"
    store = Store(db)
    for i in range(3):  # companies for report --all
        create_demo(store, bundle, "nl", name=f"Client {i}", modules=["due_diligence"])
    files = make_exports(tmp_path / "exports", Store(tmp_path / "member.db"), bundle, FILES)
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HRDD_DATA_DIR": str(tmp_path / "data")}
    cli = [sys.executable, "-m", "hrdd.cli", "--db", str(db)]
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(stop), "150"], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = writer.stdout.readline()  # type: ignore[union-attr]
    assert first.startswith("ready"), first + writer.stderr.read()  # type: ignore[union-attr]
    assessment = int(first.split()[1])
    importer = subprocess.Popen(cli + ["import", *map(str, files)], env=env, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    time.sleep(0.5)  # let the import get going before the reports start reading
    reports = subprocess.Popen(cli + ["report", "--all", "--out", str(tmp_path / "reports")], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    import_out, import_err = importer.communicate(timeout=600)
    report_out, report_err = reports.communicate(timeout=600)
    stop.touch()
    writer_out, writer_err = writer.communicate(timeout=600)

    for name, proc, err in (("import", importer, import_err), ("report --all", reports, report_err),
                            ("writer", writer, writer_err)):
        assert "locked" not in err and "Traceback" not in err, f"{name}: {err[-2000:]}"
        assert proc.returncode == 0, f"{name} exited {proc.returncode}: {err[-2000:]}"
    assert import_out.strip().endswith(f"Imported or unchanged: {FILES}; refused: 0.")
    written = re.search(r"Reports written to .*: (\d+); failed: (\d+)\.", report_out)
    assert written and int(written.group(1)) >= 4 and written.group(2) == "0", report_out
    confirmed = [line.split() for line in writer_out.splitlines() if line.startswith("ok ")]
    assert len(confirmed) >= 150
    store = Store(db)
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    last = {question: (option, int(n)) for _ok, question, option, n in confirmed}
    saved = store.answers(assessment)
    assert {q: (a.value, int(a.note.split()[1])) for q, a in saved.items()} == last  # no confirmed write lost
    uids = {json.loads(p.read_text(encoding="utf-8"))["assessment"]["uid"] for p in files}
    imported = {row[0] for row in store.db.execute("select uid from assessments")}
    assert uids <= imported
    if LONG:
        print(f"\nCONCURRENCY: import of {FILES} files, report --all and {len(confirmed)} confirmed answers "
              "on one database: 0 locked, 0 lost")
