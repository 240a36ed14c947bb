"""Sinh hoạt chi bộ: meetings, attendance, minutes, votes, finalising and amendments, reminders.

Other areas call (see the functions' docstrings):
    attendance_by_month(session, year, kinds=None) -> dict[(member_id, month), AttendanceSummary]
    attendance_for_year(session, member_id, year) -> MemberYearAttendance
    meetings_of_year(session, year) -> list[MeetingSummary]

Importing this package registers the meeting reminders with `services.reminders`.
"""
from . import reminders as _reminders  # noqa: F401  (registers the @rule functions)
from .attendance import (
    Absence,
    AttendanceSummary,
    MemberYearAttendance,
    Quality,
    Roster,
    RosterRow,
    Tally,
    YearBook,
    attendance_by_month,
    attendance_for_year,
    mark_all_present,
    roster,
    set_attendance,
    year_statistics,
)
from .records import (
    KIND_LABELS,
    STATUS_LABELS,
    AmendmentInput,
    MeetingInput,
    MeetingSummary,
    ResolutionInput,
    amend_minutes,
    check_meeting,
    check_resolution,
    create_meeting,
    delete_meeting,
    delete_resolution,
    document_number,
    finalise_check,
    finalise_meeting,
    find_meetings_on,
    format_time,
    get_meeting,
    kind_label,
    meetings_of_year,
    minutes_title,
    parse_speakers,
    parse_time,
    printed_number,
    save_resolution,
    section_label,
    sections_of,
    set_meeting_notes,
    set_sections,
    speakers_text,
    suggested_input,
    summary_of,
    update_meeting,
)
from .rules import VOTE_KINDS, vote_label, vote_rule

__all__ = [
    "Absence", "AttendanceSummary", "MemberYearAttendance", "Quality", "Roster", "RosterRow", "Tally",
    "YearBook", "attendance_by_month", "attendance_for_year", "mark_all_present", "roster", "set_attendance", "year_statistics",
    "KIND_LABELS", "STATUS_LABELS", "AmendmentInput", "MeetingInput", "MeetingSummary", "ResolutionInput",
    "amend_minutes", "check_meeting", "check_resolution", "create_meeting", "delete_meeting",
    "delete_resolution", "document_number", "finalise_check", "finalise_meeting", "find_meetings_on",
    "format_time", "get_meeting", "kind_label", "meetings_of_year", "minutes_title", "parse_time",
    "save_resolution", "section_label", "sections_of", "set_sections", "suggested_input", "summary_of",
    "update_meeting", "VOTE_KINDS", "vote_label", "vote_rule", "parse_speakers", "printed_number", "set_meeting_notes", "speakers_text",
]
