"""Small shared widgets: a date field that reads dd/mm/yyyy, message boxes in Vietnamese, the question
asked before unsaved edits are left, the mouse-wheel guard and window-wide shortcuts."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

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
    """Shows the current problems of a form: errors in red, warnings in dark orange, notes in grey.

    `reserve_lines`: in a dialog, room for that many lines is kept even when there is nothing to say, so
    that the fields never move as problems come and go (see `dialog_body`); 0 (a page): no room taken
    until there is something to show."""

    def __init__(self, parent=None, reserve_lines: int = 0):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
        self.reserve_lines = reserve_lines
        self._reserve()
        self.setVisible(bool(reserve_lines))

    def _reserve(self) -> None:
        if self.reserve_lines:
            self.setMinimumHeight(self.fontMetrics().lineSpacing() * self.reserve_lines + 4)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._reserve()

    def show_problems(self, errors: Sequence[str], warnings: Sequence[str] = (), notes: Sequence[str] = ()) -> None:
        import html

        lines = [f'<span style="color:#b00020">• {html.escape(e)}</span>' for e in errors]
        lines += [f'<span style="color:#a15c00">• {html.escape(w)}</span>' for w in warnings]
        lines += [f'<span style="color:#555555">{html.escape(n)}</span>' for n in notes]
        self.setText("<br>".join(lines))
        self.setVisible(bool(lines) or bool(self.reserve_lines))

    def plain_text(self) -> str:
        """What the label says, without its markup (tests, screen readers)."""
        doc = QtGui.QTextDocument()
        doc.setHtml(self.text())
        return doc.toPlainText()


def fit_columns(view: QtWidgets.QTableView, keep: int | None = None) -> int:
    """Columns as wide as their contents and headers. Returns the width the view needs to show them all;
    with `keep`, the view is never narrower than its first `keep` columns (the rest may then scroll)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    sizes = [header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)]
    vertical = view.verticalHeader()
    frame = ((vertical.width() if vertical.isVisible() else 0) + 2 * view.frameWidth()
             + view.verticalScrollBar().sizeHint().width() + 2)
    if keep is not None:
        view.setMinimumWidth(sum(sizes[:keep]) + frame)
    return sum(sizes) + frame


def allow_save(button: QtWidgets.QAbstractButton, errors: Sequence[str]) -> bool:
    """Enable the save button when nothing stops the save; greyed, its tooltip says why ("Chưa lưu được:
    …", which the dialog also shows beside the fields). Returns whether it may save."""
    from services.errors import blocked_reason

    button.setEnabled(not errors)
    button.setToolTip(blocked_reason(errors))
    return not errors


def dialog_body(dialog: QtWidgets.QDialog, *parts: QtWidgets.QWidget | QtWidgets.QLayout,
                problems: QtWidgets.QWidget, buttons: QtWidgets.QWidget | QtWidgets.QLayout,
                stretch_last: bool = False) -> QtWidgets.QVBoxLayout:
    """The layout of an editing dialog, top to bottom: the fields (`parts`), the problems, the buttons.
    Extra height goes between the problems and the buttons (or to the last part, with `stretch_last`),
    never above a field: a warning appearing below the fields moves none of them."""
    lay = QtWidgets.QVBoxLayout(dialog)
    for i, part in enumerate(parts):
        grow = 1 if stretch_last and i == len(parts) - 1 else 0
        if isinstance(part, QtWidgets.QLayout):
            lay.addLayout(part, grow)
        else:
            lay.addWidget(part, grow)
    lay.addWidget(problems)
    if not stretch_last:
        lay.addStretch(1)
    if isinstance(buttons, QtWidgets.QLayout):
        lay.addLayout(buttons)
    else:
        lay.addWidget(buttons)
    return lay


def shortcut(parent: QtWidgets.QWidget, keys: str | QtGui.QKeySequence, slot,
             context: QtCore.Qt.ShortcutContext = QtCore.Qt.ShortcutContext.WindowShortcut) -> QtGui.QShortcut:
    """A key for `slot`, by default window-wide while `parent` is shown: a page's keys work as soon as
    the page is chosen, before any click inside it (a hidden page's shortcuts are inactive)."""
    sc = QtGui.QShortcut(QtGui.QKeySequence(keys), parent)
    sc.setContext(context)
    sc.activated.connect(slot)
    return sc


def page_action(page: QtWidgets.QWidget, text: str, keys: str | None, slot,
                bar: QtWidgets.QToolBar | QtWidgets.QMenu | None = None, show_keys: bool = True,
                shortcut_too: bool = True) -> QtGui.QAction:
    """An action of a page: its keys are written on the button and work window-wide while the page
    is shown (see `shortcut`)."""
    act = QtGui.QAction(text + (f" ({keys})" if keys and show_keys else ""), page)
    if keys and shortcut_too:
        act.setShortcut(QtGui.QKeySequence(keys))
        act.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
    act.triggered.connect(lambda _checked=False: slot())
    if bar is not None:
        bar.addAction(act)
    page.addAction(act)
    return act


# --- unsaved edits ----------------------------------------------------------------------------

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save(parent, title: str, text: str) -> str:
    """Lưu / Không lưu / Hủy. Returns SAVE, DISCARD or CANCEL (Esc and closing the box cancel)."""
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, title, text, parent=parent)
    save = box.addButton(_("Save"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Don't save"), QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


def settle(parent, *, dirty: bool, save, discard, go, title: str, text: str, autosave: bool = False) -> None:
    """Before edits would be left (another member, tab, year, section, closing): call `go()` once they
    are safe. An editor that saves as it goes (`autosave`) saves without asking; any other asks
    Lưu / Không lưu / Hủy. `save(on_saved)` calls `on_saved` once stored (not when refused, so the user
    stays with the edits and the reason); `discard()` drops the edits."""
    if not dirty:
        go()
        return
    choice = SAVE if autosave else ask_save(parent, title, text)
    if choice == SAVE:
        save(go)
    elif choice == DISCARD:
        discard()
        go()


# --- the mouse wheel changes a value only in the field being edited -----------------------------

class WheelGuard(QtCore.QObject):
    """Installed on the application: number boxes and drop-down lists ignore the wheel unless they have
    the keyboard focus, so scrolling a page never changes a value the pointer passes over; the wheel
    then scrolls the page. Their focus policy loses Qt's "focus on wheel" for the same reason."""

    GUARDED = (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QtCore.QEvent.Type.Wheel:
            if isinstance(obj, self.GUARDED) and not obj.hasFocus():
                event.ignore()     # handled here: not by the field, but passed on to the page behind it
                return True
        elif kind == QtCore.QEvent.Type.Polish and isinstance(obj, self.GUARDED):
            if obj.focusPolicy() == QtCore.Qt.FocusPolicy.WheelFocus:
                obj.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        return False


def install_wheel_guard(app: QtWidgets.QApplication | None = None) -> WheelGuard:
    """Once per application (the program's start and every main window call it)."""
    app = app or QtWidgets.QApplication.instance()
    guard = getattr(app, "_wheel_guard", None)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
        app._wheel_guard = guard
    return guard
