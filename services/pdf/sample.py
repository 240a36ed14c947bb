"""Sample documents built with the layout API: used by the tests and to check the layout by eye.

Run ``python -m services.pdf.sample OUT_DIR`` to write ``bien-ban-mau.pdf`` and ``bao-cao-mau.pdf``.
The names and figures are invented.
"""
from __future__ import annotations

import datetime
import sys
import unicodedata
from os import PathLike
from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from .layout import (
    DocumentHeader,
    SignatureBlock,
    bar_chart,
    build_document,
    bullet,
    format_percent_vi,
    heading,
    para,
    table,
)

SAMPLE_HEADER = DocumentHeader(
    parents=["ĐẢNG BỘ TỈNH TRÀ VINH", "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH"],
    issuer="CHI BỘ VĂN PHÒNG SỞ",
    number="Số 05-BB/CB",
    place="Trà Vinh",
    date=datetime.date(2020, 12, 22),
)

# Names covering every tone mark (huyền, hỏi, ngã, sắc, nặng) and ă â đ ê ô ơ ư.
CHAIR = "Nguyễn Thị Hồng Nhung"
SECRETARY = "Trần Văn Hưởng"
MEMBERS = [
    CHAIR,
    SECRETARY,
    "Lê Thị Ngọc Ánh",
    "Phạm Quốc Việt",
    "Huỳnh Thị Mỹ Duyên",
    "Võ Hoàng Ẩn",
    "Đặng Thị Bích Hằng",
    "Thạch Sô Phết",
]
# Given decomposed (NFD), as text pasted from an old file might be: it must still print as NFC.
ABSENT_NFD = unicodedata.normalize("NFD", "Đặng Thị Bích Hằng")


def build_sample_minutes(target: str | PathLike[str] | IO[bytes]) -> None:
    """Biên bản sinh hoạt chi bộ thường kỳ: two pages, two signatures (thư ký, chủ trì)."""
    attendance: list[list[Any]] = [
        ["STT", "Họ và tên", "Chức vụ trong chi bộ", "Có mặt", "Ghi chú"],
        *[
            [i + 1, name, role, "x" if name != "Đặng Thị Bích Hằng" else "", note]
            for i, (name, role, note) in enumerate([
                (CHAIR, "Bí thư", ""),
                (SECRETARY, "Phó Bí thư", "Thư ký cuộc họp"),
                ("Lê Thị Ngọc Ánh", "Chi ủy viên", ""),
                ("Phạm Quốc Việt", "Đảng viên", ""),
                ("Huỳnh Thị Mỹ Duyên", "Đảng viên", "Đảng viên dự bị"),
                ("Võ Hoàng Ẩn", "Đảng viên", ""),
                ("Đặng Thị Bích Hằng", "Đảng viên", "Vắng có lý do: đi công tác tại Hà Nội theo "
                 "Quyết định số 112/QĐ-SLĐTBXH"),
                ("Thạch Sô Phết", "Đảng viên", ""),
            ])
        ],
    ]
    body = [
        heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"),
        para("Vào lúc 14 giờ 00 phút, ngày 22 tháng 12 năm 2020, tại phòng họp Văn phòng Sở Lao động - "
             "Thương binh và Xã hội tỉnh Trà Vinh, Chi bộ Văn phòng Sở tiến hành sinh hoạt chi bộ "
             "thường kỳ tháng 12 năm 2020."),
        bullet(f"Chủ trì: đồng chí {CHAIR}, Bí thư Chi bộ."),
        bullet(f"Thư ký: đồng chí {SECRETARY}, Phó Bí thư Chi bộ."),
        bullet("Tổng số đảng viên của chi bộ: 8 đồng chí (chính thức: 7, dự bị: 1); "
               "miễn sinh hoạt: 0 đồng chí."),
        bullet("Có mặt: 7 đồng chí; vắng: 1 đồng chí (có lý do: 1, không lý do: 0). "
               f"Đồng chí vắng: {ABSENT_NFD}, đi công tác."),
        bullet("Dự và chỉ đạo: đồng chí Kiều Thị Thủy, Đảng ủy viên Đảng bộ Sở."),
        table(attendance, [12, 52, 36, 18, 47], numeric_cols=(), center_cols=(0, 3)),
        heading("II. NỘI DUNG SINH HOẠT"),
        para("1. Đồng chí Bí thư Chi bộ thông qua tình hình thời sự nổi bật trong nước và quốc tế; "
             "phổ biến các văn bản mới của cấp trên; đánh giá kết quả thực hiện nhiệm vụ chính trị "
             "tháng 12 và phương hướng, nhiệm vụ tháng 01 năm 2021."),
        para("2. Kết quả thực hiện nhiệm vụ trong tháng: chi bộ đã lãnh đạo cơ quan hoàn thành "
             "100% kế hoạch công tác đề ra; tỷ lệ văn bản được giải quyết đúng hạn đạt "
             f"{format_percent_vi(97.25)}, tăng so với tháng trước; tổng kinh phí hỗ trợ các gia đình "
             "chính sách nhân dịp cuối năm là 12.500.000 đồng (mười hai triệu năm trăm nghìn đồng)."),
        para("3. Thu đảng phí tháng 12 năm 2020: 8/8 đồng chí đã đóng đủ, tổng số tiền "
             "1.240.000 đồng; chi bộ đã nộp lên Đảng ủy Sở đúng thời gian quy định."),
        heading("III. Ý KIẾN THẢO LUẬN"),
        bullet("Đồng chí Lê Thị Ngọc Ánh: đề nghị chi bộ quan tâm hơn đến việc bồi dưỡng quần chúng "
             "ưu tú là đoàn viên Chi đoàn Văn phòng; đồng thời rà soát hồ sơ đảng viên dự bị sắp hết "
             "thời gian dự bị để đề nghị công nhận đảng viên chính thức đúng hạn."),
        bullet("Đồng chí Phạm Quốc Việt: thống nhất với báo cáo; đề nghị bổ sung nội dung về "
             "thực hành tiết kiệm, chống lãng phí trong tổ chức các hoạt động cuối năm, sử dụng "
             "kinh phí đúng mục đích, công khai, minh bạch & đúng quy định <không vượt định mức>."),
        heading("IV. KẾT LUẬN CỦA CHỦ TRÌ"),
        para("Đồng chí chủ trì tiếp thu các ý kiến đóng góp và kết luận: chi bộ thống nhất đánh giá "
             "kết quả thực hiện nhiệm vụ tháng 12 năm 2020 như báo cáo; giao đồng chí Lê Thị Ngọc "
             "Ánh theo dõi việc bồi dưỡng quần chúng ưu tú; giao đồng chí Huỳnh Thị Mỹ Duyên chuẩn "
             "bị tài liệu sinh hoạt chuyên đề; chi ủy xây dựng kế hoạch kiểm điểm cuối năm, "
             "hoàn thành trước ngày 05 tháng 01 năm 2021."),
        para("Biểu quyết: 6/6 đồng chí đảng viên chính thức có mặt tán thành (đạt 100%); "
             "không tán thành: 0; ý kiến khác: 0."),
        para("Biên bản được thông qua lúc 16 giờ 30 phút cùng ngày; các đồng chí dự họp "
             "thống nhất với nội dung biên bản./."),
    ]
    build_document(
        target,
        SAMPLE_HEADER,
        "Biên bản",
        "Sinh hoạt chi bộ thường kỳ tháng 12 năm 2020",
        body,
        signatures=[SignatureBlock(["THƯ KÝ"], SECRETARY), SignatureBlock(["CHỦ TRÌ"], CHAIR)],
    )


