"""Buổi sinh hoạt chi bộ: creating, editing and listing meetings; the minutes text; resolutions
and votes; finalising the minutes and amending them afterwards."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from models import Meeting, MeetingKind, MinutesAmendment, Resolution

from .. import settings
from ..branch import get_branch
from ..errors import ChangedElsewhereError, ValidationError
from ..i18n import N_, _, format_date, long_date
from ..members import Check, Problem
from ..settings import DOCUMENT_SYMBOL
from ..vntext import clean_name, nfc
from .attendance import (
    Quality,
    Tally,
    YearBook,
    drop_stale_attendance,
    editable_meeting,
    get_meeting,
    load_meetings,
    quorum_share,
)
from .rules import VOTE_KINDS, fill, load_template, rules_on, vote_rule

KIND_LABELS = {
    MeetingKind.REGULAR: N_("Regular"),
    MeetingKind.THEMATIC: N_("Thematic"),
    MeetingKind.EXTRAORDINARY: N_("Extraordinary"),
}
STATUS_LABELS = {
    "present": N_("Present"),
    "excused": N_("Absent with reason"),
    "unexcused": N_("Absent without reason"),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
NBSP = "\u00a0"
NEXT_TASKS_KEY = "next_tasks"


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[MeetingKind(kind)])


# --- times -------------------------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[:hHgG.]\s*(\d{1,2})?\s*(?:p|ph|phút)?)?\s*$")


def parse_time(text: str) -> dt.time | None:
    """Read 14:00, 14h, 14h30, 14g30, 14.30 or 1430. None if empty or not a time."""
    text = nfc(text).lower()
    if not text:
        return None
    if text.isdigit() and len(text) in (3, 4):
        text = f"{text[:-2]}:{text[-2:]}"
    m = _TIME.match(text)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def format_time(value: dt.time | None) -> str:
    return "" if value is None else f"{value.hour:02d}:{value.minute:02d}"


def spoken_time(value: dt.time | None) -> str:
    """14 giờ 00 phút, as minutes write it."""
    return "" if value is None else f"{value.hour} giờ {value.minute:02d} phút"


def duration_minutes(meeting_or_input: Any) -> int | None:
    start, end = meeting_or_input.start_time, meeting_or_input.end_time
    if start is None or end is None:
        return None
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


# --- input and validation ----------------------------------------------------------------------

@dataclass
class MeetingInput:
    """What the new-meeting dialog (or the demo) gives for a meeting."""

    kind: str
    date: dt.date | None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    topic: str = ""
    place: str = ""
    chair_name: str = ""
    chair_title: str = ""
    secretary_name: str = ""
    secretary_title: str = ""
    guests: str = ""
    number: int | None = None
    representative: str = ""        # đại diện cấp ủy cấp trên dự
    temporary_members: str = ""     # đảng viên sinh hoạt tạm thời dự, one name a line

    def normalised(self) -> MeetingInput:
        return MeetingInput(
            kind=self.kind, date=self.date, start_time=self.start_time, end_time=self.end_time,
            topic=nfc(self.topic), place=nfc(self.place),
            chair_name=clean_name(self.chair_name), chair_title=nfc(self.chair_title),
            secretary_name=clean_name(self.secretary_name), secretary_title=nfc(self.secretary_title),
            guests=nfc(self.guests), number=self.number, representative=nfc(self.representative).strip(),
            temporary_members="\n".join(clean_name(n) for n in nfc(self.temporary_members).splitlines()
                                        if clean_name(n)),
        )

    @property
    def has_thematic_part(self) -> bool:
        return self.kind == MeetingKind.THEMATIC or (self.kind == MeetingKind.REGULAR and bool(nfc(self.topic)))


def input_of(meeting: Meeting) -> MeetingInput:
    return MeetingInput(
        kind=meeting.kind, date=meeting.date, start_time=meeting.start_time, end_time=meeting.end_time,
        topic=meeting.topic, place=meeting.place, chair_name=meeting.chair_name,
        chair_title=meeting.chair_title, secretary_name=meeting.secretary_name,
        secretary_title=meeting.secretary_title, guests=meeting.guests, number=meeting.number,
        representative=meeting.representative, temporary_members=meeting.temporary_members,
    )


def duration_warning(data: MeetingInput) -> str | None:
    """A sentence when the meeting is shorter than the rules in force on its date ask (never blocks)."""
    minutes = duration_minutes(data)
    rules = rules_on(data.date) if data.date else None
    if minutes is None or rules is None or minutes <= 0:
        return None
    need = rules.minimum_minutes(data.has_thematic_part)
    if need is None or minutes >= need:
        return None
    if data.has_thematic_part:
        return _("The meeting lasts {minutes} minutes; with a thematic part it should last at least {need} "
                 "minutes ({source}).").format(minutes=minutes, need=need, source=rules.source)
    return _("The meeting lasts {minutes} minutes; it should last at least {need} minutes ({source}).").format(
        minutes=minutes, need=need, source=rules.source)


# A meeting is entered on its day, afterwards, or planned for the coming weeks. A date further ahead than
# this is asked about before it is saved; a year after next is a typing mistake (2030 for 2025) and refused.
CONFIRM_AHEAD_DAYS = 42


def date_ahead_problems(day: dt.date, today: dt.date) -> tuple[list[str], list[str]]:
    """(refusals, to confirm) of a meeting dated `day` entered on `today`."""
    if day.year > today.year + 1:
        return [_("The date {date} is in {year}, years from now: check the year (a meeting is entered on its "
                  "day or planned for the coming weeks).").format(date=format_date(day), year=day.year)], []
    ahead = (day - today).days
    if ahead > CONFIRM_AHEAD_DAYS:
        return [], [_("The date {date} is {days} days from today. Is this meeting really planned that far "
                      "ahead? Check the month and the year.").format(date=format_date(day), days=ahead)]
    return [], []


def check_meeting(session: Session, data: MeetingInput, editing_id: int | None = None,
                  today: dt.date | None = None) -> Check:
    """Problems with a meeting's details. Warnings (length, a second meeting in the month) never block;
    a date far ahead of `today` is in `confirm`, and refused after next year."""
    d = data.normalised()
    check = Check()
    err, warn = check.errors.append, check.warnings.append
    if d.date is not None and today is not None:
        refusals, confirm = date_ahead_problems(d.date, today)
        check.errors.extend(Problem("date", m) for m in refusals)
        check.confirm.extend(Problem("date", m) for m in confirm)
    if d.kind not in set(MeetingKind):
        err(Problem("kind", _("Choose the kind of meeting.")))
    if d.date is None:
        err(Problem("date", _("Enter the date of the meeting.")))
    if d.kind == MeetingKind.THEMATIC and not d.topic:
        err(Problem("topic", _("Enter the topic of the thematic meeting.")))
    if d.start_time and d.end_time and d.end_time <= d.start_time:
        err(Problem("end_time", _("The end time must be after the start time.")))
    if d.number is not None and d.number < 1:
        err(Problem("number", _("The document number must be 1 or more.")))
    if len(d.topic) > 300 or len(d.place) > 200:
        err(Problem("topic", _("The topic or the place is too long.")))
    if len(d.representative) > 300:
        err(Problem("representative", _("The superior committee's representative is too long.")))
    if editing_id is not None:
        current = session.get(Meeting, editing_id)
        if current is not None and current.finalized_at is not None:
            err(Problem("date", _("The minutes of this meeting are finalised; correct them with an amendment.")))
    if d.date is None:
        return check
    warning = duration_warning(d)
    if warning:
        warn(Problem("end_time", warning))
    for other in load_meetings(session, d.date.year):
        if other.id == editing_id:
            continue
        if d.kind == MeetingKind.REGULAR and other.kind == MeetingKind.REGULAR and \
                other.date.month == d.date.month:
            warn(Problem("date", _("Month {month}/{year} already has a regular meeting, on {date}.").format(
                month=d.date.month, year=d.date.year, date=format_date(other.date))))
        elif other.date == d.date and other.kind == d.kind:
            warn(Problem("date", _("A meeting of this kind is already recorded on {date}.").format(
                date=format_date(d.date))))
        if d.number is not None and other.number == d.number:
            err(Problem("number", _("Number {number} is already used by the minutes of {date}.").format(
                number=d.number, date=format_date(other.date))))
    return check


# --- minutes text ------------------------------------------------------------------------------

def _previous_with_tasks(session: Session, before: dt.date, exclude: int | None = None) -> Meeting | None:
    """The latest regular meeting before `before` whose next month's tasks were written."""
    candidates = [m for m in load_meetings(session, None)
                  if m.date < before and m.id != exclude and m.kind == MeetingKind.REGULAR]
    for m in reversed(candidates):
        if section_text(m, NEXT_TASKS_KEY).strip():
            return m
    return None


