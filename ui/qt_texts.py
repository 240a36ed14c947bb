"""Qt's own texts in Vietnamese: the context menus of text fields (Undo, Cut, Paste…), standard buttons,
message boxes, and the file dialogs where Qt draws them (Linux; Windows shows its own, already in the
user's language).

PySide6 ships no Vietnamese translation of Qt. Instead of a compiled .qm, a QTranslator subclass answers
Qt's requests from our gettext catalog: the English source texts below are msgids like any other
(qt.po), so they are checked, translated and compiled with the rest (`python -m services.i18n`).
Texts not listed here are left to Qt (its English); shortcut names (Ctrl, Shift) are never translated,
since Qt reads key sequences back from their text.
"""
from __future__ import annotations

from services.i18n import N_, _

from .qt import QtCore

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


class VietnameseQtTranslator(QtCore.QTranslator):
    """Answers Qt's own `tr()` calls with the Vietnamese of our catalog (installed by ui.app.make_app)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._msgids = {(context, text): QT_MSGIDS.get((context, text), text)
                        for context, texts in QT_TEXTS.items() for text in texts}

    def translate(self, context, source_text, disambiguation=None, n=-1):
        msgid = self._msgids.get((context, source_text))
        if msgid is not None:
            translated = _(msgid)
            if translated != msgid:
                return translated
        return None   # not ours (or not translated): Qt keeps its own text

    def isEmpty(self) -> bool:  # a translator that says it is empty is never asked
        return False

    def language(self) -> str:
        return "vi"


def install(app: QtCore.QCoreApplication) -> VietnameseQtTranslator:
    """Install the translator on `app` once; returns it (kept alive by being the app's child)."""
    existing = app.findChild(VietnameseQtTranslator)
    if existing is not None:
        return existing
    translator = VietnameseQtTranslator(app)
    app.installTranslator(translator)
    return translator
