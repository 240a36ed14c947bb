"""Build Sổ chi bộ for the platform this runs on.

    python -m pip install -e ".[build]"      # once: PyInstaller
    python installer/build.py                # catalogs, bundle, portable ZIP (+ setup.exe on Windows)

Steps:
1. compile the translation catalogs (`python -m services.i18n compile`) and refuse to build if a
   string is untranslated (`--allow-untranslated` to build anyway, for a test);
2. draw the icon if resources/icons/app.ico is missing;
3. run PyInstaller with installer/so-chi-bo.spec -> dist/SoChiBo/ (one folder, two programs);
4. make the portable ZIP dist/SoChiBo-<version>-<platform>-portable.zip: the same folder with the
   `portable` marker, so that the data stays in SoChiBo/data on the USB stick;
5. on Windows, run Inno Setup's ISCC if it is installed -> dist/SoChiBo-<version>-setup.exe.

The Windows procedure step by step is in docs/windows-build.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installer import buildinfo  # noqa: E402

ROOT = buildinfo.ROOT
SPEC = ROOT / "installer" / "so-chi-bo.spec"
ISS = ROOT / "installer" / "so-chi-bo.iss"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def platform_tag() -> str:
    machine = platform.machine().lower()
    if sys.platform == "win32":
        return "windows-x64" if machine in {"amd64", "x86_64"} else f"windows-{machine}"
    return f"{sys.platform}-{machine}"


def bundle_dir(dist: Path = DIST) -> Path:
    return dist / buildinfo.APP_FOLDER


def exe_path(bundle: Path, name: str) -> Path:
    return bundle / (name + (".exe" if sys.platform == "win32" else ""))


def compile_catalogs(allow_untranslated: bool) -> None:
    log("compiling translation catalogs")
    subprocess.run([sys.executable, "-m", "services.i18n", "compile"], cwd=ROOT, check=True)
    check = subprocess.run([sys.executable, "-m", "services.i18n", "check"], cwd=ROOT,
                           capture_output=True, text=True, encoding="utf-8")
    if check.returncode != 0:
        print(check.stdout, end="")
        if not allow_untranslated:
            raise SystemExit("untranslated strings: translate them (docs/DEVELOPING.md) "
                             "or pass --allow-untranslated for a test build")
        log("building with untranslated strings (--allow-untranslated)")


def ensure_icon() -> None:
    if not (ROOT / "resources" / "icons" / "app.ico").is_file():
        log("drawing the icon")
        subprocess.run([sys.executable, str(ROOT / "installer" / "make_icon.py")], cwd=ROOT, check=True)


def run_pyinstaller(dist: Path = DIST, work: Path = WORK, clean: bool = False) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit('PyInstaller is missing: python -m pip install -e ".[build]"') from None
    log("running PyInstaller (one folder)")
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    subprocess.run(cmd, cwd=ROOT, check=True)
    return bundle_dir(dist)


def make_portable_zip(bundle: Path, target: Path) -> Path:
    """The bundle folder plus the `portable` marker, as one ZIP with SoChiBo/ at the top.

    Unix permissions and symbolic links (PyInstaller makes some on Linux, none on Windows) are kept,
    so that `unzip` gives back the same folder with the programs executable.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    top = buildinfo.APP_FOLDER
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(bundle.rglob("*")):
            rel = path.relative_to(bundle).as_posix()
            if rel == buildinfo.PORTABLE_MARKER or rel.split("/")[0] == "data":
                continue
            if path.is_symlink():
                link = zipfile.ZipInfo(f"{top}/{rel}", date_time=time.localtime(path.lstat().st_mtime)[:6])
                link.create_system = 3  # Unix, so that the mode below means a link
                link.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(link, os.readlink(path))
                continue
            if path.is_dir():
                continue
            info = zipfile.ZipInfo.from_file(path, f"{top}/{rel}")
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IMODE(path.stat().st_mode) | stat.S_IFREG) << 16
            with path.open("rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
        marker = zipfile.ZipInfo(f"{top}/{buildinfo.PORTABLE_MARKER}", date_time=time.localtime()[:6])
        marker.external_attr = (0o644 | stat.S_IFREG) << 16
        zf.writestr(marker, buildinfo.PORTABLE_MARKER_TEXT.encode("utf-8"))
    tmp.replace(target)
    return target


def find_iscc() -> Path | None:
    """Inno Setup's command-line compiler, if installed (for all users or for the current user)."""
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        base = os.environ.get(var)
        if not base:
            continue
        for sub in ("Inno Setup 6", r"Programs\Inno Setup 6"):
            candidate = Path(base) / sub / "ISCC.exe"
            if candidate.is_file():
                return candidate
    return None


def iscc_command(iscc: Path, version: str, bundle: Path, dist: Path) -> list[str]:
    numbers = ".".join(str(n) for n in buildinfo.version_tuple(version))
    return [str(iscc), f"/DAppVersion={version}", f"/DAppVersionNumbers={numbers}",
            f"/DBundleDir={bundle}", f"/DOutputDir={dist}", str(ISS)]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def build(clean: bool = False, make_zip: bool = True, make_setup: bool = True,
          allow_untranslated: bool = False, dist: Path = DIST, work: Path = WORK) -> dict[str, Path]:
    """Build everything for this platform; returns the paths of what was made."""
    version = buildinfo.project_version()
    log(f"Sổ chi bộ {version} for {platform_tag()}")
    compile_catalogs(allow_untranslated)
    ensure_icon()
    started = time.monotonic()
    bundle = run_pyinstaller(dist, work, clean)
    log(f"bundle {bundle} ({mib(folder_size(bundle))}) in {time.monotonic() - started:.0f} s")
    made = {"bundle": bundle}
    if make_zip:
        made["zip"] = make_portable_zip(bundle, dist / f"SoChiBo-{version}-{platform_tag()}-portable.zip")
        log(f"portable ZIP {made['zip']} ({mib(made['zip'].stat().st_size)})")
    if make_setup and sys.platform == "win32":
        iscc = find_iscc()
        if iscc is None:
            log("Inno Setup (ISCC.exe) not found: no setup.exe made (see docs/windows-build.md)")
        else:
            subprocess.run(iscc_command(iscc, version, bundle, dist), cwd=ROOT, check=True)
            made["setup"] = dist / f"SoChiBo-{version}-setup.exe"
            log(f"setup {made['setup']} ({mib(made['setup'].stat().st_size)})")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Sổ chi bộ for this platform.")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--no-zip", action="store_true", help="do not make the portable ZIP")
    parser.add_argument("--no-setup", action="store_true", help="Windows: do not run Inno Setup")
    parser.add_argument("--allow-untranslated", action="store_true", help="build even if strings are untranslated")
    args = parser.parse_args(argv)
    build(clean=args.clean, make_zip=not args.no_zip, make_setup=not args.no_setup,
          allow_untranslated=args.allow_untranslated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
