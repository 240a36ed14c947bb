"""Tổng quan: the branch at a glance and the reminders computed from the records."""
from __future__ import annotations

import html

from services import reminders as svc
from services.i18n import N_, _, long_date

from ..qt import QtWidgets
from .base import Page, page_heading


class HomePage(Page):
    title = N_("Overview")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.heading = page_heading("")
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.list = QtWidgets.QTextBrowser()
        self.list.setOpenLinks(False)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.summary)
        lay.addWidget(QtWidgets.QLabel("<b>" + html.escape(_("Reminders")) + "</b>"))
        lay.addWidget(self.list, 1)

    def refresh(self) -> None:
        today = self.ctx.today()
        o = self.ctx.read(lambda s: svc.overview(s, today))
        items = o.reminders
        self.heading.setText(o.branch_name)
        self.summary.setText(_(
            "Today is {date}. The branch has {total} members: {full} full, {prob} probationary; "
            "{exempt} exempt from activities."
        ).format(date=long_date(today), total=o.members, full=o.full, prob=o.probationary, exempt=o.exempt))
        if not items:
            self.list.setHtml("<p>" + html.escape(_("Nothing needs attention.")) + "</p>")
            return
        parts = []
        for r in items:
            color = "#a15c00" if r.severity == "warning" else "#1d3f73"
            parts.append(f'<li style="margin-bottom:6px;color:{color}">{html.escape(r.text)}</li>')
        self.list.setHtml("<ul>" + "".join(parts) + "</ul>")

    def reminder_texts(self) -> list[str]:
        return self.list.toPlainText().splitlines()
