"""Draw the application icon: a red book with a gold star. Our own drawing, no third-party artwork.

    python installer/make_icon.py          # writes resources/icons/app.png and app.ico

app.png (256 px) is the window icon (ui/app.py); app.ico holds 16 to 256 px images for the Windows
executable, the installer and the shortcuts. The .ico stores each size as PNG (Windows Vista and later
read it). Each size is drawn at that size, not scaled down, so the small ones stay sharp.
Run it again only when the drawing changes; both files are committed.
"""
from __future__ import annotations

import math
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICON_DIR = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

RED = "#c62828"
RED_DARK = "#8e0000"
GOLD = "#ffcc33"
GOLD_DARK = "#c79100"
PAPER = "#fff8e1"


def _star(QtCore, QtGui, cx: float, cy: float, outer: float):
    inner = outer * 0.382
    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else inner
        angle = math.radians(-90 + k * 36)
        points.append(QtCore.QPointF(cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return QtGui.QPolygonF(points)


def draw(size: int):
    """The icon at `size` x `size` pixels, as a QImage with a transparent background."""
    from PySide6 import QtCore, QtGui

    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
    img.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    s = size / 256.0
    small = size <= 24

    def rect(x, y, w, h):
        return QtCore.QRectF(x * s, y * s, w * s, h * s)

    no_pen = QtCore.Qt.PenStyle.NoPen
    # Pages seen at the right and bottom edge, under the cover.
    p.setPen(no_pen)
    p.setBrush(QtGui.QColor(PAPER))
    p.drawRoundedRect(rect(44, 30, 192, 210), 14 * s, 14 * s)
    if not small:
        p.setPen(QtGui.QPen(QtGui.QColor(GOLD_DARK), max(1.0, 3 * s)))
        for offset in (12, 20):
            p.drawLine(QtCore.QPointF(80 * s, (226 + offset / 2) * s), QtCore.QPointF(228 * s, (226 + offset / 2) * s))
    # The cover.
    p.setPen(no_pen)
    p.setBrush(QtGui.QColor(RED))
    p.drawRoundedRect(rect(24, 16, 196, 212), 16 * s, 16 * s)
    # The spine.
    p.setBrush(QtGui.QColor(RED_DARK))
    p.drawRoundedRect(rect(24, 16, 40, 212), 16 * s, 16 * s)
    p.drawRect(rect(48, 16, 16, 212))
    # A gold frame on the cover.
    if not small:
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.setPen(QtGui.QPen(QtGui.QColor(GOLD), max(1.0, 5 * s)))
        p.drawRoundedRect(rect(80, 36, 122, 172), 8 * s, 8 * s)
    # The star.
    p.setPen(QtGui.QPen(QtGui.QColor(GOLD_DARK), max(0.8, 2 * s)) if not small else no_pen)
    p.setBrush(QtGui.QColor(GOLD))
    p.drawPolygon(_star(QtCore, QtGui, 141 * s, 116 * s, (50 if not small else 62) * s))
    p.end()
    return img


def png_bytes(img) -> bytes:
    from PySide6 import QtCore

    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A Windows .ico file holding one PNG per size."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    data = b""
    offset = 6 + 16 * len(images)
    for size, png in sorted(images.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an .ico directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtGui

    _app = QtGui.QGuiApplication.instance() or QtGui.QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = {size: png_bytes(draw(size)) for size in ICO_SIZES}
    (ICON_DIR / "app.png").write_bytes(images[256])
    (ICON_DIR / "app.ico").write_bytes(ico_bytes(images))
    print(ICON_DIR / "app.png", ICON_DIR / "app.ico")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
