"""Pydantic models for questionnaires, the resource catalogue and the company profile.

Everything a questionnaire file may contain is described here, in one place: the loader
parses YAML into these models, the JSON Schema in ``questionnaires/schema/`` is generated
from them, and scoring and reports read them. Conditions are plain data (all / any / not
over profile fields and earlier answers) and are evaluated in :mod:`hrdd.conditions`;
nothing in a questionnaire is ever run as code.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    StringConstraints,
    Tag,
    model_validator,
)

from .limits import MAX_CATALOGUE, MAX_ID, MAX_ITEMS, MAX_NAME, MAX_NUMBER, MAX_OPTIONS, MAX_QUESTIONS, MAX_TEXT

LANGS: tuple[str, ...] = ("nl", "fr", "en")
"""The three languages of hrdd, in the order Belgian users expect them."""

Lang = Literal["nl", "fr", "en"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=MAX_ID)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Bound = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]
"""A number in a questionnaire: finite, and at most :data:`~hrdd.limits.MAX_NUMBER` in size."""

OecdStep = Annotated[int, Field(ge=1, le=6)]
"""The six steps of the OECD Due Diligence Guidance for Responsible Business Conduct (2018)."""

NapAction = Annotated[int, Field(ge=1, le=70)]
"""An action number of Belgium's NAP on Business and Human Rights 2.0 (2024-2029)."""

