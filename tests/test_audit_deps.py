"""`make lint`'s dependency audit (.ci/audit_deps.py): fails on a known vulnerability,
says "not audited" and passes where the vulnerability service cannot be reached."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "audit_deps.py"


def _module():
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_report_fails_only_on_a_known_vulnerability(capsys) -> None:
    report = _module().report
    unreachable = [{"name": "pillow", "skip_reason": "Dependency not found on PyPI"}]
    assert report(unreachable) == 0
    assert "unreachable; not audited (0 of 1" in capsys.readouterr().out
    clean = [{"name": "pillow", "version": "13.0.0", "vulns": []}]
    assert report(clean + unreachable) == 0
    assert "1 of 2 pinned packages audited, 0 with known" in capsys.readouterr().out
    vuln = {"id": "PYSEC-0000-1", "fix_versions": ["13.0.1"]}
    assert report([{"name": "pillow", "version": "13.0.0", "vulns": [vuln]}]) == 1
    assert "pillow 13.0.0: PYSEC-0000-1 (fixed in 13.0.1)" in capsys.readouterr().out


def test_the_real_audit_finishes_and_says_what_it_did() -> None:
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=240, cwd=ROOT
    )
    assert time.monotonic() - start < 200
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("pip-audit: ")
    assert "not audited" in done.stdout or "audited, 0 with known" in done.stdout
