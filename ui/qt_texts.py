"""Qt's own texts in Vietnamese: the context menus of text fields (Undo, Cut, Paste…), standard buttons,
message boxes, and the file dialogs where Qt draws them (Linux; Windows shows its own, already in the
user's language).

PySide6 ships no Vietnamese translation of Qt. The English source texts below are msgids of our gettext
catalog (qt.po), checked and translated with the rest (`python -m services.i18n`); `python -m ui.qt_texts`
then writes them as a Qt catalog, resources/locale/vi/qt_vi.qm (with Qt's lrelease, which PySide6 ships),
which the program loads with a plain QTranslator. (A QTranslator subclass answering from Python is not
used: PySide6 mishandles the empty disambiguation Qt passes on every call and the program eventually
crashes.) Texts not listed here stay as Qt writes them; key names (Ctrl, Shift) are never translated,
since Qt reads key sequences back from their text.
"""
from __future__ import annotations

import sys
from pathlib import Path

from services.i18n import N_, _
from services.paths import resources_dir

# context (the Qt class that asks) -> the source texts a user of this program meets; each is its own msgid
# unless QT_MSGIDS gives another (a source text whose plain English reads otherwise in the program).
QT_TEXTS: dict[str, tuple[str, ...]] = {
    "QLineEdit": (N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("&Paste"), N_("Delete"),
                  N_("Select All")),
    "QWidgetTextControl": (N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("Copy &Link Location"),
                           N_("&Paste"), N_("Delete"), N_("Select All")),
    "QAbstractSpinBox": (N_("&Select All"), N_("&Step up"), N_("Step &down")),
    "QPlatformTheme": ("OK", N_("Save"), N_("Save All"), N_("Open"), N_("&Yes"), N_("Yes to &All"),
                       N_("&No"), N_("N&o to All"), N_("Abort"), N_("Retry"), N_("Ignore"), N_("Close"),
                       N_("Cancel"), N_("Discard"), N_("Help"), N_("Apply"), N_("Reset"),
                       N_("Restore Defaults")),
    "QGnomeTheme": (N_("&OK"), N_("&Save"), N_("&Cancel"), N_("&Close"), N_("Close without Saving")),
    "QMessageBox": (N_("Show Details..."), N_("Hide Details...")),
    "QProgressDialog": (N_("Cancel"),),
    "QInputDialog": (N_("Enter a value:"),),
    "QFileDialog": (
        N_("&Look in:"), N_("File &name:"), N_("Files of &type:"), N_("&Open"), N_("&Save"), N_("&Choose"),
        N_("Open"), N_("Save As"), N_("Find Directory"), N_("Directory:"), N_("Directories"),
        N_("All Files (*)"), N_("All files (*)"), N_("Files"),
        N_("Back"), N_("Forward"), N_("Parent Directory"), N_("Create New Folder"), N_("List View"),
        N_("Detail View"), N_("Go back"), N_("Go forward"), N_("Go to the parent directory"),
        N_("Create a New Folder"), N_("Change to list view mode"), N_("Change to detail view mode"),
        N_("Sidebar"), N_("List of places and bookmarks"), N_("Recent Places"),
        N_("&Rename"), N_("&Delete"), N_("Show &hidden files"), N_("&New Folder"),
        N_("%1 already exists.\nDo you want to replace it?"),
        N_("%1\nFile not found.\nPlease verify the correct file name was given."),
        N_("%1\nDirectory not found.\nPlease verify the correct directory name was given."),
        N_("'%1' is write protected.\nDo you want to delete it anyway?"),
        N_("Are you sure you want to delete '%1'?"), N_("Could not delete directory."),
    ),
    "QFileSystemModel": (N_("Name"), N_("Size"), N_("Type"), N_("Date Modified"), N_("Computer")),
    "QAbstractFileIconProvider": (N_("Drive"), N_("Folder")),
    "QWizard": (N_("< &Back"), N_("&Next >"), N_("&Finish"), N_("Cancel"), N_("Commit")),
}
# "OK" alone is the self-test's verdict ("ĐẠT"); Qt's button is another message.
QT_MSGIDS: dict[tuple[str, str], str] = {
    ("QPlatformTheme", "OK"): N_("OK (the button that accepts a dialog)"),
}


QM_NAME = "qt_vi.qm"


def qm_path() -> Path:
    return resources_dir() / "locale" / "vi" / QM_NAME


def msgid_of(context: str, source: str) -> str:
    return QT_MSGIDS.get((context, source), source)


def ts_xml() -> str:
    """The Qt texts with their Vietnamese, as a Qt Linguist .ts file."""
    from xml.sax.saxutils import escape

    out = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", '<TS version="2.1" language="vi_VN">']
    for context, texts in QT_TEXTS.items():
        out.append(f"<context><name>{escape(context)}</name>")
        for source in dict.fromkeys(texts):
            translated = _(msgid_of(context, source))
            if translated == msgid_of(context, source):
                continue     # not translated yet: Qt keeps its English
            out.append(f"<message><source>{escape(source)}</source>"
                       f"<translation>{escape(translated)}</translation></message>")
        out.append("</context>")
    out.append("</TS>")
    return "\n".join(out) + "\n"


def lrelease() -> str:
    """Qt's lrelease: the one PySide6 ships (pyside6-lrelease), else one on the PATH."""
    import shutil

    import PySide6

    bundled = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
    found = str(bundled) if bundled.exists() else shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if not found:
        raise SystemExit("lrelease not found (it comes with PySide6)")
    return found


def compile_qm(out: Path | None = None) -> Path:
    """Write resources/locale/vi/qt_vi.qm from qt.po (run after translating: `python -m ui.qt_texts`)."""
    import subprocess
    import tempfile

    out = out or qm_path()
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "qt_vi.ts"
        ts.write_text(ts_xml(), encoding="utf-8")
        subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(out)], check=True)
    return out


def install(app) -> object | None:
    """Load Qt's texts in Vietnamese into `app`, once. Returns the translator (None without the catalog)."""
    from .qt import QtCore

    existing = app.findChild(QtCore.QTranslator, "qt_texts_vi")
    if existing is not None:
        return existing
    translator = QtCore.QTranslator(app)
    translator.setObjectName("qt_texts_vi")
    if not translator.load(str(qm_path())):
        translator.deleteLater()
        return None
    app.installTranslator(translator)
    return translator


if __name__ == "__main__":
    print(compile_qm())
