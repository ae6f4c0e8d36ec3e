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

import os
import re
import shutil
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .i18n import _
from .limits import MAX_ID, MAX_OPTIONS, MAX_PACK_FILES, MAX_QUESTIONS
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
from .models import LANGS, Question, Questionnaire, Slug, Text, _Strict
from .paths import data_dir

VERSION_PATTERN = r"^\d{1,9}\.\d{1,9}(\.\d{1,9})?$"
Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN)]
RESERVED_IDS = {"hrdd"}
"""Pack ids that name hrdd's own modules (the benchmark groups the bundled modules as 'hrdd')."""


class PackMeta(_Strict):
    """``pack.yaml``: what the pack is and who publishes it."""

    kind: Literal["pack"]
    id: Slug
    version: Version
    publisher: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    languages: list[Literal["nl", "fr", "en"]] = Field(min_length=3, max_length=3)
    description: Text


class ModuleFigures(_Strict):
    median: float | None = Field(default=None, ge=0, le=100)
    steps: dict[Annotated[int, Field(ge=1, le=6)], Annotated[float, Field(ge=0, le=100)]] = Field(
        default_factory=dict)


class PackBenchmark(_Strict):
    """``benchmark.yaml`` written by ``hrdd benchmark``: sector medians members compare themselves with."""

    kind: Literal["benchmark"]
    pack: str = Field(max_length=MAX_ID)
    sector: str | None = Field(default=None, max_length=MAX_ID)
    companies: int = Field(ge=5, le=10_000_000)
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    modules: dict[Slug, ModuleFigures] = Field(max_length=MAX_OPTIONS)


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
    add_questions: list[AddedQuestion] = Field(default_factory=list, max_length=MAX_QUESTIONS)
    help: list[HelpOverride] = Field(default_factory=list, max_length=MAX_QUESTIONS)


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


