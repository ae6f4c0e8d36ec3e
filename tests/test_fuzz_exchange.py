"""Hostile and mutated exchange files: each bad file is refused with a reason and leaves the
database exactly as it was; good files in the same run are imported.

The files are generated from fixed seeds; ``HRDD_FUZZ_LONG=1`` runs many more.
"""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from hrdd.answers import MAX_NOTE
from hrdd.cli import main
from hrdd.demo import create_demo
from hrdd.exchange import ImportProblem, export_assessment, import_file, write_export
from hrdd.limits import MAX_EXPORT_BYTES, MAX_TEXT_ANSWER
from hrdd.storage import Store

LONG = os.environ.get("HRDD_FUZZ_LONG") == "1"
CASES = 10_000 if LONG else 300
ROOT = Path(__file__).parent.parent

HOSTILE = [None, True, False, 0, -1, 1.5, 1e308, -1e308, 10**20, "", " ", "x" * (MAX_TEXT_ANSWER + 1), "é" * 70,
           [], {}, [None], [[["deep"]]], {"a": 1}, "=HYPERLINK(\"http://x\",\"y\")", "<b>x</b>", "\u202eevil",
           "../../etc/passwd", "/etc/passwd", "2026-13-45T00:00:00", "1970-01-01T00:00:00", "9999-12-31T23:59:59+14:00",
           "0" * 64, "f" * 64, "nl", "de", "yes", "no", "unknown", "\x00", "NaN", "Infinity", "C", "Z", "CI", "ci",
           ["CI", "GH"], ["xx"], list(range(600)), -0.0, 2**53 + 1]


def dump(store: Store) -> str:
    return "\n".join(store.db.conn.iterdump())


@pytest.fixture(scope="module")
def seed(tmp_path_factory, bundle):  # type: ignore[no-untyped-def]
    """A demo member's due-diligence assessment, exported with its notes and free-text answers."""
    folder = tmp_path_factory.mktemp("member")
    member = Store(folder / "member.db")
    _company, assessment = create_demo(member, bundle, "fr", modules=["due_diligence"])
    record = json.loads(export_assessment(member, assessment, include_notes=True).model_dump_json())
    member.close()
    return record


def fresh(record: dict, rng: random.Random) -> dict:  # type: ignore[type-arg]
    out = copy.deepcopy(record)
    out["company"]["uid"] = str(uuid.UUID(int=rng.getrandbits(128)))
    out["assessment"]["uid"] = str(uuid.UUID(int=rng.getrandbits(128)))
    return out


