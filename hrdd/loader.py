"""Reads questionnaire and resource files and reports every problem with file:line:column.

A file is parsed once with PyYAML's composer so that each value keeps its position; the
data is then validated by the pydantic models, and each validation error is mapped back to
the line of the field it is about. Problems never surface as tracebacks: they are
collected into a :class:`LoadError` that the CLI and the TUI print as they are.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .limits import MAX_DIGITS, MAX_PROBLEMS, MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_VALUES
from .models import (
    LANGS,
    Catalogue,
    Glossary,
    LegalRadar,
    ProductTable,
    ProfileCondition,
    Questionnaire,
    condition_answer_refs,
)
from .radar import Reference, read_reference

THEME_ORDER = ["due_diligence", "workforce", "children", "forced_labour", "conflict_minerals"]
"""The order in which modules are shown: the general check first."""

Position = tuple[int, int]
DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as the data allows."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"


class LoadError(Exception):
    """One or more problems found while loading files."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class SourceFile:
    """A parsed YAML file: its data, and where each value stands."""

    path: Path
    data: Any
    positions: dict[DataPath, Position] = field(default_factory=dict)

    def locate(self, loc: tuple[Any, ...]) -> tuple[Position, DataPath]:
        """The position of the deepest part of ``loc`` that exists in the file."""
        found: DataPath = ()
        for part in loc:
            candidate = found + (part,)
            if candidate in self.positions:
                found = candidate
        return self.positions.get(found, (1, 1)), found

    def problem(self, loc: tuple[Any, ...], message: str) -> Problem:
        (line, col), _ = self.locate(loc)
        return Problem(str(self.path), line, col, format_path(loc_in_data(self, loc)), message)


def format_path(loc: DataPath) -> str:
    """``('questions', 3, 'text')`` → ``questions[3].text``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def loc_in_data(src: SourceFile, loc: tuple[Any, ...]) -> DataPath:
    """Drop the parts of a pydantic location that name union members, not data."""
    kept: list[str | int] = []
    node = src.data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            kept.append(part)
        elif isinstance(part, str) and not part.startswith("if-"):
            kept.append(part)  # a missing field: name it
            node = None
    return tuple(kept)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's parser when available
    """YAML 1.2 booleans: only true/false are booleans, so option ids yes/no stay strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


_CONTROL = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
"""Characters YAML does not allow in a file (control characters, NUL, lone surrogates)."""


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _TooMuch(Exception):
    """A file over one of the limits: reading stops at once."""

    def __init__(self, problem: Problem):
        self.problem = problem


