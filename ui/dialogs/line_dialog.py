"""One line typed and stored: the year's review date, the reason for reopening a year, a branch's name."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..qt import QtWidgets, is_alive
from ..widgets import ProblemLabel, dialog_body, dialog_buttons
from .base import OpDialog


class LineDialog(OpDialog):
    """A label, one line to type and "Lưu"/"Hủy". OK runs `make_op(text)` (an operation for
    ui.operations.run_op) off the GUI thread; a refusal is shown under the line and the dialog stays open
    with what was typed, and Esc, "Hủy" or the close button ask before a typed line is dropped (OpDialog).
    `session=False`: the operation opens its own units of work (`op()` instead of `op(session)`)."""

    def __init__(self, parent: QtWidgets.QWidget | None, title: str, label: str,
                 make_op: Callable[[str], Callable[..., Any]], *, text: str = "", ok_text: str | None = None,
                 placeholder: str = "", session: bool = True, write: bool = False,
                 on_stored: Callable[[Any], None] | None = None):
        super().__init__(parent)
        self.make_op, self.session, self.write, self.on_stored = make_op, session, write, on_stored
        self.setWindowTitle(title)
        self.label = QtWidgets.QLabel(label)
        self.label.setWordWrap(True)
        self.edit = QtWidgets.QLineEdit(text)
        self.edit.setPlaceholderText(placeholder)
        # The dialog's width comes from its fields (the layout sets its minimum size): grows with the text size.
        self.edit.setMinimumWidth(max(480, self.fontMetrics().averageCharWidth() * 64))
        self.label.setBuddy(self.edit)
        self.problems = ProblemLabel(reserve_lines=2)   # room for a refusal: the line never moves
        self.buttons = dialog_buttons(self, ok_text)
        self.edit.textEdited.connect(lambda _text: self.problems.show_problems([]))
        layout = dialog_body(self, self.label, self.edit, problems=self.problems, buttons=self.buttons)
        layout.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetMinimumSize)   # never squeezes its text
        self.edit.setFocus()

    def value(self) -> str:
        return self.edit.text()

    def accept(self) -> None:
        self.store(self.make_op(self.value()), on_stored=self.on_stored, session=self.session, write=self.write)


def open_line_dialog(owner: QtWidgets.QWidget, dialog: LineDialog) -> LineDialog:
    """Show `dialog` over the window (window-modal, without a nested event loop), kept as
    `owner.line_dialog` until the next one."""
    previous = getattr(owner, "line_dialog", None)
    if previous is not None and is_alive(previous):
        previous.deleteLater()
    owner.line_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog
