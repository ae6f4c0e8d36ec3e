"""Hostile and mutated questionnaire, resource and pack files: every one ends in the data or in
``file:line:col`` problems — never a traceback, never unbounded work.

The mutations are generated from fixed seeds, so a failure is reproducible: its message names
the seed and the mutation. ``HRDD_FUZZ_LONG=1`` runs many more cases.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from hrdd.cli import main
from hrdd.limits import MAX_PACK_FILES, MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_VALUES
from hrdd.loader import LoadError, load_files, load_model, read_yaml
from hrdd.models import LegalRadar, ProductTable
from hrdd.packs import install_pack, installed_packs, load_pack, packs_dir
from hrdd.paths import questionnaires_dir

LONG = os.environ.get("HRDD_FUZZ_LONG") == "1"
CASES = 10_000 if LONG else 300
PACK_CASES = 5_000 if LONG else 150
DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
EXAMPLE = questionnaires_dir() / "example-pack"

BOMB = ("lol: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n")
"""401 bytes that would expand to 43 million values (took 199 s before the value limit)."""

HOSTILE_VALUES = [
    "9" * 5000, "1" + "0" * 40, "-" + "9" * 31, "0x" + "f" * 40, "1e999", "-.inf", ".nan", "1_000_000_000_000_000_000",
    "2026-13-45", "2026-02-30 25:61:61", "!!timestamp nonsense", "!!int nonsense", "!!float [1]", "!!binary ###",
    "!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!custom tag", "!!set {a, b}",
    "&self [*self]", "*undefined", "[" * 200 + "]" * 200, "{" * 60 + "}" * 60, "[" * 60 + "]" * 60,
    "<b>bold</b> & <font color='[[[getattr(pow, Word('__globals__'))]]]'>x</font>", "'" + "x" * 20_000 + "'",
    "\"\\x00\\x07\\ud800\"", "\"\\U0010FFFF\"", "שלום עליכם", "مرحبا", "漢字テスト", "👩‍👩‍👧‍👦" * 50, "~", "null", "''",
    "[]", "{}", "true", "False", "yes", "no", "0", "-1", "101", "7", "3.5", "- a\n- b", "|\n  block", "? complex",
    "{profile: employees, min: .inf}", "{profile: employees, min: 10, max: 1}", "{not: {not: {not: {not: {}}}}}",
]
HOSTILE_CHARS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe",
                 "\t", "\r", "{", "}", "[", "]", "&", "*", "!", "|", ">", "%", "@", "`", "#", ":", "-", "?", "'",
                 '"', "\\"]


@dataclass
class Stats:
    """What a fuzz target did; printed at the end of the long run."""

    cases: int = 0
    refused: int = 0
    accepted: int = 0
    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0

    def report(self, name: str) -> None:
        if LONG:
            print(f"\nFUZZ {name}: {self.cases} cases, {self.refused} refused, {self.accepted} accepted, "
                  f"{len(self.failures)} failures, slowest {self.slowest:.2f} s")


def mutate(text: str, rng: random.Random) -> tuple[str | bytes, str, bool]:
    """A mutated copy of ``text``, what was done, and whether line 1 may be where the problem is."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    kind = rng.choice(["delete", "duplicate", "swap", "indent", "value", "value", "value", "char", "char", "bytes",
                       "truncate", "block", "splice"])
    first = i == 0
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        first = first or j == 0
    elif kind == "indent":
        lines[i] = (" " * rng.randint(1, 3) + lines[i]) if rng.random() < 0.5 else lines[i][rng.randint(1, 3):]
    elif kind == "value":
        candidates = [n for n, line in enumerate(lines) if re.search(r":\s+\S", line)]
        i = rng.choice(candidates) if candidates else i
        first = i == 0
        head = re.match(r"^(.*?:\s+)", lines[i])
        lines[i] = (head.group(1) if head else lines[i] + ": ") + rng.choice(HOSTILE_VALUES)
    elif kind == "char":
        line = lines[i]
        at = rng.randrange(len(line) + 1)
        lines[i] = line[:at] + rng.choice(HOSTILE_CHARS) * rng.choice([1, 1, 1, 3]) + line[at:]
    elif kind == "bytes":
        raw = bytearray(text.encode("utf-8"))
        at = rng.randrange(len(raw))
        raw[at:at] = bytes(rng.choice([[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88], [0x00], [0xC0, 0xAF]]))
        return bytes(raw), f"bytes at {at}", True
    elif kind == "truncate":
        at = rng.randrange(len(text))
        return text[:at], f"truncate at {at}", True
    elif kind == "block":
        block = rng.choice([BOMB, "x: &a [*a]\n", "deep: " + "[" * (MAX_YAML_DEPTH + 5) + "]" * (MAX_YAML_DEPTH + 5),
                            "many: [" + "1, " * (MAX_YAML_VALUES + 10) + "1]",
                            "m: &m {a: 1}\nn: {<<: *m, b: 2}", "? [complex, key]\n: value",
                            "x: !!python/object/new:os.system [echo]", "%YAML 1.1\n---", "--- a\n--- b",
                            "k" * 2000 + ": v", "x: " + "y" * 300_000])
        lines.insert(i, block)
    else:  # splice lines of the file into another place
        j = rng.randrange(len(lines))
        lines[i:i] = lines[j:j + rng.randint(1, 8)]
    return "\n".join(lines), f"{kind} at line {i + 1}", first or kind == "block"


