"""The machine a benchmark ran on, for bench/README.md."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from pathlib import Path


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _pg_version(url: str | None) -> str:
    if not url:
        return "not used"
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar())
    except Exception as exc:
        return f"unavailable ({type(exc).__name__})"
    finally:
        engine.dispose()


def machine(pg_admin_url: str | None) -> dict[str, str]:
    """CPU model, cores, RAM and the versions the figures depend on."""
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "ram": f"{_ram_gib():.1f} GiB",
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _pg_version(pg_admin_url),
        "load": f"{os.getloadavg()[0]:.1f}",
    }
