"""Small shared widgets: a date field that reads dd/mm/yyyy, message boxes in Vietnamese."""
from __future__ import annotations

import datetime as dt

from services.i18n import _, format_date, parse_date

from .qt import QtCore, QtGui, QtWidgets


class DateEdit(QtWidgets.QLineEdit):
    """A date typed as dd/mm/yyyy (also 1/2/2020, 01-02-2020); may be left empty."""

    def __init__(self, parent=None, value: dt.date | None = None):
        super().__init__(parent)
        self.setPlaceholderText(_("dd/mm/yyyy"))
        self.setMaxLength(10)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        self.set_date(value)

    def set_date(self, value: dt.date | None) -> None:
        self.setText(format_date(value))

    def date(self) -> dt.date | None:
        return parse_date(self.text())

    def is_valid(self) -> bool:
        return not self.text().strip() or self.date() is not None


def ask(parent, title: str, text: str, default_no: bool = True) -> bool:
    """A yes/no question with Vietnamese buttons."""
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(_("Yes"), QtWidgets.QMessageBox.ButtonRole.YesRole)
    no = box.addButton(_("No"), QtWidgets.QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no if default_no else yes)
    box.exec()
    return box.clickedButton() is yes


def inform(parent, title: str, text: str, error: bool = False) -> None:
    icon = QtWidgets.QMessageBox.Icon.Warning if error else QtWidgets.QMessageBox.Icon.Information
    box = QtWidgets.QMessageBox(icon, title, text, parent=parent)
    box.addButton(_("Close"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def dialog_buttons(dialog: QtWidgets.QDialog, ok_text: str | None = None) -> QtWidgets.QDialogButtonBox:
    """OK/Cancel with Vietnamese texts (PySide6 ships no Vietnamese translation of Qt)."""
    buttons = QtWidgets.QDialogButtonBox(
        QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText(ok_text or _("Save"))
    buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ProblemLabel(QtWidgets.QLabel):
    """Shows the current problems of a form: errors in red, warnings in dark orange."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.TextFormat.RichText)

    def show_problems(self, errors: list[str], warnings: list[str] = ()) -> None:
        import html

        lines = [f'<span style="color:#b00020">• {html.escape(e)}</span>' for e in errors]
        lines += [f'<span style="color:#a15c00">• {html.escape(w)}</span>' for w in warnings]
        self.setText("<br>".join(lines))
        self.setVisible(bool(lines))


def shortcut(parent: QtWidgets.QWidget, keys: str | QtGui.QKeySequence, slot) -> QtGui.QShortcut:
    sc = QtGui.QShortcut(QtGui.QKeySequence(keys), parent)
    sc.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(slot)
    return sc