def _position(text: str, index: int) -> Position:
    """Line and column (1-based) of the character at ``index``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _mark(exc: yaml.MarkedYAMLError) -> Position:
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
"""Turns one scalar node, its tag already resolved by :class:`_Loader`, into a value."""


def _construct(node: yaml.Node) -> Any:
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    finally:
        _CONSTRUCTOR.constructed_objects.clear()
        _CONSTRUCTOR.recursive_objects.clear()


def read_yaml(path: Path) -> SourceFile:
    """Parse ``path``; raise :class:`LoadError` on a missing file, a syntax error, a duplicate key
    or a file over the limits of :mod:`hrdd.limits` (checked before the work they bound)."""
    name = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise LoadError([Problem(name, 1, 1, "", "not a regular file")])
        with path.open("rb") as fh:
            raw = fh.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        raise LoadError([Problem(name, 1, 1, "", f"cannot read file ({exc.strerror or exc})")]) from None
    if len(raw) > MAX_YAML_BYTES:
        raise LoadError([Problem(name, 1, 1, "", f"the file is larger than {MAX_YAML_BYTES:,} bytes, the limit "
                                                 "for a questionnaire file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
        raise LoadError([Problem(name, line, column, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) \
            from None
    bad = _CONTROL.search(text)
    if bad:
        line, col = _position(text, bad.start())
        raise LoadError([Problem(name, line, col, "", f"control character U+{ord(bad.group()):04X} is not allowed "
                                                      "in a YAML file")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, col = _mark(exc)
        raise LoadError([Problem(name, line, col, "", f"YAML syntax: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:  # a reader error: the text itself
        line, col = _position(text, getattr(exc, "position", 0) or 0)
        raise LoadError([Problem(name, line, col, "", f"YAML: {getattr(exc, 'reason', None) or exc}")]) from None
    except RecursionError:
        raise LoadError([Problem(name, 1, 1, "", f"nested more than {MAX_YAML_DEPTH} levels deep")]) from None
    src = SourceFile(path=path, data=None)
    problems: list[Problem] = []
    try:
        src.data = _Builder(src, problems).build(node, (), 0) if node is not None else None
    except _TooMuch as exc:
        problems.append(exc.problem)
    if problems:
        raise LoadError(_capped(problems))
    return src


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most :data:`MAX_PROBLEMS` problems per file, and a line saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    last = problems[MAX_PROBLEMS - 1]
    return problems[:MAX_PROBLEMS] + [Problem(last.file, last.line, last.column, "",
                                              f"… and {len(problems) - MAX_PROBLEMS:,} more problems")]


class _Builder:
    """Turns composed YAML nodes into data, recording where each value stands.

    Every value is counted, an alias as often as it is used, and nesting is bounded, so
    an alias bomb or a self-referencing alias stops at a limit instead of running for hours."""

    def __init__(self, src: SourceFile, problems: list[Problem]):
        self.src, self.problems, self.count = src, problems, 0

    def at(self, node: yaml.Node, path: DataPath, message: str) -> Problem:
        where = format_path(path[:6]) + ("…" if len(path) > 6 else "")
        return Problem(str(self.src.path), node.start_mark.line + 1, node.start_mark.column + 1, where, message)

    def build(self, node: yaml.Node, path: DataPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_YAML_VALUES:
            raise _TooMuch(self.at(node, path, f"more than {MAX_YAML_VALUES:,} values (an alias counts each time "
                                               "it is used): the limit for a questionnaire file"))
        if depth > MAX_YAML_DEPTH:
            raise _TooMuch(self.at(node, path, f"nested more than {MAX_YAML_DEPTH} levels deep (is an alias used "
                                               "inside itself?)"))
        self.src.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            self.problems.append(self.at(node, path, f"YAML tag '{node.tag}' is not allowed (hrdd files hold "
                                                     "plain lists and mappings)"))
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(self.at(key_node, path, "expected a plain key (a name)"))
                    continue
                key = self.scalar(key_node, path)
                if not isinstance(key, (str, int)) or isinstance(key, bool):  # null, a date, a float …
                    self.problems.append(self.at(key_node, path, f"expected a plain key (a name), not "
                                                                 f"'{key_node.value[:40] or '(empty)'}'"))
                    continue
                if key in out:
                    self.problems.append(self.at(key_node, path + (key,), f"duplicate key '{key}'"))
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: DataPath) -> Any:
        value = str(node.value)
        if node.tag == "tag:yaml.org,2002:int" and sum(c.isdigit() for c in value) > MAX_DIGITS:
            self.problems.append(self.at(node, path, f"a number with more than {MAX_DIGITS} digits"))
            return None
        try:
            return _construct(node)
        except yaml.MarkedYAMLError as exc:  # e.g. a tag such as !!python/object, which is never run
            line, col = _mark(exc)
            self.problems.append(Problem(str(self.src.path), line, col, format_path(path), f"YAML: {exc.problem or exc}"))
        except (ValueError, TypeError, AttributeError, OverflowError, LookupError) as exc:
            shown = value if len(value) <= 40 else value[:40] + "…"
            self.problems.append(self.at(node, path, f"cannot read the value '{shown}' ({exc})"))
        return None


def _validate(src: SourceFile, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(src.data)
    except ValidationError as exc:
        problems = [src.problem(tuple(err["loc"]), _message(err)) for err in exc.errors()]
        raise LoadError(_capped(sorted(set(problems), key=lambda p: (p.line, p.column, p.message)))) from None
    except RecursionError:  # bounded by MAX_YAML_DEPTH; kept as a last guard
        raise LoadError([src.problem((), "nested too deeply")]) from None


def _message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return "unknown field (check its spelling)"
    return msg


def detect_kind(src: SourceFile) -> str | None:
    return src.data.get("kind") if isinstance(src.data, dict) else None


@dataclass(frozen=True)
class SectorMedian:
    """A federation's published medians for one module (from a pack's benchmark.yaml)."""

    median: float | None
    steps: dict[int, float]
    companies: int
    date: str
    publisher: str


@dataclass
class Bundle:
    """Questionnaires and the catalogue they link to, checked together."""

    questionnaires: list[Questionnaire]
    catalogue: Catalogue
    hashes: dict[str, str]
    """Questionnaire id → its content hash (:meth:`Questionnaire.content_hash`)."""
    reference: Reference | None = None
    """Products, the ILAB and CAHRA lists and the legal radar (bundled data only)."""
    packs: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Questionnaire id → (pack id, pack version) for modules that come from an installed pack."""
    sector_medians: dict[str, SectorMedian] = field(default_factory=dict)
    """Module id → the sector figures a federation published in its pack."""
    cache_key: str | None = field(default=None, compare=False, repr=False)
    """The digest of the files this bundle was read from (:func:`load_bundled`); None for other bundles."""

    def questionnaire(self, questionnaire_id: str) -> Questionnaire | None:
        return next((q for q in self.questionnaires if q.id == questionnaire_id), None)


