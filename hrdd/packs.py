"""Questionnaire packs: a federation's versioned set of questionnaire files.

A pack is a folder with a ``pack.yaml`` (id, version, publisher, languages, description)
and YAML files in the questionnaire format. A file may add a new module
(``kind: questionnaire``) or extend a bundled one without copying it
(``kind: extension``: extra questions, and help texts with sector examples).

``hrdd pack install`` validates a pack completely and then copies it to the data folder
(``packs/<id>/<version>/``); several versions can be installed side by side, and the
newest one is used for new assessments. Assessments keep the questionnaire version they
were made with, so updating (or removing) a pack never changes earlier answers or reports.

Several packs may extend the same bundled module: their questions are merged (in the order
of the pack ids), and the module's version names every pack. A pack that would add a
question another installed pack already adds to that module, or change the same help text,
is refused at install with a message naming both.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .loader import (
    Bundle,
    LoadError,
    Problem,
    SectorMedian,
    SourceFile,
    _validate,
    content_problems,
    load_files,
    read_yaml,
)
from .i18n import _
from .models import LANGS, Question, Questionnaire, Slug, Text, _Strict
from .paths import data_dir

Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]


class PackMeta(_Strict):
    """``pack.yaml``: what the pack is and who publishes it."""

    kind: Literal["pack"]
    id: Slug
    version: Version
    publisher: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    languages: list[Literal["nl", "fr", "en"]] = Field(min_length=3)
    description: Text


class ModuleFigures(_Strict):
    median: float | None = Field(default=None, ge=0, le=100)
    steps: dict[Annotated[int, Field(ge=1, le=6)], Annotated[float, Field(ge=0, le=100)]] = Field(
        default_factory=dict)


class PackBenchmark(_Strict):
    """``benchmark.yaml`` written by ``hrdd benchmark``: sector medians members compare themselves with."""

    kind: Literal["benchmark"]
    pack: str
    sector: str | None = None
    companies: int = Field(ge=5)
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    modules: dict[Slug, ModuleFigures]


class AddedQuestion(_Strict):
    after: Slug | None = Field(default=None, description="Insert after this question (default: at the end).")
    question: Question


class HelpOverride(_Strict):
    question: Slug
    help: Text


class Extension(_Strict):
    """Extra questions and sector-specific help for a module the pack does not own."""

    kind: Literal["extension"]
    extends: Slug
    add_questions: list[AddedQuestion] = Field(default_factory=list)
    help: list[HelpOverride] = Field(default_factory=list)


@dataclass(frozen=True)
class Pack:
    meta: PackMeta
    folder: Path
    questionnaires: list[Questionnaire]
    """The pack's modules, and the bundled modules as it extends them."""
    benchmark: PackBenchmark | None = None
    extensions: tuple[tuple[Extension, SourceFile], ...] = ()
    """The pack's extensions of bundled modules, to merge them with other packs' extensions."""


def packs_dir() -> Path:
    return data_dir() / "packs"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


def apply_extension(base: Questionnaire, ext: Extension, pack: PackMeta, src: SourceFile) -> Questionnaire:
    """``base`` with the extension's questions and help texts; problems located in ``src``."""
    questions = list(base.questions)
    problems: list[Problem] = []
    for i, added in enumerate(ext.add_questions):
        ids = [q.id for q in questions]
        if added.question.id in ids:
            problems.append(src.problem(("add_questions", i, "question", "id"),
                                        f"question id '{added.question.id}' already exists in '{base.id}'"))
            continue
        if added.after is not None and added.after not in ids:
            problems.append(src.problem(("add_questions", i, "after"),
                                        f"'{base.id}' has no question '{added.after}'"))
            continue
        position = ids.index(added.after) + 1 if added.after else len(questions)
        questions.insert(position, added.question)
    for i, override in enumerate(ext.help):
        index = next((n for n, q in enumerate(questions) if q.id == override.question), None)
        if index is None:
            problems.append(src.problem(("help", i, "question"), f"'{base.id}' has no question '{override.question}'"))
            continue
        questions[index] = questions[index].model_copy(update={"help": override.help})
    if problems:
        raise LoadError(problems)
    return base.model_copy(update={"questions": questions, "version": f"{base.version}+{pack.id}.{pack.version}"})


