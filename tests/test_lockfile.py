"""The exact versions CI and the quick start install (requirements*.lock) agree with pyproject.toml."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _pins(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def _declared(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return reqs


def _check(lock: str, extras: tuple[str, ...]) -> list[str]:
    pins = _pins(ROOT / lock)
    problems = []
    for req in _declared(extras):
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name} is not pinned in {lock}")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} in {lock} is outside {req.specifier} of pyproject.toml")
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        if re.match(r"^[A-Za-z0-9_.\-]+==", line) and not line.rstrip().endswith("\\"):
            problems.append(f"{line.split()[0]} in {lock} has no hash")
    return problems


def test_the_application_lock_pins_every_dependency_within_its_range():
    assert _check("requirements.lock", ()) == []


def test_the_test_lock_pins_every_dependency_and_test_tool_within_its_range():
    assert _check("requirements-test.lock", ("test", "postgres")) == []


def test_both_locks_install_the_same_version_of_the_program_s_own_dependencies():
    app, test = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-test.lock")
    assert {name: (version, test.get(name)) for name, version in app.items() if test.get(name) != version} == {}


def test_ci_runs_the_quick_start_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line.strip() for line in readme.splitlines() if "pytest" in line and "pip install" in line)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
