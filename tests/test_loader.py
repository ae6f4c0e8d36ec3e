"""A questionnaire file with mistakes is reported per problem, at the right line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hrdd.loader import LoadError, load_files

DATA = Path(__file__).parent / "data"


def problems_of(*paths: Path) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_files(list(paths))
    return [str(p) for p in info.value.problems]


def test_broken_file_reports_line_field_and_expectation():
    problems = problems_of(DATA / "broken.yaml")
    broken = str(DATA / "broken.yaml")
    assert f"{broken}:17:11: questions[1].text.en: required field is missing" in problems
    assert any(p.startswith(f"{broken}:25:11: questions[2].step:") and "less than or equal to 6" in p
               for p in problems)
    assert any(p.startswith(f"{broken}:27:24: questions[2].refs[0].framework:") and "'UNGP'" in p
               for p in problems)


def write(tmp_path: Path, text: str, name: str = "q.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "kind: questionnaire\nid: x\ntitle: {nl: a, fr: b\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:4:1: YAML syntax:")


def test_duplicate_key_is_an_error(tmp_path):
    path = write(tmp_path, "kind: resources\nkind: resources\nresources: []\n")
    assert f"{path}:2:1: kind: duplicate key 'kind'" in problems_of(path)


def test_cross_question_problems_point_at_the_question(tmp_path):
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    # make the third question depend on a later one and give the fourth a duplicate id
    text = text.replace("    applies_if: {answer: policy, in: [draft, adopted]}",
                        "    applies_if: {answer: suppliers, in: [draft]}")
    text = text.replace("  - id: suppliers", "  - id: policy")
    path = write(tmp_path, text)
    problems = problems_of(path, DATA / "mini_resources.yaml")
    lines = text.splitlines()
    dup_line = next(i for i, line in enumerate(lines, 1) if line == "  - id: policy" and i > 10)
    cond_line = next(i for i, line in enumerate(lines, 1) if "answer: suppliers" in line)
    assert any(p.startswith(f"{path}:{dup_line}:") and "duplicate question id 'policy'" in p for p in problems)
    assert any(p.startswith(f"{path}:{cond_line}:") and "unknown question 'suppliers'" in p for p in problems)


def test_condition_on_a_later_question_is_an_error(tmp_path):
    text = (DATA / "mini.yaml").read_text(encoding="utf-8").replace(
        "{answer: policy, in: [draft, adopted]}", "{answer: grievance, in: [\"yes\"]}")
    path = write(tmp_path, text)
    assert any("depends on a later question 'grievance'" in p
               for p in problems_of(path, DATA / "mini_resources.yaml"))


def test_unknown_resource_and_untranslated_text(tmp_path):
    text = (DATA / "mini.yaml").read_text(encoding="utf-8").replace(
        "resources: [toolbox]", "resources: [nowhere]").replace(
        "{nl: Hoeveel leveranciers?", "{nl: How many suppliers?").replace('"Hoeveel leveranciers?"',
                                                                          '"How many suppliers?"')
    path = write(tmp_path, text)
    problems = problems_of(path, DATA / "mini_resources.yaml")
    assert any("unknown resource id 'nowhere'" in p and "resources[0]" in p for p in problems)
    assert any("questions[3].text" in p and "same text in two languages" in p for p in problems)


def test_yes_and_no_stay_option_ids(mini):
    grievance = mini.questionnaire("mini").question("grievance")
    assert [o.id for o in grievance.options] == ["yes", "no"]


def test_cli_validate_prints_problems_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "hrdd.cli", "questionnaire", "validate",
                           str(DATA / "broken.yaml")], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "broken.yaml:17:11: questions[1].text.en: required field is missing" in proc.stderr


def test_cli_validate_accepts_every_bundled_file(bundle):
    from hrdd.paths import questionnaires_dir

    reference = sorted((questionnaires_dir() / "reference").glob("*.yaml"))  # legal, products, glossary
    assert {p.name for p in reference} >= {"legal.yaml", "products.yaml", "glossary.yaml"}
    proc = subprocess.run([sys.executable, "-m", "hrdd.cli", "questionnaire", "validate",
                           str(questionnaires_dir()), *map(str, reference)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK. Files: ")


def test_a_glossary_pattern_that_is_no_regular_expression_names_the_line(tmp_path):
    path = write(tmp_path, """kind: glossary
as_of: "2026-12-02"
terms:
  - id: remedy
    concept: "Remedy (UNGP pillar III)."
    preferred: {nl: herstel, fr: réparation, en: remedy}
    avoid:
      nl:
        - {variant: "remedie", pattern: "remedie(("}
""", "glossary.yaml")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:9:") and "terms[0].avoid.nl[0].pattern" in problem, problem
    assert "not a regular expression" in problem


def test_a_bad_nace_section_on_a_resource_names_the_line(tmp_path):
    text = (DATA / "mini_resources.yaml").read_text(encoding="utf-8").replace(
        "    region: flanders\n", "    region: flanders\n    nace: [F, Z]\n", 1)
    path = write(tmp_path, text, "resources.yaml")
    problems = problems_of(path)
    line = text.splitlines().index("    nace: [F, Z]") + 1
    assert any(p.startswith(f"{path}:{line}:") and "resources[1].nace[1]" in p and "'U'" in p for p in problems), problems