REFERENCE_KINDS: dict[str, type[BaseModel]] = {"legal": LegalRadar, "products": ProductTable, "glossary": Glossary}
"""Reference files ``hrdd questionnaire validate`` checks on their own."""


def load_files(paths: list[Path], known_products: set[str] | None = None) -> Bundle:
    """Load and cross-check questionnaire and resource files; raise :class:`LoadError`.

    With ``known_products``, product keys tested in conditions must be among them.
    """
    problems: list[Problem] = []
    sources: list[tuple[SourceFile, BaseModel]] = []
    for path in paths:
        try:
            src = read_yaml(path)
            kind = detect_kind(src)
            if kind == "questionnaire":
                sources.append((src, _validate(src, Questionnaire)))
            elif kind == "resources":
                sources.append((src, _validate(src, Catalogue)))
            elif kind in REFERENCE_KINDS:
                _validate(src, REFERENCE_KINDS[kind])  # the legal radar is checked against the catalogue at load
            else:
                problems.append(src.problem(("kind",), "expected 'kind: questionnaire', 'resources', "
                                            + ", ".join(f"'{k}'" for k in REFERENCE_KINDS)))
        except LoadError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(str(path), 1, 1, "", f"cannot read file ({exc.strerror})"))
    catalogues = [m for _, m in sources if isinstance(m, Catalogue)]
    questionnaires = [(s, m) for s, m in sources if isinstance(m, Questionnaire)]
    known = {r.id for c in catalogues for r in c.resources}
    seen: dict[str, Path] = {}
    for src, q in questionnaires:
        if q.id in seen:
            problems.append(src.problem(("id",), f"questionnaire id '{q.id}' is also used by {seen[q.id]}"))
        seen[q.id] = src.path
        problems.extend(src.problem(loc, msg) for loc, msg in content_problems(q, known, known_products))
    if problems:
        raise LoadError(problems)
    catalogue = Catalogue(kind="resources", resources=[r for c in catalogues for r in c.resources]) \
        if catalogues else Catalogue.model_construct(kind="resources", resources=[])
    ordered = sorted((q for _, q in questionnaires), key=lambda q: (THEME_ORDER.index(q.theme), q.id))
    return Bundle(ordered, catalogue, {q.id: q.content_hash() for q in ordered})


def content_problems(q: Questionnaire, known_resources: set[str],
                     known_products: set[str] | None = None) -> list[tuple[DataPath, str]]:
    """Everything wrong with a questionnaire beyond its fields, each with the data path it is about:
    cross-question checks, unknown resources and product keys, untranslated question texts."""
    found: list[tuple[DataPath, str]] = list(q.problems())
    unknown = "unknown resource id '{}' (not in the resources catalogue)"
    if known_products is not None:
        found += [(("applies_if",), f"unknown product key '{bad}'")
                  for bad in _unknown_products(q.applies_if, known_products)]
    flag_severity: dict[str, str] = {}
    for qi, question in enumerate(q.questions):
        found += [(("questions", qi, "resources", ri), unknown.format(rid))
                  for ri, rid in enumerate(question.resources) if rid not in known_resources]
        blocks: list[tuple[DataPath, Any]] = [(("questions", qi, key, bi), b) for key in ("help_if", "action_if")
                                              for bi, b in enumerate(getattr(question, key))]
        for oi, option in enumerate(question.options):
            if option.red_flag:
                rf = option.red_flag
                found += [(("questions", qi, "options", oi, "red_flag", "resources", ri), unknown.format(rid))
                          for ri, rid in enumerate(rf.resources) if rid not in known_resources]
                blocks += [(("questions", qi, "options", oi, "red_flag", "action_if", bi), b)
                           for bi, b in enumerate(rf.action_if)]
                if rf.id is not None:
                    if flag_severity.setdefault(rf.id, rf.severity) != rf.severity:
                        found.append((("questions", qi, "options", oi, "red_flag", "severity"),
                                      f"red flag '{rf.id}' is '{flag_severity[rf.id]}' elsewhere; expected one "
                                      "severity per red-flag id"))
            if option.score_by_size and question.kind not in ("single", "multi", "yes_no"):
                found.append((("questions", qi, "options", oi, "score_by_size"), "only choice options take scores"))
        for path, block in blocks:
            if condition_answer_refs(block.when):
                found.append((path + ("when",), "a conditional text can only test the profile, not answers"))
            if known_products is not None:
                found += [(path + ("when",), f"unknown product key '{bad}'")
                          for bad in _unknown_products(block.when, known_products)]
        texts = [question.text.get(lang) for lang in LANGS]
        if len(set(texts)) < len(texts):
            found.append((("questions", qi, "text"), "the same text in two languages: translate it into nl, fr and en"))
        if known_products is not None:
            found += [(("questions", qi, "applies_if"), f"unknown product key '{bad}'")
                      for bad in _unknown_products(question.applies_if, known_products)]
    return found


