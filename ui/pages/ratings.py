"""Đánh giá hằng tháng: the members × months grid of the year, typed like a spreadsheet."""
from __future__ import annotations

import html

from services import ratings as svc
from services.i18n import N_, _
from services.ops import RATINGS, OpResult
from services.ratings import Cell, MonthStatus

from ..flow import ButtonBar, flow_row
from ..models.ratings import (
    ATTENDANCE_ALERT_ROLE,
    ATTENDANCE_ROLE,
    COMMENT_ROLE,
    MONTH_ROLE,
    RatingsModel,
    column_of,
    month_of,
)
from ..operations import run_op, when_idle
from ..qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ..widgets import ask, inform, page_action, shortcut
from .base import Page, page_heading

ALERT_COLORS = {0: "#6b6b6b", 1: "#b36b00", 2: "#c62828"}


class RatingDelegate(QtWidgets.QStyledItemDelegate):
    """Paints the level, the month's attendance (small, bottom right) and a mark when there is a comment.
    Double-click (or F4) opens a list of the levels."""

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        if index.data(MONTH_ROLE) is None:
            return
        painter.save()
        att = index.data(ATTENDANCE_ROLE)
        if att:
            font = QtGui.QFont(option.font)
            font.setPointSizeF(max(6.5, option.font.pointSizeF() * 0.68))
            painter.setFont(font)
            painter.setPen(QtGui.QColor(ALERT_COLORS[index.data(ATTENDANCE_ALERT_ROLE) or 0]))
            rect = option.rect.adjusted(2, 1, -3, -1)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), att)
        if index.data(COMMENT_ROLE):
            r = option.rect
            size = 7
            tri = QtGui.QPolygon([QtCore.QPoint(r.right() - size, r.top()), QtCore.QPoint(r.right(), r.top()),
                                  QtCore.QPoint(r.right(), r.top() + size)])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QtGui.QColor("#c26a00"))
            painter.drawPolygon(tri)
        painter.restore()

    def createEditor(self, parent, option, index):
        model = index.model()
        combo = QtWidgets.QComboBox(parent)
        combo.addItem("", "")
        for lv in model.levels:
            combo.addItem(f"{lv.order}. {lv.short} – {lv.label}", lv.code)
        return combo

    def setEditorData(self, editor, index) -> None:
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setCurrentIndex(max(0, i))
        editor.showPopup()

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index) -> None:
        rect = QtCore.QRect(option.rect)
        rect.setWidth(max(rect.width(), 300))
        editor.setGeometry(rect)


