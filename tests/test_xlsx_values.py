"""The fast .xlsx reader gives the importer the same values as openpyxl, and leaves the rest to openpyxl."""
from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from services import member_import, xlsx_values
from services.errors import UserError

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PKG = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def excel_like(path, date1904=False, main_state="visible"):
    """A workbook written the way Excel writes one (openpyxl always writes inline strings, Excel shared
    ones): shared strings with rich text and phonetic runs, a custom date format and a built-in one, a
    duration, booleans, a formula's cached text, an error, cells and rows skipped, cells without their
    reference, a hidden sheet, and a chart sheet."""
    sheet1 = f"""<worksheet {NS}><dimension ref="A1:F7"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c><c r="C3" t="s"><v>4</v></c>
  <c r="D3" t="s"><v>5</v></c><c r="E3" t="s"><v>6</v></c></row>
<row r="4"><c r="A4"><v>1</v></c><c r="B4" t="s"><v>7</v></c><c r="C4" s="1"><v>29586</v></c>
  <c r="D4" s="2"><v>40000.5</v></c><c r="E4" t="b"><v>1</v></c><c r="F4" s="3"><v>1.25</v></c></row>
<row r="5"><c r="A5"><v>2.5</v></c><c r="B5" t="inlineStr"><is><t>Lê Thị Đào</t></is></c>
  <c r="C5" t="str"><f>B5</f><v>Lê Thị Đào</v></c><c r="D5" t="e"><v>#N/A</v></c><c r="E5"><f>1+1</f></c></row>
<row r="7"><c><v>1E3</v></c><c t="s"><v>8</v></c></row>
</sheetData></worksheet>"""
    strings = ["DANH SÁCH ĐẢNG VIÊN", " có  khoảng trắng ", "STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng",
               "Đang sinh hoạt", None, "cuối"]
    items = []
    for s in strings:
        if s is None:   # rich text with a phonetic run that is not part of the text
            items.append('<si><r><rPr><b/></rPr><t>Nguyễn </t></r><r><t xml:space="preserve">Văn An</t></r>'
                         '<rPh sb="0" eb="1"><t>ignored</t></rPh></si>')
        else:
            items.append(f'<si><t xml:space="preserve">{s}</t></si>')
    files = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="xml" ContentType="application/xml"/>'
                               '<Default Extension="rels" '
                               'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                               '<Override PartName="/xl/workbook.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                               '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                               '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                               '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                               '<Override PartName="/xl/styles.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": f'<Relationships {PKG}><Relationship Id="rId1" Type="{OFFICE}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {NS} {RNS}><workbookPr date1904="{1 if date1904 else 0}"/><sheets>'
                           '<sheet name="Ẩn" sheetId="2" state="hidden" r:id="rId2"/>'
                           f'<sheet name="Danh sách" sheetId="1" state="{main_state}" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships {PKG}>'
                                      f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
                                      f'<Relationship Id="rId2" Type="{OFFICE}/worksheet" '
                                      'Target="/xl/worksheets/sheet2.xml"/>'
                                      f'<Relationship Id="rId3" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
                                      f'<Relationship Id="rId4" Type="{OFFICE}/styles" Target="styles.xml"/>'
                                      '</Relationships>',
        "xl/sharedStrings.xml": f'<sst {NS} count="{len(items)}" uniqueCount="{len(items)}">{"".join(items)}</sst>',
        "xl/styles.xml": f'<styleSheet {NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
                         '</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                         '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
                         '<borders count="1"><border/></borders>'
                         '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                         '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
                         '<xf numFmtId="22"/><xf numFmtId="46"/></cellXfs>'
                         '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        "xl/worksheets/sheet1.xml": sheet1,
        "xl/worksheets/sheet2.xml": f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>3</v></c></row>'
                                    '</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return path


def both(path):
    fast = member_import._read_xlsx(path, None)
    slow = member_import._read_xlsx_openpyxl(path, None)
    return [(s.name, s.rows, s.epoch) for s in fast], [(s.name, s.rows, s.epoch) for s in slow]


@pytest.mark.parametrize("date1904", [False, True])
def test_same_values_as_openpyxl_for_a_workbook_written_like_excel(tmp_path, date1904):
    fast, slow = both(excel_like(tmp_path / "excel.xlsx", date1904))
    assert fast == slow
    (name, rows, epoch), = fast
    assert name == "Danh sách"                               # the hidden sheet is left out
    assert rows[2][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    assert rows[3][1] == "Nguyễn Văn An"                     # rich text, without the phonetic run
    assert rows[3][2] == (dt.datetime(1985, 1, 1) if date1904 else dt.datetime(1980, 12, 31))
    assert rows[4][2:5] == ["Lê Thị Đào", "#N/A", None]      # a formula's text, an error, no cached value
    assert rows[6][:2] == [1000.0, "cuối"]                   # cells without a reference follow each other


def test_same_values_as_openpyxl_for_workbooks_openpyxl_writes(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Trang 1"
    ws.append(["Họ và tên", "Ngày vào Đảng", "Số", "Đúng"])
    ws.append(["Nguyễn Văn An", dt.datetime(2010, 4, 18), 12, True])
    ws.append([None, dt.date(2011, 1, 1), 3.5, False])
    ws["F9"] = "xa"
    other = wb.create_sheet("Trang 2")
    other.append(["Tên", dt.time(12, 30)])
    wb.create_sheet("Ẩn").sheet_state = "hidden"
    wb.save(tmp_path / "a.xlsx")
    fast, slow = both(tmp_path / "a.xlsx")
    assert fast == slow and [s[0] for s in fast] == ["Trang 1", "Trang 2"]


def test_every_sheet_is_read_when_none_is_visible(tmp_path):
    fast, slow = both(excel_like(tmp_path / "h.xlsx", main_state="hidden"))
    assert fast == slow and [s[0] for s in fast] == ["Ẩn", "Danh sách"]


def test_what_the_fast_reader_cannot_read_is_left_to_openpyxl(tmp_path, monkeypatch):
    path = excel_like(tmp_path / "excel.xlsx")
    calls = []
    real = member_import._read_xlsx_openpyxl
    monkeypatch.setattr(member_import, "_read_xlsx_openpyxl", lambda p, progress: calls.append(p) or real(p, progress))
    member_import._read_xlsx(path, None)
    assert calls == []
    with zipfile.ZipFile(path) as z:           # the same workbook without its workbook part
        parts = {n: z.read(n) for n in z.namelist() if n != "xl/workbook.xml"}
    with zipfile.ZipFile(tmp_path / "broken.xlsx", "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(KeyError):
        xlsx_values.read_workbook(tmp_path / "broken.xlsx")
    with pytest.raises(UserError, match="không phải"):
        member_import._read_xlsx(tmp_path / "broken.xlsx", None)
    assert calls == [tmp_path / "broken.xlsx"]
