"""hrdd: a human-rights due-diligence self-check for Belgian companies.

The core (models, loading, storage, scoring, reports) never imports Textual; the terminal
app in :mod:`hrdd.tui` and the command line in :mod:`hrdd.cli` are thin layers over it.
"""

__version__ = "0.1.0"
"""The one place the version is written: the build reads it from here ([tool.hatch.version] in
pyproject.toml), and reading it costs nothing at start-up (package metadata would)."""
