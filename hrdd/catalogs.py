"""Maintains the gettext catalogues in ``locales/`` (for developers, not used at run time).

``python -m hrdd.catalogs [LOCALES]`` extracts every translatable string from the package
into ``LOCALES/messages.pot`` and merges it into the Dutch and French ``.po`` files;
translators then fill in the new entries. ``LOCALES`` is the checkout's ``locales`` folder
(default: ``locales`` in the current folder); the tool never writes into an installed
package. The test suite uses :func:`extract` to check that the catalogues are complete.
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


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print("usage: python -m hrdd.catalogs [LOCALES]   (default: ./locales, the checkout's locales folder)",
              file=sys.stderr)
        return 2
    target = Path(argv[0]) if argv else Path.cwd() / "locales"
    if not (target / f"{DOMAIN}.pot").is_file():
        print(f"error: {target} is not a locales folder (it has no {DOMAIN}.pot); run this from a checkout of "
              "hrdd, or give the path of its locales folder", file=sys.stderr)
        return 2
    update(target)
    print(f"updated catalogues in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
