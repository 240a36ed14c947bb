"""ORM mappings only. Importing this package registers every table on Base.metadata."""
from .base import Base
from .branch import Branch, Setting
from .member import DisciplineForm, EventKind, Member, MemberEvent
from .review import MemberReview, ReviewLog, ReviewYear  # noqa: F401

__all__ = ["Base", "Branch", "Setting", "Member", "MemberEvent", "EventKind", "DisciplineForm"]