def leaves(node, path=()):  # type: ignore[no-untyped-def]
    """Every (path, value) in a JSON value."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, path + (i,))
    yield path, node


def put(node, path, value):  # type: ignore[no-untyped-def]
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def mutant(record: dict, rng: random.Random, bundle) -> tuple[bytes, str, bool]:  # type: ignore[no-untyped-def, type-arg]
    """A file body, what was done, and whether it must be refused."""
    data = fresh(record, rng)
    text = json.dumps(data, ensure_ascii=False, indent=rng.choice([None, 2]))
    kind = rng.choice(["leaf", "leaf", "leaf", "delete", "extra", "dup", "constant", "bignum", "utf8", "truncate",
                       "nested", "surrogate", "hash", "other_module", "label", "unknown_question", "unknown_option",
                       "twice", "long_note", "long_text", "out_of_range", "oversized", "good", "good"])
    answers = data["answers"]
    if kind == "leaf":
        path, _old = rng.choice([(p, v) for p, v in leaves(data) if p])
        put(data, path, copy.deepcopy(rng.choice(HOSTILE)))
        return json.dumps(data).encode(), f"leaf {path}", False
    if kind == "delete":
        path, _old = rng.choice([(p, v) for p, v in leaves(data) if p and isinstance(p[-1], str)])
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        del parent[path[-1]]
        required = path[-1] not in ("note", "value", "dont_know", "completed", "pack", "pack_version") and \
            path[:2] != ("company", "profile")
        return json.dumps(data).encode(), f"delete {path}", required
    if kind == "extra":
        objects = [p for p, v in leaves(data) if isinstance(v, dict)]
        path = rng.choice(objects)
        target = data
        for part in path:
            target = target[part]
        target["secret_" + str(rng.randrange(99))] = "x"
        return json.dumps(data).encode(), f"extra field in {path}", True
    if kind == "dup":
        key = rng.choice(['"format": ', '"uid": ', '"name": ', '"question_id": ', '"value": ', '"lang": '])
        at = text.index(key)
        value_end = text.index(",", at) if "," in text[at:] else len(text)
        body = text[:at] + text[at:value_end] + ", " + text[at:]
        return body.encode(), f"duplicate key {key}", True
    if kind == "constant":
        word = rng.choice(["NaN", "Infinity", "-Infinity"])
        return text.replace('"format_version": 1', f'"format_version": {word}', 1).encode(), word, True
    if kind == "bignum":
        number = rng.choice(["1" + "0" * 5000, "1e999", "-1e400", "9" * 31])
        return text.replace('"format_version": 1', f'"format_version": {number}', 1).encode(), "big number", True
    if kind == "utf8":
        raw = bytearray(text.encode())
        at = rng.randrange(len(raw))
        raw[at:at] = bytes(rng.choice([[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]))
        return bytes(raw), f"invalid UTF-8 at byte {at}", True
    if kind == "truncate":
        at = rng.randrange(1, len(text) - 1)
        return text[:at].encode(), f"truncated at {at}", True
    if kind == "nested":
        depth = rng.choice([25, 1_000, 100_000])
        if rng.random() < 0.5:
            return ("[" * depth + "]" * depth).encode(), f"{depth} nested [", True
        data["answers"][0]["value"] = "__NEST__"
        return json.dumps(data).replace('"__NEST__"', "[" * depth + "]" * depth).encode(), f"{depth} nested value", True
    if kind == "surrogate":
        return text.replace('"name": "', '"name": "\\udc80', 1).encode(), "lone surrogate", True
    if kind == "hash":
        data["questionnaire"]["content_hash"] = "%064x" % rng.getrandbits(256)
        return json.dumps(data).encode(), "unknown hash", True
    if kind == "other_module":
        other = next(q for q in bundle.questionnaires if q.id != data["questionnaire"]["id"])
        data["questionnaire"]["content_hash"] = other.content_hash()
        return json.dumps(data).encode(), "the hash of another module", True
    if kind == "label":
        data["questionnaire"]["pack"], data["questionnaire"]["pack_version"] = "forged-pack", "9.9"
        return json.dumps(data).encode(), "forged pack label", True
    if kind == "unknown_question":
        rng.choice(answers)["question_id"] = rng.choice(["nowhere", "textile_tiers", "x" * 64])
        return json.dumps(data).encode(), "unknown question", True
    if kind == "unknown_option":
        choice = [a for a in answers if isinstance(a["value"], str) and not a["dont_know"] and " " not in a["value"]]
        rng.choice(choice)["value"] = "not_an_option"
        return json.dumps(data).encode(), "unknown option", True
    if kind == "twice":
        answers.append(copy.deepcopy(rng.choice(answers)))
        return json.dumps(data).encode(), "a question answered twice", True
    if kind == "long_note":
        rng.choice(answers)["note"] = "n" * (MAX_NOTE + 1)
        return json.dumps(data).encode(), "note over the limit", True
    if kind == "long_text":
        data["company"]["profile"]["name"] = "N" * 301
        return json.dumps(data).encode(), "name over the limit", True
    if kind == "out_of_range":
        numbers = [a for a in answers if isinstance(a["value"], (int, float)) and not isinstance(a["value"], bool)]
        target = rng.choice(numbers) if numbers else answers[0]
        target["value"], target["dont_know"] = rng.choice([-5, 1e13, 1e300]), False
        return json.dumps(data).encode(), "number out of range", True
    if kind == "oversized":
        data["pad"] = "x" * (MAX_EXPORT_BYTES + 10)
        return json.dumps(data).encode(), "oversized file", True
    return json.dumps(data, ensure_ascii=False).encode(), "good", False


def test_mutated_exchange_files_are_refused_with_a_reason_and_change_nothing(tmp_path, bundle, seed):
    rng = random.Random(42)
    failures: list[str] = []
    counts = {"refused": 0, "imported": 0, "updated": 0, "unchanged": 0}
    slowest = 0.0
    store = None
    for case in range(CASES):
        if case % 25 == 0:  # a fresh federation database now and then keeps the comparison cheap
            if store:
                store.close()
            store = Store(tmp_path / f"federation-{case}.db")
            import_file(store, bundle, write_export_dict(seed, tmp_path / "base.json"))  # something to protect
        body, what, must_refuse = mutant(seed, rng, bundle)
        path = tmp_path / f"case-{case}.json"
        path.write_bytes(body)
        where = f"case {case} ({what})"
        before = dump(store)
        start = time.perf_counter()
        try:
            result = import_file(store, bundle, path)
        except ImportProblem as exc:
            counts["refused"] += 1
            if not str(exc).strip() or "\n" in str(exc):
                failures.append(f"{where}: not a one-line reason: {str(exc)[:200]!r}")
            if dump(store) != before:
                failures.append(f"{where}: refused, but the database changed")
        except Exception as exc:  # noqa: BLE001 — what the suite looks for
            failures.append(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")
            if dump(store) != before:
                failures.append(f"{where}: crashed and the database changed")
        else:
            counts[result.status] += 1
            if must_refuse:
                failures.append(f"{where}: accepted ({result.status}), must be refused")
            if what == "good" and result.status != "imported":
                failures.append(f"{where}: a good file was {result.status}")
            if result.status == "imported":
                data = json.loads(body)
                if len(store.answers(result.assessment_id)) != len(data["answers"]):
                    failures.append(f"{where}: imported with answers missing")
        finally:
            slowest = max(slowest, time.perf_counter() - start)
        path.unlink()
    if LONG:
        print(f"\nFUZZ exchange files: {CASES} cases, {counts}, {len(failures)} failures, slowest {slowest:.2f} s")
    assert not failures, "\n".join(failures[:20])
    assert counts["refused"] > CASES // 2 and counts["imported"] > CASES // 20


def write_export_dict(record: dict, path: Path) -> Path:  # type: ignore[type-arg]
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def test_a_batch_with_hostile_files_imports_every_good_one(tmp_path, seed):
    """1,000 nested brackets once aborted the whole batch (RecursionError): now only that file is refused."""
    rng = random.Random(3)
    good = [write_export_dict(fresh(seed, rng), tmp_path / f"good-{n}.json") for n in range(3)]
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 1_000 + "]" * 1_000, encoding="utf-8")
    duplicate = tmp_path / "duplicate.json"
    duplicate.write_text(json.dumps(fresh(seed, rng)).replace('"lang": ', '"lang": "en", "lang": ', 1),
                         encoding="utf-8")
    nan = tmp_path / "nan.json"
    nan.write_text(json.dumps(fresh(seed, rng)).replace('"format_version": 1', '"format_version": NaN'),
                   encoding="utf-8")
    files = [nested, good[0], duplicate, good[1], nan, good[2]]
    db = tmp_path / "fed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "hrdd.cli", "--db", str(db), "import", *map(str, files)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "nested.json: refused: lists or objects nested more than 20 levels deep" in proc.stderr
    assert 'duplicate.json: refused: not accepted: the key "lang" appears twice in one object' in proc.stderr
    assert "nan.json: refused: not accepted: NaN is not a number JSON allows" in proc.stderr
    assert proc.stdout.count(": imported (company") == 3
    assert proc.stdout.strip().endswith("Imported or unchanged: 3; refused: 3.")
    store = Store(db)
    assert {store.assessment_by_uid(json.loads(p.read_text())["assessment"]["uid"]) is not None for p in good} == {True}


def test_a_newer_export_replaces_the_copy_imported_earlier_and_an_older_one_changes_nothing(tmp_path, bundle, seed):
    rng = random.Random(5)
    record = fresh(seed, rng)
    federation = Store(tmp_path / "fed.db")
    first = import_file(federation, bundle, write_export_dict(record, tmp_path / "v1.json"))
    assert first.status == "imported"
    # the member changes an answer and the company's size, and sends a new export of the same assessment
    newer = copy.deepcopy(record)
    updated = datetime.fromisoformat(record["assessment"]["updated"]) + timedelta(days=30)
    newer["assessment"]["updated"] = updated.isoformat()
    newer["company"]["profile"]["employees"] = 77
    dropped = newer["answers"].pop()["question_id"]
    newer["answers"][0]["note"] = "revised in spring"
    second = import_file(federation, bundle, write_export_dict(newer, tmp_path / "v2.json"))
    assert (second.status, second.assessment_id, second.company_id) == ("updated", first.assessment_id,
                                                                         first.company_id)
    answers = federation.answers(first.assessment_id)
    assert dropped not in answers and answers[newer["answers"][0]["question_id"]].note == "revised in spring"
    assert federation.company(first.company_id).profile.employees == 77
    assert federation.assessment(first.assessment_id).updated == updated.isoformat()
    snapshot = dump(federation)
    # the old file again, and the new one again: nothing changes
    assert import_file(federation, bundle, tmp_path / "v1.json").status == "unchanged"
    assert import_file(federation, bundle, tmp_path / "v2.json").status == "unchanged"
    assert dump(federation) == snapshot
    # the command line says what happened
    result = CliRunner().invoke(main, ["--db", str(federation.path), "import", str(tmp_path / "v1.json")])
    assert "v1.json: unchanged" in result.output
    newest = copy.deepcopy(newer)
    newest["assessment"]["updated"] = (updated + timedelta(days=1)).replace(tzinfo=timezone.utc).isoformat()
    result = CliRunner().invoke(main, ["--db", str(federation.path), "import",
                                       str(write_export_dict(newest, tmp_path / "v3.json"))])
    assert result.exit_code == 0
    assert "v3.json: updated: replaces the earlier copy of this assessment" in result.output


def test_a_forged_pack_label_never_relabels_local_assessments(tmp_path, bundle, seed):
    """A file claiming that the bundled module comes from a pack is refused; before, its label was stored
    with the questionnaire version and every local assessment of it was counted as that pack's."""
    rng = random.Random(9)
    federation = Store(tmp_path / "fed.db")
    forged = fresh(seed, rng)
    forged["questionnaire"]["pack"], forged["questionnaire"]["pack_version"] = "evil", "1.0"
    with pytest.raises(ImportProblem, match="the file says its questionnaire comes from pack 'evil' 1.0, but here "
                                            "it comes from hrdd's own modules"):
        import_file(federation, bundle, write_export_dict(forged, tmp_path / "forged.json"))
    assert federation.db["questionnaires"].count == 0
    company, local = create_demo(federation, bundle, "nl", modules=["due_diligence"])
    assert federation.pack_of(federation.assessment(local).content_hash) is None
    with pytest.raises(ImportProblem, match="pack 'evil'"):
        import_file(federation, bundle, tmp_path / "forged.json")
    assert federation.pack_of(federation.assessment(local).content_hash) is None
    assert export_assessment(federation, local).questionnaire.pack is None
