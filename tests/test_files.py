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


def test_the_save_dialog_starts_there_and_adds_the_suffix_of_the_chosen_kind(tmp_path, monkeypatch, qapp):
    seen = {}
    answer = {"path": str(tmp_path / "bien ban thang 12"), "filter": "PDF (*.pdf)"}

    def fake(parent, title, start, filters):
        seen["start"], seen["filters"] = start, filters
        return answer["path"], answer["filter"]

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(fake))
    kinds = [("PDF (*.pdf)", ".pdf"), ("Excel (*.xlsx)", ".xlsx")]
    path = files.ask_save_path(None, "Lưu biên bản", "bien-ban.pdf", kinds)
    assert path == tmp_path / "bien ban thang 12.pdf"
    assert Path(seen["start"]) == files.documents_dir() / "bien-ban.pdf"
    assert seen["filters"] == "PDF (*.pdf);;Excel (*.xlsx)"
    assert files.start_path("x.pdf") == tmp_path / "x.pdf"      # remembered
    answer.update(path=str(tmp_path / "so"), filter="Excel (*.xlsx)")
    assert files.ask_save_path(None, "Lưu", "so.pdf", kinds) == tmp_path / "so.xlsx"
    answer.update(path=str(tmp_path / "so.xlsx"), filter="PDF (*.pdf)")
    assert files.ask_save_path(None, "Lưu", "so.pdf", kinds) == tmp_path / "so.xlsx"   # typed: kept
    answer.update(path="")
    assert files.ask_save_path(None, "Lưu", "x.pdf", kinds) is None


def test_without_a_documents_folder_the_home_folder(monkeypatch, qapp):
    monkeypatch.setattr(files.QtCore.QStandardPaths, "writableLocation", staticmethod(lambda _loc: ""))
    assert files.documents_dir() == Path.home()
