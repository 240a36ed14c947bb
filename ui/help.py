"""Hướng dẫn sử dụng (F1): a short guide in Vietnamese, from resources/guide/*.html."""
from __future__ import annotations

from services.i18n import _
from services.paths import resources_dir

from .qt import QtWidgets


def guide_html() -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((resources_dir() / "guide").glob("*.html"))]
    return "\n".join(parts) or "<p>" + _("The guide is missing from this installation.") + "</p>"


class HelpDialog(QtWidgets.QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Guide"))
        self.resize(760, 620)
        self.browser = QtWidgets.QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html())
        close = QtWidgets.QPushButton(_("Close"))
        close.clicked.connect(self.close)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(close)