def load_pack(folder: Path, bundled: Bundle) -> Pack:
    """Validate a pack folder against the bundled modules and catalogue; raise :class:`LoadError`."""
    meta_src = read_yaml(folder / "pack.yaml")
    meta = _validate(meta_src, PackMeta)
    assert isinstance(meta, PackMeta)
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "pack.yaml")
    kinds = {p: _kind(p) for p in files}
    modules = [p for p in files if kinds[p] == "questionnaire"]
    extensions = [p for p in files if kinds[p] == "extension"]
    figures = [p for p in files if kinds[p] == "benchmark"]
    problems: list[Problem] = [Problem(str(p), 1, 1, "kind",
                                       "expected 'kind: questionnaire', 'kind: extension' or 'kind: benchmark'")
                               for p in files if kinds[p] not in ("questionnaire", "extension", "benchmark")]
    benchmark = None
    for path in figures[:1]:
        try:
            loaded = _validate(read_yaml(path), PackBenchmark)
            assert isinstance(loaded, PackBenchmark)
            benchmark = loaded
        except LoadError as exc:
            problems += exc.problems
    own: list[Questionnaire] = []
    try:
        if modules:
            own = load_files(modules + [bundled_catalogue_file()]).questionnaires
    except LoadError as exc:
        problems += exc.problems
    clash = {q.id for q in own} & {q.id for q in bundled.questionnaires}
    problems += [Problem(str(folder), 1, 1, "id", f"module '{c}' is bundled already: use kind: extension")
                 for c in sorted(clash)]
    extended: list[Questionnaire] = []
    applied: list[tuple[Extension, SourceFile]] = []
    for path in extensions:
        try:
            src = read_yaml(path)
            ext = _validate(src, Extension)
            assert isinstance(ext, Extension)
            base = bundled.questionnaire(ext.extends)
            if base is None:
                raise LoadError([src.problem(("extends",), f"no bundled module '{ext.extends}'")])
            result = apply_extension(base, ext, meta, src)
            known_products = {p.id for p in bundled.reference.products.products} if bundled.reference else None
            added = {a.question.id: i for i, a in enumerate(ext.add_questions)}
            for loc, msg in content_problems(result, {r.id for r in bundled.catalogue.resources}, known_products):
                question = result.questions[loc[1]] if len(loc) > 1 and loc[0] == "questions" else None
                if question is not None and question.id in added:  # point at the extension's own question
                    problems.append(src.problem(("add_questions", added[question.id], "question", *loc[2:]), msg))
                elif question is None or question.id not in {q.id for q in base.questions}:
                    problems.append(src.problem(("extends",), msg))
            extended.append(result)
            applied.append((ext, src))
        except LoadError as exc:
            problems += exc.problems
    if problems:
        raise LoadError(problems)
    missing = [lang for lang in LANGS if lang not in meta.languages]
    if missing:
        raise LoadError([meta_src.problem(("languages",), f"every pack must cover nl, fr and en (missing {missing})")])
    return Pack(meta, folder, own + extended, benchmark, tuple(applied))


def _kind(path: Path) -> str | None:
    try:
        data = read_yaml(path).data
    except LoadError:
        return "questionnaire"  # let the questionnaire loader report the syntax error
    return data.get("kind") if isinstance(data, dict) else None


def bundled_catalogue_file() -> Path:
    """Pack modules link to the bundled support catalogue."""
    from .paths import questionnaires_dir

    return questionnaires_dir() / "resources.yaml"


def install_pack(source: Path, bundled: Bundle) -> Pack:
    """Validate ``source`` (a folder), then copy it to ``packs/<id>/<version>/``."""
    pack = load_pack(source, bundled)
    others = [p for p in installed_packs(bundled) if p.meta.id != pack.meta.id]
    problems = [problem for other in others for problem in extension_conflicts(pack, other)]
    if problems:
        raise LoadError(problems)
    target = packs_dir() / pack.meta.id / pack.meta.version
    if target.resolve() == source.resolve():
        return pack  # already installed from here
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{pack.meta.version}-", dir=target.parent))
    try:
        shutil.copytree(source, staging, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", ".*"),
                        dirs_exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)  # the old version is replaced only once the new one is complete
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Pack(pack.meta, target, pack.questionnaires, pack.benchmark, pack.extensions)