REGIONS = ("flanders", "wallonia", "brussels")
NACE_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A human-facing text in the three languages; all three are required."""

    nl: NonEmpty
    fr: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        """The text in ``lang`` (falls back to English for an unknown code)."""
        return getattr(self, lang, self.en)


# --- conditions -------------------------------------------------------------------

ProfileField = Literal[
    "employees",
    "turnover_eur_m",
    "nace",
    "region",
    "sells_to_large_companies",
    "public_buyer",
    "imports_non_eu",
    "b2c",
    "minerals_3tg",
    "products",
    "sourcing_countries",
    "supplies",
    "workforce",
    "minerals_form",
    "size_class",
    "has_staff",
    "non_eu_origin",
    "imports_directly",
    "origin_countries",
    "origins_known",
]
"""Profile fields a condition may test. The last five are derived from the others (see
:meth:`Profile.value`): ``size_class`` from staff and turnover, ``has_staff`` from employees and
workforce, ``non_eu_origin`` / ``origin_countries`` from the sourcing pairs (where goods come
from) and ``imports_directly`` from imports and the pairs' channels. ``products`` is every product
the company names, in its product list or its sourcing pairs."""

SIZE_CLASSES = ("micro", "small", "medium", "large")
SizeClass = Literal["micro", "small", "medium", "large"]
NaceSection = Literal["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N",
                      "O", "P", "Q", "R", "S", "T", "U"]
SUPPLIES = ("goods", "services", "both")
WORKFORCE = ("agency", "students", "seasonal", "subcontractors_on_site", "posted", "self_employed")
"""Kinds of workers besides the company's own employees (``self_employed``: freelancers it
subcontracts)."""
MINERALS_FORMS = ("metals", "components", "both")
"""3TG as ores or metals, or inside components and finished products, or both."""
CHANNELS = ("direct", "eu_intermediary", "unknown")
"""How a product of a given origin is bought: imported by the company itself from outside the EU,
through an intermediary in the EU, or not known."""

EU_COUNTRIES = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU"])
"""The 27 EU member states (ISO 3166-1 alpha-2)."""

_BOOL_FIELDS = {"sells_to_large_companies", "public_buyer", "imports_non_eu", "b2c", "has_staff",
                "non_eu_origin", "imports_directly", "origins_known"}
_NUMBER_FIELDS = {"employees", "turnover_eur_m"}
_CHOICE_FIELDS = {"region": REGIONS, "nace": NACE_SECTIONS, "minerals_3tg": ("yes", "no", "unknown"),
                  "supplies": SUPPLIES, "minerals_form": MINERALS_FORMS, "size_class": SIZE_CLASSES}
_LIST_FIELDS = {"products", "sourcing_countries", "workforce", "origin_countries"}
"""List fields: 'in' holds when the company's list and the condition's share an item."""


class ProfileCondition(_Strict):
    """True when a profile field equals a value, is one of several, or lies in a range."""

    profile: ProfileField
    equals: bool | str | int | None = None
    in_: list[Annotated[str, StringConstraints(max_length=MAX_ID)]] | None = Field(default=None, alias="in",
                                                                                    max_length=MAX_ITEMS)
    min: Bound | None = None
    max: Bound | None = None
    above: Bound | None = Field(default=None, description="Strictly greater than (for legal thresholds).")

    @model_validator(mode="after")
    def _check_test(self) -> ProfileCondition:
        tests = [t for t in (self.equals, self.in_, self.min, self.max, self.above) if t is not None]
        if not tests:
            raise ValueError("a profile condition needs one of 'equals', 'in', 'min', 'max' or 'above'")
        if self.profile in _BOOL_FIELDS:
            if not isinstance(self.equals, bool) or len(tests) != 1:
                raise ValueError(f"'{self.profile}' is yes/no: use 'equals: true' or 'equals: false'")
        elif self.profile in _NUMBER_FIELDS:
            if self.equals is not None or self.in_ is not None:
                raise ValueError(f"'{self.profile}' is a number: use 'min', 'max' or 'above'")
        elif self.profile in _LIST_FIELDS:
            if self.in_ is None or len(tests) != 1:
                raise ValueError(f"'{self.profile}' is a list: use 'in' (true when any item matches)")
            if self.profile in ("sourcing_countries", "origin_countries") and not all(
                    len(c) == 2 and c.isupper() for c in self.in_):
                raise ValueError("expected two-letter ISO country codes, e.g. CI, CD")
            if self.profile == "workforce" and set(self.in_) - set(WORKFORCE):
                raise ValueError(f"expected workforce kinds among {', '.join(WORKFORCE)}")
        else:
            allowed = _CHOICE_FIELDS[self.profile]
            if self.min is not None or self.max is not None or self.above is not None:
                raise ValueError(f"'{self.profile}' is not a number: use 'equals' or 'in'")
            values = self.in_ if self.in_ is not None else [self.equals]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ValueError(f"{bad!r} not allowed for '{self.profile}'; expected one of {', '.join(allowed)}")
        return self


class AnswerCondition(_Strict):
    """True when an earlier question was answered with one of the given options."""

    answer: Slug
    in_: list[Slug] = Field(alias="in", min_length=1, max_length=MAX_OPTIONS)


class AllCondition(_Strict):
    all: list[Condition] = Field(min_length=1, max_length=MAX_OPTIONS)


class AnyCondition(_Strict):
    any: list[Condition] = Field(min_length=1, max_length=MAX_OPTIONS)


class NotCondition(_Strict):
    not_: Condition = Field(alias="not")


_TAG_OF_CLASS = {"AllCondition": "if-all", "AnyCondition": "if-any", "NotCondition": "if-not",
                 "ProfileCondition": "if-profile", "AnswerCondition": "if-answer"}
"""Tags name the kind of a condition in validation errors; the loader leaves them out of paths."""


def _condition_tag(value: Any) -> str | None:
    """Which kind of condition ``value`` is, from its class or its keys."""
    if isinstance(value, BaseModel):
        return _TAG_OF_CLASS.get(type(value).__name__)
    if isinstance(value, dict):
        key = next((k for k in ("all", "any", "not", "profile", "answer") if k in value), None)
        return f"if-{key}" if key else None
    return None


Condition = Annotated[
    Annotated[AllCondition, Tag("if-all")] | Annotated[AnyCondition, Tag("if-any")] | Annotated[NotCondition, Tag("if-not")] | Annotated[ProfileCondition, Tag("if-profile")] | Annotated[AnswerCondition, Tag("if-answer")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message="expected a condition with one of the keys all, any, not, profile, answer",
    ),
]
"""A structured applicability condition."""

AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()


def condition_answer_refs(cond: Condition | None) -> list[AnswerCondition]:
    """Every answer condition inside ``cond``."""
    if cond is None:
        return []
    if isinstance(cond, AnswerCondition):
        return [cond]
    if isinstance(cond, (AllCondition, AnyCondition)):
        return [ref for c in (cond.all if isinstance(cond, AllCondition) else cond.any)
                for ref in condition_answer_refs(c)]
    if isinstance(cond, NotCondition):
        return condition_answer_refs(cond.not_)
    return []


# --- questions ----------------------------------------------------------------------

Framework = Literal["UNGP", "OECD-DDG", "OECD-MNE", "OECD-minerals", "ILO", "CRBP", "EU", "BE"]


class Reference(_Strict):
    """A framework reference: which text a question or red flag rests on."""

    framework: Framework
    ref: NonEmpty = Field(description="Article, principle or step, e.g. 'Principle 16' or 'Step 1.1'.")


Severity = Literal["critical", "high", "medium"]
Impact = Literal["critical", "high", "medium", "low"]
"""How severe the human-rights impact a question is about can be (scale, scope,
irremediability: UNGP 14 and 24); it orders the action plan."""


class ConditionalText(_Strict):
    """A sentence or paragraph shown only to the companies it fits.

    Advice that names a regional instrument, a product initiative or a duty that depends on
    size lives here, with the condition that makes it fit, never in the core text.
    """

    when: Condition
    text: Text


def texts_for(core: Text | None, blocks: list[ConditionalText], holds: Any, lang: str) -> str:
    """The core text followed by the blocks whose condition ``holds(block.when)`` is true."""
    parts = [core.get(lang)] if core is not None else []
    parts += [b.text.get(lang) for b in blocks if holds(b.when)]
    return " ".join(parts)


class RedFlag(_Strict):
    """A finding serious enough to be raised on its own, with an immediate action."""

    id: Slug | None = Field(default=None, description="Names the situation; one id, one severity everywhere.")
    severity: Severity
    finding: Text
    action: Text
    action_if: list[ConditionalText] = Field(default_factory=list, max_length=MAX_OPTIONS)
    resources: list[Slug] = Field(min_length=1, max_length=MAX_OPTIONS)


class Option(_Strict):
    """One answer option of a choice question."""

    id: Slug
    label: Text | None = Field(default=None, description="Required except for yes_no questions.")
    score: int = Field(default=0, ge=0, le=100)
    score_by_size: dict[SizeClass, Annotated[int, Field(ge=0, le=100)]] = Field(
        default_factory=dict,
        description="What this answer is worth for a company of a given size class, where that differs "
                    "from 'score' (UNGP 14: what is expected scales with size).")
    red_flag: RedFlag | None = None

    def score_for(self, size: str | None) -> int:
        """The score for a company of ``size`` (None: size not known, the plain score)."""
        return self.score_by_size.get(size, self.score) if size else self.score  # type: ignore[call-overload]


QuestionKind = Literal["single", "multi", "yes_no", "number", "text", "countries"]
CHOICE_KINDS = {"single", "multi", "yes_no"}
YES_NO_IDS = ("yes", "partly", "no")
_YES_NO_DEFAULT_SCORES = {"yes": 100, "partly": 50, "no": 0}


class Question(_Strict):
    """One question of a questionnaire."""

    id: Slug
    kind: QuestionKind
    step: OecdStep
    text: Text
    help: Text | None = None
    options: list[Option] = Field(default_factory=list, max_length=MAX_OPTIONS)
    help_if: list[ConditionalText] = Field(default_factory=list, max_length=MAX_OPTIONS)
    weight: int = Field(default=1, ge=1, le=3)
    impact: Impact | None = Field(
        default=None, description="Severity of the impact the question is about; default from weight "
                                  "(3: high, 2: medium, 1: low).")
    action: Text | None = Field(default=None, description="What to do when the answer is not the best one.")
    action_if: list[ConditionalText] = Field(default_factory=list, max_length=MAX_OPTIONS)
    refs: list[Reference] = Field(min_length=1, max_length=MAX_OPTIONS)
    nap: list[NapAction] = Field(default_factory=list, max_length=MAX_ITEMS)
    resources: list[Slug] = Field(default_factory=list, max_length=MAX_OPTIONS)
    applies_if: Condition | None = None
    unit: Text | None = Field(default=None, description="For number questions.")
    min: float = Field(default=0, ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False,
                       description="Smallest answer allowed (number questions).")
    max: float = Field(default=1e12, ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False,
                       description="Largest answer allowed (number questions).")

    @model_validator(mode="after")
    def _check_range(self) -> Question:
        if self.min > self.max:
            raise ValueError(f"'min' ({self.min:g}) is larger than 'max' ({self.max:g})")
        return self

    @model_validator(mode="after")
    def _check_options(self) -> Question:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate option ids in question '{self.id}'")
        if self.kind in CHOICE_KINDS:
            if self.kind == "yes_no":
                extra = set(ids) - set(YES_NO_IDS)
                if extra:
                    raise ValueError(f"yes_no options must be among yes, partly, no (got {sorted(extra)})")
                if not self.options:
                    object.__setattr__(self, "options", [
                        Option(id=i, score=s) for i, s in _YES_NO_DEFAULT_SCORES.items()])
            else:
                if len(self.options) < 2:
                    raise ValueError(f"a '{self.kind}' question needs at least two options")
                missing = [o.id for o in self.options if o.label is None]
                if missing:
                    raise ValueError(f"options {missing} need a label (nl, fr, en)")
            if self.scored and self.action is None:
                raise ValueError("a scored question needs an 'action' (what to do when the answer falls short)")
        elif self.options:
            raise ValueError(f"a '{self.kind}' question takes no options")
        return self

    @property
    def scored(self) -> bool:
        """Whether answers to this question count towards the maturity score."""
        return self.kind in CHOICE_KINDS and self.max_score > 0

    @property
    def max_score(self) -> int:
        return self.max_score_for(None)

    def max_score_for(self, size: str | None) -> int:
        """The best score reachable by a company of ``size``."""
        if self.kind == "multi":
            return sum(o.score_for(size) for o in self.options)
        return max((o.score_for(size) for o in self.options), default=0)

    @property
    def severity(self) -> Impact:
        """How severe the impact this question is about is (data, else from the weight)."""
        return self.impact or {3: "high", 2: "medium", 1: "low"}[self.weight]  # type: ignore[return-value]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Questionnaire(_Strict):
    """A module: questions organised by OECD due-diligence step."""

    kind: Literal["questionnaire"]
    id: Slug
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?(\+[a-z0-9.-]+)?$")]
    """"1.0", or "1.0+pack.1.2" for a bundled module as extended by a pack."""
    theme: Literal["due_diligence", "workforce", "children", "forced_labour", "conflict_minerals"]
    framework: Literal["oecd_ddg", "oecd_minerals"] = Field(
        default="oecd_ddg",
        description="Which steps 'step' counts: the six OECD due-diligence steps (2018) or the five steps "
                    "of the OECD minerals guidance.")
    title: Text
    description: Text
    nap: list[NapAction] = Field(default_factory=list, max_length=MAX_ITEMS)
    applies_if: Condition | None = None
    questions: list[Question] = Field(min_length=1, max_length=MAX_QUESTIONS)

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Checks across questions, each with the data path it is about.

        Duplicate ids and conditions that point at later or unknown questions or options
        cannot be expressed per field, so the loader runs these after validation and
        reports them at the line of the offending question.
        """
        found: list[tuple[tuple[str | int, ...], str]] = []
        seen: dict[str, Question] = {}
        for qi, q in enumerate(self.questions):
            if q.id in seen:
                found.append((("questions", qi, "id"), f"duplicate question id '{q.id}'"))
            for ref in condition_answer_refs(q.applies_if):
                target = seen.get(ref.answer)
                if target is None:
                    where = "a later" if any(x.id == ref.answer for x in self.questions) else "an unknown"
                    found.append((("questions", qi, "applies_if"),
                                  f"depends on {where} question '{ref.answer}'; expected an earlier question"))
                    continue
                bad = [o for o in ref.in_ if target.option(o) is None]
                if bad:
                    found.append((("questions", qi, "applies_if"),
                                  f"tests options {bad} that question '{ref.answer}' does not have"))
            seen.setdefault(q.id, q)
        if condition_answer_refs(self.applies_if):
            found.append((("applies_if",), "a questionnaire's applies_if can only test the profile"))
        if self.framework == "oecd_minerals":
            found += [(("questions", qi, "step"), "expected a minerals-guidance step from 1 to 5")
                      for qi, q in enumerate(self.questions) if q.step > 5]
        return found

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def content_hash(self) -> str:
        """sha256 of the questionnaire's canonical JSON: the same content gives the same hash."""
        body = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


