"""Demo step: a complete year-end review of the demo branch that exercises every rule.

Not rated: the exempt member, the member admitted in August, a member transferred in on
1 October (added here) and a member suspended in December. Capped: the disciplined member
(KHTNV) and the member on long sick leave (HTNV). The maternity leave is rated on the time
worked. The quota is respected. The branch scores itself 92/100 and proposes its level; the
committee's decisions are recorded (one proposal lowered by the committee).
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import EventKind, Member, MemberEvent

from .engine import CONDITION_PREFIX, framework_of, level_conditions, quarterly_applies, quarters_due
from .rules import Regulation, regulation_for
from .service import (
    BranchReview,
    ReviewInput,
    branch_level_conditions,
    branch_review,
    save_branch_review,
    save_many,
    year_review,
)


def confirmed(reg: Regulation, level: str, framework=None) -> dict[str, bool]:
    """The branch confirms every condition of ``level`` (the demo's members meet them)."""
    return {CONDITION_PREFIX + c.code: True for c in level_conditions(reg, level, framework)}


def add_register_cases(session: Session, rng: random.Random, year: int, today: dt.date) -> None:
    """Register cases the review exercises (a late transfer in, a suspension); a demo step that runs
    before meetings, ratings and dues so those areas see these members too."""
    moved = Member(full_name="Thạch Thị Sóc Ni", birth_date=dt.date(1991, 7, 14), gender="Nữ", ethnicity="Khmer",
                   card_number="79456123", position="Chuyên viên", holds_leadership_post=False,
                   in_political_system=True)
    moved.events += [
        MemberEvent(kind=EventKind.ADMITTED, date=dt.date(2016, 5, 19)),
        MemberEvent(kind=EventKind.MADE_FULL, date=dt.date(2017, 5, 19)),
        MemberEvent(kind=EventKind.TRANSFER_IN, date=dt.date(year, 10, 1),
                    other_org="Chi bộ Trung tâm Bảo trợ xã hội"),
    ]
    if dt.date(year, 10, 1) <= today:
        session.add(moved)
    members = list(session.scalars(select(Member).order_by(Member.id)))
    plain = [m for m in members[12:] if {e.kind for e in m.events} <= {EventKind.ADMITTED, EventKind.MADE_FULL}]
    if plain and dt.date(year, 12, 1) <= today:
        plain[-1].events.append(MemberEvent(kind=EventKind.SUSPENDED, date=dt.date(year, 12, 1),
                                            reason="Đình chỉ sinh hoạt đảng trong thời gian xem xét kỷ luật"))
    session.flush()


def _points(rng: random.Random, total: float) -> dict[str, float]:
    general = min(30.0, round(total * 0.3 + rng.choice([-1, -0.5, 0, 0.5, 1]), 1))
    return {"general": general, "tasks": round(total - general, 1)}


def populate_review(session: Session, rng: random.Random, year: int, today: dt.date) -> None:
    reg = regulation_for(year)
    review = year_review(session, year)
    rated = [r for r in review.rows if r.elig.rated]
    secretary = rated[0].full_name if rated else ""
    from ..branch import get_branch

    branch = get_branch(session)
    if branch is not None:
        secretary = branch.secretary
    # The best three of the ordinary members (the secretary first), within the quota.
    capped = {r.member_id for r in rated if r.proposal and r.proposal.limit.hits}
    ordinary = [r for r in rated if r.member_id not in capped]
    ordinary.sort(key=lambda r: (r.full_name != secretary, rng.random()))
    n_best = max(1, min(3, reg.quota.maximum({"HTTNV": len(ordinary) - 4})))
    best = {r.member_id for r in ordinary[:n_best]}
    weak = ordinary[-1].member_id if len(ordinary) > n_best + 2 else None
    # The review is held at the year's last regular meeting; its full members present vote.
    from ..meetings.attendance import YearBook
    from .meeting import Vote, review_meeting, set_collective_votes, set_review_meeting

    book = YearBook(session, year)
    held = [m for m in book.meetings if m.kind == "regular" and m.date.month == 12]
    if held:
        set_review_meeting(session, year, held[-1].id)
    rm = review_meeting(session, year)
    voters = rm.voters if rm is not None else sum(
        1 for r in review.rows if r.elig.counted and r.elig.state.status == "full"
        and not r.elig.state.exempt and not r.elig.state.suspended) - 1
    items: dict[int, ReviewInput] = {}
    for r in rated:
        hits = r.proposal.limit.hits if r.proposal else ()
        if r.member_id in best:
            level, total = "HTXSNV", rng.choice([90.5, 92, 93.5, 95])
        elif r.member_id == weak:
            level, total = "HTNV", rng.choice([62, 65.5, 68])
        else:
            level, total = "HTTNV", rng.choice([74, 78.5, 80, 82, 84.5, 86, 88])
        if hits and r.proposal:
            level = min(level, r.proposal.limit.level, key=reg.rank)
            total = {"KHTNV": 58.0, "HTNV": 72.0}.get(level, total)
        flags = confirmed(reg, level, framework_of(reg, r.facts))
        quarters = {}
        if reg.quarterly is not None and r.facts is not None and quarterly_applies(reg, r.facts):
            # Leaders assessed each quarter (QĐ 366; KL 198): the quarters ended by the review date.
            quarters = {q: level if q != 2 or level == "KHTNV" else "HTTNV" for q in quarters_due(r.facts)}
        data = ReviewInput(proposed_level=level, self_level=level if level != "HTXSNV" else "HTXSNV",
                           flags=flags if not hits else {}, votes_for=voters, votes_against=0, voters=voters,
                           comment="", decided_level=level, decision_ref=f"Thông báo số {140 + year % 100}-TB/ĐU",
                           quarters=quarters)
        if reg.scoring is not None:
            data.criteria = _points(rng, total)
        if hits:
            data.comment = "; ".join(h.cap.label for h in hits)
        items[r.member_id] = data
    # The committee lowers one proposal (it applies the quota at its level).
    names = {r.member_id: r.full_name for r in rated}
    lowered = next((i for i in sorted(best) if names[i] != secretary), None)
    if lowered is not None and len(best) > 1:
        items[lowered].decided_level = "HTTNV"
    save_many(session, year, items)

    br: BranchReview = branch_review(session, year)
    share = [0.28 / 0.30, 0.64 / 0.70] if len(br.criteria) == 2 else [0.93, 0.92, 0.9, 0.9]
    for c, f in zip(br.criteria, share * 2, strict=False):
        c.points = round(c.max_points * f)
    diff = 92 - sum(c.points or 0 for c in br.criteria)
    br.criteria[0].points = (br.criteria[0].points or 0) + diff
    br.proposed_level = "HTTNV"
    br.flags = {CONDITION_PREFIX + c.code: True for c in branch_level_conditions(reg, "HTTNV")}
    br.strengths = (
        "Chi bộ lãnh đạo cơ quan hoàn thành tốt nhiệm vụ chính trị được giao; duy trì nền nếp sinh hoạt chi bộ "
        "thường kỳ hằng tháng và sinh hoạt chuyên đề hằng quý; nội dung sinh hoạt gắn với nhiệm vụ chuyên môn.\n"
        "Thực hiện nghiêm việc học tập, quán triệt các chỉ thị, nghị quyết của Đảng; đẩy mạnh học tập và làm theo "
        "tư tưởng, đạo đức, phong cách Hồ Chí Minh; đảng viên giữ gìn phẩm chất, đạo đức, lối sống.")
    br.weaknesses = (
        "Chất lượng sinh hoạt chuyên đề chưa đồng đều; việc kiểm tra, giám sát đảng viên thực hiện nhiệm vụ được "
        "giao có lúc chưa thường xuyên; còn đảng viên vi phạm phải xử lý kỷ luật.")
    br.causes = (
        "Khối lượng công việc chuyên môn lớn, một số đảng viên chưa dành thời gian nghiên cứu tài liệu; chi ủy chưa "
        "chủ động xây dựng chương trình kiểm tra, giám sát chuyên đề.")
    br.remedies = "Đã khắc phục hạn chế về thời gian sinh hoạt chi bộ được chỉ ra ở kỳ kiểm điểm trước."
    br.explanations = ""
    br.responsibility = (
        "Chi ủy chịu trách nhiệm chính về hạn chế trong kiểm tra, giám sát; đồng chí Bí thư chi bộ chịu trách nhiệm "
        "người đứng đầu; các đồng chí chi ủy viên chịu trách nhiệm theo lĩnh vực được phân công.")
    br.directions = (
        "Nâng cao chất lượng sinh hoạt chi bộ, thực hiện đúng thời lượng theo hướng dẫn của cấp trên; tăng cường "
        "kiểm tra, giám sát đảng viên; phấn đấu 100% đảng viên hoàn thành nhiệm vụ trở lên, chi bộ hoàn thành tốt "
        "nhiệm vụ.")
    save_branch_review(session, br)
    if rm is not None:
        set_collective_votes(session, year, {"report": Vote(rm.voters), "level": Vote(rm.voters - 1, 0, 1)})
