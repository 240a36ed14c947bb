"""A minimal .docx written by hand (zipfile + WordprocessingML): the member table an office keeps in Word.

The baseline of the printing benchmark: what a branch does today is keep the list in Word and make
the PDF from it. One A4 page setting, a title, and a bordered table with a header row, in Times New
Roman 13 pt; enough for LibreOffice to lay it out like a real document.
"""
from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
FONT = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="26"/>'


def _run(text: str, bold: bool = False) -> str:
    return f'<w:r><w:rPr>{FONT}{"<w:b/>" if bold else ""}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, bold: bool = False, center: bool = False) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f"<w:p>{ppr}{_run(text, bold)}</w:p>"


def _cell(text: str, width: int, bold: bool = False, center: bool = False) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{_para(text, bold, center)}</w:tc>'


def write_docx(path: Path | str, title: str, header: Sequence[str], rows: Sequence[Sequence[str]],
               widths: Sequence[int]) -> Path:
    """A .docx with `title` and a table (`widths` in twentieths of a point; the header row repeats on
    every page)."""
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = ('<w:tr><w:trPr><w:tblHeader/></w:trPr>'
            + "".join(_cell(h, w, bold=True, center=True) for h, w in zip(header, widths, strict=True)) + "</w:tr>")
    body = "".join("<w:tr>" + "".join(_cell(str(v), w, center=i == 0) for i, (v, w)
                                      in enumerate(zip(row, widths, strict=True))) + "</w:tr>" for row in rows)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
        + _para(title, bold=True, center=True) + _para("")
        + f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        + f'</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{head}{body}</w:tbl>'
        + _para("")
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
          '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/>'
          '</w:sectPr></w:body></w:document>'
    )
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)
    return path
