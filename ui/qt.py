"""The one place that names the Qt binding."""
import sys

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
from PySide6.QtCore import Qt, Signal, Slot  # noqa: F401
from shiboken6 import isValid as is_alive  # noqa: F401  (False once the C++ widget is deleted)


def _keep_none_alive() -> None:
    """shiboken6 (6.12.0, at least) hands None back from C++ (a void method, a null pointer, an empty QVariant) without
    taking a reference to it: it counts on None being immortal, as it is from Python 3.12 on. Under Python
    3.11 every such call takes one reference off None, and after a few hundred thousand calls (a working
    session, a long test run) the interpreter aborts: "Fatal Python error: none_dealloc". Give None enough
    references that it never reaches zero (None is never freed anyway)."""
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):   # immortal None; a debug build
        return
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))   # ob_refcnt, the first field of every object
    if refcount.value < 1 << 40:
        refcount.value += 1 << 50


_keep_none_alive()
