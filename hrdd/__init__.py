"""hrdd: a human-rights due-diligence self-check for Belgian companies.

The core (models, loading, storage, scoring, reports) never imports Textual; the terminal
app in :mod:`hrdd.tui` and the command line in :mod:`hrdd.cli` are thin layers over it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hrdd")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
