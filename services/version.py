"""The program's version, from one place: `version` in pyproject.toml.

- Run from the source tree, the version is read from pyproject.toml beside main.py, so a bump there
  shows at once (an editable install's metadata is only refreshed on reinstall).
- In the bundle built by installer/build.py there is no pyproject.toml: the build writes the same
  version to `resources/VERSION` inside the bundle.
- Installed as a package (wheel), the package metadata says it.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from .paths import resources_dir

DIST_NAME = "so-chi-bo"
VERSION_FILE = "VERSION"  # inside resources/ of a built bundle
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def pyproject_version(path: Path = PYPROJECT) -> str | None:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if data.get("project", {}).get("name") != DIST_NAME:
        return None
    value = data["project"].get("version")
    return str(value) if value else None


def app_version() -> str:
    """E.g. "0.1.0"; "0+unknown" only if every source is missing."""
    if getattr(sys, "frozen", False):
        bundled = resources_dir() / VERSION_FILE
        if bundled.is_file():
            return bundled.read_text(encoding="utf-8").strip()
    found = pyproject_version()
    if found:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DIST_NAME)
    except PackageNotFoundError:
        return "0+unknown"


def version_tuple(text: str | None = None) -> tuple[int, int, int, int]:
    """Four numbers for a Windows version resource: "1.2.3rc1" -> (1, 2, 3, 0), "2.0" -> (2, 0, 0, 0)."""
    release: list[int] = []
    for part in (text or app_version()).split("+")[0].split("."):
        match = re.match(r"\d+", part)
        if not match:
            break
        release.append(min(int(match.group()), 0xFFFF))
        if match.group() != part:  # "3rc1": the release number ends here
            break
    padded = (release + [0, 0, 0, 0])[:4]
    return padded[0], padded[1], padded[2], padded[3]
