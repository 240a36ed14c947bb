"""Tổng quan: the branch at a glance and the reminders computed from the records."""
from __future__ import annotations

import html

from services import reminders as svc
from services.first_steps import FirstSteps, first_steps
from services.i18n import N_, _, long_date

from ..qt import Qt, QtCore, QtGui, QtWidgets, is_alive
from .base import Page, page_heading

PAGE_LINK = "page:"
PAINT_WAIT_MS = 100   # the reminders wait for the figures to be painted at most this long


class HomePage(Page):
    title = N_("Overview")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.heading = page_heading("")
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        # A new branch: where to start, each step with a link to its page (gone once the members and a
        # first meeting are entered).
        self.first_steps = QtWidgets.QLabel()
        self.first_steps.setObjectName("first_steps")
        self.first_steps.setWordWrap(True)
        self.first_steps.setTextFormat(Qt.TextFormat.RichText)
        self.first_steps.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                 | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        # A light box, drawn with the palette: a style sheet would keep the text from growing with Ctrl+.
        self.first_steps.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.first_steps.setMargin(8)
        self.first_steps.setAutoFillBackground(True)
        palette = self.first_steps.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor("#eef4fb"))
        self.first_steps.setPalette(palette)
        self.first_steps.linkActivated.connect(self._go)
        self.first_steps.setVisible(False)
        self.list = QtWidgets.QTextBrowser()
        self.list.setOpenLinks(False)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.summary)
        lay.addWidget(self.first_steps)
        lay.addWidget(QtWidgets.QLabel("<b>" + html.escape(_("Reminders")) + "</b>"))
        lay.addWidget(self.list, 1)
        self.loading = False   # the figures are shown, the reminders not yet
        self._today = None
        self.summary.installEventFilter(self)

    def refresh(self) -> None:
        """The branch's figures at once; the reminders, which read every area, once the figures are painted
        (issue 17: the window with the data appears without waiting for them)."""
        today = self.ctx.today()
        o = self.ctx.read(lambda s: svc.overview(s, today, with_reminders=False))
        self.heading.setText(o.branch_name)
        self.summary.setText(_(
            "Today is {date}. The branch has {total} members: {full} full, {prob} probationary; "
            "{exempt} exempt from activities."
        ).format(date=long_date(today), total=o.members, full=o.full, prob=o.probationary, exempt=o.exempt))
        steps = self.ctx.read(first_steps)
        self.first_steps.setVisible(steps.shown)
        if steps.shown:
            self.first_steps.setText(self.steps_html(steps))
        self.list.setHtml("<p>" + html.escape(_("Looking for what needs attention…")) + "</p>")
        self.loading = True
        self._today = today
        # After the next paint of the figures (or a moment, if no paint comes while the page is on screen).
        QtCore.QTimer.singleShot(PAINT_WAIT_MS, self._show_reminders)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.summary and event.type() == QtCore.QEvent.Type.Paint and self.loading:
            QtCore.QTimer.singleShot(0, self._show_reminders)
        return False

    def _show_reminders(self) -> None:
        # Not on screen (another section, the window closed): read at the next paint, if there is one.
        if not self.loading or not is_alive(self) or not self.isVisible() or not self.ctx.ready:
            return
        self.loading = False
        today = self._today
        items = self.ctx.read(lambda s: svc.reminders(s, today))
        if not items:
            self.list.setHtml("<p>" + html.escape(_("Nothing needs attention.")) + "</p>")
            return
        parts = []
        for r in items:
            color = "#a15c00" if r.severity == "warning" else "#1d3f73"
            parts.append(f'<li style="margin-bottom:6px;color:{color}">{html.escape(r.text)}</li>')
        self.list.setHtml("<ul>" + "".join(parts) + "</ul>")

    @staticmethod
    def steps_html(steps: FirstSteps) -> str:
        """Where to start, in order: done steps ticked, the next one in bold, each with a link to its page."""
        nxt = steps.next_step
        go = html.escape(_("Open the page"))
        parts = []
        for i, step in enumerate(steps.steps, 1):
            mark = "✓" if step.done else f"{i}."
            title = html.escape(step.title)
            title = f"<b>{title}</b>" if step is nxt else title
            line = f"{mark} {title}: {html.escape(step.how)}"
            if step.area and not step.done:
                line += f' <a href="{PAGE_LINK}{step.area}">{go}</a>'
            color = "#777777" if step.done else "#1d3f73"
            parts.append(f'<div style="margin-top:4px;color:{color}">{line}</div>')
        return ("<b>" + html.escape(_("Where to start")) + "</b>"
                + "".join(parts))

    def _go(self, link: str) -> None:
        if link.startswith(PAGE_LINK):
            window = self.window()
            if hasattr(window, "show_page"):
                window.show_page(link[len(PAGE_LINK):])

    def reminder_texts(self) -> list[str]:
        return self.list.toPlainText().splitlines()
