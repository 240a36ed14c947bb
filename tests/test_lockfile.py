"""The exact versions CI and the quick start install (requirements*.lock) agree with pyproject.toml."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


# The Pythons a lock is made for (uv pip compile --universal): a pin or a requirement with a marker (PySide6
# differs below and from Python 3.12) is checked in each of them.
PYTHONS = ("3.11", "3.12", "3.13")


def _environment(python: str) -> dict[str, str]:
    return {"python_version": python, "python_full_version": python + ".0"}


def _pins(lock: Path, python: str = "3.11") -> dict[str, str]:
    """The version the lock installs of each package under `python`."""
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*(.*?))?\s*\\?$", line)
        if m and (not m.group(3) or Marker(m.group(3)).evaluate(_environment(python))):
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def _declared(extras: tuple[str, ...], python: str = "3.11") -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(_environment(python))]


def _check(lock: str, extras: tuple[str, ...]) -> list[str]:
    problems = []
    for python in PYTHONS:
        pins = _pins(ROOT / lock, python)
        for req in _declared(extras, python):
            version = pins.get(canonicalize_name(req.name))
            if version is None:
                problems.append(f"{req.name} is not pinned in {lock} for Python {python}")
            elif not req.specifier.contains(version, prereleases=True):
                problems.append(f"{req.name}=={version} in {lock} is outside {req.specifier} of pyproject.toml "
                                f"for Python {python}")
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        if re.match(r"^[A-Za-z0-9_.\-]+==", line) and not line.rstrip().endswith("\\"):
            problems.append(f"{line.split()[0]} in {lock} has no hash")
    return problems


def test_the_application_lock_pins_every_dependency_within_its_range():
    assert _check("requirements.lock", ()) == []


def test_the_test_lock_pins_every_dependency_and_test_tool_within_its_range():
    assert _check("requirements-test.lock", ("test", "postgres")) == []


def test_both_locks_install_the_same_version_of_the_program_s_own_dependencies():
    for python in PYTHONS:
        app, test = _pins(ROOT / "requirements.lock", python), _pins(ROOT / "requirements-test.lock", python)
        assert {name: (version, test.get(name)) for name, version in app.items() if test.get(name) != version} == {}


def test_ci_runs_the_quick_start_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line.strip() for line in readme.splitlines() if "pytest" in line and "pip install" in line)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