def pack_files(folder: Path) -> list[Path]:
    """The YAML files of a pack folder, ``pack.yaml`` first; :class:`LoadError` when the folder holds
    a symbolic link or more files than :data:`~hrdd.limits.MAX_PACK_FILES`.

    A pack is plain files: a link could pull any file or folder of the computer into the
    pack (or into the data folder when it is installed), so none is followed."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise LoadError([Problem(str(folder), 1, 1, "", f"cannot read the folder ({exc.strerror or exc})")]) from None
    problems = [Problem(str(p), 1, 1, "", "is a symbolic link: a pack holds plain files only")
                for p in entries if p.is_symlink()]
    files = [p for p in entries if p.suffix == ".yaml" and not p.is_symlink() and not p.name.startswith(".")
             and stat.S_ISREG(p.lstat().st_mode)]
    if len(files) > MAX_PACK_FILES:
        problems.append(Problem(str(folder), 1, 1, "", f"{len(files)} YAML files; a pack holds at most "
                                                       f"{MAX_PACK_FILES}"))
    if problems:
        raise LoadError(problems)
    return sorted(files, key=lambda p: (p.name != "pack.yaml", p.name))


def load_pack(folder: Path, bundled: Bundle) -> Pack:
    """Validate a pack folder against the bundled modules and catalogue; raise :class:`LoadError`."""
    all_files = pack_files(folder)
    meta_src = read_yaml(folder / "pack.yaml")
    meta = _validate(meta_src, PackMeta)
    assert isinstance(meta, PackMeta)
    if meta.id in RESERVED_IDS:
        raise LoadError([meta_src.problem(("id",), f"'{meta.id}' names hrdd's own modules: choose another pack id")])
    problems: list[Problem] = []
    sources: dict[Path, SourceFile] = {}
    for path in (p for p in all_files if p.name != "pack.yaml"):
        try:
            sources[path] = read_yaml(path)
        except LoadError as exc:
            problems += exc.problems
    kinds = {p: (src.data.get("kind") if isinstance(src.data, dict) else None) for p, src in sources.items()}
    modules = [p for p in sources if kinds[p] == "questionnaire"]
    extensions = [p for p in sources if kinds[p] == "extension"]
    figures = [p for p in sources if kinds[p] == "benchmark"]
    problems += [sources[p].problem(("kind",), "expected 'kind: questionnaire', 'kind: extension' or "
                                               "'kind: benchmark'")
                 for p in sources if kinds[p] not in ("questionnaire", "extension", "benchmark")]
    problems += [sources[p].problem(("kind",), "a pack holds one benchmark file") for p in figures[1:]]
    benchmark = None
    for path in figures[:1]:
        try:
            loaded = _validate(sources[path], PackBenchmark)
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
    bundled_ids = {q.id for q in bundled.questionnaires}
    for path in modules:
        data = sources[path].data
        if isinstance(data.get("id"), str) and data["id"] in bundled_ids:
            problems.append(sources[path].problem(("id",), f"module '{data['id']}' is bundled already: use "
                                                           "kind: extension"))
    extended: list[Questionnaire] = []
    applied: list[tuple[Extension, SourceFile]] = []
    for path in extensions:
        try:
            src = sources[path]
            ext = _validate(src, Extension)
            assert isinstance(ext, Extension)
            base = bundled.questionnaire(ext.extends)
            if base is None:
                raise LoadError([src.problem(("extends",), f"no bundled module '{ext.extends}'")])
            result = apply_extension(base, ext, meta, src)
            known_products = {p.id for p in bundled.reference.products.products} if bundled.reference else None
            added = {a.question.id: i for i, a in enumerate(ext.add_questions)}
            for loc, msg in content_problems(result, {r.id for r in bundled.catalogue.resources}, known_products):
                question = result.questions[int(loc[1])] if len(loc) > 1 and loc[0] == "questions" else None
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
    own = [q for q in own if q.id not in bundled_ids]
    return Pack(meta, folder, own + extended, benchmark, tuple(applied))


def bundled_catalogue_file() -> Path:
    """Pack modules link to the bundled support catalogue."""
    from .paths import questionnaires_dir

    return questionnaires_dir() / "resources.yaml"


def install_pack(source: Path, bundled: Bundle) -> Pack:
    """Validate ``source`` (a folder), then copy its YAML files to ``packs/<id>/<version>/``.

    The copy is made in a staging folder, checked again, and swapped in with two renames;
    a process killed at any point leaves the old version or the new one, never a mix: the
    next hrdd to look at the packs finishes or undoes the swap (:func:`_recover`)."""
    pack = load_pack(source, bundled)
    others = [p for p in installed_packs(bundled) if p.meta.id != pack.meta.id]
    problems = [problem for other in others for problem in extension_conflicts(pack, other)]
    if problems:
        raise LoadError(problems)
    root = packs_dir()
    target = root / pack.meta.id / pack.meta.version
    if target.parent.parent != root:  # the id and version patterns make this impossible; kept as a guard
        raise LoadError([Problem(str(source / "pack.yaml"), 1, 1, "id", "not a pack id and version")])
    if target.resolve() == source.resolve():
        return pack  # already installed from here
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target.parent)
    staging = target.parent / f".new-{os.getpid()}-{pack.meta.version}-{uuid.uuid4().hex[:8]}"
    old = target.parent / f".old-{os.getpid()}-{pack.meta.version}-{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
        for path in pack_files(source):
            _copy_plain(path, staging / path.name)
        copied = load_pack(staging, bundled)  # what is installed is what was checked
        if copied.meta != pack.meta or [q.content_hash() for q in copied.questionnaires] != \
                [q.content_hash() for q in pack.questionnaires]:
            raise LoadError([Problem(str(source), 1, 1, "", "the pack changed while it was being installed: "
                                                            "install it again")])
        if target.exists():
            os.rename(target, old)  # from here until the next rename, _recover puts it back
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if old.exists() and not target.exists():
            os.rename(old, target)  # the new version did not go in: keep the old one
        shutil.rmtree(old, ignore_errors=True)
    return Pack(pack.meta, target, pack.questionnaires, pack.benchmark, pack.extensions)


def _copy_plain(source: Path, target: Path) -> None:
    """Copy a regular file without following a link (a link swapped in after the check is refused)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(source, flags)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise LoadError([Problem(str(source), 1, 1, "", "not a regular file")])
        target.write_bytes(fh.read())


_STAGING = re.compile(r"^\.(new|old)-(\d+)-(\d[\d.]*)-[0-9a-f]+$")
_LEGACY_STAGING = re.compile(r"^\.\d+\.\d+(\.\d+)?-")
"""Staging folders of hrdd versions before the swap above (``.<version>-<random>``)."""


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _recover(pack_dir: Path) -> None:
    """Finish what an install killed half-way left in ``pack_dir``: a version moved aside and not
    replaced is put back; staging folders and replaced versions are removed. Best effort: a
    folder that cannot be changed is left, and never loaded (its name starts with a dot)."""
    try:
        entries = list(pack_dir.iterdir())
    except OSError:
        return
    for entry in entries:
        match = _STAGING.match(entry.name)
        if match is None:
            if _LEGACY_STAGING.match(entry.name) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            continue
        kind, pid, version = match.group(1), int(match.group(2)), match.group(3)
        if _alive(pid):
            continue
        try:
            if kind == "old" and not (pack_dir / version).exists():
                os.rename(entry, pack_dir / version)
            else:
                shutil.rmtree(entry)
        except OSError:
            continue


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
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", pack_id or "") or not folder.is_dir() or folder.is_symlink():
        raise LookupError(pack_id)
    if version is not None and not re.fullmatch(VERSION_PATTERN, version):
        raise LookupError(f"{pack_id} {version}")
    targets = [folder / version] if version else sorted(p for p in folder.iterdir() if _is_version(p))
    if version and not _is_version(targets[0]):
        raise LookupError(f"{pack_id} {version}")
    for target in targets:
        shutil.rmtree(target)
    _recover(folder)
    if not any(folder.iterdir()):
        folder.rmdir()
    return targets