# --- resource catalogue ---------------------------------------------------------------

ResourceRegion = Literal["federal", "flanders", "wallonia", "brussels", "eu", "international"]


class Urls(_Strict):
    """A resource's web address per language; at least one is required."""

    nl: HttpUrl | None = None
    fr: HttpUrl | None = None
    en: HttpUrl | None = None

    @model_validator(mode="after")
    def _one(self) -> Urls:
        if not (self.nl or self.fr or self.en):
            raise ValueError("give at least one of nl, fr, en")
        return self

    def get(self, lang: str) -> str:
        """The address for ``lang``, else English, else the other language."""
        order = [lang, "en", "nl", "fr"]
        return str(next(getattr(self, code) for code in order if getattr(self, code, None)))


class Resource(_Strict):
    """An organisation or tool that helps a company close a gap."""

    id: Slug
    name: Text
    description: Text
    urls: Urls
    region: ResourceRegion
    themes: list[Literal["due_diligence", "children", "forced_labour", "conflict_minerals",
                         "reporting", "discrimination", "remedy", "finance", "export"]] = Field(
        min_length=1, max_length=MAX_OPTIONS)
    nap: list[NapAction] = Field(default_factory=list, max_length=MAX_ITEMS)
    products: list[Slug] = Field(
        default_factory=list, max_length=MAX_ITEMS,
        description="A product or sector initiative: shown only to companies with one of these products.")
    sizes: list[SizeClass] = Field(
        default_factory=list, max_length=len(SIZE_CLASSES), description="Only for companies of these size classes (empty: any size).")
    nace: list[NaceSection] = Field(
        default_factory=list, max_length=len(NACE_SECTIONS),
        description="A sector federation: shown only to companies in one of these NACE sections (empty: any sector).")
    contact: Text | None = Field(
        default=None, description="The contact line of a human help route (phone, form, e-mail), from the reference files.")
    verified: bool
    source: NonEmpty = Field(description="Where the facts about this resource were checked.")


