import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(module: str) -> list[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is installed by the [test] extra (requirements-test.lock)")
    return [sys.executable, "-m", module]


def test_ruff_finds_nothing():
    out = subprocess.run(_tool("ruff") + ["check", "--quiet", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_finds_no_type_error_in_services_and_models():
    """The core is typed: `mypy` with the settings of pyproject.toml ([tool.mypy])."""
    out = subprocess.run(_tool("mypy") + ["--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_services_and_models_never_import_qt():
    offenders = []
    for folder in ("services", "models"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "PySide6" in text or "from ui" in text or "import ui" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
