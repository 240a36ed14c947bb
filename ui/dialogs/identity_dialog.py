"""Thông tin chi bộ: asked on the first start, editable later."""
from __future__ import annotations

from services.branch import BranchIdentity, set_identity
from services.i18n import _
from services.ops import BRANCH

from ..qt import QtWidgets
from ..widgets import ProblemLabel, dialog_body, dialog_buttons
from .base import OpDialog


class IdentityDialog(OpDialog):
    def __init__(self, ctx, first_run: bool = False, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Branch details"))
        self.setMinimumWidth(620)
        current = ctx.identity() or BranchIdentity(name="")
        self._kind = current.kind
        intro = QtWidgets.QLabel(
            _("Welcome to Sổ chi bộ. Enter the branch's details as they are printed on documents.")
            if first_run else _("The branch's details as they are printed on documents.")
        )
        intro.setWordWrap(True)
        self.name = QtWidgets.QLineEdit(current.name)
        self.name.setPlaceholderText(_("e.g. Chi bộ Văn phòng Sở"))
        self.parents = QtWidgets.QPlainTextEdit("\n".join(current.parents))
        self.parents.setPlaceholderText(
            "Đảng bộ tỉnh Trà Vinh\nĐảng bộ Khối các cơ quan và doanh nghiệp\nĐảng bộ Sở Lao động - TBXH")
        self.parents.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.place = QtWidgets.QLineEdit(current.place)
        self.place.setPlaceholderText(_("e.g. Trà Vinh"))
        self.secretary = QtWidgets.QLineEdit(current.secretary)
        self.deputy = QtWidgets.QLineEdit(current.deputy_secretary)
        form = QtWidgets.QFormLayout()
        form.addRow(_("Name of the branch") + " *", self.name)
        form.addRow(_("Superior Party organisations (Đảng bộ …), one per line, top-down") + " *", self.parents)
        form.addRow(_("Place name in dates") + " *", self.place)
        form.addRow(_("Secretary"), self.secretary)
        form.addRow(_("Deputy secretary"), self.deputy)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self)
        dialog_body(self, intro, form, problems=self.problems, buttons=self.buttons)

    def value(self) -> BranchIdentity:
        return BranchIdentity(
            name=self.name.text(), parents=self.parents.toPlainText().splitlines(), place=self.place.text(),
            secretary=self.secretary.text(), deputy_secretary=self.deputy.text(), kind=self._kind,
        )

    def accept(self) -> None:
        ident = self.value()
        problems = ident.problems()
        if problems:
            self.problems.show_problems(problems)
            return

        def op(session):
            set_identity(session, ident)
            return BRANCH

        self.store(op)