def extension_conflicts(pack: Pack, other: Pack) -> list[Problem]:
    """Where ``pack`` and ``other`` extend the same module in ways that cannot both hold:
    the same question added twice, or the same help text changed twice."""
    problems: list[Problem] = []
    for ext, src in pack.extensions:
        for other_ext, _src in other.extensions:
            if other_ext.extends != ext.extends:
                continue
            theirs = {a.question.id for a in other_ext.add_questions}
            for i, added in enumerate(ext.add_questions):
                if added.question.id in theirs:
                    problems.append(src.problem(("add_questions", i, "question", "id"), _(
                        "question '{question}' is added to '{module}' by the installed pack '{pack}' "
                        "{version} too: rename it, or remove that pack first (hrdd pack remove {pack})").format(
                            question=added.question.id, module=ext.extends, pack=other.meta.id,
                            version=other.meta.version)))
            theirs = {h.question for h in other_ext.help}
            for i, override in enumerate(ext.help):
                if override.question in theirs:
                    problems.append(src.problem(("help", i, "question"), _(
                        "the help of '{question}' in '{module}' is changed by the installed pack '{pack}' "
                        "{version} too: leave it out, or remove that pack first (hrdd pack remove {pack})").format(
                            question=override.question, module=ext.extends, pack=other.meta.id,
                            version=other.meta.version)))
    return problems


def remove_pack(pack_id: str, version: str | None = None) -> list[Path]:
    """Remove an installed pack (every version, or only ``version``); return the folders removed.

    Assessments made with it keep their questions: each assessment has its own copy of the
    questionnaire version it used, in the database."""
    folder = packs_dir() / pack_id
    if not pack_id or "/" in pack_id or "\\" in pack_id or pack_id.startswith(".") or not folder.is_dir():
        raise LookupError(pack_id)
    targets = [folder / version] if version else sorted(p for p in folder.iterdir() if p.is_dir())
    if version and not targets[0].is_dir():
        raise LookupError(f"{pack_id} {version}")
    for target in targets:
        shutil.rmtree(target)
    if not any(folder.iterdir()):
        folder.rmdir()
    return targets


def installed_packs(bundled: Bundle) -> list[Pack]:
    """The newest installed version of every pack (packs that no longer load are skipped)."""
    packs = []
    if not packs_dir().is_dir():
        return packs
    for pack_dir in sorted(p for p in packs_dir().iterdir() if p.is_dir()):
        versions = sorted((v for v in pack_dir.iterdir() if (v / "pack.yaml").is_file()),
                          key=lambda v: _version_key(v.name) if v.name.replace(".", "").isdigit() else (0,))
        for version in reversed(versions):
            try:
                packs.append(load_pack(version, bundled))
                break
            except LoadError:
                continue
    return packs


def with_packs(bundled: Bundle) -> Bundle:
    """The bundle as the user sees it: bundled modules, extended or joined by installed packs.

    Extensions of the same bundled module by several packs are merged, in the order of the
    pack ids; the module then records every pack ("a+b", "1.0+2.0")."""
    questionnaires = {q.id: q for q in bundled.questionnaires}
    origin: dict[str, tuple[str, str]] = {}
    medians: dict[str, SectorMedian] = {}
    for pack in installed_packs(bundled):
        extended = {ext.extends for ext, _src in pack.extensions}
        for q in pack.questionnaires:
            if q.id not in extended:
                questionnaires[q.id] = q
                origin[q.id] = (pack.meta.id, pack.meta.version)
        for ext, src in pack.extensions:
            try:
                questionnaires[ext.extends] = apply_extension(questionnaires[ext.extends], ext, pack.meta, src)
            except LoadError:
                continue  # clashes with an earlier pack (refused at install; 'hrdd pack list' says so)
            before = origin.get(ext.extends)
            origin[ext.extends] = (pack.meta.id, pack.meta.version) if before is None else (
                f"{before[0]}+{pack.meta.id}", f"{before[1]}+{pack.meta.version}")
        if pack.benchmark:
            for module_id, figures in pack.benchmark.modules.items():
                medians[module_id] = SectorMedian(figures.median, dict(figures.steps), pack.benchmark.companies,
                                                  pack.benchmark.date, pack.meta.publisher)
    return Bundle(list(questionnaires.values()), bundled.catalogue,
                  {q.id: q.content_hash() for q in questionnaires.values()}, bundled.reference, origin, medians)
