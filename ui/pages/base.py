"""Base class of the pages in the main window's navigation."""
from __future__ import annotations

from collections.abc import Callable

from services.i18n import _
from services.ops import OpChanges

from ..qt import Qt, QtGui, QtWidgets
from ..widgets import settle


class Page(QtWidgets.QWidget):
    """A page reads its data through services (ctx.read, returning plain read models) and writes through
    ui.operations.run_op. It refreshes when shown and when an operation changed one of its `areas`.

    Unsaved edits: a page with editors answers `has_unsaved()`, `save(on_saved)` and `discard()`; the
    window asks it (`leave`) before another section is shown or the program closes. An editor that
    writes as the user goes (`saves_as_it_goes`) is saved without a question.
    """

    title = ""        # English msgid; translated where shown
    areas: frozenset[str] = frozenset(OpChanges.AREAS)   # changes in these areas make the page stale
    saves_as_it_goes = True

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.changed.connect(self._on_changed)

    # --- refreshing ------------------------------------------------------------------------------
    def concerned(self, changes: OpChanges, initiator) -> bool:
        """Whether these changes make the page stale (a page may ignore what it did itself)."""
        return changes.touches(self.areas)

    def _on_changed(self, changes: OpChanges, initiator=None) -> None:
        if not self.concerned(changes, initiator):
            return
        self._stale = True
        if self.isVisible():
            self.refresh()
            self._stale = False

    @property
    def stale(self) -> bool:
        """True until the page reloads what changed (a hidden page reloads when shown)."""
        return self._stale

    def showEvent(self, event) -> None:
        if self._stale:
            self.refresh()
            self._stale = False
        super().showEvent(event)

    def refresh(self) -> None:
        """Reload what the page shows."""

    # --- unsaved edits ---------------------------------------------------------------------------
    def has_unsaved(self) -> bool:
        return False

    def unsaved_text(self) -> str:
        return _("The changes on this page are not saved yet. Save them?")

    def save(self, on_saved: Callable[[], None] | None = None) -> None:
        """Store the edits; `on_saved()` once they are stored (not when they are refused)."""
        if on_saved is not None:
            on_saved()

    def discard(self) -> None:
        """Drop the edits and show what is stored."""

    def leave(self, go: Callable[[], None]) -> None:
        """Make the page's edits safe, then `go()` (or stay, when the user cancels or a save is refused)."""
        settle(self, dirty=self.has_unsaved(), save=self.save, discard=self.discard, go=go,
               title=_(self.title), text=self.unsaved_text(), autosave=self.saves_as_it_goes)


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


class PageHeading(QtWidgets.QLabel):
    """A page's title: a third larger than the text, bold, and growing with it (Ctrl+ / Ctrl−)."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self._size()

    def _size(self) -> None:
        font = QtGui.QFont(QtWidgets.QApplication.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.setFont(font)

    @classmethod
    def follow_text_size(cls, window: QtWidgets.QWidget) -> None:
        """After Ctrl+ / Ctrl− (the main window calls it): every heading takes the new size."""
        for heading in window.findChildren(cls):
            heading._size()


def page_heading(text: str) -> QtWidgets.QLabel:
    return PageHeading(text)
