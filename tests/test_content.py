"""The bundled content is grounded and complete: sources, steps, red flags with help, three languages."""

from __future__ import annotations

import pytest

from hrdd.models import LANGS, Text


def all_texts(model, path=""):
    """Every Text inside a pydantic model, with where it is."""
    if isinstance(model, Text):
        yield path, model
        return
    if isinstance(model, list):
        for i, item in enumerate(model):
            yield from all_texts(item, f"{path}[{i}]")
        return
    fields = getattr(type(model), "model_fields", None)
    if fields:
        for name in fields:
            yield from all_texts(getattr(model, name), f"{path}.{name}")


def test_every_module_is_there(bundle):
    assert {q.id for q in bundle.questionnaires} >= {"due_diligence", "children", "conflict_minerals"}


@pytest.mark.parametrize("module", ["due_diligence", "children", "forced_labour", "conflict_minerals"])
def test_module_is_grounded(bundle, module):
    q = bundle.questionnaire(module)
    if q is None:
        pytest.skip(f"{module} not bundled")
    known = {r.id for r in bundle.catalogue.resources}
    steps = range(1, 6) if q.framework == "oecd_minerals" else range(1, 7)
    assert {x.step for x in q.questions} == set(steps), "every step has questions"
    for question in q.questions:
        assert question.refs, question.id
        assert question.step in steps
        assert set(question.resources) <= known
        if question.scored:
            assert question.action is not None, question.id
        for option in question.options:
            if option.red_flag:
                assert option.red_flag.resources and set(option.red_flag.resources) <= known
    assert any(o.red_flag for x in q.questions for o in x.options), "at least one red flag"
    assert q.nap


def test_no_text_is_missing_or_left_untranslated(bundle):
    suspicious = []
    for q in bundle.questionnaires:
        for path, text in all_texts(q, q.id):
            values = [text.get(lang) for lang in LANGS]
            assert all(v.strip() for v in values), path
            long_enough = len(text.en) > 25
            if long_enough and (text.nl == text.en or text.fr == text.en or text.nl == text.fr):
                suspicious.append(path)
    assert not suspicious, suspicious


def test_belgian_usage_in_questionnaires(bundle):
    nl = " ".join(t.nl for q in bundle.questionnaires for _, t in all_texts(q)).lower()
    fr = " ".join(t.fr for q in bundle.questionnaires for _, t in all_texts(q)).lower()
    assert "mkb" not in nl and "kmo" in nl and "onderneming" in nl
    assert "pme" in fr and "entreprise" in fr


def test_catalogue_entries_are_complete(bundle):
    for r in bundle.catalogue.resources:
        assert r.urls.get("en").startswith("https://")
        assert r.region in {"federal", "flanders", "wallonia", "brussels", "eu", "international"}
        assert r.source
