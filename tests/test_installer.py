"""What the installer relies on: one version, paths inside a frozen bundle, the bundle's contents,
the portable ZIP, the setup script, the icon, and the `selftest` support command.

Building the bundle itself takes PyInstaller and half a minute: see tests/test_bundle.py.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import struct
import sys
import tomllib
import unicodedata
import zipfile
from pathlib import Path

import pytest

import main
from installer import build as builder
from installer import buildinfo, make_icon
from installer.smoke_test import extract_zip
from services import i18n, paths, selftest, version
from services.db import MIGRATIONS_DIR

ROOT = Path(__file__).resolve().parents[1]


def pyproject_version_number() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["version"]


@pytest.fixture
def frozen(tmp_path, monkeypatch):
    """The program as PyInstaller's one-folder bundle runs it: SoChiBo/SoChiBo.exe and SoChiBo/_internal."""
    folder = tmp_path / "SoChiBo"
    internal = folder / "_internal"
    (internal / "resources").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "SoChiBo.exe"))
    return folder


# --- version from one place ----------------------------------------------------------------------

def test_version_is_the_one_in_pyproject(capsys):
    assert version.app_version() == pyproject_version_number()
    with pytest.raises(SystemExit) as exc:
        main.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"Sổ chi bộ {pyproject_version_number()}"


def test_frozen_program_reads_the_version_the_build_wrote(frozen):
    buildinfo.write_version_file(frozen / "_internal" / "resources", "7.8.9")
    assert version.app_version() == "7.8.9"


@pytest.mark.parametrize("text, numbers", [
    ("0.1.0", (0, 1, 0, 0)), ("2.0", (2, 0, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)), ("1.4+local.7", (1, 4, 0, 0)), ("0+unknown", (0, 0, 0, 0)),
])
def test_version_numbers_for_windows(text, numbers):
    assert version.version_tuple(text) == numbers


def _stub_class(name, params):
    """Stands in for one of PyInstaller's version-resource classes where they cannot load (they need
    pywin32): it takes the same parameters and keeps them."""
    def init(self, *args, **kwargs):
        bound = dict(zip(params, args, strict=False))
        unknown = set(kwargs) - set(params)
        assert not unknown, f"{name} takes no {unknown}"  # same keywords as PyInstaller's classes
        bound.update(kwargs)
        self.__dict__.update(bound)

    return type(name, (), {"__init__": init})


VERSION_CLASSES = {
    "VSVersionInfo": ("ffi", "kids"),
    "FixedFileInfo": ("filevers", "prodvers", "mask", "flags", "OS", "fileType", "subtype", "date"),
    "StringFileInfo": ("kids",), "StringTable": ("name", "kids"), "StringStruct": ("name", "val"),
    "VarFileInfo": ("kids",), "VarStruct": ("name", "kids"),
}


def test_windows_version_resource_carries_the_pyproject_version():
    number = pyproject_version_number()
    text = buildinfo.windows_version_info(number, "SoChiBo", "Sổ chi bộ")
    try:  # on Windows, the real classes: the resource must also pack into bytes
        from PyInstaller.utils.win32 import versioninfo
        names = {n: getattr(versioninfo, n) for n in VERSION_CLASSES}
        real = True
    except ImportError:
        names = {n: _stub_class(n, params) for n, params in VERSION_CLASSES.items()}
        real = False
    info = eval(text, names)  # the way PyInstaller reads a version file
    strings = {s.name: s.val for s in info.kids[0].kids[0].kids}
    assert strings["ProductVersion"] == number == strings["FileVersion"]
    assert strings["ProductName"] == "Sổ chi bộ" and strings["OriginalFilename"] == "SoChiBo.exe"
    if real:
        major, minor, patch, build = version.version_tuple(number)
        assert info.ffi.fileVersionMS == (major << 16) | minor
        assert info.ffi.productVersionLS == (patch << 16) | build
        assert info.toRaw()
    else:
        assert info.ffi.filevers == info.ffi.prodvers == version.version_tuple(number)


# --- paths inside the bundle ---------------------------------------------------------------------

