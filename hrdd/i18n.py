"""Interface strings through gettext, and dates and numbers through Babel.

English is the source language. The Dutch and French catalogues are the ``.po`` files in
``locales/``; they are compiled in memory the first time a language is used, so nobody
has to run a compile step. ``_()`` looks up the active language on every call.
"""

from __future__ import annotations

import gettext
import io
import re
import unicodedata
from datetime import date, datetime
from functools import cache
from pathlib import Path

from .paths import locales_dir

# Babel is imported where it is used: English messages need none of it, so ``hrdd --help``
# and the commands that print only messages start without it.

DOMAIN = "messages"
LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}
"""hrdd language code → Babel locale used for dates and numbers."""

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
"""Each language in its own words (never translated)."""

_active = "en"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue for ``lang`` (English: the identity), kept compiled in hrdd's cache
    folder under a digest of the ``.po`` file (:mod:`hrdd.cache`)."""
    if lang == "en":
        return gettext.NullTranslations()
    import babel

    from . import cache as disk_cache

    po = locales_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    source = po.read_bytes()
    key = disk_cache.digest(f"messages-{lang}", source, babel.__version__.encode(), Path(__file__).read_bytes())
    compiled = disk_cache.load(f"messages-{lang}", key)
    if not isinstance(compiled, bytes):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        buf = io.BytesIO()
        write_mo(buf, read_po(io.BytesIO(source), locale=LOCALES[lang]), use_fuzzy=False)
        compiled = buf.getvalue()
        disk_cache.store(f"messages-{lang}", key, compiled)
    return gettext.GNUTranslations(io.BytesIO(compiled))


def activate(lang: str) -> None:
    """Make ``lang`` the language of ``_()``."""
    global _active
    if lang not in LOCALES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LOCALES)}")
    _active = lang


def active() -> str:
    return _active


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return translations(_active).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_active).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def t(message: str, lang: str) -> str:
    """Translate ``message`` into ``lang`` regardless of the active language."""
    return translations(lang).gettext(message)


def fmt_date(value: date | datetime, lang: str | None = None, form: str = "long") -> str:
    from babel.dates import format_date

    return format_date(value, format=form, locale=LOCALES[lang or _active])


def fmt_datetime(value: datetime, lang: str | None = None) -> str:
    from babel.dates import format_datetime

    return format_datetime(value, format="medium", locale=LOCALES[lang or _active])


def fmt_number(value: float, lang: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=LOCALES[lang or _active])


def country_names(lang: str | None = None) -> dict[str, str]:
    """ISO 3166 alpha-2 code → country name in ``lang`` (CLDR through Babel)."""
    from babel import Locale

    territories = Locale.parse(LOCALES[lang or _active]).territories
    return {code: name for code, name in territories.items() if len(code) == 2 and code.isalpha()
            and code not in {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}}


def parse_number(text: str, lang: str | None = None) -> float:
    """Read a typed number; ``ValueError`` (translated) if it is not one.

    Both decimal separators are accepted in every language: "0,15" and "0.15" are both 0.15.
    Thousands may be grouped with spaces, or with the other separator ("1.234,5", "1,234.5").
    Only "1,234" and "1.234" (one separator, then exactly three digits) are ambiguous: they are
    read the way ``lang`` writes numbers ("1.234" is 1234 in Dutch and French, 1.234 in English).
    (Textual's number input drops a decimal comma, so numbers are read here.)
    """
    from babel.numbers import get_decimal_symbol

    cleaned = text.strip().replace("\u2212", "-")
    sign = -1.0 if cleaned.startswith("-") else 1.0
    body = _SPACE_GROUP.sub("", cleaned[1:].lstrip() if cleaned[:1] in ("-", "+") else cleaned)
    if not _NUMBER_CHARS.fullmatch(body):
        return _fail(text)
    marks = {c for c in body if c in ",."}
    decimal: str | None = None
    if len(marks) == 2:
        decimal = body[max(body.rfind(","), body.rfind("."))]  # the last one: "1.234,5", "1,234.5"
    elif marks:
        mark = marks.pop()
        thousands = _GROUPED_ONCE.fullmatch(body) and mark != get_decimal_symbol(LOCALES[lang or _active])
        decimal = None if body.count(mark) > 1 or thousands else mark
    whole, fraction = body.rsplit(decimal, 1) if decimal else (body, "")
    group = ({",", "."} - {decimal}).pop() if decimal else next(iter({",", "."} & set(body)), None)
    if group and group in whole:
        if not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+", whole):
            return _fail(text)
        whole = whole.replace(group, "")
    if not whole.isdigit() and whole or not fraction.isdigit() and (fraction or decimal) or not whole + fraction:
        return _fail(text)
    return sign * float(f"{whole or 0}.{fraction or 0}")


_NUMBER_CHARS = re.compile(r"[\d.,]+")
_SPACE_GROUP = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")
"""A space (plain or non-breaking) between groups of three digits: "1 234 567"."""
_GROUPED_ONCE = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")
"""One separator followed by exactly three digits: thousands or decimals, depending on the language."""


def fmt_input_number(value: float, lang: str | None = None) -> str:
    """A number as a person would type it back into a field: every decimal kept, plain spaces."""
    from babel.numbers import format_decimal

    text = format_decimal(value, format="#,##0.##########", locale=LOCALES[lang or _active])
    return text.replace("\u202f", " ").replace("\xa0", " ")


def relocalise_number(text: str, old: str, new: str) -> str:
    """Text typed as a number in ``old`` rewritten for ``new`` ("1,5" → "1.5"); unchanged if not a number."""
    try:
        return fmt_input_number(parse_number(text, old), new) if text.strip() else text
    except ValueError:
        return text


def _fail(text: str) -> float:
    raise ValueError(_("“{text}” is not a number").format(text=text))


def colon(label: str, lang: str | None = None) -> str:
    """``label`` followed by a colon, the way the language writes it ("Note :" in French)."""
    return f"{label}\u00a0:" if (lang or _active) == "fr" else f"{label}:"


def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes: how typed names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().strip().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                              "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"})


def ascii_fold(text: str) -> str:
    """``text`` in plain ASCII for file names: accents dropped ("Électro" → "Electro"), ł → l, œ → oe;
    any other character that has no ASCII form becomes "-"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isascii() else "-" for c in plain)


def match_countries(text: str) -> tuple[list[str], list[str]]:
    """Country codes named in comma-separated ``text`` (names in nl, fr or en, or ISO codes),
    and the parts that matched no country."""
    index = {fold(code): code for code in country_names("en")}
    for lang in LOCALES:
        index.update({fold(name): code for code, name in country_names(lang).items()})
    found: list[str] = []
    unknown: list[str] = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        code = index.get(fold(part))
        if code is None:
            unknown.append(part.strip())
        elif code not in found:
            found.append(code)
    return found, unknown
