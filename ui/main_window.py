"""The one main window: navigation on the left, the chosen page on the right."""
from __future__ import annotations

import importlib

from services.i18n import N_, _

from .qt import Qt, QtCore, QtGui, QtWidgets, is_alive

# (key, English title msgid, "module:PageClass"). Ctrl+1 … Ctrl+7 jump to them in this order.
# Pages are imported when a database is attached: the empty window shows before the database
# and the services behind the pages are loaded, so the program appears at once.
PAGES = [
    ("home", N_("Overview"), "ui.pages.home:HomePage"),
    ("members", N_("Members"), "ui.pages.members:MembersPage"),
    ("meetings", N_("Branch meetings"), "ui.pages.meetings:MeetingsPage"),
    ("ratings", N_("Monthly ratings"), "ui.pages.ratings:RatingsPage"),
    ("dues", N_("Party dues"), "ui.pages.dues:DuesPage"),
    ("review", N_("Year-end review"), "ui.pages.review:ReviewPage"),
    ("exchange", N_("Send to the committee"), "ui.pages.exchange:ExchangePage"),
]


def page_class(ref: str):
    module, name = ref.split(":")
    return getattr(importlib.import_module(module), name)

class _Pages(dict):
    """The window's pages by key; a page not built yet is built when asked for (`window.pages["dues"]`)."""

    def __init__(self, window: MainWindow):
        super().__init__()
        self.window = window

    def __missing__(self, key: str) -> QtWidgets.QWidget:
        keys = [k for k, _t, _f in PAGES]
        page = self.window.build_page(keys.index(key)) if key in keys else None
        if page is None:
            raise KeyError(key)
        return page


BASE_POINT_SIZE = 11.0
NAV_FONT_SCALE = 1.1  # the section list reads as a sidebar
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
# The smallest screen the window is made for (a 14-inch laptop). At any text size the window fits it:
# rows wrap, and the section list is narrowed to its numbers when the pages need the room.
TARGET_WIDTH = 1366
NAV_SHARE = 0.19


class PageStack(QtWidgets.QStackedWidget):
    """The pages, one shown at a time. Its minimum width is capped (`limit`), so that a page that needs more
    room never makes the window wider than the screen: the window narrows the section list instead."""

    limit: int | None = None

    def _capped(self, size: QtCore.QSize) -> QtCore.QSize:
        if self.limit is not None and size.width() > self.limit:
            size.setWidth(self.limit)
        return size

    def minimumSizeHint(self) -> QtCore.QSize:
        return self._capped(super().minimumSizeHint())

    def sizeHint(self) -> QtCore.QSize:
        return self._capped(super().sizeHint())

    def pages_width(self) -> int:
        """The widest minimum of the pages (what they need, uncapped)."""
        return max((self.widget(i).minimumSizeHint().width() for i in range(self.count())), default=0)