def test_frozen_paths_point_into_the_bundle(frozen):
    assert paths.program_dir() == frozen
    assert paths.resources_dir() == frozen / "_internal" / "resources"
    assert i18n._catalog_dir() == frozen / "_internal" / "resources" / "locale" / "vi" / "LC_MESSAGES"
    assert not paths.is_portable()
    assert paths.data_dir() != frozen / "data"


def test_portable_marker_beside_the_exe_keeps_data_beside_it(frozen):
    (frozen / buildinfo.PORTABLE_MARKER).write_text(buildinfo.PORTABLE_MARKER_TEXT, encoding="utf-8")
    assert paths.is_portable()
    assert paths.default_db_path() == frozen / "data" / paths.DB_FILENAME
    assert (frozen / "data").is_dir()


def test_migrations_are_bundled_where_the_database_code_looks_for_them():
    # Frozen, services/db.py is _internal/services/db.pyc, so MIGRATIONS_DIR is _internal/services/migrations.
    expected = MIGRATIONS_DIR.relative_to(ROOT).as_posix()
    bundled = {(Path(dest) / Path(src).name).as_posix() for src, dest in buildinfo.bundle_datas()
               if Path(src).resolve().is_relative_to(MIGRATIONS_DIR)}
    scripts = {f"{expected}/{p.relative_to(MIGRATIONS_DIR).as_posix()}" for p in MIGRATIONS_DIR.rglob("*.py")
               if "__pycache__" not in p.parts}
    assert f"{expected}/env.py" in scripts and any("/versions/" in s for s in scripts)
    assert scripts <= bundled  # as source files: Alembic reads them from disk


def test_every_resource_is_bundled_but_catalog_sources_are_not():
    bundled = {(Path(dest) / Path(src).name).as_posix() for src, dest in buildinfo.bundle_datas()}
    on_disk = {f"resources/{p.relative_to(ROOT / 'resources').as_posix()}"
               for p in (ROOT / "resources").rglob("*") if p.is_file()}
    assert {p for p in on_disk if not p.endswith(".po")} <= bundled
    assert not any(p.endswith(".po") for p in bundled)
    for needed in ("resources/fonts/LICENSE-LiberationSerif.txt", "resources/fonts/LiberationSerif-Regular.ttf",
                   "resources/locale/vi/LC_MESSAGES/core.mo", "resources/icons/app.png", "resources/icons/app.ico"):
        assert needed in bundled


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/translations/qtbase_vi.qm", "PySide6/translations/qt_de.qm",
    "PySide6/Qt/plugins/imageformats/libqpdf.so", "PySide6/plugins/imageformats/qpdf.dll",
    "PySide6/plugins/iconengines/qsvgicon.dll", "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so", "PySide6/plugins/networkinformation/qnetworklistmanager.dll",
    "PySide6/Qt/qml/QtQuick/Controls/libqtquickcontrols2plugin.so", "PySide6/Qt6Pdf.dll", "libQt6Pdf.so.6",
    "PySide6/Qt6Network.dll", "PySide6/Qt6Quick.dll", "babel/locale-data/de.dat", "babel/locale-data/zh_Hant.dat",
])
def test_unused_qt_parts_and_locales_are_trimmed(dest):
    assert not buildinfo.keep_in_bundle(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/plugins/imageformats/qico.dll", "PySide6/plugins/imageformats/qjpeg.dll",
    "PySide6/Qt6Widgets.dll", "PySide6/Qt6Core.dll", "libQt6Gui.so.6", "PySide6/QtWidgets.pyd",
    "babel/locale-data/vi.dat", "babel/locale-data/root.dat", "babel/global.dat",
    "resources/locale/vi/LC_MESSAGES/core.mo", "resources/fonts/LiberationSerif-Bold.ttf",
])
def test_what_the_program_uses_stays(dest):
    assert buildinfo.keep_in_bundle(dest)


def test_unused_qt_modules_are_excluded_and_used_ones_are_not():
    excluded = set(buildinfo.PYTHON_EXCLUDES)
    for used in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PIL"):
        assert used not in excluded
    for unused in ("PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.Qt3DCore",
                   "PySide6.QtMultimedia", "PySide6.QtNetwork", "tkinter"):
        assert unused in excluded


# --- portable ZIP --------------------------------------------------------------------------------

