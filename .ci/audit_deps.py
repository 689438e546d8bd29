"""`make lint`'s vulnerability audit of the pinned requirements (pip-audit).

Fails on a known vulnerability. Where the vulnerability service cannot be reached (a
closed network, a registry mirror without PyPI's JSON API: pip-audit then reports every
package "not found on PyPI" and, misleadingly, "No known vulnerabilities found"), it says
so plainly and does not fail: an audit that could not run is not a pass, nor a reason to
block every other check. It never waits longer than TIMEOUT_S.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]
TIMEOUT_S = 180


def main() -> int:
    tool = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
    if tool is None:
        print("pip-audit: not installed (make dev-deps); not audited")
        return 0
    cmd = [
        tool,
        "--disable-pip",
        "--no-deps",
        "--progress-spinner",
        "off",
        "--format",
        "json",
        "--timeout",
        "15",
    ]
    for name in REQUIREMENTS:
        cmd += ["-r", str(ROOT / name)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print(
            f"pip-audit: no answer in {TIMEOUT_S} s; vulnerability service unreachable; not audited"
        )
        return 0
    try:
        deps = json.loads(done.stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        reason = (done.stderr.strip().splitlines() or ["no report"])[-1][:200]
        print(f"pip-audit: vulnerability service unreachable ({reason}); not audited")
        return 0
    return report(deps)


def report(deps: list[dict]) -> int:
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        print(
            f"pip-audit: vulnerability service unreachable; not audited "
            f"(0 of {len(deps)} pinned packages could be looked up)"
        )
        return 0
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
            print(f"pip-audit: {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    note = f"; {len(skipped)} not found, not audited" if skipped else ""
    print(
        f"pip-audit: {len(audited)} of {len(deps)} pinned packages audited, "
        f"{len(vulnerable)} with known vulnerabilities{note}"
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
