"""Dialogs whose OK button stores something through an operation."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.errors import ValidationError
from services.i18n import _

from .. import widgets
from ..operations import run_op
from ..qt import QtWidgets
from ..widgets import inform
from ..worker import show_error


class OpDialog(QtWidgets.QDialog):
    """`store(op)` runs the operation off the GUI thread (ui.operations.run_op). Meanwhile its buttons are
    disabled (no second click); a refusal is shown in `self.problems` beside the fields and the dialog
    stays open; once stored, `on_stored(value)` runs and the dialog closes."""

    problems: Any = None   # a ui.widgets.ProblemLabel set by the subclass
    storing = False
    _shown_value: Any = None

    # --- edits are not dropped without a question (Esc, Hủy, the close button) ----------------------
    def _current_value(self) -> Any:
        value = getattr(self, "value", None)
        try:
            return value() if callable(value) else None
        except (TypeError, ValueError):   # a half-typed field the form cannot read yet
            return None

    def showEvent(self, event) -> None:
        if self._shown_value is None:
            self._shown_value = self._current_value()     # what the dialog opened with
        super().showEvent(event)

    def has_unsaved(self) -> bool:
        return self._shown_value is not None and self._current_value() != self._shown_value

    def reject(self) -> None:
        if self.storing:
            return
        if self.has_unsaved():
            choice = widgets.ask_save(self, self.windowTitle(), _(
                "The changes in this window are not saved yet. Save them?"))
            if choice == widgets.SAVE:
                self.accept()
                return
            if choice == widgets.CANCEL:
                return
        super().reject()

    def _buttons(self) -> list[QtWidgets.QAbstractButton]:
        box = getattr(self, "buttons", None)
        return list(box.buttons()) if isinstance(box, QtWidgets.QDialogButtonBox) else []

    def _set_storing(self, storing: bool) -> None:
        self.storing = storing
        for button in self._buttons():
            button.setEnabled(not storing)
        if not storing and hasattr(self, "validate"):
            self.validate()      # OK is enabled again only when the form is valid

    def store(self, op: Callable[..., Any], on_stored: Callable[[Any], None] | None = None,
              title: str | None = None, write: bool = False, session: bool = True) -> None:
        if self.storing:
            return
        self._set_storing(True)
        title = title or self.windowTitle()

        def stored(value: Any) -> None:
            self.storing = False
            if on_stored is not None:
                on_stored(value)
            QtWidgets.QDialog.accept(self)

        def failed(exc: BaseException) -> None:
            self._set_storing(False)
            if isinstance(exc, ValidationError):
                self.refused(exc)
            else:
                show_error(self, title, exc)

        run_op(self, op, title=title, write=write, session=session, on_success=stored, on_failure=failed)

    def refused(self, exc: ValidationError) -> None:
        """The operation refused the form: its reasons beside the fields (a subclass may say otherwise)."""
        if self.problems is not None:
            self.problems.show_problems(exc.problems)
            self._grow_to_show(self.problems)
        else:
            inform(self, self.windowTitle(), "\n".join(exc.problems), error=True)

    def _grow_to_show(self, label: QtWidgets.QLabel) -> None:
        """A refusal longer than the room kept for it makes the dialog taller (within the screen) instead of
        squeezing the fields above it (a long message at a larger text size)."""
        layout = self.layout()
        if layout is None or not label.wordWrap() or not self.isVisible():
            return
        layout.invalidate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if needed > self.height():
            screen = self.screen()
            room = screen.availableGeometry().height() if screen is not None else needed
            self.resize(self.width(), min(needed, room))
