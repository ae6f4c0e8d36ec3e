"""Reports for many companies at once, on every CPU core; one failure does not stop the others.

At most one report per worker is in flight (the queue is bounded: a million companies take no
more memory than ten). Each worker opens the database, loads the questionnaires and registers
the fonts once, when it starts. Ctrl+C or SIGTERM cancels everything not yet started, lets the
reports being written finish, and the summary says what was done, what failed and what was
cancelled. The workers stop with the batch: they leave when the pool is shut down, and a worker
whose batch process is gone (killed with SIGKILL) leaves by itself within a fraction of a
second, so nothing keeps the database open. A worker process that dies (killed, out of
memory) does not end the batch: the reports it was writing are tried again one at a time in a
fresh process, and a company whose report kills its process again is reported as failed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .i18n import _

_state: dict[str, Any] = {}
PARENT_CHECK = 0.2
"""Seconds between a worker's checks that its batch process is still there."""


class Stopped(KeyboardInterrupt):
    """The batch process received SIGTERM: it stops like on Ctrl+C."""

    signum = signal.SIGTERM


@dataclass(frozen=True)
class BatchResult:
    company_id: int
    path: Path | None
    error: str | None


@dataclass
class BatchSummary:
    """What a batch did: one result per company written or failed, and the companies cancelled."""

    results: list[BatchResult] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    interrupted: bool = False
    """True when the batch was stopped (Ctrl+C, SIGTERM) before every company was done."""
    signal: int | None = None
    """The signal that stopped it (SIGINT for Ctrl+C, SIGTERM)."""

    @property
    def written(self) -> list[BatchResult]:
        return [r for r in self.results if r.error is None]

    @property
    def failed(self) -> list[BatchResult]:
        return [r for r in self.results if r.error is not None]


def _init(db: str, worker_lang: str | None = None, parent: int | None = None) -> None:
    """Each worker process opens the database, loads the questionnaires and registers the fonts once.

    In a pool (``worker_lang`` given) the process ignores Ctrl+C: the main process decides
    what stops, so a report being written is finished instead of being cut off. SIGTERM sent
    to the worker itself ends it (the default, which a forked worker gets back here), and
    the worker ends itself when its batch process ``parent`` is gone."""
    from . import i18n
    from .loader import load_bundled
    from .packs import with_packs
    from .report.pdf import _register_fonts
    from .storage import Store

    if worker_lang:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        i18n.activate(worker_lang)
    if parent is not None:
        threading.Thread(target=_leave_with, args=(parent,), name="hrdd-parent-watch", daemon=True).start()
    _state["store"] = Store(db)
    _state["bundle"] = with_packs(load_bundled())
    _register_fonts()


def _leave_with(parent: int) -> None:
    """End this worker when the batch process ``parent`` is gone (its children then belong to
    another process): killed with SIGKILL, the batch cannot stop its workers itself."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def _on_sigterm(signum: int, frame: object) -> None:
    raise Stopped()


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


def run_batch(db: Path, company_ids: list[int], lang: str, out_dir: Path, *, workers: int | None = None,
              on: date | None = None, progress: Callable[[BatchResult], None] | None = None) -> BatchSummary:
    """Write one report per company with ``workers`` processes (default: one per CPU core).

    ``progress`` is called after each company. Ctrl+C (KeyboardInterrupt) or SIGTERM stops the
    batch cleanly: the summary then lists the cancelled companies and ``interrupted`` is set
    (``signal`` says which). With ``on``, reports carry that date and are reproducible byte for byte."""
    from . import i18n

    out_dir.mkdir(parents=True, exist_ok=True)
    day = on or date.today()
    run = _Run(db, (lang, str(out_dir), day, on is not None), max(1, workers or os.cpu_count() or 1),
               i18n.active(), progress)
    summary = BatchSummary()
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    try:
        run.all(company_ids)
    except KeyboardInterrupt as exc:
        summary.interrupted = True
        summary.signal = int(getattr(exc, "signum", signal.SIGINT))
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    summary.results = sorted(run.done.values(), key=lambda r: r.company_id)
    summary.cancelled = [c for c in company_ids if c not in run.done]
    return summary


class _Run:
    def __init__(self, db: Path, args: tuple[Any, ...], workers: int, ui_lang: str,
                 progress: Callable[[BatchResult], None] | None):
        self.db, self.args, self.workers, self.ui_lang, self.progress = db, args, workers, ui_lang, progress
        self.done: dict[int, BatchResult] = {}

    def record(self, result: BatchResult) -> None:
        self.done[result.company_id] = result
        if self.progress:
            self.progress(result)

    def all(self, company_ids: list[int]) -> None:
        if self.workers == 1:
            _init(str(self.db))
            for company_id in company_ids:
                self.record(_one(company_id, *self.args))
            return
        todo = deque(company_ids)
        while todo:
            before = len(self.done)
            suspects = self.pool_round(todo)
            for company_id in suspects:  # a worker died while these were in flight: each alone
                self.record(self.alone(company_id))
            if todo and not suspects and len(self.done) == before:  # a pool that cannot even start
                self.record(self.alone(todo.popleft()))

    def pool_round(self, todo: deque[int]) -> list[int]:
        """Work through ``todo`` in one pool until it is empty or the pool breaks (a worker died);
        return the companies that were in flight when it broke."""
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_init,
                                   initargs=(str(self.db), self.ui_lang, os.getpid()))
        running: dict[Future[BatchResult], int] = {}
        broken = False
        late: list[BatchResult] = []
        try:
            while (todo or running) and not broken:
                while todo and len(running) < self.workers:  # one job per worker: nothing queued to cancel
                    try:
                        running[pool.submit(_one, todo[0], *self.args)] = todo[0]
                    except BrokenProcessPool:
                        broken = True
                        break
                    todo.popleft()
                if not running:
                    break
                finished, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    del running[future]
                    self.record(result)
        finally:
            # On Ctrl+C nothing new starts; the reports being written are finished and counted.
            pool.shutdown(wait=True, cancel_futures=True)
            for future, company_id in running.items():
                if future.done() and not future.cancelled() and future.exception() is None:
                    self.done[company_id] = future.result()
                    late.append(future.result())
        for result in late:
            if self.progress:
                self.progress(result)
        return [c for c in running.values() if c not in self.done]

    def alone(self, company_id: int) -> BatchResult:
        """One report in a fresh process of its own, to tell which company a dead worker was writing."""
        out_dir = Path(str(self.args[1]))
        for stale in out_dir.glob(f".hrdd-{company_id}-*.part"):  # left by the process that died writing it
            stale.unlink(missing_ok=True)
        with ProcessPoolExecutor(max_workers=1, initializer=_init,
                                 initargs=(str(self.db), self.ui_lang, os.getpid())) as pool:
            try:
                return pool.submit(_one, company_id, *self.args).result()
            except BrokenProcessPool:
                return BatchResult(company_id, None, _("the process writing this report stopped unexpectedly"))


def batch_reports(db: Path, company_ids: list[int], lang: str, out_dir: Path, *, workers: int | None = None,
                  on: date | None = None) -> Iterator[BatchResult]:
    """The results of :func:`run_batch`, sorted by company."""
    return iter(run_batch(db, company_ids, lang, out_dir, workers=workers, on=on).results)
