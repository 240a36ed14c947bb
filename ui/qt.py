"""The one place that names the Qt binding."""
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
from PySide6.QtCore import Qt, Signal, Slot  # noqa: F401
