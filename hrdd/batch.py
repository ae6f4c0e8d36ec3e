"""Reports for many companies at once, on every CPU core; one failure does not stop the others."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_state: dict[str, object] = {}


@dataclass(frozen=True)
class BatchResult:
    company_id: int
    path: Path | None
    error: str | None


def _init(db: str) -> None:
    """Each worker process opens the database and loads the questionnaires once."""
    from .loader import load_bundled
    from .packs import with_packs
    from .storage import Store

    _state["store"] = Store(db)
    _state["bundle"] = with_packs(load_bundled())


def _one(company_id: int, lang: str, out_dir: str, on: date, invariant: bool) -> BatchResult:
    from .report import default_report_name, write_report
    from .storage import Store

    store = _state["store"]
    assert isinstance(store, Store)
    try:
        name = store.company(company_id).profile.name
        out = Path(out_dir) / default_report_name(f"{company_id}-{name}", lang, on)
        return BatchResult(company_id, write_report(store, _state["bundle"], company_id, lang, out, on=on,
                                                       invariant=invariant), None)
    except Exception as exc:  # noqa: BLE001 — reported per company, the batch goes on
        return BatchResult(company_id, None, f"{type(exc).__name__}: {exc}")


def batch_reports(db: Path, company_ids: list[int], lang: str, out_dir: Path, *, workers: int | None = None,
                  on: date | None = None) -> Iterator[BatchResult]:
    """Yield one result per company as reports are written, using ``workers`` processes.

    With ``on``, reports carry that date and are reproducible byte for byte."""
    out_dir.mkdir(parents=True, exist_ok=True)
    invariant = on is not None
    on = on or date.today()
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        _init(str(db))
        for company_id in company_ids:
            yield _one(company_id, lang, str(out_dir), on, invariant)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(str(db),)) as pool:
        futures = [pool.submit(_one, cid, lang, str(out_dir), on, invariant) for cid in company_ids]
        for future in as_completed(futures):
            yield future.result()


def run_with_progress(results: Iterator[BatchResult],
                      progress: Callable[[int], None]) -> list[BatchResult]:
    """Collect the results, calling ``progress(1)`` after each; sorted by company."""
    done = []
    for result in results:
        done.append(result)
        progress(1)
    return sorted(done, key=lambda r: r.company_id)
