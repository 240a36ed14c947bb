"""Base class of the pages in the main window's navigation."""
from __future__ import annotations

from services.i18n import _

from ..qt import Qt, QtWidgets


class Page(QtWidgets.QWidget):
    """A page refreshes itself from services when shown and when records change."""

    title = ""        # English msgid; translated where shown
    area = ""         # changes in these areas make the page stale

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, area: str) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()
            self._stale = False

    def showEvent(self, event) -> None:
        if self._stale:
            self.refresh()
            self._stale = False
        super().showEvent(event)

    def refresh(self) -> None:
        """Reload what the page shows."""


class NotYetPage(Page):
    """A page whose feature is not built yet says so plainly."""

    def __init__(self, ctx, title: str, parent=None):
        super().__init__(ctx, parent)
        self.title = title
        lay = QtWidgets.QVBoxLayout(self)
        heading = QtWidgets.QLabel(f"<h2>{_(title)}</h2>")
        text = QtWidgets.QLabel(_("This part of the program is not available in this version yet."))
        text.setWordWrap(True)
        lay.addWidget(heading)
        lay.addWidget(text)
        lay.addStretch(1)
        heading.setAlignment(Qt.AlignmentFlag.AlignLeft)


def page_heading(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    return label
