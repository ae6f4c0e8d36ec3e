"""Maintains the gettext catalogues in ``locales/`` (for developers, not used at run time).

``python -m hrdd.catalogs`` extracts every translatable string from the package into
``locales/messages.pot`` and merges it into the Dutch and French ``.po`` files; translators
then fill in the new entries. The test suite uses :func:`extract` to check that the
catalogues are complete.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALES

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "t": (1,)}
PACKAGE = Path(__file__).parent


def extract() -> Catalog:
    """Every translatable string in the hrdd package."""
    catalog = Catalog(project="hrdd", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True):
        catalog.add(message, None, [(f"hrdd/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def update(locales: Path) -> None:
    template = extract()
    with (locales / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, width=100, omit_header=False, sort_output=True)
    for lang, locale in LOCALES.items():
        if lang == "en":
            continue
        po_path = locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="hrdd", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po_path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE.parent / "locales"
    update(target)
    print(f"updated catalogues in {target}")
