#!/usr/bin/env python3
"""CI gate around pip-audit that never passes silently.

pip-audit reports "No known vulnerabilities found" and exits 0 even when it
could not look a single package up (no network, no PyPI/OSV access): each
dependency then only carries a ``skip_reason``. This gate reads pip-audit's
JSON report and decides:

* any known vulnerability                         → exit 1 (the build fails);
* dependencies that could not be audited          → a DEVIATION banner naming
  how many and why; exit 0, or exit 2 when ``PULIH_PIP_AUDIT_STRICT=1``
  (set it where the vulnerability service is reachable);
* everything audited and clean                    → exit 0.

Usage: ``scripts/pip_audit_gate.py [path/to/pip-audit]`` (default: the
``pip-audit`` next to the running Python). See docs/security.md, "V15".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

UNREACHABLE_HINTS = ("not found on pypi", "could not be audited", "connection", "timed out", "max retries")


def evaluate(report: dict[str, Any], *, strict: bool = False) -> tuple[int, str]:
    """Exit code and message for one pip-audit JSON report."""
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = len(deps) - len(skipped)
    lines = [f"pip-audit: {len(deps)} dependencies, {audited} audited, {len(skipped)} not audited."]
    if vulnerable:
        for dep in vulnerable:
            ids = ", ".join(v.get("id", "?") for v in dep["vulns"])
            lines.append(f"  VULNERABLE {dep['name']} {dep.get('version', '')}: {ids}")
        return 1, "\n".join(lines)
    if skipped:
        reasons = Counter(
            "vulnerability service unreachable / package not found on PyPI"
            if any(h in d["skip_reason"].lower() for h in UNREACHABLE_HINTS)
            else d["skip_reason"]
            for d in skipped
        )
        lines.insert(0, "=" * 72)
        lines.insert(
            1, "DEVIATION (docs/security.md, V15): dependencies NOT checked for known vulnerabilities"
        )
        for reason, count in reasons.most_common():
            lines.append(f"  {count} × {reason}")
        lines.append(
            "  Run pip-audit where https://pypi.org and the OSV/PyPI advisory service are reachable."
        )
        lines.append("=" * 72)
        return (2 if strict else 0), "\n".join(lines)
    lines.append("No known vulnerabilities.")
    return 0, "\n".join(lines)


def main(argv: list[str]) -> int:
    tool = argv[1] if len(argv) > 1 else str(Path(sys.executable).with_name("pip-audit"))
    result = subprocess.run(  # noqa: S603 - the tool path is ours
        [tool, "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
        print("DEVIATION: pip-audit produced no report (see its output above).")
        return 2 if os.environ.get("PULIH_PIP_AUDIT_STRICT") == "1" else 0
    code, message = evaluate(report, strict=os.environ.get("PULIH_PIP_AUDIT_STRICT") == "1")
    print(message)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