def questionnaire_files(directory: Path) -> list[Path]:
    """The YAML files of a questionnaire folder, in a stable order."""
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_model(path: Path, model: type[BaseModel]) -> BaseModel:
    """Read and validate one YAML file as ``model``; raise :class:`LoadError`."""
    return _validate(read_yaml(path), model)


def load_reference(folder: Path, catalogue: Catalogue, products: ProductTable) -> Reference:
    """Validate the legal radar in ``folder`` against the catalogue and products; read the lists."""
    src = read_yaml(folder / "legal.yaml")
    legal = _validate(src, LegalRadar)
    assert isinstance(legal, LegalRadar)
    known_products = {p.id for p in products.products}
    known_resources = {r.id for r in catalogue.resources}
    problems = []
    for resource in catalogue.resources:
        problems += [Problem(str(folder.parent / "resources.yaml"), 1, 1, f"resources.{resource.id}.products",
                             f"unknown product key '{bad}'") for bad in resource.products if bad not in known_products]
    for ri, rule in enumerate(legal.rules):
        problems += [src.problem(("rules", ri, "resources", i), f"unknown resource id '{rid}'")
                     for i, rid in enumerate(rule.resources) if rid not in known_resources]
        for key in ("applies_directly_if", "applies_via_customers_if"):
            problems += [src.problem(("rules", ri, key), f"unknown product key '{bad}'")
                         for bad in _unknown_products(getattr(rule, key), known_products)]
    if problems:
        raise LoadError(problems)
    return read_reference(folder, legal, products)


def _unknown_products(cond: Any, known: set[str]) -> list[str]:
    """Product keys tested by ``cond`` that the product table does not have."""
    if cond is None:
        return []
    if isinstance(cond, ProfileCondition):
        return [p for p in (cond.in_ or []) if p not in known] if cond.profile == "products" else []
    children = getattr(cond, "all", None) or getattr(cond, "any", None) or []
    if getattr(cond, "not_", None) is not None:
        children = [cond.not_]
    return [bad for child in children for bad in _unknown_products(child, known)]


def load_bundled(folder: Path | None = None) -> Bundle:
    """The questionnaires, catalogue and reference data shipped with hrdd (or read from ``folder``,
    laid out the same way).

    Validated once and kept in hrdd's cache folder (:mod:`hrdd.cache`) under a digest of the
    bundled files: a start reads one file instead of parsing and validating every YAML file.
    Problems are never cached: a broken file is read (and reported) again at every start."""
    from . import cache
    from .paths import questionnaires_dir

    folder = folder or questionnaires_dir()
    key = cache.key("bundled", folder)
    cached = cache.load("bundled", key)
    if isinstance(cached, Bundle) and cached.cache_key == key:
        return cached
    bundle = _read_bundled(folder)
    bundle.cache_key = key
    if cache.key("bundled", folder) == key:  # no file changed while it was read
        cache.store("bundled", key, bundle)
    return bundle


def _read_bundled(folder: Path) -> Bundle:
    products = load_model(folder / "reference" / "products.yaml", ProductTable)
    assert isinstance(products, ProductTable)
    bundle = load_files(questionnaire_files(folder), known_products={p.id for p in products.products})
    bundle.reference = load_reference(folder / "reference", bundle.catalogue, products)
    return bundle
