"""The rules branch meetings follow: settings, the versioned rule file and the minutes templates.

- Settings (`services.settings`): what DOMAIN.md marks [U]/[P] — the quorum and the vote rule.
- `resources/rules/meetings.json`: what a regulation states, versioned by the date it applies from
  (HD 09/2012, HD 12/2018, HD 42/2025): the minimum length of a meeting and the quality criteria.
- `resources/templates/minutes_<kind>.json`: headings and prefilled text of the biên bản. A copy in
  the user's data folder (`templates/`) takes precedence, so a branch can adapt the wording.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models import MeetingKind

from .. import settings
from ..errors import UserError
from ..i18n import N_, _
from ..paths import data_dir, resources_dir
from ..settings import declare

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .attendance import Tally

QUORUM_SHARE = declare(
    "meetings.quorum_share", float, 0.5,
    N_("A meeting is valid when the members present are more than this share of the members expected "
    "(members of the branch on that day; exempt and suspended members left out). Default 0.5: more "
    "than half. No central rule fixes the quorum of a branch meeting; the upper committee may set it."),
    minimum=0.0, maximum=1.0,
)
VOTE_BASE = declare(
    "meetings.vote_base", str, "all_full",
    N_("What the votes in favour of a resolution are counted against: 'all_full' (default) = all full "
    "members expected at the meeting (exempt and suspended left out), 'present_full' = the full "
    "members present. Only full members vote."),
    choices=("all_full", "present_full"),
)
VOTE_SHARE = declare(
    "meetings.vote_share", float, 0.5,
    N_("A resolution is adopted when the votes in favour are more than this share of the base above. "
    "Default 0.5: more than half (Party Charter)."),
    minimum=0.0, maximum=1.0,
)

RULES_FILE = "rules/meetings.json"
TEMPLATE_FILES = {
    MeetingKind.REGULAR: "minutes_regular.json",
    MeetingKind.THEMATIC: "minutes_thematic.json",
    MeetingKind.EXTRAORDINARY: "minutes_extraordinary.json",
}


@dataclass(frozen=True)
class QualityRule:
    """Tiêu chí một buổi sinh hoạt có chất lượng (HD 12-HD/BTCTW 2018)."""

    attendance_above_pct: float   # attendance strictly above this percentage
    max_unexcused: int            # at most this many absent without reason
    max_excused_in_a_row: int     # nobody absent with reason more than this many times in a row in the year


@dataclass(frozen=True)
class MeetingRules:
    start: dt.date
    source: str
    min_minutes: int | None
    min_minutes_with_thematic: int | None
    quality: QualityRule | None
    quality_source: str = ""     # the document the quality criteria come from

    def minimum_minutes(self, with_thematic: bool) -> int | None:
        return self.min_minutes_with_thematic if with_thematic else self.min_minutes


@dataclass(frozen=True)
class RemovalRule:
    """When the branch must consider removal (xóa tên): unexcused absence in N months of a year.

    The one rule the meetings reminder, the committee's statistics and the year-end review sheet all
    read: it counts the months of the year with an absence without reason, not the absences."""

    unexcused_months: int
    source: str

    def applies(self, months: Collection[int]) -> bool:
        """Whether absences without reason in these months of a year (each month once) reach the rule."""
        return len(set(months)) >= self.unexcused_months


@functools.cache
def _rules_data() -> dict[str, Any]:
    path = resources_dir() / RULES_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(_("The rule file {path} is missing or damaged.").format(path=path)) from exc


@functools.cache
def rule_versions() -> tuple[MeetingRules, ...]:
    out = []
    for v in _rules_data()["versions"]:
        q = v.get("quality")
        out.append(MeetingRules(
            start=dt.date.fromisoformat(v["from"]),
            source=v.get("source", ""),
            min_minutes=v.get("min_minutes"),
            min_minutes_with_thematic=v.get("min_minutes_with_thematic"),
            quality=QualityRule(float(q["attendance_above_pct"]), int(q["max_unexcused"]),
                                int(q["max_excused_in_a_row"])) if q else None,
            quality_source=v.get("quality_source") or v.get("source", ""),
        ))
    return tuple(sorted(out, key=lambda r: r.start))


def rules_on(day: dt.date) -> MeetingRules | None:
    """The rules in force on `day` (None before the oldest version)."""
    current = None
    for r in rule_versions():
        if r.start <= day:
            current = r
    return current


def removal_rule() -> RemovalRule:
    data = _rules_data().get("removal_consideration") or {}
    return RemovalRule(int(data.get("unexcused_months_in_year", 3)), data.get("source", ""))


VOTE_KINDS = ("resolution", "make_full", "admission")


@dataclass(frozen=True)
class VoteRule:
    """What a kind of vote counts against: a share of the full members ("all_full": all expected, exempt
    and suspended left out; "present_full": those present), strictly more than it or at least it."""

    kind: str
    label: str           # "Công nhận đảng viên chính thức"
    share: Fraction
    at_least: bool
    base: str
    threshold: str       # "quá nửa", "hai phần ba": how the minutes say the rule
    source: str

    def base_count(self, tally: Tally) -> int:
        return tally.full_expected if self.base == "all_full" else tally.full_present

    def passes(self, in_favour: int, tally: Tally) -> bool:
        base = self.base_count(tally)
        if base <= 0:
            return False
        need = self.share * base
        return in_favour >= need if self.at_least else in_favour > need


def _votes_data() -> dict[str, Any]:
    return _rules_data().get("votes") or {}


def vote_label(kind: str) -> str:
    return str((_votes_data().get(kind) or {}).get("label", kind))


def vote_rule(session: Session, kind: str) -> VoteRule:
    """The rule of a kind of vote: the Charter's two thirds for admission and making a member full; for a
    resolution, the share and base set in the settings (by default more than half of all full members)."""
    data = _votes_data().get(kind)
    if kind not in VOTE_KINDS or data is None:
        raise UserError(_("Unknown kind of vote: {kind}.").format(kind=kind))
    if kind == "resolution":
        share = Fraction(str(settings.get(session, VOTE_SHARE.key))).limit_denominator(1000)
        threshold = data.get("threshold", "") if share == Fraction(1, 2) else \
            _("more than {share}").format(share=f"{float(share) * 100:g}%".replace(".", ","))
        return VoteRule(kind, data.get("label", ""), share, False, settings.get(session, VOTE_BASE.key), threshold,
                        data.get("source", ""))
    num, den = data["share"]
    return VoteRule(kind, data.get("label", ""), Fraction(num, den), bool(data.get("at_least", True)),
                    data.get("base", "all_full"), data.get("threshold", ""), data.get("source", ""))


def template_path(kind: str) -> Path:
    name = TEMPLATE_FILES[MeetingKind(kind)]
    own = data_dir() / "templates" / name
    return own if own.is_file() else resources_dir() / "templates" / name


def load_template(kind: str) -> dict[str, Any]:
    """The minutes template for a kind of meeting (the user's copy if there is one)."""
    path = template_path(kind)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sections = data["sections"]
        if not isinstance(sections, list) or not all("key" in s and "title" in s for s in sections):
            raise ValueError("sections")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(_("The minutes template {path} is missing or damaged.").format(path=path)) from exc
    return data


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: dict[str, str]) -> str:
    """Put the meeting's details into a template text; unknown {names} and stray braces stay as typed."""
    try:
        return text.format_map(_Blank(values))
    except (ValueError, IndexError, AttributeError):
        return text
