"""Smoke test of the bundle: build it, then run the bundled program headless as a user would.

    python installer/smoke_test.py                 # build (no setup.exe), then test
    python installer/smoke_test.py --no-build      # test the existing dist/SoChiBo
    python installer/smoke_test.py --report r.json # also write the measurements

It fails (exit 1) if any resource or migration script is missing from the bundle, or if the bundled
program cannot: print its version, pass `selftest` (fonts, catalogs, guide, rule files, demo database,
Excel export, PDF), write a demo database, export the members, show its main window offscreen, or
keep its data beside itself when unpacked from the portable ZIP. It also checks that running the
program writes nothing into its own folder (an uninstaller would leave such files behind).

It measures the bundle size and the start times reported in docs/PERFORMANCE.md ("Bundle"). "Cold"
means the bundle's files were dropped from the page cache first (Linux, posix_fadvise), so they are
read from disk again; system libraries outside the bundle stay cached.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import stat
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installer import build as builder  # noqa: E402
from installer import buildinfo  # noqa: E402


class SmokeFailure(Exception):
    pass


def isolated_env(home: Path) -> dict[str, str]:
    """The user's folders point into `home`, Qt draws offscreen, and no source tree leaks in."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}}
    env.update({
        "HOME": str(home), "USERPROFILE": str(home),
        "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "APPDATA": str(home / "AppData" / "Roaming"), "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8",
    })
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                         errors="replace", timeout=timeout)
    return out, time.perf_counter() - started


def expect_ok(what: str, out: subprocess.CompletedProcess) -> None:
    if out.returncode != 0:
        raise SmokeFailure(f"{what}: exit {out.returncode}\n{out.stdout}\n{out.stderr}")


def evict_page_cache(folder: Path) -> bool:
    """Drop the folder's files from the page cache (Linux), so the next start reads them from disk."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def bundle_resources_dir(bundle: Path) -> Path:
    internal = bundle / "_internal"
    return (internal if internal.is_dir() else bundle) / "resources"


def missing_from_bundle(bundle: Path) -> list[str]:
    """Resource files and migration scripts of the source tree that the bundle lacks."""
    base = bundle_resources_dir(bundle).parent
    missing = [f"resources/{rel}" for rel in buildinfo.resource_files()
               if not (base / "resources" / rel).is_file()]
    for src, dest in buildinfo.bundle_datas():
        if dest.startswith("services/migrations") and not (base / dest / Path(src).name).is_file():
            missing.append(f"{dest}/{Path(src).name}")
    for name in ("VERSION", "MANIFEST"):
        if not (base / "resources" / name).is_file():
            missing.append(f"resources/{name}")
    return missing


def listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def extract_zip(archive: Path, target: Path) -> None:
    """Unpack like `unzip`: Unix permissions and symbolic links restored."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            dest = target / info.filename
            mode = info.external_attr >> 16
            dest.parent.mkdir(parents=True, exist_ok=True)
            if stat.S_ISLNK(mode):
                os.symlink(zf.read(info).decode("utf-8"), dest)
                continue
            if info.is_dir():
                dest.mkdir(exist_ok=True)
                continue
            with zf.open(info) as src, dest.open("wb") as dst:
                while chunk := src.read(1024 * 1024):
                    dst.write(chunk)
            if mode & 0o777:
                dest.chmod(mode & 0o777)


