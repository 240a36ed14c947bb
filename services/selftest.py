"""Self-test of an installation: are all the program's files there, and does it work end to end?

`main.py selftest` (in the installed program: `sochibo-cli selftest`) runs it. Support staff use it on
a secretary's computer ("Is anything missing? Does printing work?"); the bundle smoke test
(installer/smoke_test.py) uses it to prove that nothing was left out of the bundle. It writes a demo
database, a member workbook and two sample PDFs into the given folder, never touching the user's data.
"""
from __future__ import annotations

import gettext
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .i18n import _

MANIFEST_FILE = "MANIFEST"  # in resources/ of a built bundle: "size<TAB>relative path" per line


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


class CheckFailed(Exception):
    """A check's problem, in Vietnamese."""


def _resources() -> Path:
    from .paths import resources_dir

    return resources_dir()


def check_version() -> str:
    from .version import app_version

    version = app_version()
    if version == "0+unknown":
        raise CheckFailed(_("the version number cannot be found"))
    return version


def check_manifest() -> str:
    """Every file the build put into resources/ is still there, at its size (an antivirus program or an
    interrupted copy to a USB stick can remove files)."""
    manifest = _resources() / MANIFEST_FILE
    if not manifest.is_file():
        return _("no list of files (the program runs from its source folder)")
    missing = []
    count = 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        size, _tab, rel = line.partition("\t")
        count += 1
        path = _resources() / rel
        if not path.is_file() or path.stat().st_size != int(size):
            missing.append(rel)
    if missing:
        raise CheckFailed(_("missing or damaged files: {files}").format(files=", ".join(missing)))
    return _("{count} files present").format(count=count)


def check_fonts() -> str:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    from .pdf.fonts import _LIBERATION_FILES, font_candidates

    folder = _resources() / "fonts"
    problems = []
    for face, name in _LIBERATION_FILES.items():
        path = folder / name
        try:
            TTFont(f"SelfTest-{face}", str(path))
        except (OSError, TTFError):
            problems.append(name)
    if not list(folder.glob("LICENSE*")):
        problems.append("LICENSE-LiberationSerif.txt")
    if problems:
        raise CheckFailed(_("missing or unreadable: {files}").format(files=", ".join(problems)))
    return _("printing uses {font}").format(font=font_candidates()[0][0])


def check_catalogs() -> str:
    from . import i18n

    files = sorted((_resources() / "locale" / i18n.LOCALE / "LC_MESSAGES").glob("*.mo"))
    if not files:
        raise CheckFailed(_("no translation files"))
    problems = []
    for path in files:
        try:
            with path.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)
        except Exception:  # a damaged .mo raises OSError, struct.error or UnicodeDecodeError
            problems.append(path.name)
            continue
        # Loaded by the program: its translations come out of `_` (another catalog may translate
        # the same text first, so one match among the first few is enough).
        messages = getattr(catalog, "_catalog", {})  # gettext keeps the loaded messages here
        pairs = [(k, v) for k, v in messages.items() if isinstance(k, str) and k and v != k][:50]
        if pairs and not any(i18n._(k) == v for k, v in pairs):
            problems.append(path.name)
    if problems:
        raise CheckFailed(_("damaged or not loaded: {files}").format(files=", ".join(problems)))
    return _("{count} files").format(count=len(files))


def check_formats() -> str:
    import datetime as dt

    from .i18n import format_date, format_number, format_pct

    sample = f"{format_number(1234567.5, 1)}; {format_pct(67.5)}; {format_date(dt.date(2020, 12, 22))}"
    if sample != "1.234.567,5; 67,5%; 22/12/2020":
        raise CheckFailed(_("numbers are written wrongly: {sample}").format(sample=sample))
    return sample


def check_guide() -> str:
    pages = sorted((_resources() / "guide").glob("*.html"))
    if not pages:
        raise CheckFailed(_("the guide is missing"))
    for page in pages:
        page.read_text(encoding="utf-8")
    return _("{count} pages").format(count=len(pages))


def check_data_files() -> str:
    """Rule files and templates: every .json file reads."""
    files = sorted(_resources().rglob("*.json"))
    bad = []
    for path in files:
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            bad.append(path.relative_to(_resources()).as_posix())
    if bad:
        raise CheckFailed(_("damaged: {files}").format(files=", ".join(bad)))
    return _("{count} files").format(count=len(files))


def check_icon() -> str:
    path = _resources() / "icons" / "app.png"
    if not path.is_file() or path.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        raise CheckFailed(_("the program icon is missing"))
    return "icons/app.png"


def check_migrations() -> str:
    from .db import MIGRATIONS_DIR, head_revision

    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise CheckFailed(_("the database upgrade scripts are missing from {path}").format(path=MIGRATIONS_DIR))
    return _("schema version {revision}").format(revision=head_revision())


def make_work_checks(out: Path) -> list[tuple[str, Callable[[], str]]]:
    def demo() -> str:
        from .demo import write_demo

        return write_demo(out / "tu-kiem-tra.db", seed=1)

    def export() -> str:
        from .db import open_database
        from .member_export import export_register

        db = open_database(out / "tu-kiem-tra.db")
        try:
            with db.begin() as session:
                count = export_register(session, out / "tu-kiem-tra-dang-vien.xlsx")
        finally:
            db.close()
        return _("{count} members").format(count=count)

    def pdf() -> str:
        from .pdf.sample import build_sample_minutes, build_sample_report

        files = [out / "tu-kiem-tra-bien-ban.pdf", out / "tu-kiem-tra-bao-cao.pdf"]
        build_sample_minutes(files[0])
        build_sample_report(files[1])
        for path in files:
            data = path.read_bytes()
            if not data.startswith(b"%PDF-") or b"/FontFile2" not in data:
                raise CheckFailed(_("{file} has no embedded font").format(file=path.name))
        return ", ".join(p.name for p in files)

    return [
        (_("Demo database"), demo),
        (_("Export to Excel"), export),
        (_("Printing to PDF"), pdf),
    ]


def run_checks(out: Path) -> list[Check]:
    """Run every check; a check that raises is reported as failed, the others still run."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    checks: list[tuple[str, Callable[[], str]]] = [
        (_("Version"), check_version),
        (_("Program files"), check_manifest),
        (_("Fonts"), check_fonts),
        (_("Translations"), check_catalogs),
        (_("Dates and numbers"), check_formats),
        (_("Guide"), check_guide),
        (_("Rule files"), check_data_files),
        (_("Icon"), check_icon),
        (_("Database upgrades"), check_migrations),
        *make_work_checks(out),
    ]
    results = []
    for name, func in checks:
        try:
            results.append(Check(name, True, func()))
        except CheckFailed as exc:
            results.append(Check(name, False, str(exc)))
        except Exception as exc:  # any failure is a finding to report, not a crash
            results.append(Check(name, False, f"{type(exc).__name__}: {exc}"))
    return results


def write_manifest(resources: Path, files: list[str], target: Path) -> Path:
    """The build's list of resource files with their sizes, checked by `check_manifest`."""
    lines = [f"{(resources / rel).stat().st_size}\t{rel}" for rel in files]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