def test_portable_zip_carries_the_marker_and_no_data(tmp_path):
    bundle = tmp_path / "dist" / "SoChiBo"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    exe = bundle / "sochibo-cli"
    exe.write_bytes(b"#!/bin/sh\n")
    exe.chmod(0o755)
    (bundle / "_internal" / "resources" / "a.txt").write_text("tài liệu", encoding="utf-8")
    (bundle / "data").mkdir()
    (bundle / "data" / "so-chi-bo.db").write_bytes(b"SQLite format 3\x00 someone's branch")
    if os.name == "posix":
        (bundle / "_internal" / "link.txt").symlink_to("resources/a.txt")
    archive = builder.make_portable_zip(bundle, tmp_path / "out.zip")
    names = zipfile.ZipFile(archive).namelist()
    assert names.count("SoChiBo/portable") == 1
    assert not any(n.startswith("SoChiBo/data") for n in names)
    assert all(n.startswith("SoChiBo/") for n in names)
    extract_zip(archive, tmp_path / "usb")
    unpacked = tmp_path / "usb" / "SoChiBo"
    assert "USB" in (unpacked / "portable").read_text(encoding="utf-8")
    assert (unpacked / "_internal" / "resources" / "a.txt").read_text(encoding="utf-8") == "tài liệu"
    if os.name == "posix":
        assert stat.S_IMODE((unpacked / "sochibo-cli").stat().st_mode) == 0o755
        assert (unpacked / "_internal" / "link.txt").is_symlink()
        assert (unpacked / "_internal" / "link.txt").read_text(encoding="utf-8") == "tài liệu"


def test_setup_command_passes_the_pyproject_version(tmp_path):
    cmd = builder.iscc_command(Path("ISCC.exe"), "1.2.0rc1", tmp_path / "SoChiBo", tmp_path)
    assert "/DAppVersion=1.2.0rc1" in cmd and "/DAppVersionNumbers=1.2.0.0" in cmd
    assert cmd[-1].endswith("so-chi-bo.iss")


# --- the Inno Setup script -------------------------------------------------------------------------

def iss_sections() -> dict[str, list[str]]:
    text = (ROOT / "installer" / "so-chi-bo.iss").read_text(encoding="utf-8-sig")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