class Catalogue(_Strict):
    """The resource catalogue file."""

    kind: Literal["resources"]
    resources: list[Resource] = Field(min_length=1, max_length=MAX_CATALOGUE)

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        ids = [r.id for r in self.resources]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate resource ids {dup}")
        return self

    def get(self, resource_id: str) -> Resource | None:
        return next((r for r in self.resources if r.id == resource_id), None)


# --- reference data: products and the legal radar ---------------------------------------

class Product(_Strict):
    """A product or raw material, with the names people type and the ILAB goods it covers."""

    id: Slug
    name: Text
    synonyms: dict[Lang, Annotated[list[NonEmpty], Field(max_length=MAX_ITEMS)]] = Field(default_factory=dict)
    ilab_goods: list[NonEmpty] = Field(default_factory=list, max_length=MAX_ITEMS)
    mineral_3tg: bool = False
    contains_3tg: bool = False


class ProductTable(_Strict):
    kind: Literal["products"] = "products"
    source: NonEmpty
    products: list[Product] = Field(min_length=1, max_length=MAX_CATALOGUE)


def _regex(pattern: str) -> str:
    import re

    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc})") from None
    return pattern


Pattern = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME), AfterValidator(_regex)]


class GlossaryVariant(_Strict):
    """A term to avoid: what the reader is told, and the pattern that finds it (case-insensitive)."""

    variant: NonEmpty
    pattern: Pattern


