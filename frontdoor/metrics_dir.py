"""``FRONTDOOR_METRICS_DIR``: every process on a machine counts into one directory, so ``/metrics`` sums them.

prometheus_client decides where counters live when it is first imported: in the process's
memory, or in one file per process under ``PROMETHEUS_MULTIPROC_DIR`` that the process
answering a scrape adds up. So the long-running commands call :func:`use_metrics_dir`
before they import the app; this module must not import prometheus_client itself.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from core.settings import Settings

__all__ = ["PROMETHEUS_ENV", "multiprocess_dir", "remove_dead_files", "use_metrics_dir"]

PROMETHEUS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_PID = re.compile(r"_(\d+)\.db$")  # counter_1234.db, histogram_1234.db, gauge_livesum_1234.db


def use_metrics_dir(settings: Settings, *, clean: bool = False) -> Path | None:
    """Point prometheus_client at the setting's directory (None when unset: one process, as before).

    ``clean`` removes the files of processes no longer running (``frontdoor serve`` at start), so
    counters of a previous run are not added to this one's.
    """
    if not settings.metrics_dir:
        return None
    path = Path(settings.metrics_dir).resolve()
    if "prometheus_client.values" in sys.modules and os.environ.get(PROMETHEUS_ENV) != str(path):
        raise RuntimeError("FRONTDOOR_METRICS_DIR must be applied before prometheus_client is imported")
    path.mkdir(parents=True, exist_ok=True)
    os.environ[PROMETHEUS_ENV] = str(path)
    if clean:
        remove_dead_files(path)
    return path


def multiprocess_dir() -> str | None:
    """The directory this process counts into (None: counters are in memory)."""
    return os.environ.get(PROMETHEUS_ENV) or None


def remove_dead_files(path: Path) -> list[Path]:
    """Remove the metric files of processes that are not alive; the files removed."""
    removed = []
    for file in sorted(path.glob("*.db")):
        match = _PID.search(file.name)
        if match and not _alive(int(match.group(1))):
            file.unlink(missing_ok=True)
            removed.append(file)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