def fill_values(session: Session, data: MeetingInput | Meeting, previous: Meeting | None = None) -> dict[str, str]:
    """The values a minutes template can use: {month}, {year}, {chair}… (see minutes_regular.json)."""
    branch = get_branch(session)
    day = data.date
    assert day is not None
    values = {
        "month": str(day.month), "year": str(day.year), "quarter": ROMAN[(day.month - 1) // 3 + 1],
        "date": long_date(day), "date_short": f"ngày {format_date(day)}",
        "start": spoken_time(data.start_time), "end": spoken_time(data.end_time),
        "place": data.place, "branch": branch.name if branch else "",
        "chair": data.chair_name, "secretary": data.secretary_name, "topic": data.topic,
        "previous_date": "", "previous_tasks": "",
    }
    if previous is not None:
        values["previous_date"] = format_date(previous.date)
        values["previous_tasks"] = section_text(previous, NEXT_TASKS_KEY).strip()
    return values


def new_minutes(session: Session, data: MeetingInput, editing_id: int | None = None) -> dict[str, Any]:
    """The minutes of a new meeting, prefilled from the template of its kind.

    Last regular meeting's "phương hướng, nhiệm vụ tháng tới" is carried into the review of tasks.
    """
    template = load_template(data.kind)
    assert data.date is not None
    previous = _previous_with_tasks(session, data.date, editing_id) if template.get("previous_tasks") else None
    values = fill_values(session, data, previous)
    carried = fill(template.get("previous_tasks", ""), values) if previous is not None else ""
    values["previous_tasks"] = carried
    sections = []
    for s in template["sections"]:
        source = s.get("text", "")
        sections.append({
            "key": s["key"], "part": s.get("part", ""), "title": s["title"], "block": s.get("block", ""),
            "source": source, "text": fill(source, values),
        })
    return {
        "template": data.kind,
        "title": template.get("title", ""),
        "title_with_topic": template.get("title_with_topic", template.get("title", "")),
        "intro": template.get("intro", ""),
        "intro_with_topic": template.get("intro_with_topic", template.get("intro", "")),
        "closing": template.get("closing", ""),
        "conclusion_title": template.get("conclusion_title", ""),
        "sections": sections,
    }


def sections_of(meeting: Meeting) -> list[dict[str, Any]]:
    return list((meeting.minutes or {}).get("sections", []))


def section_text(meeting: Meeting, key: str) -> str:
    return next((s.get("text", "") for s in sections_of(meeting) if s.get("key") == key), "")


def section_label(meeting: Meeting, key: str) -> str:
    """The section's heading as written in the minutes ("Phương hướng, nhiệm vụ tháng tới…"). Numbers are
    left out: the printed minutes number only the sections that have text."""
    return next((s.get("title", "") for s in sections_of(meeting) if s.get("key") == key), key)


def minutes_title(meeting: Meeting) -> str:
    """The subject line: "Sinh hoạt chi bộ thường kỳ tháng 5 năm 2025"."""
    mins = meeting.minutes or {}
    fmt = mins.get("title_with_topic") if meeting.topic else mins.get("title")
    values = {"month": str(meeting.date.month), "year": str(meeting.date.year),
              "quarter": ROMAN[(meeting.date.month - 1) // 3 + 1], "date_short": f"ngày {format_date(meeting.date)}",
              "topic": meeting.topic}
    return fill(fmt or "", values)


def set_sections(session: Session, meeting_id: int, texts: dict[str, str]) -> None:
    """Save the text of the minutes' sections (keys not in the minutes are refused)."""
    meeting = editable_meeting(session, meeting_id)
    mins = dict(meeting.minutes or {})
    sections = [dict(s) for s in mins.get("sections", [])]
    keys = {s["key"] for s in sections}
    unknown = set(texts) - keys
    if unknown:
        raise ValidationError(_("Unknown section of the minutes: {keys}.").format(keys=", ".join(sorted(unknown))))
    for s in sections:
        if s["key"] in texts:
            s["text"] = _clean_text(texts[s["key"]])
    mins["sections"] = sections
    meeting.minutes = mins
    session.flush()


def _clean_text(text: str) -> str:
    """NFC, Windows line ends made plain, trailing spaces dropped; inner line breaks kept."""
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


# --- meetings ----------------------------------------------------------------------------------

def default_title(session: Session, name: str) -> str:
    """'Bí thư Chi bộ' for the branch's secretary, 'Phó Bí thư Chi bộ' for the deputy, else ''."""
    branch = get_branch(session)
    if branch is None or not name:
        return ""
    if clean_name(name) == branch.secretary:
        return "Bí thư Chi bộ"
    if clean_name(name) == branch.deputy_secretary:
        return "Phó Bí thư Chi bộ"
    return ""


def suggested_input(session: Session, kind: str, on: dt.date) -> MeetingInput:
    """What the new-meeting dialog starts with: the last meeting's times, place and minute-taker,
    the branch secretary presiding."""
    branch = get_branch(session)
    meetings = load_meetings(session, None)
    last = meetings[-1] if meetings else None
    chair = branch.secretary if branch else ""
    return MeetingInput(
        kind=kind, date=on,
        start_time=last.start_time if last else dt.time(14, 0),
        end_time=last.end_time if last else dt.time(16, 0),
        place=last.place if last else "",
        chair_name=chair, chair_title=default_title(session, chair),
        secretary_name=last.secretary_name if last else "",
        secretary_title=last.secretary_title if last else "",
    )


def _refuse(check: Check, confirmed: bool) -> None:
    """Raise the errors of `check`, and what needs confirming unless the user `confirmed` it."""
    problems = [p.message for p in check.errors]
    if not confirmed:
        problems += [p.message for p in check.confirm]
    if problems:
        raise ValidationError(problems)


def create_meeting(session: Session, data: MeetingInput, today: dt.date | None = None,
                   confirmed: bool = False) -> Meeting:
    """Record a new meeting. `today` (default: the computer's date) decides whether the date is too far
    ahead; a date that needs confirming is saved only when `confirmed`."""
    check = check_meeting(session, data, today=today or dt.date.today())
    _refuse(check, confirmed)
    d = data.normalised()
    meeting = Meeting(date=d.date, kind=d.kind)
    _apply(meeting, d)
    meeting.minutes = new_minutes(session, d)
    session.add(meeting)
    session.flush()
    return meeting


def _apply(meeting: Meeting, d: MeetingInput) -> None:
    for attr in ("date", "kind", "start_time", "end_time", "topic", "place", "chair_name", "chair_title",
                 "secretary_name", "secretary_title", "guests", "number", "representative", "temporary_members"):
        setattr(meeting, attr, getattr(d, attr))


def update_meeting(session: Session, meeting_id: int, data: MeetingInput, today: dt.date | None = None,
                   confirmed: bool = False, seen: MeetingInput | None = None) -> list[str]:
    """Change a meeting's details. Sections still as the template wrote them follow the new details
    (e.g. a new minute-taker's name). Returns the names whose attendance was dropped because they were
    not members of the branch on a new date. `today`, `confirmed`: as for `create_meeting`.
    `seen`: the details the dialog showed when it opened (`input_of`); when they were changed since (another
    window, another computer), the save is refused instead of overwriting that change."""
    from ..db import take_write_lock

    take_write_lock(session)   # the checks below and the write see one state
    meeting = editable_meeting(session, meeting_id)
    if seen is not None:
        session.refresh(meeting)
        if input_of(meeting) != seen:
            raise ChangedElsewhereError(_(
                "The meeting of {date} was changed elsewhere (another window or another computer) since this "
                "window showed it; your changes were not saved. Close the window, open the meeting again and "
                "redo them.").format(date=format_date(meeting.date)))
    check = check_meeting(session, data, editing_id=meeting_id, today=today or dt.date.today())
    _refuse(check, confirmed)
    d = data.normalised()
    if d.kind != meeting.kind:
        raise ValidationError(_("The kind of a meeting cannot be changed; delete it and create it again."))
    old_values = fill_values(session, meeting)
    old_date = meeting.date
    _apply(meeting, d)
    new_values = fill_values(session, meeting)
    mins = dict(meeting.minutes or {})
    sections = []
    for s in mins.get("sections", []):
        s = dict(s)
        source = s.get("source", "")
        if source and "{previous_tasks}" not in source and s.get("text") == fill(source, old_values):
            s["text"] = fill(source, new_values)
        sections.append(s)
    mins["sections"] = sections
    meeting.minutes = mins
    dropped = drop_stale_attendance(session, meeting) if meeting.date != old_date else []
    session.flush()
    return dropped


def delete_meeting(session: Session, meeting_id: int) -> None:
    """Delete a meeting entered by mistake, with its attendance and minutes. Finalised minutes stay."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return
    if meeting.finalized_at is not None:
        raise ValidationError(_("Finalised minutes cannot be deleted."))
    session.delete(meeting)
    session.flush()


# --- resolutions and votes ---------------------------------------------------------------------

@dataclass
class ResolutionInput:
    text: str
    in_favour: int = 0
    against: int = 0
    other: int = 0
    other_opinions: str = ""
    kind: str = "resolution"        # resolution | make_full | admission (see rules.VOTE_KINDS)


def vote_base_count(session: Session, tally: Tally, kind: str = "resolution") -> int:
    """How many full members the votes of this kind count against."""
    return vote_rule(session, kind).base_count(tally)


def adopted(session: Session, tally: Tally, in_favour: int, kind: str = "resolution") -> bool:
    """A resolution: more than the vote share (default half) of the base (default all full members
    expected); making a member full or admitting one: at least two thirds of the full members (Charter)."""
    return vote_rule(session, kind).passes(in_favour, tally)


def check_resolution(data: ResolutionInput, voters: int) -> Check:
    """Votes are counted among the full members present (`voters`)."""
    check = Check()
    if data.kind not in VOTE_KINDS:
        check.errors.append(Problem("kind", _("Choose what the vote is on.")))
    if not nfc(data.text):
        check.errors.append(Problem("text", _("Enter what was put to the vote.")))
    if min(data.in_favour, data.against, data.other) < 0:
        check.errors.append(Problem("in_favour", _("Vote counts cannot be negative.")))
    total = data.in_favour + data.against + data.other
    if total > voters:
        check.errors.append(Problem("in_favour", _(
            "{total} votes were counted but only {voters} full members are present; only full members vote."
        ).format(total=total, voters=voters)))
    elif total < voters:
        check.warnings.append(Problem("in_favour", _(
            "{total} votes counted for {voters} full members present."
        ).format(total=total, voters=voters)))
    return check


def _tally(session: Session, meeting: Meeting) -> Tally:
    return YearBook(session, meeting.date.year).tally(meeting)


def resolution_input_of(res: Resolution) -> ResolutionInput:
    """A stored vote as the vote dialog shows it."""
    return ResolutionInput(res.text or "", res.in_favour or 0, res.against or 0, res.other or 0,
                           res.other_opinions or "", kind=res.kind or "resolution")


def save_resolution(session: Session, meeting_id: int, data: ResolutionInput,
                    resolution_id: int | None = None, seen: ResolutionInput | None = None) -> Resolution:
    """Record a new vote of the meeting, or change vote `resolution_id`.

    `seen`: the vote as the dialog showed it when it opened (`resolution_input_of`); when it was changed
    since (another window, another computer), the save is refused instead of overwriting that change."""
    if seen is not None:
        from ..db import take_write_lock

        take_write_lock(session)   # the check below and the write see one state
    meeting = editable_meeting(session, meeting_id)
    if seen is not None and resolution_id is not None:
        stored = session.get(Resolution, resolution_id, populate_existing=True)
        if stored is not None and stored.meeting_id == meeting_id and resolution_input_of(stored) != seen:
            raise ChangedElsewhereError(_(
                "This vote was changed elsewhere (another window or another computer) since this window showed "
                "it; your changes were not saved. Close the window, open the vote again and redo it."))
    check = check_resolution(data, _tally(session, meeting).full_present)
    if not check.ok:
        raise ValidationError([p.message for p in check.errors])
    if resolution_id is None:
        res = Resolution(position=len(meeting.resolutions) + 1)
        meeting.resolutions.append(res)
    else:
        found = next((r for r in meeting.resolutions if r.id == resolution_id), None)
        if found is None:
            raise ValidationError(_("This resolution no longer exists."))
        res = found
    res.text = _clean_text(data.text)
    res.kind = data.kind
    res.in_favour, res.against, res.other = data.in_favour, data.against, data.other
    res.other_opinions = _clean_text(data.other_opinions)
    session.flush()
    return res


def delete_resolution(session: Session, meeting_id: int, resolution_id: int) -> None:
    meeting = editable_meeting(session, meeting_id)
    res = next((r for r in meeting.resolutions if r.id == resolution_id), None)
    if res is not None:
        meeting.resolutions.remove(res)
    session.flush()


# --- finalise and amend ------------------------------------------------------------------------

def finalise_check(session: Session, meeting_id: int, today: dt.date) -> Check:
    """What stops the minutes from being finalised (errors) and what the secretary should look at."""
    meeting = get_meeting(session, meeting_id)
    book = YearBook(session, meeting.date.year)
    m = book.meeting(meeting_id)
    assert m is not None
    check = Check()
    err, warn = check.errors.append, check.warnings.append
    if m.finalized_at is not None:
        err(Problem("", _("The minutes are already finalised.")))
    if m.date > today:
        err(Problem("date", _("The meeting has not taken place yet.")))
    if not m.chair_name:
        err(Problem("chair_name", _("Enter who presided over the meeting.")))
    if not m.secretary_name:
        err(Problem("secretary_name", _("Enter the minute-taker.")))
    if m.start_time is None or m.end_time is None:
        err(Problem("start_time", _("Enter the start and end times of the meeting.")))
    roster = book.roster(m)
    unrecorded = [r.full_name for r in roster.expected if r.status is None]
    if unrecorded:
        err(Problem("attendance", _("Attendance is not recorded for: {names}.").format(names=", ".join(unrecorded))))
    tally = book.tally(m)
    for i, r in enumerate(m.resolutions, 1):
        if r.in_favour + r.against + r.other > tally.full_present:
            err(Problem("resolutions", _(
                "Resolution {n}: more votes than full members present ({voters})."
            ).format(n=i, voters=tally.full_present)))
    no_reason = [r.full_name for r in roster.expected if r.status == "excused" and not r.reason]
    if no_reason:
        warn(Problem("attendance", _("No reason is written for the absence of: {names}.").format(
            names=", ".join(no_reason))))
    if tally.expected and not tally.valid(quorum_share(session)):
        warn(Problem("attendance", _("Too few members were present for a valid meeting.")))
    warning = duration_warning(input_of(m))
    if warning:
        warn(Problem("end_time", warning))
    return check


def number_for(session: Session, meeting: Meeting, year: list[Meeting] | None = None) -> int:
    """The document number: the stored one, else the meeting's place in its year (the next free one
    if that place is taken). `year` is the year's meetings when the caller has them already."""
    if meeting.number is not None:
        return meeting.number
    if year is None:
        year = load_meetings(session, meeting.date.year)
    taken = {m.number for m in year if m.number is not None and m.id != meeting.id}
    ordinal = 1 + sum(1 for m in year if (m.date, m.id) < (meeting.date, meeting.id))
    return ordinal if ordinal not in taken else max(taken) + 1


def document_number(session: Session, meeting: Meeting) -> str:
    """"Số 05-BB/CB"."""
    symbol = settings.get(session, DOCUMENT_SYMBOL.key)
    return f"Số {number_for(session, meeting):02d}-BB/{symbol}"


def printed_number(session: Session, meeting: Meeting) -> str:
    """The number as the minutes print it: "Số 05-BB/CB" once finalised; a draft has no number yet,
    only the room for it ("Số      -BB/CB")."""
    if meeting.finalized_at is not None:
        return document_number(session, meeting)
    symbol = settings.get(session, DOCUMENT_SYMBOL.key)
    return f"Số {NBSP * 6}-BB/{symbol}"


# --- speakers and the chair's conclusion -------------------------------------------------------

def parse_speakers(text: str) -> list[dict[str, str]]:
    """Speakers written one a line, "Nguyễn Văn An: ý kiến …" (a line without a colon continues the
    previous speaker's words)."""
    out: list[dict[str, str]] = []
    for raw in nfc(text).replace("\r\n", "\n").split("\n"):
        line = raw.strip().lstrip("-+•").strip()
        if not line:
            continue
        name, sep, words = line.partition(":")
        name = clean_name(re.sub(r"^(đồng chí|đ/c)\s+", "", name.strip(), flags=re.I))
        if sep and name and len(name) <= 60:
            out.append({"name": name, "text": words.strip()})
        elif out:
            out[-1]["text"] = (out[-1]["text"] + " " + line).strip()
        else:
            out.append({"name": "", "text": line})
    return out


def speakers_text(speakers: list[dict[str, str]]) -> str:
    """The speakers as the editor shows them, one a line."""
    return "\n".join(f"{s.get('name', '')}: {s.get('text', '')}" if s.get("name") else s.get("text", "")
                     for s in speakers or [])


def set_meeting_notes(session: Session, meeting_id: int, speakers: str, conclusion: str) -> None:
    """Save who spoke (and what they said) and the chair's conclusion."""
    meeting = editable_meeting(session, meeting_id)
    meeting.speakers = parse_speakers(speakers)
    meeting.conclusion = _clean_text(conclusion)
    session.flush()


def finalise_meeting(session: Session, meeting_id: int, by: str, now: dt.datetime, today: dt.date) -> Meeting:
    """Hoàn tất biên bản: from now on the record is read-only; corrections are amendments."""
    check = finalise_check(session, meeting_id, today)
    if not check.ok:
        raise ValidationError([p.message for p in check.errors])
    meeting = get_meeting(session, meeting_id)
    meeting.number = number_for(session, meeting)
    meeting.finalized_at = now.replace(microsecond=0)
    meeting.finalized_by = clean_name(by)
    session.flush()
    return meeting


@dataclass
class AmendmentInput:
    date: dt.date | None
    reason: str
    made_by: str
    texts: dict[str, str] = field(default_factory=dict)   # section key -> corrected text


def amend_minutes(session: Session, meeting_id: int, data: AmendmentInput, today: dt.date) -> MinutesAmendment:
    """Đính chính: correct finalised minutes. The old and new texts are kept and printed on reprint."""
    meeting = get_meeting(session, meeting_id)
    problems = []
    if meeting.finalized_at is None:
        problems.append(_("Only finalised minutes are amended; these can still be edited directly."))
    if data.date is None:
        problems.append(_("Enter the date of the amendment."))
    elif data.date > today:
        problems.append(_("The date of the amendment cannot be in the future."))
    elif data.date < meeting.date:
        problems.append(_("The amendment cannot be dated before the meeting."))
    if not nfc(data.reason):
        problems.append(_("Enter the reason for the amendment."))
    if not clean_name(data.made_by):
        problems.append(_("Enter who makes the amendment."))
    sections = [dict(s) for s in sections_of(meeting)]
    keys = {s["key"] for s in sections}
    unknown = set(data.texts) - keys
    if unknown:
        problems.append(_("Unknown section of the minutes: {keys}.").format(keys=", ".join(sorted(unknown))))
    changes = []
    for s in sections:
        if s["key"] in data.texts:
            new = _clean_text(data.texts[s["key"]])
            if new != s.get("text", ""):
                changes.append({"key": s["key"], "title": section_label(meeting, s["key"]),
                                "old": s.get("text", ""), "new": new})
                s["text"] = new
    if not changes and not problems:
        problems.append(_("Nothing was changed in the minutes."))
    if problems:
        raise ValidationError(problems)
    mins = dict(meeting.minutes)
    mins["sections"] = sections
    meeting.minutes = mins
    amendment = MinutesAmendment(date=data.date, reason=nfc(data.reason), made_by=clean_name(data.made_by),
                                 changes=changes)
    meeting.amendments.append(amendment)
    session.flush()
    return amendment


# --- the year's list ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingSummary:
    """One line of the year's list of meetings."""

    id: int
    date: dt.date
    kind: str
    topic: str
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    tally: Tally
    valid: bool
    quality: Quality | None
    finalized: bool
    finalized_at: dt.datetime | None
    number: int
    duration: int | None
    duration_warning: str | None
    amendments: int
    resolutions: int

    @property
    def kind_text(self) -> str:
        return kind_label(self.kind)


def meetings_of_year(session: Session, year: int) -> list[MeetingSummary]:
    book = YearBook(session, year)
    share = quorum_share(session)
    out = []
    for m in book.meetings:
        tally = book.tally(m)
        out.append(MeetingSummary(
            id=m.id, date=m.date, kind=m.kind, topic=m.topic, start_time=m.start_time, end_time=m.end_time,
            place=m.place, tally=tally, valid=tally.valid(share), quality=book.quality(m),
            finalized=m.finalized_at is not None, finalized_at=m.finalized_at,
            number=number_for(session, m, book.meetings), duration=duration_minutes(m),
            duration_warning=duration_warning(input_of(m)), amendments=len(m.amendments),
            resolutions=len(m.resolutions),
        ))
    return out


def summary_of(session: Session, meeting_id: int) -> MeetingSummary:
    meeting = get_meeting(session, meeting_id)
    return next(s for s in meetings_of_year(session, meeting.date.year) if s.id == meeting_id)


def years_with_meetings(session: Session) -> list[int]:
    return sorted({m.date.year for m in load_meetings(session, None)})


def find_meetings_on(session: Session, day: dt.date, kind: str | None = None) -> list[Meeting]:
    return [m for m in load_meetings(session, day.year) if m.date == day and (kind is None or m.kind == kind)]


def save_minutes(session: Session, meeting_id: int, texts: dict[str, str], notes: dict[str, str]) -> None:
    """What the minutes editor holds: the sections' texts and, when given, who spoke and the conclusion
    (`notes` keys "speakers", "conclusion"; a key left out keeps what is stored)."""
    set_sections(session, meeting_id, texts)
    if notes:
        meeting = get_meeting(session, meeting_id)
        set_meeting_notes(session, meeting_id, notes.get("speakers", speakers_text(meeting.speakers)),
                          notes.get("conclusion", meeting.conclusion))
