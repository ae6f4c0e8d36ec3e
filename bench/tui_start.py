"""Start the real hrdd app through its command-line entry point (``hrdd [--db ...]``), headless, and
exit as soon as its first screen is drawn and its workers are done. The harness times this process
from the outside (wall and CPU), like bench/floor_textual_start.py.

    python bench/tui_start.py [hrdd options...]      # HRDD_DB / HRDD_DATA_DIR pick the data
"""

from __future__ import annotations

import sys

from floor_textual_start import first_screen_then_exit
from textual.app import App

_run = App.run


def headless_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.update(headless=True, size=(100, 40), auto_pilot=first_screen_then_exit)
    return _run(self, *args, **kwargs)


App.run = headless_run  # type: ignore[method-assign]

if __name__ == "__main__":
    from hrdd.cli import main

    main(sys.argv[1:], standalone_mode=True)