def check_problems(exc: LoadError, files: dict[str, str | bytes], where: str) -> list[str]:
    """Every problem names a given file, a line and column inside it, and a one-line message."""
    bad = []
    for p in exc.problems:
        body = files.get(p.file)
        if body is None:
            bad.append(f"{where}: problem about an unexpected file {p.file!r}")
            continue
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        lines = max(text.count("\n"), len(text.splitlines())) + 2
        if not (1 <= p.line <= lines and p.column >= 1):
            bad.append(f"{where}: position {p.line}:{p.column} outside the file ({lines} lines): {p}")
        if not p.message or "\n" in p.message or not re.match(r"^.+:\d+:\d+: ", str(p)):
            bad.append(f"{where}: not one line 'file:line:col: message': {str(p)[:200]!r}")
    return bad


def run_case(stats: Stats, where: str, action, files: dict[str, str | bytes]) -> LoadError | None:  # type: ignore[no-untyped-def]
    stats.cases += 1
    start = time.perf_counter()
    try:
        action()
        stats.accepted += 1
        return None
    except LoadError as exc:
        stats.refused += 1
        stats.failures += check_problems(exc, files, where)
        return exc
    except Exception as exc:  # noqa: BLE001 — this is what the suite looks for
        stats.failures.append(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")
        return None
    finally:
        stats.slowest = max(stats.slowest, time.perf_counter() - start)


SEEDS = {
    "mini.yaml": (DATA / "mini.yaml", "questionnaire"),
    "resources.yaml": (questionnaires_dir() / "resources.yaml", "questionnaire"),
    "conflict_minerals.yaml": (questionnaires_dir() / "conflict_minerals.yaml", "questionnaire"),
    "legal.yaml": (questionnaires_dir() / "reference" / "legal.yaml", "legal"),
    "products.yaml": (questionnaires_dir() / "reference" / "products.yaml", "products"),
}
WEIGHTS = {"mini.yaml": 12, "resources.yaml": 2, "conflict_minerals.yaml": 1, "legal.yaml": 2, "products.yaml": 1}


def test_mutated_questionnaire_and_reference_files_end_in_data_or_located_problems(tmp_path):
    rng = random.Random(20261201)
    stats = Stats()
    only_first_line = []
    names = list(SEEDS)
    texts = {name: path.read_text(encoding="utf-8") for name, (path, _kind) in SEEDS.items()}
    copy = tmp_path / "copy-of-resources.yaml"
    shutil.copy(questionnaires_dir() / "resources.yaml", copy)
    for case in range(CASES):
        name = rng.choices(names, weights=[WEIGHTS[n] for n in names])[0]
        source, kind = SEEDS[name]
        body, what, first = mutate(texts[name], rng)
        path = tmp_path / f"{case}-{name}"
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass"))
        where = f"case {case} ({name}, {what})"
        files = {str(path): body}
        if kind == "legal":
            action = lambda: load_model(path, LegalRadar)  # noqa: E731
        elif kind == "products":
            action = lambda: load_model(path, ProductTable)  # noqa: E731
        elif name == "mini.yaml":
            files[str(DATA / "mini_resources.yaml")] = (DATA / "mini_resources.yaml").read_text(encoding="utf-8")
            action = lambda: load_files([path, DATA / "mini_resources.yaml"])  # noqa: E731
        else:
            action = lambda: load_files([path])  # noqa: E731
        if case % 15 == 0:  # the command line too, with a copy of the catalogue next to the file
            result = CliRunner().invoke(main, ["questionnaire", "validate", "--alone", str(path), str(copy)])
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                stats.failures.append(f"{where}: validate: {type(result.exception).__name__}: {result.exception}")
        refused = run_case(stats, where, action, files)
        top_level_missing = refused and all(p.message == "required field is missing" and p.path.isidentifier()
                                            for p in refused.problems)  # about the whole file: its line 1
        if refused and not first and not top_level_missing and all((p.line, p.column) == (1, 1)
                                                                   for p in refused.problems):
            only_first_line.append(f"{where}: {refused.problems[0]}")
        path.unlink()
    stats.report("questionnaire files")
    assert not stats.failures, "\n".join(stats.failures[:20])
    assert stats.refused > CASES // 3 and stats.accepted > 0  # the mutations do reach both ends
    assert not only_first_line, "\n".join(only_first_line[:20])


def test_mutated_packs_are_refused_with_located_problems_and_install_nothing(tmp_path, bundle):
    rng = random.Random(7)
    stats = Stats()
    runner = CliRunner()
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.yaml"))}
    for case in range(PACK_CASES):
        folder = tmp_path / f"pack{case}"
        shutil.copytree(EXAMPLE, folder)
        name = rng.choice(sorted(texts))
        body, what, _first = mutate(texts[name], rng)
        (folder / name).write_bytes(body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass"))
        files = {str(folder / n): (folder / n).read_bytes() for n in texts}
        files[str(folder)] = ""
        where = f"pack case {case} ({name}, {what})"
        if case % 10 == 0:  # installed: a refusal leaves the packs folder as it was
            before = sorted(str(p) for p in packs_dir().rglob("*")) if packs_dir().exists() else []
            refusals = stats.refused
            if case % 50 == 0:  # through the command line, as a federation would run it
                stats.cases += 1
                result = runner.invoke(main, ["pack", "install", str(folder)])
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    stats.failures.append(f"{where}: {type(result.exception).__name__}: {result.exception}")
                elif result.exit_code == 0:
                    stats.accepted += 1
                else:
                    stats.refused += 1
                    stats.failures += [f"{where}: not 'file:line:col': {line[:200]!r}"
                                       for line in result.output.splitlines()[:-1]
                                       if not re.match(r"^.+:\d+:\d+: ", line)]
            else:
                run_case(stats, where, lambda: install_pack(folder, bundle), files)
            after = sorted(str(p) for p in packs_dir().rglob("*")) if packs_dir().exists() else []
            if stats.refused > refusals and after != before:
                stats.failures.append(f"{where}: a refused pack changed the packs folder")
            shutil.rmtree(packs_dir(), ignore_errors=True)
        else:
            run_case(stats, where, lambda: load_pack(folder, bundle), files)
        shutil.rmtree(folder)
    stats.report("packs")
    assert not stats.failures, "\n".join(stats.failures[:20])
    assert stats.refused > PACK_CASES // 3


def test_the_limits_refuse_early_with_a_clear_message(tmp_path):
    cases = {
        "bomb.yaml": (BOMB, f"more than {MAX_YAML_VALUES:,} values"),
        "recursive.yaml": ("kind: questionnaire\nx: &a [*a]\n", f"nested more than {MAX_YAML_DEPTH} levels"),
        "deep.yaml": ("kind: questionnaire\nx: " + "[" * 5000 + "]" * 5000, "nesting depth"),
        "nul.yaml": ("kind: questionnaire\nid: a\x00b\n", "2:6: control character U+0000"),
        "bell.yaml": ("kind: questionnaire\n\nid: ab\x07\n", "3:7: control character U+0007"),
        "huge-int.yaml": ("kind: questionnaire\nnap: [" + "9" * 5000 + "]\n", "2:7: nap[0]: a number with more"),
        "bad-date.yaml": ("kind: legal\nas_of: 2026-13-45\n", "2:8: as_of: cannot read the value '2026-13-45'"),
        "bad-tag.yaml": ("kind: legal\nas_of: !!timestamp nonsense\n", "cannot read the value 'nonsense'"),
        "python-tag.yaml": ("kind: legal\nx: !!python/object/apply:os.system ['echo']\n", "2:4: x: YAML tag"),
        "python-name.yaml": ("kind: legal\nx: !!python/name:os.system\n", "2:4: x: YAML: could not"),
        "bad-utf8.yaml": (b"kind: legal\nas_of: \xff\n", "2:8: not UTF-8 text"),
        "null-key.yaml": ("kind: legal\n&x: 1\n", "2:1: expected a plain key (a name), not '(empty)'"),
        "date-key.yaml": ("kind: legal\n2026-01-01: 1\n", "2:1: expected a plain key (a name), not '2026-01-01'"),
        "infinite.yaml": ((DATA / "mini.yaml").read_text(encoding="utf-8").replace(
            "kind: number\n", "kind: number\n    max: .inf\n"), "max: Input should be a finite number"),
        "min-over-max.yaml": ((DATA / "mini.yaml").read_text(encoding="utf-8").replace(
            "kind: number\n", "kind: number\n    min: 10\n    max: 1\n"), "'min' (10) is larger than 'max' (1)"),
    }
    for name, (body, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        with pytest.raises(LoadError) as info:
            load_files([path, DATA / "mini_resources.yaml"])
        assert any(expected in str(p) for p in info.value.problems), (name, [str(p) for p in info.value.problems])
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_YAML_BYTES)
    with pytest.raises(LoadError, match=f"{big}:1:1: the file is larger than {MAX_YAML_BYTES:,} bytes"):
        read_yaml(big)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # would block a reader for ever
    with pytest.raises(LoadError, match="not a regular file"):
        read_yaml(fifo)


def test_the_command_line_prints_located_problems_and_no_traceback(tmp_path):
    files = []
    for n, body in enumerate([BOMB, "x: &a [*a]\n", "kind: questionnaire\nid: a\x00b\n", "nap: [" + "9" * 5000 + "]",
                              "kind: legal\nas_of: 2026-13-45\n", "kind: questionnaire\nid: " + "[" * 3000]):
        path = tmp_path / f"hostile-{n}.yaml"
        path.write_text(body, encoding="utf-8")
        files.append(str(path))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "hrdd.cli", "questionnaire", "validate", "--alone", *files],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert re.search(r"^\d+ problems? found\.$", lines[-1]), lines[-1]
    assert all(re.match(r"^.+hostile-\d\.yaml:\d+:\d+: ", line) for line in lines[:-1]), lines
    assert {line.split(":")[0] for line in lines[:-1]} == set(files)


def test_a_pack_with_links_or_too_many_files_is_refused_and_never_followed(tmp_path, bundle):
    linked = tmp_path / "linked"
    shutil.copytree(EXAMPLE, linked)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (linked / "data").symlink_to(outside, target_is_directory=True)
    with pytest.raises(LoadError, match="is a symbolic link"):
        install_pack(linked, bundle)
    (linked / "data").unlink()
    (linked / "extra.yaml").symlink_to(EXAMPLE / "textiles.yaml")
    with pytest.raises(LoadError, match="extra.yaml:1:1: is a symbolic link"):
        load_pack(linked, bundle)
    (linked / "extra.yaml").unlink()
    (linked / "notes").mkdir()  # a sub-folder is not part of the pack and is not copied
    (linked / "notes" / "big.bin").write_bytes(b"x" * 1000)
    installed = install_pack(linked, bundle)
    assert sorted(p.name for p in installed.folder.iterdir()) == ["pack.yaml", "textiles.yaml"]
    crowded = tmp_path / "crowded"
    shutil.copytree(EXAMPLE, crowded)
    for n in range(MAX_PACK_FILES):
        (crowded / f"x{n}.yaml").write_text("kind: extension\n", encoding="utf-8")
    with pytest.raises(LoadError, match=f"a pack holds at most {MAX_PACK_FILES}"):
        load_pack(crowded, bundle)
    assert [p.meta.id for p in installed_packs(bundle)] == ["example-textiles"]
