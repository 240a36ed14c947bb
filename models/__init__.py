"""ORM mappings only. Importing this package registers every table on Base.metadata."""
from .base import Base
from .branch import Branch, Setting
from .meeting import Attendance, AttendanceStatus, Meeting, MeetingKind, MinutesAmendment, Resolution  # noqa: F401
from .member import DisciplineForm, EventKind, Member, MemberEvent

__all__ = ["Base", "Branch", "Setting", "Member", "MemberEvent", "EventKind", "DisciplineForm"]
