"""Starting the window: `main.py --db NEW_FILE` names the commands that create the file; the setup wizard
is for the first start on the default data file only."""
from __future__ import annotations

import pytest

from services.paths import default_db_path
from ui import app as ui_app
from ui.dialogs import identity_dialog
from ui.qt import QtWidgets


@pytest.fixture
def seen(monkeypatch):
    shown: dict[str, list] = {"boxes": [], "wizard": []}

    def box_exec(box):
        shown["boxes"].append(box.text())
        return 0

    def wizard_exec(dlg):
        shown["wizard"].append(dlg)
        return QtWidgets.QDialog.DialogCode.Rejected

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", box_exec)
    monkeypatch.setattr(identity_dialog.IdentityDialog, "exec", wizard_exec)
    return shown


def test_a_db_file_that_does_not_exist_names_the_commands_and_no_wizard_opens(qtbot, tmp_path, seen):
    path = tmp_path / "chi-bo-moi.db"
    assert ui_app.load_database(path) is None
    assert seen["wizard"] == []
    [text] = seen["boxes"]
    assert text.startswith(f"Không có tệp dữ liệu {path}.")
    assert f'main.py init --db "{path}"' in text and f'main.py demo --db "{path}"' in text
    assert not path.exists()


def test_the_first_start_on_the_default_data_file_opens_the_setup_wizard(qtbot, seen):
    assert not default_db_path().exists()
    assert ui_app.load_database(None) is None     # the wizard was cancelled
    assert len(seen["wizard"]) == 1 and seen["boxes"] == []
    assert default_db_path().exists()
