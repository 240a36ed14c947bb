"""Reading printed papers back (poppler-utils): text, pages, fonts, the smallest text."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

needs_poppler = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("pdftotext", "pdfinfo", "pdffonts")),
    reason="poppler-utils (pdftotext, pdfinfo, pdffonts) is needed to read the PDF back")

DOUBTS = ("chưa xác nhận", "chưa được xác nhận", "độ tin cậy", "[U]", "[P]")
# pdftotext -bbox gives each word the font's box: about 0.909 of the size for Liberation Serif / Times
# (0.89 in italics), so 11 pt text is at least 9.7 points high and 10 pt text at most 9.1.
MIN_BOX_11PT = 9.7


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True,
                          encoding="utf-8").stdout


def text(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    """The PDF's words, NFC, on one line (whitespace collapsed)."""
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    raw = run("pdftotext", *(["-layout"] if layout else []), *pages, pdf, "-")
    return unicodedata.normalize("NFC", " ".join(raw.split()))


def pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))


def page_size(pdf: Path, page: int) -> tuple[float, float]:
    info = run("pdfinfo", "-f", str(page), "-l", str(page), pdf)
    m = re.search(rf"^Page\s+{page} size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    return float(m.group(1)), float(m.group(2))


def unembedded_fonts(pdf: Path) -> list[str]:
    """Fonts listed by pdffonts that are not embedded (Helvetica when a table forgot its font)."""
    rows = run("pdffonts", pdf).splitlines()[2:]
    return [r.split()[0] for r in rows if r.split()[-5] != "yes" or "Helvetica" in r]


def smallest_text(pdf: Path) -> float:
    """The height of the smallest word's box in the PDF (see MIN_BOX_11PT)."""
    out = run("pdftotext", "-bbox", pdf, "-")
    heights = [float(b) - float(a) for a, b in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" '
                                                          r'yMax="([\d.]+)">', out)]
    return min(heights)


def assert_in_order(haystack: str, *needles: str) -> None:
    at = -1
    for n in needles:
        found = haystack.find(n, at + 1)
        assert found > at, f"“{n}” missing or out of order"
        at = found


def assert_clean(pdf: Path) -> None:
    """No doubt of the program on the paper, every font embedded, no text under 11 pt."""
    words = text(pdf)
    for doubt in DOUBTS:
        assert doubt not in words, f"{pdf.name}: “{doubt}” printed"
    assert unembedded_fonts(pdf) == [], pdf.name
    assert smallest_text(pdf) >= MIN_BOX_11PT, f"{pdf.name}: text under 11 pt"