def _is_version(path: Path) -> bool:
    """An installed version's folder (never a staging folder, never a link)."""
    return bool(re.fullmatch(VERSION_PATTERN, path.name)) and path.is_dir() and not path.is_symlink()


def installed_packs(bundled: Bundle) -> list[Pack]:
    """The newest installed version of every pack (packs that no longer load are skipped).

    Only folders named like a pack id and a version count, and only when the ``pack.yaml``
    inside says the same id and version: a staging folder, a link or a folder copied by
    hand under another name is never loaded."""
    packs: list[Pack] = []
    root = packs_dir()
    if not root.is_dir():
        return packs
    for pack_dir in sorted(p for p in root.iterdir() if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", p.name)
                           and p.is_dir() and not p.is_symlink()):
        _recover(pack_dir)
        versions = sorted((v for v in pack_dir.iterdir() if _is_version(v) and (v / "pack.yaml").is_file()),
                          key=lambda v: _version_key(v.name))
        for version in reversed(versions):
            try:
                pack = load_pack(version, bundled)
            except LoadError:
                continue
            if (pack.meta.id, pack.meta.version) == (pack_dir.name, version.name):
                packs.append(pack)
                break
    return packs


def with_packs(bundled: Bundle) -> Bundle:
    """The bundle as the user sees it: bundled modules, extended or joined by installed packs.

    Extensions of the same bundled module by several packs are merged, in the order of the
    pack ids; the module then records every pack ("a+b", "1.0+2.0").

    The result is kept in hrdd's cache folder (:mod:`hrdd.cache`) under a digest of the bundled
    files and of everything in the packs folder; it is not cached while the packs folder holds
    the leftovers of an install cut short, which the next load tidies up (:func:`_recover`)."""
    from . import cache

    key = _packs_key(bundled)
    if key is not None:
        cached = cache.load("packs", key)
        mine = {q.id: q for q in bundled.questionnaires}
        try:
            modules, hashes, origin, medians = cached
            return Bundle([mine[q] if isinstance(q, str) else q for q in modules], bundled.catalogue, hashes,
                          bundled.reference, origin, medians)
        except (TypeError, ValueError, KeyError):
            pass  # no entry (MISS), or not one this hrdd wrote: read the packs again
    result = _with_packs(bundled)
    if key is not None and _packs_key(bundled) == key:  # no pack changed while they were read
        mine = {q.id: q for q in bundled.questionnaires}
        modules = [q.id if mine.get(q.id) is q else q for q in result.questionnaires]
        cache.store("packs", key, (modules, result.hashes, result.packs, result.sector_medians))
    return result


def _packs_key(bundled: Bundle) -> str | None:
    """The cache key of :func:`with_packs`, or None when it is not to be cached."""
    from . import cache

    root = packs_dir()
    if bundled.cache_key is None or not root.is_dir():
        return None  # a bundle not read by load_bundled; or no packs: nothing to save
    try:
        for pack_dir in root.iterdir():
            if pack_dir.is_dir() and not pack_dir.is_symlink() and any(
                    _STAGING.match(p.name) or _LEGACY_STAGING.match(p.name) for p in pack_dir.iterdir()):
                return None  # an install was cut short: installed_packs finishes or undoes it
    except OSError:
        return None
    try:
        catalogue = bundled_catalogue_file().read_bytes()  # pack modules are checked against it
    except OSError:
        return None
    return cache.key("packs", root, extra=bundled.cache_key.encode() + b"\0" + catalogue)


def _with_packs(bundled: Bundle) -> Bundle:
    questionnaires = {q.id: q for q in bundled.questionnaires}
    origin: dict[str, tuple[str, str]] = {}
    medians: dict[str, SectorMedian] = {}
    bundled_ids = set(questionnaires)
    for pack in installed_packs(bundled):
        extended = {ext.extends for ext, _src in pack.extensions}
        for q in pack.questionnaires:
            if q.id not in extended and q.id not in bundled_ids:  # a pack never replaces a bundled module
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
    unchanged = {q.id: bundled.hashes[q.id] for q in bundled.questionnaires if questionnaires.get(q.id) is q
                 and q.id in bundled.hashes}
    return Bundle(list(questionnaires.values()), bundled.catalogue,
                  {q.id: unchanged.get(q.id) or q.content_hash() for q in questionnaires.values()},
                  bundled.reference, origin, medians)
