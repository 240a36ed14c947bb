"""Save dialogs start in the user's Documents folder (or the folder last chosen), never the program's folder."""
from pathlib import Path

import pytest

from services.paths import program_dir
from ui import files
from ui.qt import QtWidgets


@pytest.fixture(autouse=True)
def _forget_folders(qapp):
    """Qt reads its settings file's place once per process: clear what these tests remember."""
    files._settings().remove("files")
    yield
    files._settings().remove("files")


def test_papers_are_proposed_in_the_documents_folder_then_where_the_user_last_saved(tmp_path, monkeypatch, qapp):
    documents = Path.home() / "Documents"
    documents.mkdir(exist_ok=True)
    assert files.documents_dir() == documents
    start = files.start_path("bien-ban-2025-12-05.pdf")
    assert start == documents / "bien-ban-2025-12-05.pdf"
    assert start.is_absolute() and program_dir() not in start.parents
    usb = tmp_path / "usb"
    usb.mkdir()
    files.remember(usb / "bien-ban.pdf")
    assert files.start_path("bien-ban-2025-12-05.pdf") == usb / "bien-ban-2025-12-05.pdf"
    assert files.start_path("so-dang-phi.pdf", kind="dues") == documents / "so-dang-phi.pdf"  # its own kind
    usb.rmdir()   # the stick was taken out
    assert files.start_path("bien-ban.pdf") == documents / "bien-ban.pdf"


def test_the_save_dialog_starts_there_and_adds_the_suffix(tmp_path, monkeypatch, qapp):
    seen = {}

    def fake(parent, title, start, filters):
        seen["start"] = start
        return str(tmp_path / "bien ban thang 12"), filters

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(fake))
    path = files.ask_save_path(None, "Lưu biên bản", "bien-ban.pdf", "PDF (*.pdf)", suffixes=(".pdf",))
    assert path == tmp_path / "bien ban thang 12.pdf"
    assert Path(seen["start"]).parent in (files.documents_dir(),)
    assert files.start_path("x.pdf") == tmp_path / "x.pdf"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert files.ask_save_path(None, "Lưu", "x.pdf", "PDF (*.pdf)") is None


def test_without_a_documents_folder_the_home_folder(monkeypatch, qapp):
    monkeypatch.setattr(files.QtCore.QStandardPaths, "writableLocation", staticmethod(lambda _loc: ""))
    assert files.documents_dir() == Path.home()
