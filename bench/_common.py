"""Helpers shared by the bench scripts (standard library only)."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys


def rss_mib() -> float:
    """Resident set size of this process now, in MiB (Linux /proc; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def emit(result: dict) -> None:  # type: ignore[type-arg]
    """The one line the harness reads: JSON on stdout, prefixed so other output cannot be mistaken for it."""
    sys.stdout.write("BENCH " + json.dumps(result) + "\n")
    sys.stdout.flush()


def walk_summary(wall: list[float], cpu: list[float], rss: list[float], answers: int) -> dict:  # type: ignore[type-arg]
    return {
        "answers": answers, "samples": len(wall),
        "p50_wall": percentile(wall, 50), "p95_wall": percentile(wall, 95),
        "p50_cpu": percentile(cpu, 50), "p95_cpu": percentile(cpu, 95),
        "rss_start": rss[0] if rss else None, "rss_end": rss[-1] if rss else None,
        "rss_peak": max(rss) if rss else None,
        "rss_mid": rss[len(rss) // 2] if rss else None,
        "pid": os.getpid(),
    }
