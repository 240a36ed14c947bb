"""Fonts for printed documents: Times New Roman, or Liberation Serif when it is missing.

HD 36-HD/VPTW documents are typeset in Times New Roman. The choice needs no setting:

1. If all four Times New Roman faces are in the Windows fonts folder (``times.ttf``,
   ``timesbd.ttf``, ``timesi.ttf``, ``timesbi.ttf``), they are used.
2. Otherwise the Liberation Serif files shipped in ``resources/fonts`` are used. Their metrics
   match Times New Roman, so the layout is the same with either font.

Both are registered under the same names (:data:`FAMILY`, ``FAMILY + "-Bold"`` and so on),
so styles never depend on which font was found. :func:`register_fonts` also calls
``registerFontFamily``, so ``<b>`` and ``<i>`` work in Paragraph markup. ReportLab embeds a
subset of each TrueType font in the PDF.
"""
from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..paths import resources_dir

FAMILY = "DocSerif"
"""ReportLab name of the regular face. The other faces add ``-Bold``, ``-Italic`` and ``-BoldItalic``."""

_FACES = ("regular", "bold", "italic", "bold_italic")
_SUFFIX = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bold_italic": "-BoldItalic"}
_TIMES_FILES = {
    "regular": "times.ttf",
    "bold": "timesbd.ttf",
    "italic": "timesi.ttf",
    "bold_italic": "timesbi.ttf",
}
_LIBERATION_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}


@dataclass(frozen=True)
class FontSet:
    """The registered family. ``source`` says which files were used, e.g. "Times New Roman"."""

    source: str
    regular: str = FAMILY
    bold: str = FAMILY + "-Bold"
    italic: str = FAMILY + "-Italic"
    bold_italic: str = FAMILY + "-BoldItalic"


def windows_fonts_dir() -> Path | None:
    """The Windows fonts folder, or None on other systems."""
    if sys.platform != "win32":
        return None
    return Path(os.environ.get("WINDIR") or r"C:\Windows") / "Fonts"


def _times_files() -> dict[str, Path] | None:
    folder = windows_fonts_dir()
    if folder is None:
        return None
    files = {face: folder / name for face, name in _TIMES_FILES.items()}
    return files if all(p.is_file() for p in files.values()) else None


def _liberation_files() -> dict[str, Path]:
    folder = resources_dir() / "fonts"
    return {face: folder / name for face, name in _LIBERATION_FILES.items()}


def font_candidates() -> list[tuple[str, dict[str, Path]]]:
    """The font sets to try, best first: Times New Roman if installed, then Liberation Serif."""
    candidates: list[tuple[str, dict[str, Path]]] = []
    times = _times_files()
    if times is not None:
        candidates.append(("Times New Roman", times))
    candidates.append(("Liberation Serif", _liberation_files()))
    return candidates


_lock = threading.Lock()
_registered: FontSet | None = None


def register_fonts() -> FontSet:
    """Register the document fonts with ReportLab and return their names.

    The fonts are registered once per process, on the first call. Later calls return at once.
    If a Times New Roman file cannot be read, Liberation Serif is used.
    """
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is not None:
            return _registered
        errors: list[str] = []
        for source, files in font_candidates():
            try:
                # Load all four before registering any, so a broken set leaves nothing half-registered.
                fonts = [TTFont(FAMILY + _SUFFIX[face], str(files[face])) for face in _FACES]
            except (OSError, TTFError) as exc:
                errors.append(f"{source}: {exc}")
                continue
            for font in fonts:
                pdfmetrics.registerFont(font)
            pdfmetrics.registerFontFamily(
                FAMILY,
                normal=FAMILY,
                bold=FAMILY + "-Bold",
                italic=FAMILY + "-Italic",
                boldItalic=FAMILY + "-BoldItalic",
            )
            _registered = FontSet(source=source)
            return _registered
        raise RuntimeError("Không nạp được phông chữ cho bản in: " + "; ".join(errors))
