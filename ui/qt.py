"""The one place that names the Qt binding."""
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
from PySide6.QtCore import Qt, Signal, Slot  # noqa: F401
from shiboken6 import isValid as is_alive  # noqa: F401  (False once the C++ widget is deleted)
