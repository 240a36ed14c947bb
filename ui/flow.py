"""Rows that wrap instead of pushing the window wider: a flow layout, and a bar of action buttons built on it.

At a large text size (Ctrl++ three times) a row of buttons or a page's title row is wider than a 1366-pixel
screen; a QToolBar then hides buttons behind "»" and an QHBoxLayout makes the whole window wider than
the screen. These wrap onto the next line instead, so every button stays visible and the window fits.
"""
from __future__ import annotations

from .qt import Qt, QtCore, QtGui, QtWidgets


class FlowLayout(QtWidgets.QLayout):
    """Items left to right, wrapping onto a new line when the width runs out (its height follows).

    `addStretch()` puts an expanding gap: the items after it go to the right end of their line when the
    line has room, as in a QHBoxLayout. The minimum width is that of the widest item.
    """

    def __init__(self, parent=None, spacing: int = 6, line_spacing: int = 4):
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self._hspace = spacing
        self._vspace = line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- the QLayout interface ----------------------------------------------------------------
    def addItem(self, item: QtWidgets.QLayoutItem) -> None:
        self._items.append(item)

    def addStretch(self) -> None:
        self.addItem(QtWidgets.QSpacerItem(0, 0, QtWidgets.QSizePolicy.Policy.Expanding,
                                           QtWidgets.QSizePolicy.Policy.Minimum))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> QtCore.Qt.Orientation:
        return QtCore.Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QtCore.QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QtCore.QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QtCore.QSize:
        """Everything on one line."""
        m = self.contentsMargins()
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._hspace * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QtCore.QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QtCore.QSize:
        """As narrow as the widest item; as high as one line (the height at a given width comes from
        heightForWidth, which the layouts and the window follow)."""
        m = self.contentsMargins()
        shown = [i for i in self._shown() if not self._is_gap(i)]
        width = max((i.sizeHint().width() for i in shown), default=0)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QtCore.QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    # --- placing the items ------------------------------------------------------------------------
    # (Items are told apart by their type, never by asking `widget()` or `spacerItem()`: PySide6 6.12
    # mishandles the None those return for the other kind, and the program crashes after a while.)
    def _shown(self) -> list[QtWidgets.QLayoutItem]:
        return [item for item in self._items
                if not (isinstance(item, QtWidgets.QWidgetItem) and item.widget().isHidden())]

    @staticmethod
    def _is_gap(item: QtWidgets.QLayoutItem) -> bool:
        return isinstance(item, QtWidgets.QSpacerItem)

    def _arrange(self, rect: QtCore.QRect, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list[QtWidgets.QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            w = 0 if self._is_gap(item) else item.sizeHint().width()
            extra = self._hspace if lines[-1] and not self._is_gap(item) else 0
            if lines[-1] and not self._is_gap(item) and used + extra + w > area.width():
                lines.append([])
                used, extra = 0, 0
            lines[-1].append(item)
            used += extra + w
        y = area.y()
        for line in lines:
            while line and self._is_gap(line[-1]):
                line.pop()
            while line and self._is_gap(line[0]):
                line.pop(0)
            if not line:
                continue
            boxes = [i for i in line if not self._is_gap(i)]
            gaps = [i for i in line if self._is_gap(i)]
            height = max(i.sizeHint().height() for i in boxes)
            natural = sum(i.sizeHint().width() for i in boxes) + self._hspace * max(0, len(boxes) - 1)
            spare = max(0, area.width() - natural)
            x = area.x()
            first = True
            for item in line:
                if self._is_gap(item):
                    x += spare // len(gaps)
                    continue
                if not first:
                    x += self._hspace
                first = False
                size = item.sizeHint()
                if apply:
                    top = y + (height - size.height()) // 2
                    item.setGeometry(QtCore.QRect(QtCore.QPoint(x, top), size))
                x += size.width()
            y += height + self._vspace
        return max(0, y - self._vspace - area.y()) + m.top() + m.bottom()


class ButtonBar(QtWidgets.QWidget):
    """A bar of the page's actions as flat text buttons that wrap onto a second line when the window is
    narrow or the text is large (a QToolBar would hide them behind "»"). Add actions with `addAction`
    (as to a QToolBar), `addSeparator()`, or any widget with `addWidget`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing=2, line_spacing=2)
        self._buttons: dict[QtGui.QAction, QtWidgets.QWidget] = {}
        sp = self.sizePolicy()
        sp.setHeightForWidth(True)
        sp.setHorizontalPolicy(QtWidgets.QSizePolicy.Policy.Preferred)
        self.setSizePolicy(sp)

    def addSeparator(self) -> QtGui.QAction:
        act = QtGui.QAction(self)
        act.setSeparator(True)
        self.addAction(act)
        return act

    def addWidget(self, widget: QtWidgets.QWidget) -> None:
        self.flow.addWidget(widget)

    def button(self, action: QtGui.QAction) -> QtWidgets.QWidget | None:
        """The button shown for `action` (None for an action not on the bar)."""
        return self._buttons.get(action)

    def actionEvent(self, event) -> None:
        act = event.action()
        kind = event.type()
        if kind == QtCore.QEvent.Type.ActionAdded:
            # Children of the bar from the start: a widget without a parent that is shown becomes a window
            # of its own for a moment (a flash on screen, and the main window loses the keyboard).
            if act.isSeparator():
                line = QtWidgets.QFrame(self)
                line.setFrameShape(QtWidgets.QFrame.Shape.VLine)
                line.setFrameShadow(QtWidgets.QFrame.Shadow.Sunken)
                widget: QtWidgets.QWidget = line
            else:
                button = QtWidgets.QToolButton(self)
                button.setDefaultAction(act)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                button.setAutoRaise(True)
                widget = button
            if not act.isVisible():
                widget.hide()   # the others are shown with the bar (or at once, by the layout, if it is shown)
            self._buttons[act] = widget
            self.flow.addWidget(widget)
        elif kind == QtCore.QEvent.Type.ActionRemoved:
            widget = self._buttons.pop(act, None)
            if widget is not None:
                self.flow.removeWidget(widget)
                widget.deleteLater()
        elif kind == QtCore.QEvent.Type.ActionChanged:
            widget = self._buttons.get(act)
            if widget is not None and widget.isHidden() == act.isVisible():
                widget.setVisible(act.isVisible())
                self.flow.invalidate()
        super().actionEvent(event)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.flow.heightForWidth(width)

    def sizeHint(self) -> QtCore.QSize:
        return self.flow.sizeHint()

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.flow.minimumSize()


def flow_row(*items, spacing: int = 8) -> FlowLayout:
    """A page's title row that wraps: widgets (or None for an expanding gap) left to right."""
    row = FlowLayout(spacing=spacing)
    for item in items:
        if item is None:
            row.addStretch()
        elif isinstance(item, QtWidgets.QLayout):
            holder = QtWidgets.QWidget()
            item.setContentsMargins(0, 0, 0, 0)
            holder.setLayout(item)
            row.addWidget(holder)
        else:
            row.addWidget(item)
    return row