class GlossaryTerm(_Strict):
    id: Slug
    concept: NonEmpty
    preferred: Text
    avoid: dict[Lang, Annotated[list[GlossaryVariant], Field(max_length=MAX_ITEMS)]] = Field(default_factory=dict)
    allow: dict[Lang, Annotated[list[Pattern], Field(max_length=MAX_ITEMS)]] = Field(default_factory=dict)
    """Patterns inside which a variant is allowed (proper names, official titles)."""


class Glossary(_Strict):
    """The preferred term per language for each core concept (tests/test_vocabulary.py applies it)."""

    kind: Literal["glossary"]
    as_of: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    terms: list[GlossaryTerm] = Field(min_length=1, max_length=MAX_ITEMS)


class LegalDate(_Strict):
    when: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}(-\d{2})?$")]
    what: Text


class LegalLink(_Strict):
    """A public source a legal rule's facts were checked against."""

    url: HttpUrl
    date: NonEmpty = Field(description="The date shown on the source (YYYY, YYYY-MM or YYYY-MM-DD), or 'n.d.'.")


class LegalRule(_Strict):
    """A rule that may concern a company directly or through its customers: orientation, not advice."""

    id: Slug
    name: Text
    summary: Text
    direct: Text = Field(description="What it means when the rule concerns the company itself.")
    via_customers: Text = Field(description="What it means when it reaches the company through customers.")
    applies_directly_if: Condition | None = None
    applies_via_customers_if: Condition | None = None
    dates: list[LegalDate] = Field(default_factory=list, max_length=MAX_OPTIONS)
    source: Text
    links: list[LegalLink] = Field(default_factory=list, max_length=MAX_OPTIONS,
                                   description="Source URLs with the date shown on each.")
    as_of: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = Field(
        default=None, description="When this rule's facts were last checked (else the file's as_of).")
    verified: bool
    resources: list[Slug] = Field(default_factory=list, max_length=MAX_OPTIONS)