class RatingsView(QtWidgets.QTableView):
    """Keyboard entry: 1–4 or the level's letter rates the current month and moves down; Delete clears;
    Enter / Shift+Enter move down / up; F2 goes to the comment."""

    comment_requested = Signal()
    refused = Signal(str)

    def _model(self) -> RatingsModel:
        return self.model()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        index = self.currentIndex()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (mods & Qt.KeyboardModifier.ControlModifier):
            self._move(-1 if mods & Qt.KeyboardModifier.ShiftModifier else 1)
            return
        if key == Qt.Key.Key_F2:
            self.comment_requested.emit()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not mods:
            self._clear_selection()
            return
        text = event.text()
        if index.isValid() and text and text.isprintable() and not text.isspace() and not (
                mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            self._type(index, text)
            return
        super().keyPressEvent(event)

    def _move(self, step: int) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        row = min(max(index.row() + step, 0), self.model().rowCount() - 1)
        self.setCurrentIndex(self.model().index(row, index.column()))

    def _explain(self, index) -> None:
        model = self._model()
        month = month_of(index.column())
        if month is not None:
            r = model.row_at(index.row())
            status = r.status(month)
            if status != MonthStatus.OPEN:
                self.refused.emit(_(svc.STATUS_LABELS[status]))
                return
        self.refused.emit(_("Choose a month cell to rate."))

    def _type(self, index, text: str) -> None:
        model = self._model()
        level = model.grid.scale.level_for_key(text) if model.grid else None
        if level is None:
            keys = ", ".join(f"{lv.order}/{lv.key}" for lv in model.levels)
            self.refused.emit(_("Type one of {keys}.").format(keys=keys))
            return
        if not model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self._explain(index)
            return
        if model.setData(index, level.code, Qt.ItemDataRole.EditRole):
            self._move(1)

    def _clear_selection(self) -> None:
        model = self._model()
        indexes = self.selectionModel().selectedIndexes()
        if not indexes and self.currentIndex().isValid():
            indexes = [self.currentIndex()]
        entries = []
        for i in indexes:
            month = month_of(i.column())
            if month is None:
                continue
            r = model.row_at(i.row())
            old = r.cell(month)
            if not old.level:
                continue
            if model.write(i.row(), month, Cell("", old.comment), record=False):
                entries.append((r.member_id, month, old))
        model.push_undo(entries)


class RatingsPage(Page):
    title = N_("Monthly ratings")
    areas = frozenset({"ratings", "members", "meetings"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self._loaded_comment: tuple[int, int] | None = None
        self.model = RatingsModel(self)
        self.model.writer = self._write
        self.model.problem.connect(self.show_problem)

        self.year = QtWidgets.QSpinBox()
        self.year.setRange(1990, ctx.today().year + 1)
        self.year.setValue(ctx.today().year)
        self.year.setAccelerated(True)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        year_label = QtWidgets.QLabel(_("&Year:"))
        year_label.setBuddy(self.year)
        self.scale_box = QtWidgets.QComboBox()
        for key, scale in svc.scales().items():
            self.scale_box.addItem(scale.name, key)
        self.scale_box.activated.connect(self._scale_chosen)
        scale_label = QtWidgets.QLabel(_("&Scale:"))
        scale_label.setBuddy(self.scale_box)

        self.table = RatingsView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(RatingDelegate(self.table))
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setMinimumSectionSize(20)
        self.table.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.table.comment_requested.connect(self.edit_comment)
        self.table.refused.connect(self.show_problem)
        self.table.selectionModel().currentChanged.connect(lambda *_a: self._show_cell())

        self.actions_bar = ButtonBar()   # wraps onto a second line rather than hiding buttons
        self.act_copy = self._action(_("Copy last month's ratings"), "Ctrl+D", self.copy_previous)
        self.act_undo = self._action(_("Undo"), "Ctrl+Z", self.undo)
        self.act_comment = self._action(_("Comment"), "F2", self.edit_comment, shortcut_too=False)

        # Under the grid: the current cell, its attendance and its comment.
        self.cell_title = QtWidgets.QLabel()
        self.cell_title.setWordWrap(True)
        self.cell_info = QtWidgets.QLabel()
        self.cell_info.setWordWrap(True)
        self.cell_info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.comment = QtWidgets.QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(int(self.comment.fontMetrics().height() * 3.4))
        self.comment.installEventFilter(self)
        comment_label = QtWidgets.QLabel(_("&Comment (F2; Ctrl+Enter saves, Esc goes back):"))
        comment_label.setBuddy(self.comment)
        self.save_comment_btn = QtWidgets.QPushButton(_("Save comment"))
        self.save_comment_btn.clicked.connect(self.save_comment)
        self.legend = QtWidgets.QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setStyleSheet("color:#444444")
        info = QtWidgets.QVBoxLayout()
        info.addWidget(self.cell_title)
        info.addWidget(self.cell_info, 1)
        editor = QtWidgets.QGridLayout()
        editor.addWidget(comment_label, 0, 0, 1, 2)
        editor.addWidget(self.comment, 1, 0)
        editor.addWidget(self.save_comment_btn, 1, 1, Qt.AlignmentFlag.AlignBottom)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addLayout(info, 2)
        bottom.addSpacing(12)
        bottom.addLayout(editor, 3)

        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)

        year_row = QtWidgets.QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year)
        scale_row = QtWidgets.QHBoxLayout()
        scale_row.addWidget(scale_label)
        scale_row.addWidget(self.scale_box)
        # Wraps under the title when the text is large (the scale's name grows with it).
        top = flow_row(page_heading(_("Monthly member ratings")), None, year_row, scale_row, spacing=12)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.actions_bar)
        lay.addWidget(self.legend)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        lay.addWidget(self.message)
        shortcut(self, "Ctrl+G", self.table.setFocus)

    def _action(self, text: str, keys: str | None, slot, shortcut_too: bool = True) -> QtGui.QAction:
        return page_action(self, text, keys, slot, self.actions_bar, shortcut_too=shortcut_too)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Keyboard first: the list takes the keys, unless the user is moving through the navigation.
        focus = QtWidgets.QApplication.focusWidget()
        if focus is None or focus.objectName() != "navigation":
            self.table.setFocus()

    # --- data ------------------------------------------------------------------------------
    def concerned(self, changes, initiator) -> bool:
        # The grid shows its own cell writes at once (the model is their initiator).
        return initiator is not self.model and super().concerned(changes, initiator)

    def refresh(self) -> None:
        self.save_comment()     # the comment being typed is stored before the grid is read again
        current = self.table.currentIndex()
        where = (self.model.row_at(current.row()).member_id, current.column()) \
            if current.isValid() and current.row() < self.model.rowCount() else None
        year, today = self.year.value(), self.ctx.today()
        grid = self.ctx.read(lambda s: svc.ratings_grid(s, year, today))
        self.model.set_grid(grid)
        self.scale_box.setCurrentIndex(max(0, self.scale_box.findData(grid.scale.key)))
        self._layout_columns()
        self.legend.setText(self._legend_html())
        if where is not None and self.model.row_of_id(where[0]) >= 0:
            self.table.setCurrentIndex(self.model.index(self.model.row_of_id(where[0]), where[1]))
        elif self.model.rowCount():
            month = self.ctx.today().month if self.year.value() == self.ctx.today().year else 12
            self.table.setCurrentIndex(self.model.index(0, column_of(month)))
        self._show_cell()

    def _layout_columns(self) -> None:
        header = self.table.horizontalHeader()
        fm = self.table.fontMetrics()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        names = [r.full_name for r in self.model.rows] or [""]
        self.table.verticalHeader().setFixedWidth(min(fm.averageCharWidth() * 30,
                                                      max(fm.horizontalAdvance(n) for n in names) + 16))
        widest = max([fm.horizontalAdvance(lv.short) for lv in self.model.levels] + [fm.horizontalAdvance("T12")])
        for c in range(12):
            self.table.setColumnWidth(c, widest + 14)
        for c in range(12, self.model.columnCount()):
            self.table.setColumnWidth(c, max(fm.horizontalAdvance(self.model.levels[c - 12].short) + 10, 30))
        self.table.verticalHeader().setDefaultSectionSize(int(fm.height() * 1.7))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange and self.model.rowCount():
            self._layout_columns()     # Ctrl+ / Ctrl− changed the text size: the cells follow it

    def _legend_html(self) -> str:
        if not self.model.grid:
            return ""
        keys = " · ".join(f"<b>{lv.order}</b>/<b>{html.escape(lv.key)}</b> {html.escape(lv.short)}"
                          for lv in self.model.levels)
        return (html.escape(_("Type:")) + " " + keys + " · " + html.escape(
            _("Delete: remove · Enter: next member · F2: comment · Ctrl+Z: undo")) + "<br>" + html.escape(
            _("Small figure: meetings attended / held in the month (orange: absent with reason, red: without). "
              "Grey: not in the branch, exempt, or a month to come.")))

    def _write(self, member_id: int, month: int, cell: Cell, on_saved, on_refused) -> None:
        """The model's writer: one cell stored by an operation (the grid already shows it)."""
        year, today = self.year.value(), self.ctx.today()
        self.message.clear()
        run_op(self, lambda s: OpResult(RATINGS, svc.set_cell(s, member_id, year, month, cell, today)),
               title=_("Monthly ratings"), initiator=self.model, on_success=on_saved,
               on_refused=lambda problems: on_refused("\n".join(problems)))
        self._show_cell()

    def show_problem(self, text: str) -> None:
        self.say(text, error=True)
        QtWidgets.QApplication.beep()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color:#b00020" if error else "color:#1d3f73")
        self.message.setText(text)

    # --- the side panel ----------------------------------------------------------------------
    def current_cell(self) -> tuple[int, int] | None:
        index = self.table.currentIndex()
        month = month_of(index.column()) if index.isValid() else None
        if month is None:
            return None
        return index.row(), month

    def _show_cell(self) -> None:
        where = self.current_cell()
        self._loaded_comment = None
        if where is None:
            self.cell_title.setText("")
            self.cell_info.setText(_("Choose a month cell to see its details."))
            self.comment.setPlainText("")
            self.comment.setEnabled(False)
            self.save_comment_btn.setEnabled(False)
            return
        row, month = where
        r = self.model.row_at(row)
        lines = self.model.cell_description(r, month).split("\n")
        cell = r.cell(month)
        self.cell_title.setText("<b>" + html.escape(lines[0]) + "</b>")
        self.cell_info.setText("\n".join(self.model.cell_description(r, month, comment=False).split("\n")[1:]))
        editable = r.editable(month) or bool(cell.comment)
        if not self.comment.hasFocus():
            self.comment.setPlainText(cell.comment)
        self._loaded_comment = (r.member_id, month)
        self.comment.setEnabled(editable)
        self.save_comment_btn.setEnabled(editable)

    def edit_comment(self) -> None:
        if self.current_cell() is None or not self.comment.isEnabled():
            self.show_problem(_("This month cannot be rated, so it takes no comment."))
            return
        self.comment.setFocus()
        self.comment.moveCursor(QtGui.QTextCursor.MoveOperation.End)

    def save_comment(self) -> bool:
        if self._loaded_comment is None:
            return True
        member_id, month = self._loaded_comment
        row = self.model.row_of_id(member_id)
        if row < 0:
            return True
        return self.model.set_comment(row, month, self.comment.toPlainText())

    # --- unsaved edits: the comment is stored as it is left; the grid's cells at once ----------------
    def _comment_edited(self) -> bool:
        if self._loaded_comment is None or not self.comment.isEnabled():
            return False
        member_id, month = self._loaded_comment
        row = self.model.row_of_id(member_id)
        return row >= 0 and self.comment.toPlainText().strip() != self.model.row_at(row).cell(month).comment

    def has_unsaved(self) -> bool:
        return self._comment_edited()

    def save(self, on_saved=None) -> None:
        self.save_comment()
        if on_saved is not None:
            when_idle(on_saved)

    def discard(self) -> None:
        self._show_cell_comment_again()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.comment:
            if event.type() == QtCore.QEvent.Type.KeyPress:
                ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
                if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and ctrl:
                    if self.save_comment():
                        self.table.setFocus()
                    return True
                if event.key() == Qt.Key.Key_Escape:
                    self._show_cell_comment_again()
                    self.table.setFocus()
                    return True
            elif event.type() == QtCore.QEvent.Type.FocusOut:
                self.save_comment()  # never lose what was typed
        return super().eventFilter(obj, event)

    def _show_cell_comment_again(self) -> None:
        where = self.current_cell()
        if where:
            self.comment.setPlainText(self.model.row_at(where[0]).cell(where[1]).comment)

    # --- actions ---------------------------------------------------------------------------
    def copy_previous(self) -> None:
        where = self.current_cell()
        if where is None:
            inform(self, _("Copy last month's ratings"), _("Choose a cell in the month to fill first."))
            return
        month, year = where[1], self.year.value()
        py, pm = svc.previous_month(year, month)
        today = self.ctx.today()
        count = self.ctx.read(lambda s: svc.copy_previous_month(s, year, month, today, dry_run=True))
        if count == 0:
            inform(self, _("Copy last month's ratings"), _(
                "Nothing to copy: no member who can be rated in month {month}/{year} is both unrated in it and "
                "rated in month {pmonth}/{pyear}.").format(month=month, year=year, pmonth=pm, pyear=py))
            return
        if not ask(self, _("Copy last month's ratings"), _(
                "Give {count} members not yet rated in month {month}/{year} the rating they had in month "
                "{pmonth}/{pyear}? Ratings already entered are kept; Ctrl+Z undoes the copy.").format(
                count=count, month=month, year=year, pmonth=pm, pyear=py), default_no=False):
            return
        before = {r.member_id: r.cell(month) for r in self.model.rows}

        def copied(n: int) -> None:
            self.refresh()
            after = {r.member_id: r.cell(month) for r in self.model.rows}
            self.model.push_undo([(mid, month, old) for mid, old in before.items() if after.get(mid) != old])
            self.say(_("{count} members rated for month {month}/{year}.").format(count=n, month=month, year=year))

        run_op(self, lambda s: OpResult(RATINGS, svc.copy_previous_month(s, year, month, today)),
               title=_("Copy last month's ratings"), initiator=self.model, on_success=copied,
               on_refused=lambda problems: self.show_problem("\n".join(problems)))

    def undo(self) -> None:
        where = self.model.undo()
        if where is None:
            self.show_problem(_("Nothing to undo."))
            return
        self.table.setCurrentIndex(self.model.index(where[0], column_of(where[1])))

    def _scale_chosen(self) -> None:
        key = self.scale_box.currentData()
        if self.model.grid and key == self.model.grid.scale.key:
            return
        if not ask(self, _("Scale"), _(
                "Use the scale “{name}” for monthly ratings from now on? Ratings already entered keep their "
                "level.").format(name=self.scale_box.currentText())):
            self.scale_box.setCurrentIndex(max(0, self.scale_box.findData(self.model.grid.scale.key)))
            return

        def op(session):
            svc.set_scale(session, key)
            return RATINGS

        run_op(self, op, title=_("Scale"))
