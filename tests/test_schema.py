"""The committed JSON Schemas match the models (editors validate packs with them)."""

from __future__ import annotations

import json

from hrdd.paths import questionnaires_dir
from hrdd.schema import schema_texts


def test_committed_schemas_are_current():
    for name, text in schema_texts().items():
        committed = (questionnaires_dir() / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run 'hrdd questionnaire schema'"


def test_schema_requires_all_three_languages():
    schema = json.loads(schema_texts()["questionnaire.schema.json"])
    assert set(schema["$defs"]["Text"]["required"]) == {"nl", "fr", "en"}
