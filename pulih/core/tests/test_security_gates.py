"""The pip-audit CI gate never passes silently (bandit runs as its own CI step, .ci/run)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pip_audit_gate", ROOT / "scripts" / "pip_audit_gate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_known_vulnerability_fails_the_gate() -> None:
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "ninja", "version": "1.0", "vulns": []},
        ]
    }
    code, message = _gate().evaluate(report)
    assert code == 1
    assert "VULNERABLE django 5.2.0: PYSEC-0000-1" in message


def test_unaudited_dependencies_are_a_logged_deviation_never_a_silent_pass() -> None:
    report = {
        "dependencies": [
            {
                "name": "anyio",
                "skip_reason": "Dependency not found on PyPI and could not be audited: anyio (4.1)",
            },
            {"name": "django", "version": "5.2.0", "vulns": []},
        ]
    }
    gate = _gate()
    code, message = gate.evaluate(report)
    assert code == 0
    assert "DEVIATION" in message and "NOT checked" in message
    assert "1 audited, 1 not audited" in message
    strict_code, _message = gate.evaluate(report, strict=True)
    assert strict_code == 2


def test_a_fully_audited_clean_report_passes() -> None:
    code, message = _gate().evaluate({"dependencies": [{"name": "django", "version": "5.2.0", "vulns": []}]})
    assert code == 0
    assert "DEVIATION" not in message and "No known vulnerabilities." in message
