"""ORM mappings only. Importing this package registers every table on Base.metadata."""
from .base import Base
from .branch import Branch, Setting
from .dues import DuesPayment, DuesPaymentMonth, DuesRate
from .exchange import KnownBranch, ReceivedFile  # noqa: F401
from .meeting import Attendance, AttendanceStatus, Meeting, MeetingKind, MinutesAmendment, Resolution  # noqa: F401
from .member import DisciplineForm, EventKind, Member, MemberEvent
from .rating import MonthlyRating
from .review import MemberReview, ReviewLog, ReviewYear  # noqa: F401
from .safety import AccessLock, AuditEntry  # noqa: F401  (data safety)

__all__ = ["Base", "Branch", "Setting", "Member", "MemberEvent", "EventKind", "DisciplineForm",
           "MonthlyRating", "DuesRate", "DuesPayment", "DuesPaymentMonth"]