class MainWindow(QtWidgets.QMainWindow):
    """Built empty (`MainWindow()`) and shown at once; `attach(ctx)` then fills in the pages.
    `MainWindow(ctx)` does both."""

    def __init__(self, ctx=None, parent=None):
        super().__init__(parent)
        self.ctx = None
        self.setWindowTitle(_("Sổ chi bộ"))
        self.settings = QtCore.QSettings("SoChiBo", "SoChiBo")
        self.nav = QtWidgets.QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.nav.setSpacing(0)
        # A sidebar: roomy rows, a little larger text, the current section clearly marked.
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: palette(base); padding-top: 8px; outline: 0; }"
            "QListWidget#navigation::item { padding: 8px 10px; margin: 1px 5px; border-radius: 4px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
            "QListWidget#navigation::item:hover:!selected { background: palette(alternate-base); }")
        self.stack = PageStack()
        self.pages: dict[str, QtWidgets.QWidget] = _Pages(self)   # the pages built so far
        for i, (_key, title, _ref) in enumerate(PAGES):
            waiting = QtWidgets.QLabel(_("Opening the data…"))
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stack.addWidget(waiting)
            item = QtWidgets.QListWidgetItem(_(title))
            item.setToolTip(f"Ctrl+{i + 1}")
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._section_chosen)
        # The section list can be narrowed to the sections' numbers (1…7, the Ctrl+ keys), by the user or
        # by itself when the text is so large that the page needs the room.
        self.nav_toggle = QtWidgets.QToolButton()
        self.nav_toggle.setObjectName("nav_toggle")
        self.nav_toggle.setAutoRaise(True)
        self.nav_toggle.clicked.connect(lambda: self.set_nav_collapsed(not self.nav_collapsed, by_user=True))
        self.nav_collapsed = False
        self._nav_user_choice = self.settings.value("nav_collapsed", None)
        side = QtWidgets.QWidget()
        side.setObjectName("sidebar")
        side_lay = QtWidgets.QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        side_lay.setSpacing(0)
        side_lay.addWidget(self.nav, 1)
        side_lay.addWidget(self.nav_toggle)
        self.sidebar = side

        central = QtWidgets.QWidget()
        lay = QtWidgets.QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(side)
        line = QtWidgets.QFrame()
        line.setFrameShape(QtWidgets.QFrame.Shape.VLine)
        line.setFrameShadow(QtWidgets.QFrame.Shadow.Sunken)
        lay.addWidget(line)
        content = QtWidgets.QWidget()
        self.content = content
        content_lay = QtWidgets.QVBoxLayout(content)
        content_lay.setContentsMargins(12, 8, 12, 8)
        content_lay.addWidget(self.stack)
        lay.addWidget(content, 1)
        self.setCentralWidget(central)
        self._closing = False
        from .widgets import install_wheel_guard

        install_wheel_guard()
        self._build_menus()
        self.zoom_index = int(self.settings.value("zoom_index", ZOOM_STEPS.index(1.0)))
        self.apply_zoom()
        self.nav.setCurrentRow(0)
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx) -> None:
        """Build the page shown on the open database `ctx.db`, in place of its waiting label. The other
        pages are built when first shown (or asked for in `pages`): opening the program costs one page,
        not seven, with their modules and services."""
        self.ctx = ctx
        current = max(self.nav.currentRow(), 0)
        self.build_page(current)
        self.stack.setCurrentIndex(current)
        self.fit_to_screen()
        self.statusBar().showMessage(_("Database: {path}").format(path=ctx.db.display))
        # Data safety: backup, restore, check, password (ui/safety.py, which loads the database layer).
        from .safety import add_file_menu_actions

        self._insert_before = self._quit_separator
        add_file_menu_actions(self, self.file_menu)
        self._insert_before = None

    def build_page(self, index: int) -> QtWidgets.QWidget | None:
        """The page of section `index`, built now if it was not yet (None before the data is attached)."""
        key, _title, ref = PAGES[index]
        if key in self.pages:
            return self.pages[key]
        if self.ctx is None:
            return None
        page = page_class(ref)(self.ctx, self.stack)   # a child from the start: never a window of its own
        page.setObjectName(f"page_{key}")
        dict.__setitem__(self.pages, key, page)
        old = self.stack.widget(index)
        shown = self.stack.currentIndex() == index
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(old)
        old.deleteLater()
        if shown:
            self.stack.setCurrentIndex(index)
        # Built after a Ctrl+ / Ctrl−: its headings and styled labels take the text size as the others did.
        self._follow_text_size(QtWidgets.QApplication.instance().font())
        self.fit_to_screen()   # the new page may need the room of the section list
        return page

    def _nav_width(self, collapsed: bool | None = None) -> int:
        fm = self.nav.fontMetrics()
        if self.nav_collapsed if collapsed is None else collapsed:
            return fm.horizontalAdvance("88") + 40
        return max(fm.horizontalAdvance(_(t)) for _k, t, _f in PAGES) + 52

    # --- the section list: full names, or narrowed to numbers ---------------------------------
    def set_nav_collapsed(self, collapsed: bool, by_user: bool = False) -> None:
        """Show the sections' names, or only their numbers (the name in the tooltip). A choice made by the
        user is remembered; otherwise the list narrows only while the page needs the room."""
        if by_user:
            self._nav_user_choice = collapsed
            self.settings.setValue("nav_collapsed", collapsed)
        self.nav_collapsed = collapsed
        for i, (_key, title, _ref) in enumerate(PAGES):
            item = self.nav.item(i)
            item.setText(str(i + 1) if collapsed else _(title))
            item.setToolTip(f"{_(title)} (Ctrl+{i + 1})" if collapsed else f"Ctrl+{i + 1}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter if collapsed else
                                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.nav_toggle.setText("»" if collapsed else "«  " + _("Narrow the list"))
        self.nav_toggle.setToolTip(_("Show the names of the sections") if collapsed
                                   else _("Narrow the list of sections to their numbers, to give the page more room"))
        self.nav.setFixedWidth(self._nav_width())
        self.sidebar.setFixedWidth(max(self._nav_width(), self.nav_toggle.sizeHint().width() if not collapsed else 0))

    def _around_pages(self) -> int:
        """The window's width besides the sidebar and the page: the line between them, the page's margins."""
        margins = self.content.layout().contentsMargins()
        return margins.left() + margins.right() + 2 + 4

    def fit_to_screen(self) -> None:
        """Narrow the section list when the pages, at this text size, would make the window wider than the
        screen (at least TARGET_WIDTH); give the names back when there is room again. The user's own
        choice (the « button, or View menu) always wins."""
        if isinstance(self._nav_user_choice, str):   # QSettings may give "true"/"false"
            self._nav_user_choice = self._nav_user_choice == "true"
        screen = self.screen()
        room = max(TARGET_WIDTH, screen.availableGeometry().width() if screen is not None else 0)
        if self._nav_user_choice is not None:
            if self.nav_collapsed != bool(self._nav_user_choice):
                self.set_nav_collapsed(bool(self._nav_user_choice))
        else:
            # The width the window needs with the names shown, worked out without showing them (no flicker,
            # and no layout change that would call this again).
            names = max(self._nav_width(False), self.nav_toggle.sizeHint().width())
            expanded = names + self._around_pages() + self.stack.pages_width()
            # Narrowed when the pages would not fit, and when large text makes the names take more than
            # a fifth of the screen (from two steps larger on a 1366-pixel screen): the tables need it more.
            narrow = expanded > room or names > NAV_SHARE * room
            if narrow != self.nav_collapsed:
                self.set_nav_collapsed(narrow)
        limit = room - self.sidebar.width() - self._around_pages()
        if self.stack.limit != limit:
            self.stack.limit = limit
            self.stack.updateGeometry()
        # A window that grew with the text (Qt widens it to its minimum) comes back within the screen.
        if not (self.isMaximized() or self.isFullScreen()) and self.width() > room \
                and self.minimumSizeHint().width() <= room:
            self.resize(room, self.height())

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(_("&File"))
        self._add(menu, _("Branch details…"), None, self.edit_identity)
        self._add(menu, _("Open another database…"), None, self.open_other)
        self.file_menu = menu
        self._quit_separator = menu.addSeparator()  # the data-safety actions go above it on attach
        self._add(menu, _("Quit"), "Ctrl+Q", self.close)
        view = self.menuBar().addMenu(_("&View"))
        self._add(view, _("Larger text"), QtGui.QKeySequence.StandardKey.ZoomIn, lambda: self.zoom(+1),
                  extra=["Ctrl+="])
        self._add(view, _("Smaller text"), QtGui.QKeySequence.StandardKey.ZoomOut, lambda: self.zoom(-1))
        self._add(view, _("Normal text size"), "Ctrl+0", lambda: self.zoom(0))
        self._add(view, _("Narrow or widen the list of sections"), "Ctrl+B",
                  lambda: self.set_nav_collapsed(not self.nav_collapsed, by_user=True))
        view.addSeparator()
        for i, (key, _title, _f) in enumerate(PAGES):
            self._add(view, _(_title), f"Ctrl+{i + 1}", lambda _c=False, k=key: self.show_page(k))
        help_menu = self.menuBar().addMenu(_("&Help"))
        self._add(help_menu, _("Guide"), "F1", self.show_help)
        self._add(help_menu, _("About Sổ chi bộ"), None, self.show_about)

    _insert_before: QtGui.QAction | None = None

    def open_other(self) -> None:
        """Another data file, or the committee's database on the office's server, in a new window."""
        from .dialogs.open_dialog import open_other

        open_other(self)

    def _add(self, menu, text, keys, slot, extra: list[str] | None = None) -> QtGui.QAction:
        act = QtGui.QAction(text, self)
        if keys is not None:
            seqs = QtGui.QKeySequence.keyBindings(keys) if isinstance(keys, QtGui.QKeySequence.StandardKey) \
                else [QtGui.QKeySequence(keys)]
            seqs += [QtGui.QKeySequence(k) for k in (extra or [])]
            act.setShortcuts(seqs)
        act.triggered.connect(slot)
        if self._insert_before is not None and menu is self.file_menu:
            menu.insertAction(self._insert_before, act)
        else:
            menu.addAction(act)
        return act

    def show_page(self, key: str) -> QtWidgets.QWidget | None:
        """Show the section `key` (after the shown page's edits are made safe) and return its page."""
        index = [k for k, _t, _f in PAGES].index(key)
        self.nav.setCurrentRow(index)
        return self.build_page(index)

    def _section_chosen(self, row: int) -> None:
        """The navigation moved (click, arrow keys, Ctrl+1…7): the page shown so far settles its edits
        first — saving what saves as it goes, asking Lưu / Không lưu / Hủy otherwise."""
        current = self.stack.currentIndex()
        if row < 0 or row == current:
            return
        leave = getattr(self.stack.widget(current), "leave", None)
        if leave is None:
            self._show_index(row)
            return
        self._show_index(current)          # stay until the edits are safe
        leave(lambda: self._show_index(row))

    def _show_index(self, row: int) -> None:
        self.build_page(row)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)
        self.stack.setCurrentIndex(row)

    def event(self, event) -> bool:
        # A page that filled itself (or changed its text size) may need more room: check the fit once
        # the layouts have settled.
        if event.type() == QtCore.QEvent.Type.LayoutRequest and not self._fit_pending:
            self._fit_pending = True
            QtCore.QTimer.singleShot(0, self._fit_later)
        return super().event(event)

    _fit_pending = False

    def _fit_later(self) -> None:
        if not is_alive(self):      # the window was closed and deleted meanwhile
            return
        self._fit_pending = False
        self.fit_to_screen()

    # --- zoom --------------------------------------------------------------------------------
    def zoom(self, step: int) -> None:
        if step == 0:
            self.zoom_index = ZOOM_STEPS.index(1.0)
        else:
            self.zoom_index = max(0, min(len(ZOOM_STEPS) - 1, self.zoom_index + step))
        self.settings.setValue("zoom_index", self.zoom_index)
        self.apply_zoom()

    def apply_zoom(self) -> None:
        app = QtWidgets.QApplication.instance()
        font = app.font()
        font.setPointSizeF(BASE_POINT_SIZE * ZOOM_STEPS[self.zoom_index])
        app.setFont(font)
        nav_font = QtGui.QFont(font)
        nav_font.setPointSizeF(font.pointSizeF() * NAV_FONT_SCALE)
        self.nav.setFont(nav_font)
        self._follow_text_size(font)
        self.set_nav_collapsed(self.nav_collapsed)
        self.fit_to_screen()
        QtCore.QTimer.singleShot(0, self._fit_later)   # again once the pages have taken the new size

    def _follow_text_size(self, font: QtGui.QFont) -> None:
        """Widgets that do not take the new text size by themselves: those with a style sheet (Qt fixes
        their font when it applies the sheet) and those sized relative to the text (`text_scale`, page
        headings). Their weight is kept."""
        from .pages.base import PageHeading

        PageHeading.follow_text_size(self)
        for widget in self.findChildren(QtWidgets.QWidget):
            scale = widget.property("text_scale")
            if widget is self.nav or isinstance(widget, PageHeading) or (scale is None and not widget.styleSheet()):
                continue
            new = QtGui.QFont(font)
            new.setPointSizeF(font.pointSizeF() * float(scale or 1.0))
            new.setBold(widget.font().bold())
            widget.setFont(new)

    # --- dialogs -----------------------------------------------------------------------------
    def edit_identity(self) -> None:
        from .dialogs.identity_dialog import IdentityDialog

        if self.ctx is None:
            return
        IdentityDialog(self.ctx, parent=self).exec()

    def show_help(self) -> None:
        from .help import HelpDialog

        HelpDialog(self).show()

    def show_about(self) -> None:
        from services.cli import version_string

        QtWidgets.QMessageBox.about(self, _("About Sổ chi bộ"), _(
            "Sổ chi bộ {version}\nThe Party branch's register, meetings and year-end review, on this computer."
        ).format(version=version_string()))

    def closeEvent(self, event) -> None:
        """Quit (Ctrl+Q, the close button): no edit is lost. Pages with unsaved edits are shown one by one
        and settled (saved, or asked about); writes still running finish; then the window closes."""
        from . import operations

        if not self._closing and self.ctx is not None:
            dirty = self._dirty_pages()
            if dirty or not operations.idle():
                event.ignore()
                self._settle(dirty)
                return
        self.settings.setValue("geometry", self.saveGeometry())
        super().closeEvent(event)

    def settle_pages(self, go) -> None:
        """Every page's unsaved edits saved or asked about, one page at a time (as before quitting), then,
        once the writes asked have finished, `go()`; nothing when the user cancels or a save is refused."""
        self._settle(self._dirty_pages(), go)

    def _dirty_pages(self) -> list:
        return [p for p in self.pages.values() if getattr(p, "has_unsaved", lambda: False)()]

    def _settle(self, pages: list, go=None) -> None:
        from . import operations

        if not pages:
            operations.when_idle(go or self._close_now)
            return
        page = pages[0]
        self._show_index(self.stack.indexOf(page))
        page.leave(lambda: self._settle(pages[1:], go))

    def _close_now(self) -> None:
        self._closing = True
        self.close()
        self._closing = False