class LegalRadar(_Strict):
    """The dated legal-radar file: rules change, so every fact carries the date it was checked."""

    kind: Literal["legal"]
    as_of: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    disclaimer: Text
    rules: list[LegalRule] = Field(min_length=1, max_length=MAX_ITEMS)


# --- the company profile --------------------------------------------------------------

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]

SIZE_LIMITS: tuple[tuple[str, int, float], ...] = (("micro", 10, 2), ("small", 50, 10), ("medium", 250, 50))
"""EU SME definition (Commission Recommendation 2003/361/EC, Annex art. 2): fewer than 10 / 50 / 250
staff and an annual turnover of at most €2 / 10 / 50 million. hrdd asks no balance-sheet total, so
turnover alone decides the financial test; with no turnover given, staff alone decides."""


def size_class(employees: int | None, turnover_eur_m: float | None) -> SizeClass | None:
    """micro / small / medium / large from staff and turnover; None when staff is not known."""
    if employees is None:
        return None
    for name, staff_below, turnover_max in SIZE_LIMITS:
        if employees < staff_below and (turnover_eur_m is None or turnover_eur_m <= turnover_max):
            return name  # type: ignore[return-value]
    return "large"


class Sourcing(_Strict):
    """Where one product comes from, and how the company buys it."""

    product: Slug
    origins: list[Country] = Field(min_length=1, max_length=250)
    channel: Literal["direct", "eu_intermediary", "unknown"] = "unknown"


