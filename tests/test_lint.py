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


def _ui_offences(path: Path) -> list[str]:
    """Sessions opened, database records or SQLAlchemy imported in a ui/ file (line: what)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            document = isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) \
                and receiver.func.attr == "document"          # QTextDocument.begin(): its first text block
            if node.func.attr == "begin" and not document:
                found.append(f"{node.lineno}: .begin(")
            if node.func.attr in ("Session", "perform"):
                found.append(f"{node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] in ("models", "sqlalchemy")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] in ("models", "sqlalchemy"):
            found.append(f"{node.lineno}: from {node.module} import")
    return found


def test_ui_never_opens_a_session_nor_touches_database_records():
    """Pages and dialogs read through services (plain read models) and write through
    ui/operations.run_op; only ui/operations.py hands work to services.ops.perform."""
    offenders = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        found = _ui_offences(path)
        if path.name == "operations.py":
            found = [f for f in found if ".perform(" not in f]
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_ui_check_catches_a_session_and_a_model_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from models import Member\nimport sqlalchemy\n\ndef f(ctx, editor):\n"
                   "    block = editor.document().begin()\n    with ctx.db.begin() as s:\n        return s\n",
                   encoding="utf-8")
    assert _ui_offences(bad) == ["1: from models import", "2: import sqlalchemy", "6: .begin("]
