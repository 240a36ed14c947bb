"""Demo: a year of branch meetings (12 regular, 4 thematic) with attendance, minutes and votes.

Varied like a real branch: a few absences with reasons, members on leave excused, one member absent
without reason in three months, a guest from the upper committee at one meeting, one amendment to
finalised minutes, and the last minutes of the year not yet finalised. Deterministic for a seed.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from models import AttendanceStatus, EventKind, MeetingKind

from ..branch import get_branch
from ..members import all_members
from ..membership import Status, state_on
from .attendance import roster
from .records import (
    AmendmentInput,
    MeetingInput,
    ResolutionInput,
    amend_minutes,
    create_meeting,
    finalise_meeting,
    save_resolution,
    sections_of,
    set_meeting_notes,
    set_sections,
)

NEWS = {
    1: "quán triệt nhiệm vụ trọng tâm năm {year} của Đảng ủy Sở; tình hình chuẩn bị Tết Nguyên đán, chăm lo Tết "
       "cho gia đình chính sách, hộ nghèo",
    2: "kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam (03/02); tình hình cơ quan sau Tết; các văn bản mới về "
       "tinh gọn tổ chức bộ máy",
    3: "kỷ niệm Ngày Quốc tế Phụ nữ 8/3 và ngày thành lập Đoàn Thanh niên Cộng sản Hồ Chí Minh 26/3; kết quả "
       "giải quyết việc làm quý I",
    4: "kỷ niệm ngày Giải phóng miền Nam, thống nhất đất nước 30/4 và ngày Quốc tế Lao động 1/5; Tháng hành "
       "động về an toàn, vệ sinh lao động",
    5: "kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5; Tháng hành động vì trẻ em",
    6: "sơ kết công tác 6 tháng đầu năm; chuẩn bị các hoạt động tri ân nhân Ngày Thương binh - Liệt sĩ 27/7",
    7: "kỷ niệm Ngày Thương binh - Liệt sĩ 27/7; kết quả thăm, tặng quà gia đình chính sách, người có công",
    8: "kỷ niệm Cách mạng Tháng Tám thành công và Quốc khánh 2/9; tình hình tuyển sinh giáo dục nghề nghiệp",
    9: "tình hình mưa bão, triều cường; công tác hỗ trợ người dân bị ảnh hưởng thiên tai",
    10: "kỷ niệm ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam 20/10; các văn bản mới của Trung ương và của Tỉnh ủy",
    11: "kỷ niệm Ngày Nhà giáo Việt Nam 20/11; hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng cuối năm",
    12: "kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam 22/12; chuẩn bị tổng kết công tác năm",
}

HO_CHI_MINH = [
    "Chi bộ cùng đọc và trao đổi bài viết của Chủ tịch Hồ Chí Minh về “Cần, kiệm, liêm, chính, chí công vô tư”; "
    "mỗi đảng viên liên hệ việc thực hành tiết kiệm trong công việc hằng ngày.",
    "Đồng chí Bí thư giới thiệu câu chuyện “Bác Hồ với việc sử dụng thời gian”; chi bộ thống nhất thực hiện "
    "nghiêm giờ giấc làm việc, hội họp.",
    "Chi bộ trao đổi về tác phong gần dân, trọng dân, học dân của Bác; đảng viên làm công tác tiếp dân liên "
    "hệ thái độ phục vụ người dân.",
    "Đảng viên đăng ký một việc làm cụ thể làm theo Bác trong tháng; chi bộ ghi nhận kết quả thực hiện của "
    "tháng trước: phần lớn đảng viên thực hiện tốt nội dung đã đăng ký.",
    "Chi bộ tìm hiểu tư tưởng Hồ Chí Minh về tự phê bình và phê bình; các đồng chí nêu những việc còn chưa "
    "làm tốt để khắc phục.",
    "Chi bộ đọc và trao đổi bài “Sửa đổi lối làm việc”, phần nói về bệnh quan liêu, hình thức.",
]

TASKS = [
    "Hoàn thành báo cáo tình hình thực hiện nhiệm vụ tháng {next} gửi Đảng ủy Sở đúng hạn; giao đồng chí {a}.",
    "Tiếp tục rà soát, cập nhật danh sách đối tượng chính sách, người có công; giao đồng chí {b}.",
    "Tổ chức tốt các hoạt động của cơ quan trong tháng {next}; đoàn viên, công đoàn viên tham gia đầy đủ; "
    "giao đồng chí {c}.",
    "Theo dõi, giúp đỡ quần chúng ưu tú phấn đấu vào Đảng; giao đồng chí {d}.",
    "Chuẩn bị nội dung sinh hoạt chuyên đề quý; giao đồng chí {a}.",
    "Thực hiện nghiêm quy định về văn hóa công sở, giờ giấc làm việc; giao các đồng chí trưởng, phó phòng "
    "theo dõi.",
]

OPINIONS = [
    "Đồng chí {a}: thống nhất với đánh giá của chi bộ; đề nghị đẩy nhanh tiến độ giải quyết hồ sơ của người "
    "dân, không để trễ hẹn.",
    "Đồng chí {b}: đề nghị chi bộ quan tâm hơn đến việc bồi dưỡng quần chúng ưu tú là đoàn viên thanh niên "
    "trong cơ quan.",
    "Đồng chí {a}: đề nghị phân công cụ thể người phụ trách từng việc để dễ theo dõi, kiểm tra.",
    "Đồng chí {b}: góp ý một số đảng viên còn đến họp trễ; đề nghị chi ủy nhắc nhở.",
    "Đồng chí {a}: đề nghị tăng cường ứng dụng công nghệ thông tin, giảm giấy tờ trong xử lý công việc.",
]

THEMATIC_TOPICS = {
    1: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần trách nhiệm, phong cách làm "
       "việc khoa học",
    2: "Nâng cao chất lượng sinh hoạt chi bộ",
    3: "Phòng, chống suy thoái về tư tưởng chính trị, đạo đức, lối sống trong cán bộ, đảng viên",
    4: "Thực hành tiết kiệm, chống lãng phí trong cơ quan",
}

REASONS = ["đi công tác theo kế hoạch của Sở", "ốm, có báo cáo chi ủy", "việc gia đình, có báo trước",
           "đi học lớp bồi dưỡng chuyên môn", "trực tiếp dân theo lịch"]
GUESTS = "đồng chí Kiều Thị Thủy, Đảng ủy viên, Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Sở"


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _pick(rng: random.Random, names: list[str], k: int) -> list[str]:
    return rng.sample(names, min(k, len(names)))


def populate_meetings(session: Session, rng: random.Random, year: int, today: dt.date) -> dict[str, int]:
    """Write the year's meetings dated up to `today`."""
    branch = get_branch(session)
    members = all_members(session)
    secretary = branch.secretary if branch else ""
    deputy = branch.deputy_secretary if branch else ""

    def special(m) -> bool:
        kinds = {e.kind for e in m.events}
        return bool(kinds & {EventKind.EXEMPT, EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT, EventKind.SICK_LEAVE,
                             EventKind.MATERNITY_LEAVE, EventKind.DISCIPLINE}) or \
            not any(e.kind == EventKind.MADE_FULL for e in m.events)

    plain = [m for m in members if not special(m) and m.full_name not in (secretary, deputy)]
    plain.sort(key=lambda m: m.id)
    minute_taker = plain[0].full_name if plain else deputy
    truant = plain[-1] if len(plain) > 2 else None          # absent without reason in three months
    truant_months = {3, 6, 9}
    names = [m.full_name for m in plain[1:-1]] or [secretary]

    schedule: list[tuple[dt.date, str, str]] = []
    for month in range(1, 13):
        schedule.append((_weekday_on_or_after(dt.date(year, month, rng.randint(3, 7))), MeetingKind.REGULAR, ""))
        if month % 3 == 2:
            q = month // 3 + 1
            schedule.append((_weekday_on_or_after(dt.date(year, month, rng.randint(18, 24))),
                             MeetingKind.THEMATIC, THEMATIC_TOPICS[q]))
    schedule = [s for s in schedule if s[0] <= today]
    schedule.sort()

    created = []
    excused_run: dict[int, int] = {}
    for day, kind, topic in schedule:
        chair = secretary
        chair_away = kind == MeetingKind.REGULAR and day.month == 7 and deputy
        if chair_away:
            chair = deputy
        morning = rng.random() < 0.3
        start = dt.time(7, 30) if morning else dt.time(14, 0)
        length = 150 if kind == MeetingKind.THEMATIC else rng.choice([100, 105, 120])
        end_minutes = start.hour * 60 + start.minute + length
        data = MeetingInput(
            kind=kind, date=day, start_time=start, end_time=dt.time(end_minutes // 60, end_minutes % 60),
            topic=topic, place="Phòng họp Văn phòng Sở Lao động - Thương binh và Xã hội",
            chair_name=chair, chair_title="Phó Bí thư Chi bộ" if chair_away else "Bí thư Chi bộ",
            secretary_name=minute_taker, secretary_title="Chi ủy viên",
            representative=GUESTS if (kind == MeetingKind.REGULAR and day.month == 6) else "",
        )
        meeting = create_meeting(session, data)
        created.append(meeting)
        r = roster(session, meeting.id)
        expected = r.expected
        # Absences: members on leave, the secretary in July, the truant, and a few others with reasons.
        for row in expected:
            status, reason = AttendanceStatus.PRESENT, ""
            if row.leave:
                status, reason = AttendanceStatus.EXCUSED, row.leave
            elif chair_away and row.full_name == secretary:
                status, reason = AttendanceStatus.EXCUSED, "đi công tác tại Hà Nội"
            elif truant is not None and row.member_id == truant.id and kind == MeetingKind.REGULAR \
                    and day.month in truant_months:
                status = AttendanceStatus.UNEXCUSED
            elif row.full_name not in (chair, minute_taker) and excused_run.get(row.member_id, 0) < 2 \
                    and rng.random() < 0.05:
                status, reason = AttendanceStatus.EXCUSED, rng.choice(REASONS)
            excused_run[row.member_id] = excused_run.get(row.member_id, 0) + 1 \
                if status == AttendanceStatus.EXCUSED else 0
            meeting.attendance.append(_attendance(row.member_id, status, reason))
        session.flush()
        present = {a.member_id for a in meeting.attendance if a.status == AttendanceStatus.PRESENT}
        voters = sum(1 for row in expected if row.member_status == Status.FULL and row.member_id in present)
        _write_minutes(session, rng, meeting, names, voters, members)
    # Finalise all but the last two; amend one finalised minutes.
    for meeting in created[:-2]:
        finalise_meeting(session, meeting.id, meeting.secretary_name,
                         dt.datetime.combine(meeting.date + dt.timedelta(days=2), dt.time(9, 0)), today)
    april = next((m for m in created[:-2] if m.date.month == 4 and m.kind == MeetingKind.REGULAR), None)
    if april is not None:
        old = next(s["text"] for s in sections_of(april) if s["key"] == "next_tasks")
        amend_minutes(session, april.id, AmendmentInput(
            date=april.date + dt.timedelta(days=9), reason="Biên bản ghi sót một nhiệm vụ chi bộ đã phân công",
            made_by=april.secretary_name,
            texts={"next_tasks": old + "\n- Rà soát hồ sơ đảng viên, hoàn thành trước ngày 25/5; giao đồng chí "
                                       + april.secretary_name + "."},
        ), today)
    return {"meetings": len(created)}


def _attendance(member_id: int, status: str, reason: str):
    from models import Attendance

    return Attendance(member_id=member_id, status=status, reason=reason)


def _write_minutes(session: Session, rng: random.Random, meeting, names: list[str], voters: int, members) -> None:
    month = meeting.date.month
    nxt = month % 12 + 1
    a, b, c, d = (_pick(rng, names, 4) + names * 4)[:4]
    texts: dict[str, str] = {}
    current = {s["key"]: s.get("text", "") for s in sections_of(meeting)}
    if meeting.kind == MeetingKind.REGULAR:
        texts["news"] = current.get("news", "") + NEWS[month].format(year=meeting.date.year) + "."
        review = current.get("review", "")
        texts["review"] = (review + "các nhiệm vụ đề ra cơ bản hoàn thành; "
                           "chi bộ ghi nhận tinh thần trách nhiệm của các đồng chí được phân công.") if review else \
            "Chi bộ đánh giá kết quả thực hiện nhiệm vụ tháng trước: cơ quan hoàn thành kế hoạch công tác đề ra."
        texts["ho_chi_minh"] = HO_CHI_MINH[month % len(HO_CHI_MINH)]
        speakers = "\n".join(o.format(a=x, b=y) for o, x, y in
                             zip(rng.sample(OPINIONS, 2), (a, b), (c, d), strict=True))
        tasks = rng.sample(TASKS, 3)
        texts["next_tasks"] = "\n".join("- " + t.format(next=nxt, a=a, b=b, c=c, d=d) for t in tasks)
        other, made_full = _other_business(meeting, members)
        if other:
            texts["other_business"] = other
        set_sections(session, meeting.id, texts)
        set_meeting_notes(session, meeting.id, speakers,
                          f"Chi bộ thống nhất đánh giá kết quả thực hiện nhiệm vụ tháng {month}; các đồng chí được "
                          f"phân công khẩn trương triển khai nhiệm vụ tháng {nxt}; chi ủy theo dõi, đôn đốc và báo "
                          "cáo tại kỳ sinh hoạt sau.")
        save_resolution(session, meeting.id, ResolutionInput(
            f"Thông qua kết quả thực hiện nhiệm vụ tháng {month} và phương hướng, nhiệm vụ tháng {nxt} "
            f"năm {meeting.date.year + (nxt == 1)}.",
            in_favour=voters - (1 if month == 10 else 0), other=1 if month == 10 else 0,
            other_opinions="đề nghị bổ sung thời hạn cụ thể cho từng nhiệm vụ" if month == 10 else ""))
        for name in made_full:
            save_resolution(session, meeting.id, ResolutionInput(
                f"Đề nghị công nhận đảng viên chính thức đối với đồng chí {name}.", in_favour=voters,
                kind="make_full"))
    else:
        texts["presentation"] = current.get("presentation", "") + (
            "nội dung gồm thực trạng tại cơ quan, nguyên nhân của những hạn chế và các giải pháp chi bộ cần thực hiện.")
        texts["discussion"] = ""
        texts["conclusion"] = ("Chi bộ thống nhất mỗi đảng viên đăng ký việc làm cụ thể để thực hiện chuyên đề; "
                               "chi ủy theo dõi, đánh giá kết quả trong các kỳ sinh hoạt thường kỳ.")
        set_sections(session, meeting.id, texts)
        set_meeting_notes(session, meeting.id, f"{a}: liên hệ việc thực hiện tại bộ phận mình phụ trách.\n"
                                               f"{b}: đề nghị cụ thể hóa nội dung chuyên đề thành việc làm hằng tháng.",
                          "")
        save_resolution(session, meeting.id, ResolutionInput(
            "Thông qua kết luận của chủ trì về nội dung sinh hoạt chuyên đề.", in_favour=voters))


def _other_business(meeting, members) -> tuple[str, list[str]]:
    """The register's events of the month, as the branch would have discussed them, and the members the
    branch votes to make full (a vote of its own in the minutes)."""
    day = meeting.date
    out = []
    made_full = []
    for m in members:
        for e in m.events:
            if e.kind == EventKind.MADE_FULL and e.date.year == day.year and e.date.month == day.month \
                    and e.date >= day and state_on(m.events, day).status == Status.PROBATIONARY:
                out.append(f"Chi bộ xét việc công nhận đảng viên chính thức đối với đồng chí {m.full_name} "
                           "(kết quả biểu quyết ở mục Biểu quyết).")
                made_full.append(m.full_name)
            if e.kind == EventKind.TRANSFER_OUT and (e.date - day).days in range(0, 40):
                out.append(f"Chi bộ thông báo việc chuyển sinh hoạt đảng của đồng chí {m.full_name} "
                           f"đến {e.other_org} kể từ ngày {e.date.day:02d}/{e.date.month:02d}.")
            if e.kind == EventKind.ADMITTED and e.date.year == day.year and 0 <= (e.date - day).days < 31:
                out.append(f"Chi bộ chuẩn bị lễ kết nạp đảng viên mới cho quần chúng {m.full_name}.")
    return "\n".join("- " + o for o in out), made_full