class Profile(BaseModel):
    """What the company says about itself; decides which modules and questions apply."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME)]
    employees: int | None = Field(default=None, ge=0, le=10_000_000,
                                  description="Own employees; 0 for a sole trader without staff.")
    turnover_eur_m: float | None = Field(default=None, ge=0, le=10_000_000, allow_inf_nan=False,
                                         description="Annual turnover in € million.")
    nace: Literal["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N",
                  "O", "P", "Q", "R", "S", "T", "U"] | None = None
    region: Literal["flanders", "wallonia", "brussels"] | None = None
    supplies: Literal["goods", "services", "both"] | None = Field(
        default=None, description="What the company supplies to its customers.")
    workforce: list[Literal["agency", "students", "seasonal", "subcontractors_on_site", "posted",
                            "self_employed"]] | None = Field(
        default=None, max_length=2 * len(WORKFORCE), description="Who else works for the company; None: not given, []: nobody else.")
    sells_to_large_companies: bool | None = None
    public_buyer: bool | None = None
    imports_non_eu: bool | None = None
    b2c: bool | None = Field(default=None, description="Sells to consumers.")
    minerals_3tg: Literal["yes", "no", "unknown"] | None = Field(
        default=None, description="Buys or sells products containing tin, tantalum, tungsten or gold.")
    minerals_form: Literal["metals", "components", "both"] | None = Field(
        default=None, description="3TG bought as ores or metals, or inside components and finished products.")
    products: list[Slug] = Field(default_factory=list, max_length=MAX_ITEMS,
                                 description="Product keys from the product table.")
    sourcing_countries: list[Country] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="ISO 3166 codes of the countries the company buys from.")
    sourcing: list[Sourcing] = Field(
        default_factory=list, max_length=200,
        description="Product → countries of origin pairs: origin, not import, decides supply-chain risk.")

    # derived -------------------------------------------------------------------------
    @property
    def size_class(self) -> SizeClass | None:
        return size_class(self.employees, self.turnover_eur_m)

    @property
    def has_staff(self) -> bool:
        """False only when the company says it has no employees and no other workers."""
        return not (self.employees == 0 and not set(self.workforce or []) - {"self_employed"})

    @property
    def all_products(self) -> list[str]:
        """The products named anywhere in the profile, in order, once."""
        return list(dict.fromkeys([*self.products, *(s.product for s in self.sourcing)]))

    @property
    def origin_countries(self) -> list[str]:
        """Countries goods come from: the sourcing pairs' origins and the countries bought from."""
        return list(dict.fromkeys([*(c for s in self.sourcing for c in s.origins), *self.sourcing_countries]))

    @property
    def origins_known(self) -> bool:
        """Whether the profile names any country of origin (a sourcing pair or a country bought from)."""
        return bool(self.origin_countries)

    @property
    def non_eu_origin(self) -> bool | None:
        """Whether some goods originate outside the EU, however they are bought (None: not known)."""
        if self.imports_non_eu or any(c not in EU_COUNTRIES for c in self.origin_countries):
            return True
        if self.origin_countries or self.imports_non_eu is False:
            return False
        return None

    @property
    def imports_directly(self) -> bool | None:
        """Whether the company itself imports from outside the EU (import decides some legal duties)."""
        if self.imports_non_eu or any(s.channel == "direct" and set(s.origins) - EU_COUNTRIES
                                      for s in self.sourcing):
            return True
        return self.imports_non_eu

    def value(self, field: str) -> Any:
        """A profile field as conditions see it (``products`` includes the sourced products)."""
        if field == "products":
            return self.all_products
        return getattr(self, field)
