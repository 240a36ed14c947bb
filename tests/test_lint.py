import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed by the [test] extra")
def test_ruff_finds_nothing():
    out = subprocess.run(["ruff", "check", "--quiet", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_services_and_models_never_import_qt():
    offenders = []
    for folder in ("services", "models"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "PySide6" in text or "from ui" in text or "import ui" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