def smoke(bundle: Path, archive: Path | None, work: Path) -> dict:
    version = buildinfo.project_version()
    cli = str(builder.exe_path(bundle, buildinfo.CLI_EXE))
    gui = str(builder.exe_path(bundle, buildinfo.GUI_EXE))
    env = isolated_env(work / "home")
    results: dict = {"version": version, "platform": builder.platform_tag(), "python": platform.python_version()}
    step = 0

    def say(message: str) -> None:
        nonlocal step
        step += 1
        print(f"[smoke {step:2d}] {message}", flush=True)

    missing = missing_from_bundle(bundle)
    if missing:
        raise SmokeFailure("missing from the bundle: " + ", ".join(missing))
    say(f"all {len(buildinfo.resource_files())} resource files and the migration scripts are in the bundle")
    before = listing(bundle)

    results["bundle_bytes"] = builder.folder_size(bundle)
    results["bundle_files"] = sum(1 for p in bundle.rglob("*") if p.is_file())
    if archive is not None:
        results["zip_bytes"] = archive.stat().st_size
    say(f"bundle {builder.mib(results['bundle_bytes'])} in {results['bundle_files']} files"
        + (f", portable ZIP {builder.mib(results['zip_bytes'])}" if archive else ""))

    # --version: cold (bundle evicted from the page cache), then warm.
    cold = evict_page_cache(bundle)
    out, seconds = run([cli, "--version"], env, work)
    expect_ok("--version", out)
    if out.stdout.strip() != f"Sổ chi bộ {version}":
        raise SmokeFailure(f"--version printed {out.stdout.strip()!r}, expected version {version}")
    results["version_cold_s" if cold else "version_first_s"] = round(seconds, 3)
    warm = []
    for _ in range(5):
        out, seconds = run([cli, "--version"], env, work)
        expect_ok("--version", out)
        warm.append(seconds)
    results["version_warm_median_s"] = round(statistics.median(warm), 3)
    say(f"--version prints 'Sổ chi bộ {version}' ({'cold' if cold else 'first'} "
        f"{results.get('version_cold_s', results.get('version_first_s'))} s, warm {results['version_warm_median_s']} s)")

    selftest_dir = work / "selftest"
    out, seconds = run([cli, "selftest", "--out", str(selftest_dir)], env, work)
    print(out.stdout, end="")
    expect_ok("selftest", out)
    for name in ("tu-kiem-tra-bien-ban.pdf", "tu-kiem-tra-bao-cao.pdf", "tu-kiem-tra-dang-vien.xlsx"):
        if not (selftest_dir / name).is_file():
            raise SmokeFailure(f"selftest did not write {name}")
    results["selftest_s"] = round(seconds, 3)
    say(f"selftest passed in {seconds:.1f} s (PDFs and workbook in {selftest_dir})")

    demo = work / "demo.db"
    out, seconds = run([cli, "demo", "--db", str(demo)], env, work)
    expect_ok("demo", out)
    if not demo.is_file():
        raise SmokeFailure("demo wrote no database")
    results["demo_s"] = round(seconds, 3)
    say(f"demo database written in {seconds:.1f} s: {out.stdout.strip()}")

    for suffix in (".xlsx", ".csv"):
        target = work / f"dang-vien{suffix}"
        out, _seconds = run([cli, "members", "export", "--db", str(demo), "--out", str(target)], env, work)
        expect_ok(f"members export {suffix}", out)
        if suffix == ".xlsx" and "xl/workbook.xml" not in zipfile.ZipFile(target).namelist():
            raise SmokeFailure("the exported .xlsx is not a workbook")
        if suffix == ".csv" and len(target.read_text(encoding="utf-8-sig").splitlines()) < 2:
            raise SmokeFailure("the exported .csv has no members")
    say("members exported to .xlsx and .csv")

    # The main window, offscreen: cold, then warm.
    cold = evict_page_cache(bundle)
    out, seconds = run([gui, "--db", str(demo), "--exit-after-show"], env, work, timeout=120)
    expect_ok("window", out)
    results["window_cold_s" if cold else "window_first_s"] = round(seconds, 3)
    warm = []
    for _ in range(3):
        out, seconds = run([gui, "--db", str(demo), "--exit-after-show"], env, work, timeout=120)
        expect_ok("window", out)
        warm.append(seconds)
    results["window_warm_median_s"] = round(statistics.median(warm), 3)
    say(f"main window shown offscreen and closed ({'cold' if cold else 'first'} "
        f"{results.get('window_cold_s', results.get('window_first_s'))} s, warm {results['window_warm_median_s']} s)")

    created = sorted(listing(bundle) - before)
    if created:
        raise SmokeFailure("running the program wrote into its own folder: " + ", ".join(created[:10]))
    say("the program wrote nothing into its own folder")

    if archive is not None:
        unpacked = work / "usb"
        extract_zip(archive, unpacked)
        folder = unpacked / buildinfo.APP_FOLDER
        if not (folder / buildinfo.PORTABLE_MARKER).is_file():
            raise SmokeFailure("the portable ZIP has no 'portable' marker")
        portable_cli = str(builder.exe_path(folder, buildinfo.CLI_EXE))
        out, _seconds = run([portable_cli, "demo"], env, work)
        expect_ok("portable demo", out)
        if not (folder / "data" / "so-chi-bo-demo.db").is_file():
            raise SmokeFailure("the portable program did not keep its data in SoChiBo/data:\n" + out.stdout)
        strays = [p for p in (work / "home").rglob("so-chi-bo-demo.db")]
        if strays:
            raise SmokeFailure(f"the portable program wrote into the user's folders: {strays}")
        say("portable ZIP: unpacked, data kept in SoChiBo/data, nothing in the user's folders")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the bundle and run it headless.")
    parser.add_argument("--no-build", action="store_true", help="test the existing dist/SoChiBo")
    parser.add_argument("--report", type=Path, help="write the measurements to this JSON file")
    parser.add_argument("--dist", type=Path, default=builder.DIST, help="where the bundle is built")
    args = parser.parse_args(argv)

    results: dict = {}
    version = buildinfo.project_version()
    archive = args.dist / f"SoChiBo-{version}-{builder.platform_tag()}-portable.zip"
    if not args.no_build:
        started = time.perf_counter()
        made = builder.build(make_setup=False, dist=args.dist, work=builder.WORK)
        results["build_s"] = round(time.perf_counter() - started, 1)
        archive = made.get("zip", archive)
    bundle = builder.bundle_dir(args.dist)
    if not bundle.is_dir():
        print(f"no bundle at {bundle}: run without --no-build", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="sochibo-smoke-") as tmp:
        try:
            results.update(smoke(bundle, archive if archive.is_file() else None, Path(tmp)))
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"SMOKE TEST FAILED: {exc}", file=sys.stderr)
            return 1
    print("SMOKE TEST PASSED")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.report:
        args.report.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
