"""The real bundle: build it with PyInstaller and run it headless (installer/smoke_test.py).

Skipped unless SOCHIBO_BUNDLE_TEST=1, because it needs PyInstaller (`pip install -e ".[build]"`) and
rewrites dist/ and build/ of the checkout. On the 2-core test machine it takes about 35 seconds
(docs/PERFORMANCE.md, "Bundle"). Run it before a release, or as a separate CI step:

    SOCHIBO_BUNDLE_TEST=1 python -m pytest tests/test_bundle.py
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.opt_in,
              pytest.mark.skipif(os.environ.get("SOCHIBO_BUNDLE_TEST") != "1",
                                 reason="builds the bundle: set SOCHIBO_BUNDLE_TEST=1")]


def test_bundle_builds_and_runs_headless(tmp_path):
    pytest.importorskip("PyInstaller")
    report = tmp_path / "report.json"
    out = subprocess.run([sys.executable, str(ROOT / "installer" / "smoke_test.py"), "--report", str(report)],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=1200)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    results = json.loads(report.read_text(encoding="utf-8"))
    assert results["bundle_bytes"] > 0 and results["zip_bytes"] > 0
