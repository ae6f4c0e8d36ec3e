"""JSON Schemas for questionnaire, resource and export files, generated from the models.

The committed copies in ``questionnaires/schema/`` let editors validate packs as they
type; a test fails when they no longer match the models (``hrdd questionnaire schema``
rewrites them).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .exchange import ExportFile
from .models import Catalogue, Questionnaire

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "questionnaire.schema.json": Questionnaire, "resources.schema.json": Catalogue, "export.schema.json": ExportFile}


def schema_texts() -> dict[str, str]:
    """File name → JSON text of each schema."""
    out = {}
    for name, model in SCHEMA_FILES.items():
        schema = model.model_json_schema(by_alias=True)
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
