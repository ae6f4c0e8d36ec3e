"""Every size limit hrdd puts on what it reads, in one place (the README's "Reliability" section
lists them).

Questionnaire, pack and exchange files may come from anyone. Whatever they hold, reading
one must end quickly in either the data or a clear refusal: these limits bound the work
before the models see the data, and the models bound every list, text and number. They
sit far above anything a real questionnaire or assessment needs (the bundled modules are
under 160 KB, 5,000 values and 20 levels deep each).
"""

from __future__ import annotations

# --- questionnaire, resource and pack files (YAML) ----------------------------------------
MAX_YAML_BYTES = 2_000_000
"""A YAML file larger than this is refused before it is parsed."""
MAX_YAML_DEPTH = 40
"""Lists and mappings nested deeper than this are refused."""
MAX_YAML_VALUES = 50_000
"""Values in one file, counting every use of a YAML alias (``*name``) as a copy: an "alias
bomb" of a few hundred bytes that would expand to billions of values stops here."""
MAX_DIGITS = 30
"""Digits in a whole number (in YAML and JSON files alike)."""
MAX_PROBLEMS = 100
"""Problems listed per file; the rest are counted."""
MAX_PACK_FILES = 50
"""YAML files in one pack folder."""

# --- what the models accept ------------------------------------------------------------------
MAX_TEXT = 10_000
"""Characters in one text of a questionnaire (a question, a help text, an action) in one language."""
MAX_NAME = 300
"""Characters in a company name."""
MAX_ID = 64
"""Characters in an id (question, option, module, pack, resource)."""
MAX_QUESTIONS = 500
"""Questions in one module."""
MAX_OPTIONS = 50
"""Options of one question."""
MAX_ITEMS = 500
"""Items in any other list (resources of a question, conditions, product keys, countries …)."""
MAX_CATALOGUE = 5_000
"""Entries in the resource catalogue or the product table."""
MAX_NUMBER = 1e15
"""The largest magnitude of a number in a questionnaire (``min``/``max`` of a number question, a
condition's bound); numbers must also be finite (no NaN, no infinity)."""

# --- exchange files (JSON) --------------------------------------------------------------------
MAX_EXPORT_BYTES = 5_000_000
"""An exchange file larger than this is refused before it is parsed."""
MAX_JSON_DEPTH = 20
"""Lists and objects nested deeper than this in an exchange file are refused."""
MAX_ANSWERS = 2_000
"""Answers in one exchange file."""
MAX_TEXT_ANSWER = 20_000
"""Characters in a free-text answer in an exchange file (the same as a note, see
:data:`hrdd.answers.MAX_NOTE`)."""