def test_setup_installs_per_user_under_a_fixed_app_id():
    setup = dict(line.split("=", 1) for line in iss_sections()["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["AppId"] == "{" + buildinfo.APP_ID  # "{{" escapes the brace in Inno Setup
    assert re.fullmatch(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", buildinfo.APP_ID)
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert setup["UsePreviousAppDir"] == "yes"


def test_setup_never_touches_the_users_data():
    sections = iss_sections()
    assert "UninstallDelete" not in sections
    for line in sections.get("InstallDelete", []):
        assert 'Name: "{app}\\_internal"' in line
    for data_place in ("{userappdata}", "{localappdata}", "{userdocs}", "{app}\\data"):
        for section in ("InstallDelete", "UninstallDelete", "Files", "Dirs"):
            assert all(data_place not in line for line in sections.get(section, [])), (data_place, section)
    files = " ".join(sections["Files"])
    assert "portable" in files.split("Excludes:")[1]  # the ZIP's marker is never installed
    # The data folder is named only in the message that tells the user where the data stays.
    assert any("{userappdata}" in line for line in sections["Code"])


def test_setup_has_vietnamese_wizard_and_shortcuts():
    sections = iss_sections()
    assert any("vietnamese.isl" in line for line in sections["Languages"])
    icons = sections["Icons"]
    assert any(line.startswith('Name: "{autoprograms}') for line in icons)
    assert any(line.startswith('Name: "{autodesktop}') and "Tasks: desktopicon" in line for line in icons)


def test_vietnamese_wizard_texts_are_complete_and_clean():
    raw = (ROOT / "installer" / "vietnamese.isl").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Inno Setup needs the BOM to read UTF-8
    text = raw.decode("utf-8-sig")
    assert unicodedata.is_normalized("NFC", text)
    messages = dict(line.split("=", 1) for line in text.splitlines()
                    if "=" in line and not line.startswith(";") and not line.startswith("["))
    # Every page and button of this setup and its uninstaller.
    for key in ("SetupWindowTitle", "ButtonNext", "ButtonBack", "ButtonInstall", "ButtonCancel", "ButtonFinish",
                "ButtonYes", "ButtonNo", "WelcomeLabel1", "WelcomeLabel2", "WizardSelectDir", "SelectDirLabel3",
                "WizardSelectTasks", "SelectTasksLabel2", "WizardReady", "ReadyLabel1", "ReadyLabel2a",
                "ReadyMemoDir", "ReadyMemoTasks", "WizardPreparing", "ApplicationsFound", "CloseApplications",
                "WizardInstalling", "InstallingLabel", "FinishedHeadingLabel", "FinishedLabel", "ClickFinish",
                "ExitSetupMessage", "ConfirmUninstall", "UninstallStatusLabel", "UninstalledAll",
                "CreateDesktopIcon", "AdditionalIcons", "LaunchProgram", "SetupAppRunningError",
                "UninstallAppRunningError", "DiskSpaceMBLabel"):
        assert messages.get(key, "").strip(), key
    assert "[name]" in messages["WelcomeLabel1"] and "%1" in messages["ConfirmUninstall"]
    assert "%1" in messages["LaunchProgram"] and "%1" in messages["SetupAppRunningError"]


# --- icon ----------------------------------------------------------------------------------------

def test_icon_file_holds_every_windows_size_as_png():
    data = (ROOT / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(make_icon.ICO_SIZES))
    sizes = set()
    for i in range(count):
        w, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sizes.add(w or 256)
    assert sizes == set(make_icon.ICO_SIZES) and {16, 32, 48, 256} <= sizes


def test_window_has_the_program_icon(qapp):
    from ui.app import make_app

    app = make_app()
    assert not app.windowIcon().isNull()


def test_exit_after_show_opens_the_window_and_returns(db):
    """Run in its own process: quitting the event loop of the suite's shared QApplication would
    leave later GUI tests without an active window."""
    import os
    import subprocess

    path = db.target
    db.close()
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "main.py"), "--db", str(path), "--exit-after-show"],
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr


# --- selftest ------------------------------------------------------------------------------------

def test_selftest_passes_and_writes_its_samples(tmp_path, capsys):
    assert main.main(["selftest", "--out", str(tmp_path / "kt")]) == 0
    out = capsys.readouterr().out
    assert "[ĐẠT]" in out and "[LỖI]" not in out
    for name in ("tu-kiem-tra-bien-ban.pdf", "tu-kiem-tra-bao-cao.pdf"):
        assert (tmp_path / "kt" / name).read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(tmp_path / "kt" / "tu-kiem-tra-dang-vien.xlsx")


@pytest.fixture
def copied_resources(tmp_path, monkeypatch):
    copy = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", copy)
    monkeypatch.setattr(paths, "resources_dir", lambda: copy)
    return copy


def test_selftest_names_a_missing_font_and_fails(copied_resources, tmp_path, capsys, monkeypatch):
    import services.pdf.fonts as fonts

    monkeypatch.setattr(fonts, "resources_dir", lambda: copied_resources)
    (copied_resources / "fonts" / "LiberationSerif-Bold.ttf").unlink()
    assert main.main(["selftest", "--out", str(tmp_path / "kt")]) == 1
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if line.startswith("[LỖI]")]
    assert len(failed) == 1 and "LiberationSerif-Bold.ttf" in failed[0]


def test_selftest_finds_a_file_removed_or_damaged_after_installation(copied_resources):
    files = buildinfo.resource_files()
    selftest.write_manifest(copied_resources, files, copied_resources / selftest.MANIFEST_FILE)
    assert selftest.check_manifest()
    guide = sorted((copied_resources / "guide").glob("*.html"))[0]
    guide.unlink()
    (copied_resources / "fonts" / "README.md").write_text("cut short", encoding="utf-8")
    with pytest.raises(selftest.CheckFailed) as exc:
        selftest.check_manifest()
    assert f"guide/{guide.name}" in str(exc.value) and "fonts/README.md" in str(exc.value)


def test_selftest_reports_a_damaged_rule_file(copied_resources):
    (copied_resources / "rules").mkdir(exist_ok=True)
    (copied_resources / "rules" / "hong.json").write_text('{"cut": ', encoding="utf-8")
    with pytest.raises(selftest.CheckFailed) as exc:
        selftest.check_data_files()
    assert "rules/hong.json" in str(exc.value)