RATING_LABELS = [
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
]


def build_sample_report(target: str | PathLike[str] | IO[bytes]) -> None:
    """Báo cáo: one signature (T/M CHI BỘ, BÍ THƯ), "Nơi nhận:", a table and a bar chart."""
    counts = [1, 5, 1, 0]
    rated = sum(counts)
    rows: list[list[Any]] = [["STT", "Mức xếp loại", "Số đảng viên", "Tỷ lệ"]]
    for i, (label, n) in enumerate(zip(RATING_LABELS, counts, strict=True)):
        rows.append([i + 1, label, n, format_percent_vi(100 * n / rated)])
    rows.append(["", "Cộng", rated, format_percent_vi(100)])
    header = DocumentHeader(
        parents=SAMPLE_HEADER.parents,
        issuer=SAMPLE_HEADER.issuer,
        number="Số 12-BC/CB",
        place="Trà Vinh",
        date=datetime.date(2020, 12, 28),
    )
    body = [
        heading("I. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN"),
        para(f"Tổng số đảng viên của chi bộ: 8 đồng chí; số đảng viên được đánh giá, xếp loại: {rated} "
             "đồng chí; không xếp loại: 1 đồng chí (đảng viên dự bị chưa đủ 6 tháng)."),
        table(rows, [14, 86, 32, 28], numeric_cols=(3,), center_cols=(0,)),
        Spacer(1, 4 * mm),
        bar_chart(RATING_LABELS, counts, 140, 50),
        heading("II. PHƯƠNG HƯỚNG NĂM 2021"),
        bullet("Tiếp tục nâng cao chất lượng sinh hoạt chi bộ; thực hiện nghiêm chế độ sinh hoạt "
               "thường kỳ và chuyên đề."),
    ]
    build_document(
        target,
        header,
        "Báo cáo",
        "Kết quả kiểm điểm, đánh giá, xếp loại chất lượng đảng viên năm 2020",
        body,
        signatures=[SignatureBlock(["T/M CHI BỘ", "BÍ THƯ"], CHAIR)],
        recipients=["Đảng ủy Sở (để báo cáo),", "Đảng viên trong chi bộ,", "Lưu chi bộ."],
    )


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    build_sample_minutes(out / "bien-ban-mau.pdf")
    build_sample_report(out / "bao-cao-mau.pdf")
    print(out / "bien-ban-mau.pdf", out / "bao-cao-mau.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
