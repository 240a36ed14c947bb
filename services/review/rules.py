"""The regulations of the year-end review, read from data files (resources/rules/*.json).

Each file describes one regulation (Quy định) with its implementing guidance (Hướng dẫn): the
years it governs, the four levels as printed, score bands where there is a 100-point scale, the
criteria, the HTXSNV quota, who is not rated, the caps on the level, the form names, and the
source of every rule with a confidence mark (C confirmed, P partly, U not confirmed).

The review of year Y follows the file whose years contain Y (:func:`regulation_for`). Adding the
next regulation is a new file (checked against ``regulation.schema.json`` and by :func:`parse`)
plus its tests. A file with the same ``code`` in the user's data folder (``rules/``) replaces
the program's file, so that an upper committee's own values can be used without a new version.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..i18n import _
from ..paths import data_dir, resources_dir

SCHEMA_FILE = "regulation.schema.json"
FORMAT = 1

# Codes the program knows how to apply; a file naming another code is refused, since the rule
# would otherwise be silently ignored.
NOT_RATED_CODES = ("exempt", "suspended", "new_admission", "new_transfer")
CAP_CODES = ("discipline_in_year", "sick_leave", "political_decline", "under_half_targets", "civil_service_khtnv")
COLLECTIVE_CAP_CODES = ("leader_disciplined",)
# Conditions the program can also check from the register (besides the branch's confirmation).
CONDITION_CHECKS = ("leadership_not_disciplined",)
LEAVE_COUNTS = ("days", "calendar_months")
QUARTER_YEAR_RULES = ("none", "warn_above_best_quarter", "refuse_above_best_quarter")
TEXT_READING = "text"  # the quota's base as the regulation's words say it
FLAG_CAPS = ("political_decline", "under_half_targets", "civil_service_khtnv")
FORM_AUDIENCES = ("all", "no_post", "leader", "outside_system")
# The member's attributes (models.member.Member columns) a rule file may choose a form or a framework by.
MEMBER_ATTRIBUTES = ("holds_leadership_post", "in_political_system")
QUOTA_SCOPES = ("branch", "grassroots_organisation", "similar_role_group")
CONFIDENCES = ("C", "P", "U")


class RuleFileError(UserError):
    """A rule file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Ref:
    """Where a rule comes from: a document and, where known, its article or section."""

    doc: str
    article: str = ""

    def cite(self) -> str:
        """"HD 21-HD/BTCTW, mục II.B.2" """
        return f"{self.doc}, {self.article}" if self.article else self.doc


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    rank: int  # higher is better


@dataclass(frozen=True)
class Condition:
    """An extra condition of a level (QĐ 366 Điều 11: "all tasks done on time"…), confirmed by the branch."""

    code: str
    text: str
    confidence: str = "C"
    ref: Ref | None = None
    check: str = ""        # also checked from the register (CONDITION_CHECKS), e.g. leadership_not_disciplined


@dataclass(frozen=True)
class SubCriterion:
    code: str
    name: str
    max_points: float | None = None   # None: the points are not known (set by the superior's guidance)


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: float | None = None
    task_result: bool = False
    covers: str = ""
    confidence: str = "C"
    items: tuple[SubCriterion, ...] = ()
    items_confidence: str = "C"


@dataclass(frozen=True)
class Band:
    level: str
    min: float
    label: str
    conditions: tuple[Condition, ...]
    ref: Ref
    confidence: str


@dataclass(frozen=True)
class Scoring:
    """A points scale with bands, best band first (QĐ 366: ≥90, 70–<90, 50–<70, <50)."""

    max_points: float
    decimals: int
    bands: tuple[Band, ...]

    def band_for(self, score: float) -> Band:
        for band in self.bands:
            if score >= band.min:
                return band
        return self.bands[-1]

    def level_for(self, score: float) -> str:
        return self.band_for(score).level


@dataclass(frozen=True)
class Quota:
    """At most ``share`` × (number rated at ``base_levels``), rounded down, may be rated ``level``."""

    level: str
    base_levels: tuple[str, ...]
    share: float
    rounding: str
    scope: str
    scope_text: str
    branch_effect: str
    committee_effect: str
    text: str
    ref: Ref
    confidence: str
    note: str = ""
    readings: tuple[QuotaReading, ...] = ()
    reading: str = TEXT_READING       # the reading in use (a setting; the text's by default)

    def base(self, counts: Mapping[str, int]) -> int:
        """The number the share is taken of: those rated at ``base_levels``."""
        return sum(counts.get(code, 0) for code in self.base_levels)

    def maximum(self, counts: Mapping[str, int]) -> int:
        """The largest number allowed at ``level`` given the counts per level (exact arithmetic)."""
        return math.floor(Fraction(str(self.share)) * self.base(counts))

    def reading_of(self, code: str) -> QuotaReading:
        return next((r for r in self.readings if r.code == code), self.readings[0])

    @property
    def current_reading(self) -> QuotaReading:
        return self.reading_of(self.reading)

    def with_reading(self, code: str) -> Quota:
        """The same quota read another way (a reading the file lists; the text's otherwise)."""
        from dataclasses import replace

        r = self.reading_of(code)
        return replace(self, base_levels=r.base_levels, reading=r.code)


@dataclass(frozen=True)
class QuotaReading:
    """One way of reading the quota's base ("20% of those rated HTTNV" / "… of HTXSNV + HTTNV")."""

    code: str
    base_levels: tuple[str, ...]
    label: str
    note: str = ""
    confidence: str = "C"


@dataclass(frozen=True)
class NotRatedRule:
    code: str
    label: str
    ref: Ref
    confidence: str
    months: int = 0
    self_review: bool = False
    setting: str = ""
    note: str = ""

    def label_for(self, months: int | None = None) -> str:
        return self.label.replace("{months}", str(self.months if months is None else months))


@dataclass(frozen=True)
class Cap:
    """The highest level a member may get when the condition holds."""

    code: str
    kind: str           # "register": read from the member's events; "flag": ticked by the branch
    max_level: str
    label: str
    ref: Ref
    confidence: str
    counted_once: bool = False
    min_months: float = 0
    days_per_month: float = 30
    count: str = "days"        # sick leave: "calendar_months" (whole months from each leave's first day) or "days"
    count_note: str = ""
    count_confidence: str = "C"
    min_form: str = ""         # collective cap: the lightest form of discipline that counts ("cảnh cáo")

    @property
    def min_days(self) -> float:
        return self.min_months * self.days_per_month


@dataclass(frozen=True)
class Note:
    code: str
    kind: str
    label: str
    ref: Ref | None
    confidence: str


@dataclass(frozen=True)
class When:
    """Which members something applies to, by their stated attributes: {"in_political_system": False}.

    Empty: every member. An attribute the secretary has not stated (None) is unknown, never assumed."""

    attributes: tuple[tuple[str, bool], ...] = ()

    def answer(self, member: Any) -> bool | None:
        """True / False when the member's stated attributes decide it, None when one still unknown could."""
        unknown = False
        for name, wanted in self.attributes:
            value = getattr(member, name, None)
            if value is None:
                unknown = True
            elif bool(value) != wanted:
                return False
        return None if unknown else True

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _value in self.attributes)


@dataclass(frozen=True)
class FormSpec:
    code: str
    name: str
    audience: str
    title: str
    subject: str = ""
    confidence: str = "C"
    when: When = When()


@dataclass(frozen=True)
class Collective:
    """How the branch itself is assessed: criteria with points (editable per year), optional bands."""

    scoring: Scoring | None
    criteria: tuple[Criterion, ...]
    max_points: float
    criteria_confidence: str
    criteria_note: str
    notes: tuple[Note, ...]
    requirements: Mapping[str, tuple[Condition, ...]] = field(default_factory=dict)  # years without bands
    caps: tuple[Cap, ...] = ()
    leadership_posts: tuple[str, ...] = ()   # Party posts of the branch's leadership (bí thư, chi ủy viên…)
    framework: Framework | None = None


@dataclass(frozen=True)
class Framework:
    """A criteria framework (khung tiêu chí, QĐ 366 phụ lục): its groups with sub-criteria, the members it is
    for (``when``; None: never chosen by the program), and extra conditions per level."""

    code: str
    name: str
    annex: str
    when: When | None
    criteria: tuple[Criterion, ...]
    conditions: Mapping[str, tuple[Condition, ...]]
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class Quarterly:
    """Quarterly assessments (đánh giá hằng quý) and how the year's level takes them into account."""

    when: When
    text: str
    ref: Ref
    confidence: str
    year_rule: str            # QUARTER_YEAR_RULES
    year_rule_text: str
    year_rule_confidence: str


@dataclass(frozen=True)
class Doubt:
    """A rule applied with a default because its text could not be confirmed."""

    text: str
    confidence: str   # "P" partly confirmed, "U" not confirmed
    cite: str


@dataclass(frozen=True)
class Guidance:
    code: str
    date: dt.date
    title: str
    confidence: str


@dataclass(frozen=True)
class Regulation:
    code: str
    short_name: str
    title: str
    issued: dt.date
    year_from: int | None
    year_to: int | None
    note: str
    guidance: tuple[Guidance, ...]
    levels: tuple[Level, ...]
    levels_ref: Ref | None
    criterion_grades: tuple[str, ...]
    scoring: Scoring | None
    criteria: tuple[Criterion, ...]
    criteria_confidence: str
    requirements: Mapping[str, tuple[Condition, ...]]
    quota: Quota
    not_rated: tuple[NotRatedRule, ...]
    caps: tuple[Cap, ...]
    notes: tuple[Note, ...]
    collective: Collective
    self_review_forms: tuple[FormSpec, ...]
    collective_report: FormSpec
    self_review_sections: tuple[str, ...]
    source: Path | None = None
    sources: tuple[str, ...] = field(default=())
    frameworks: tuple[Framework, ...] = ()
    quarterly: Quarterly | None = None

    # --- levels ------------------------------------------------------------------------------
    def level(self, code: str) -> Level:
        for lv in self.levels:
            if lv.code == code:
                return lv
        raise KeyError(code)

    @property
    def level_codes(self) -> list[str]:
        """Best first."""
        return [lv.code for lv in sorted(self.levels, key=lambda lv: -lv.rank)]

    def level_name(self, code: str) -> str:
        return self.level(code).name

    def rank(self, code: str) -> int:
        return self.level(code).rank

    @property
    def lowest(self) -> str:
        return self.level_codes[-1]

    def parse_level(self, text: str) -> str | None:
        """A level from its code ("HTTNV") or its full name, ignoring case, marks and spacing."""
        from ..vntext import fold

        key = fold(text).replace(" ", "").replace(".", "")
        for lv in self.levels:
            if key in (fold(lv.code).replace(" ", ""), fold(lv.name).replace(" ", "")):
                return lv.code
        return None

    # --- the rest ----------------------------------------------------------------------------
    def applies_to(self, year: int) -> bool:
        return (self.year_from is None or year >= self.year_from) and (self.year_to is None or year <= self.year_to)

    @property
    def years_text(self) -> str:
        if self.year_from is None:
            return _("up to {year}").format(year=self.year_to)
        if self.year_to is None:
            return _("from {year}").format(year=self.year_from)
        return f"{self.year_from}–{self.year_to}"

    def cap(self, code: str) -> Cap | None:
        return next((c for c in self.caps if c.code == code), None)

    def not_rated_rule(self, code: str) -> NotRatedRule | None:
        return next((r for r in self.not_rated if r.code == code), None)

    def info_note(self, code: str) -> Note | None:
        return next((n for n in self.notes if n.code == code), None)

    @property
    def guidance_names(self) -> str:
        return ", ".join(g.code for g in self.guidance)

    def framework(self, code: str) -> Framework | None:
        return next((f for f in self.frameworks if f.code == code), None)

    def doubts(self) -> list[Doubt]:
        """The rules of this regulation the program applies without having confirmed their text ([P], [U]):
        shown in the program (review page), never printed on a paper."""
        out: list[Doubt] = []

        def add(text: str, confidence: str, ref: Ref | None) -> None:
            if confidence in ("P", "U"):
                out.append(Doubt(text, confidence, ref.cite() if ref else ""))

        add(self.quota.text, self.quota.confidence, self.quota.ref)
        for nr in self.not_rated:
            add(nr.label_for(None), nr.confidence, nr.ref)
        for cap in self.caps:
            add(cap.label, cap.confidence, cap.ref)
            if cap.count_note:
                add(cap.count_note, cap.count_confidence, cap.ref)
        if self.scoring is not None:
            for band in self.scoring.bands:
                add(f"{band.level}: {band.label}", band.confidence, band.ref)
        for level, conds in self.requirements.items():
            for c in conds:
                add(f"{level}: {c.text}", c.confidence, c.ref)
        for fw in self.frameworks:
            for level, conds in fw.conditions.items():
                for c in conds:
                    add(f"{fw.name} — {level}: {c.text}", c.confidence, c.ref)
        for level, conds in self.collective.requirements.items():
            for c in conds:
                add(f"{level} ({self.collective_label}): {c.text}", c.confidence, c.ref)
        for cap in self.collective.caps:
            add(cap.label, cap.confidence, cap.ref)
        for f in self.self_review_forms:
            add(f"{f.name} {f.subject}".strip(), f.confidence, None)
        if self.quarterly is not None:
            add(self.quarterly.text, self.quarterly.confidence, self.quarterly.ref)
            add(self.quarterly.year_rule_text, self.quarterly.year_rule_confidence, self.quarterly.ref)
        return out

    @property
    def collective_label(self) -> str:
        return _("the branch")

    def form_for(self, audience: str) -> FormSpec:
        """The personal self-review form for a member of this audience (no_post, leader, outside_system)."""
        forms = self.self_review_forms
        for wanted in (audience, "no_post", "all"):
            for f in forms:
                if f.audience == wanted:
                    return f
        return forms[0]


# --- reading and checking a file -------------------------------------------------------------

class _Reader:
    """Walks the JSON with a path, so every problem says where it is."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, message: str) -> RuleFileError:
        return RuleFileError(_("The rule file {file} cannot be used: {problem}").format(
            file=self.source, problem=f"{path}: {message}" if path else message))

    def get(self, obj: Mapping[str, Any], key: str, path: str, kind: type | tuple[type, ...],
            required: bool = True, default: Any = None) -> Any:
        where = f"{path}.{key}" if path else key
        if not isinstance(obj, Mapping):
            raise self.fail(path, _("an object is expected here"))
        if key not in obj:
            if required:
                raise self.fail(where, _("this field is missing"))
            return default
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = any(
            (isinstance(value, k) and not (k in (int, float) and isinstance(value, bool)))
            or (k is float and isinstance(value, int) and not isinstance(value, bool))
            for k in kinds
        )
        if not ok:
            raise self.fail(where, _("this value has the wrong type"))
        return value

    def text(self, obj, key, path, required=True, default="") -> str:
        return self.get(obj, key, path, str, required, default)

    def date(self, obj, key, path) -> dt.date:
        text = self.text(obj, key, path)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise self.fail(f"{path}.{key}" if path else key, _("a date written YYYY-MM-DD is expected")) from None

    def confidence(self, obj, path, default="C") -> str:
        value = self.text(obj, "confidence", path, required=False, default=default)
        if value not in CONFIDENCES:
            raise self.fail(f"{path}.confidence", _("the confidence must be C, P or U"))
        return value

    def optional_ref(self, obj, key, path, required=False) -> Ref | None:
        raw = self.get(obj, key, path, dict, required)
        if raw is None:
            return None
        where = f"{path}.{key}"
        return Ref(doc=self.text(raw, "doc", where), article=self.text(raw, "article", where, required=False))

    def ref(self, obj, key, path) -> Ref:
        ref = self.optional_ref(obj, key, path, required=True)
        assert ref is not None  # a missing required entry has raised
        return ref

    def items(self, obj, key, path, required=True, min_items=0) -> list[tuple[str, Any]]:
        raw = self.get(obj, key, path, list, required, [])
        where = f"{path}.{key}" if path else key
        if len(raw) < min_items:
            raise self.fail(where, _("at least {n} entries are needed").format(n=min_items))
        return [(f"{where}[{i}]", item) for i, item in enumerate(raw)]


def _when(r: _Reader, obj, path) -> When:
    raw = r.get(obj, "when", path, dict)
    out = []
    for name in raw:
        if name not in MEMBER_ATTRIBUTES:
            raise r.fail(f"{path}.when.{name}", _("unknown code “{code}”").format(code=name))
        out.append((name, r.get(raw, name, f"{path}.when", bool)))
    return When(tuple(out))


def _when_of_audience(audience: str, has_outside_form: bool) -> When:
    """The members a form is for when its file does not say it with "when" (files written before)."""
    inside = (("in_political_system", True),) if has_outside_form else ()
    return {
        "all": When(),
        "no_post": When((*inside, ("holds_leadership_post", False))),
        "leader": When((*inside, ("holds_leadership_post", True))),
        "outside_system": When((("in_political_system", False),)),
    }[audience]


def _check_exclusive(r: _Reader, path: str, whens: list[When]) -> None:
    """Every combination of stated attributes must choose exactly one entry (a form, a framework)."""
    import itertools
    from types import SimpleNamespace

    names = sorted({n for w in whens for n in w.names})
    for values in itertools.product((True, False), repeat=len(names)):
        member = SimpleNamespace(**dict(zip(names, values, strict=True)))
        chosen = sum(1 for w in whens if w.answer(member))
        if chosen != 1:
            stated = ", ".join(f"{n}={'true' if v else 'false'}" for n, v in zip(names, values, strict=True))
            raise r.fail(path, _("for a member with {attributes}, {n} entries apply instead of exactly one").format(
                attributes=stated or "-", n=chosen))


def _conditions(r: _Reader, obj, key, path) -> tuple[Condition, ...]:
    out = []
    for p, c in r.items(obj, key, path, required=False):
        check = r.text(c, "check", p, required=False)
        if check and check not in CONDITION_CHECKS:
            raise r.fail(f"{p}.check", _("unknown code “{code}”").format(code=check))
        out.append(Condition(code=r.text(c, "code", p), text=r.text(c, "text", p), confidence=r.confidence(c, p),
                             ref=r.optional_ref(c, "ref", p), check=check))
    return tuple(out)


def _level_conditions(r: _Reader, obj, key, path, known_level) -> dict[str, tuple[Condition, ...]]:
    """{level: conditions} ("requirements" of a level, or a framework's extra conditions)."""
    raw = r.get(obj, key, path, dict, required=False, default={}) or {}
    out = {}
    for level in raw:
        known_level(level, f"{path}.{key}.{level}")
        out[level] = _conditions(r, raw, level, f"{path}.{key}")
    return out


def _sub_criteria(r: _Reader, obj, path) -> tuple[SubCriterion, ...]:
    out = []
    for p, c in r.items(obj, "items", path, required=False):
        points = r.get(c, "max_points", p, (float, type(None)), required=False)
        out.append(SubCriterion(code=r.text(c, "code", p), name=r.text(c, "name", p), max_points=points))
    return tuple(out)


def _criteria(r: _Reader, obj, path, points_required: bool, total: float | None) -> tuple[Criterion, ...]:
    out = []
    for p, c in r.items(obj, "criteria", path, min_items=1):
        max_points = r.get(c, "max_points", p, float, required=points_required)
        if max_points is not None and max_points <= 0:
            raise r.fail(f"{p}.max_points", _("the maximum points must be above 0"))
        items = _sub_criteria(r, c, p)
        known = [i.max_points for i in items if i.max_points is not None]
        if items and max_points is not None and len(known) == len(items) \
                and sum(Fraction(str(x)) for x in known) != Fraction(str(max_points)):
            raise r.fail(f"{p}.items", _("the maximum points of the criteria add up to {total}, not {expected}").format(
                total=float(sum(Fraction(str(x)) for x in known)), expected=max_points))
        out.append(Criterion(
            code=r.text(c, "code", p), name=r.text(c, "name", p), max_points=max_points,
            task_result=bool(r.get(c, "task_result", p, bool, required=False, default=False)),
            covers=r.text(c, "covers", p, required=False), confidence=r.confidence(c, p), items=items,
            items_confidence=r.confidence({"confidence": c.get("items_confidence", "C")}, p),
        ))
    codes = [c.code for c in out]
    if len(set(codes)) != len(codes):
        raise r.fail(f"{path}.criteria", _("two criteria have the same code"))
    if total is not None and all(c.max_points is not None for c in out):
        s = sum(Fraction(str(c.max_points)) for c in out)
        if s != Fraction(str(total)):
            raise r.fail(f"{path}.criteria", _("the maximum points of the criteria add up to {total}, not {expected}").format(
                total=float(s), expected=total))
    return tuple(out)


def _scoring(r: _Reader, obj, key, path, level_codes: set[str]) -> Scoring | None:
    raw = r.get(obj, key, path, (dict, type(None)))
    if raw is None:
        return None
    where = f"{path}.{key}"
    max_points = r.get(raw, "max_points", where, float)
    bands = []
    for p, b in r.items(raw, "bands", where, min_items=1):
        level = r.text(b, "level", p)
        if level not in level_codes:
            raise r.fail(f"{p}.level", _("unknown level “{code}”").format(code=level))
        bands.append(Band(level=level, min=r.get(b, "min", p, float), label=r.text(b, "label", p, required=False),
                          conditions=_conditions(r, b, "conditions", p),
                          ref=r.optional_ref(b, "ref", p) or Ref(""), confidence=r.confidence(b, p)))
    mins = [b.min for b in bands]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins) or mins[-1] != 0 or mins[0] > max_points:
        raise r.fail(f"{where}.bands", _("the bands must go from the best down, with distinct lower limits, the last starting at 0"))
    return Scoring(max_points=max_points, decimals=int(r.get(raw, "decimals", where, int, required=False, default=2)),
                   bands=tuple(bands))


def _cap(r: _Reader, item, p: str, code: str, kind: str, known_level) -> Cap:
    count = r.text(item, "count", p, required=False, default="days")
    if count not in LEAVE_COUNTS:
        raise r.fail(f"{p}.count", _("unknown code “{code}”").format(code=count))
    min_form = r.text(item, "min_form", p, required=False)
    if min_form and min_form not in DISCIPLINE_ORDER:
        raise r.fail(f"{p}.min_form", _("unknown code “{code}”").format(code=min_form))
    return Cap(
        code=code, kind=kind, max_level=known_level(r.text(item, "max_level", p), f"{p}.max_level"),
        label=r.text(item, "label", p), ref=r.ref(item, "ref", p), confidence=r.confidence(item, p),
        counted_once=bool(r.get(item, "counted_once", p, bool, required=False, default=False)),
        min_months=r.get(item, "min_months", p, float, required=code == "sick_leave", default=0),
        days_per_month=r.get(item, "days_per_month", p, float, required=False, default=30),
        count=count, count_note=r.text(item, "count_note", p, required=False),
        count_confidence=r.confidence({"confidence": item.get("count_confidence", "C")}, p), min_form=min_form,
    )


# Forms of discipline from the lightest (models.member.DisciplineForm values).
DISCIPLINE_ORDER = ("khiển trách", "cảnh cáo", "cách chức", "khai trừ")


def _framework(r: _Reader, fw, p: str, known_level, groups: tuple[Criterion, ...] | None) -> Framework:
    when = _when(r, fw, p) if fw.get("when") is not None else None
    criteria = _criteria(r, fw, p, True, sum(c.max_points or 0 for c in groups) if groups else None)
    if groups is not None and [(c.code, c.max_points) for c in criteria] != [(c.code, c.max_points) for c in groups]:
        # Every framework of a regulation scores the same groups (QĐ 366: chung 30, kết quả 70).
        raise r.fail(f"{p}.criteria", _("the groups of criteria must be those of member.criteria, with the same points"))
    return Framework(
        code=r.text(fw, "code", p), name=r.text(fw, "name", p), annex=r.text(fw, "annex", p, required=False),
        when=when, criteria=criteria, conditions=_level_conditions(r, fw, "conditions", p, known_level),
        confidence=r.confidence(fw, p), note=r.text(fw, "note", p, required=False))


def _quarterly(r: _Reader, data) -> Quarterly | None:
    q = r.get(data, "quarterly", "", dict, required=False)
    if q is None:
        return None
    rule = r.text(q, "year_rule", "quarterly")
    if rule not in QUARTER_YEAR_RULES:
        raise r.fail("quarterly.year_rule", _("unknown code “{code}”").format(code=rule))
    return Quarterly(
        when=_when(r, q, "quarterly"), text=r.text(q, "text", "quarterly"), ref=r.ref(q, "ref", "quarterly"),
        confidence=r.confidence(q, "quarterly"), year_rule=rule,
        year_rule_text=r.text(q, "year_rule_text", "quarterly"),
        year_rule_confidence=r.confidence({"confidence": q.get("year_rule_confidence", "C")}, "quarterly"))


def parse(data: Mapping[str, Any], source: str = "?", path: Path | None = None) -> Regulation:
    """Check a rule file's content and build the Regulation; raise RuleFileError on any problem."""
    r = _Reader(source)
    if not isinstance(data, Mapping):
        raise r.fail("", _("an object is expected here"))
    if r.get(data, "format", "", int) != FORMAT:
        raise r.fail("format", _("this version of the program reads format {n}").format(n=FORMAT))
    code = r.text(data, "code", "")
    years = r.get(data, "years", "", dict)
    year_from = r.get(years, "from", "years", (int, type(None)))
    year_to = r.get(years, "to", "years", (int, type(None)))
    if year_from is not None and year_to is not None and year_from > year_to:
        raise r.fail("years", _("“from” is after “to”"))

    levels = []
    for p, lv in r.items(data, "levels", "", min_items=2):
        levels.append(Level(code=r.text(lv, "code", p), name=r.text(lv, "name", p), rank=r.get(lv, "rank", p, int)))
    if len({lv.code for lv in levels}) != len(levels) or len({lv.rank for lv in levels}) != len(levels):
        raise r.fail("levels", _("the levels must have distinct codes and ranks"))
    codes = {lv.code for lv in levels}

    def known_level(value: str, where: str) -> str:
        if value not in codes:
            raise r.fail(where, _("unknown level “{code}”").format(code=value))
        return value

    member = r.get(data, "member", "", dict)
    scoring = _scoring(r, member, "scoring", "member", codes)
    criteria = _criteria(r, member, "member", scoring is not None, scoring.max_points if scoring else None)
    requirements = _level_conditions(r, member, "requirements", "member", known_level)
    frameworks = []
    for p, fw in r.items(member, "frameworks", "member", required=False):
        frameworks.append(_framework(r, fw, p, known_level, criteria))
    chosen = [f for f in frameworks if f.when is not None]
    if chosen:
        _check_exclusive(r, "member.frameworks", [f.when for f in chosen if f.when is not None])

    q = r.get(data, "quota", "", dict)
    share = r.get(q, "share", "quota", float)
    if not 0 < share <= 1:
        raise r.fail("quota.share", _("the share must be above 0 and at most 1"))
    if r.text(q, "rounding", "quota") != "floor":
        raise r.fail("quota.rounding", _("only rounding down (floor) is supported"))
    scope = r.text(q, "scope", "quota")
    if scope not in QUOTA_SCOPES:
        raise r.fail("quota.scope", _("unknown code “{code}”").format(code=scope))
    effects = {}
    for key in ("branch_effect", "committee_effect"):
        effects[key] = r.text(q, key, "quota")
        if effects[key] not in ("warning", "check"):
            raise r.fail(f"quota.{key}", _("unknown code “{code}”").format(code=effects[key]))
    base_levels = tuple(known_level(b, "quota.base_levels") for b in r.get(q, "base_levels", "quota", list))
    readings = [QuotaReading(TEXT_READING, base_levels, r.text(q, "text", "quota"), confidence=r.confidence(q, "quota"))]
    for p, item in r.items(q, "readings", "quota", required=False):
        reading_code = r.text(item, "code", p)
        if reading_code in {x.code for x in readings}:
            raise r.fail(f"{p}.code", _("two entries have the same code “{code}”").format(code=reading_code))
        readings.append(QuotaReading(
            reading_code, tuple(known_level(b, f"{p}.base_levels") for b in r.get(item, "base_levels", p, list)),
            r.text(item, "label", p), r.text(item, "note", p, required=False), r.confidence(item, p)))
    quota = Quota(
        level=known_level(r.text(q, "level", "quota"), "quota.level"), base_levels=base_levels,
        share=share, rounding="floor", scope=scope, scope_text=r.text(q, "scope_text", "quota", required=False),
        text=r.text(q, "text", "quota"), ref=r.ref(q, "ref", "quota"), confidence=r.confidence(q, "quota"),
        note=r.text(q, "note", "quota", required=False), readings=tuple(readings), **effects,
    )

    elig = r.get(data, "eligibility", "", dict)
    not_rated = []
    for p, item in r.items(elig, "not_rated", "eligibility"):
        rc = r.text(item, "code", p)
        if rc not in NOT_RATED_CODES:
            raise r.fail(f"{p}.code", _("unknown code “{code}”").format(code=rc))
        not_rated.append(NotRatedRule(
            code=rc, label=r.text(item, "label", p), ref=r.ref(item, "ref", p), confidence=r.confidence(item, p),
            months=int(r.get(item, "months", p, int, required=rc in ("new_admission", "new_transfer"), default=0)),
            self_review=bool(r.get(item, "self_review", p, bool, required=False, default=False)),
            setting=r.text(item, "setting", p, required=False), note=r.text(item, "note", p, required=False),
        ))

    caps = []
    for p, item in r.items(data, "caps", ""):
        cc = r.text(item, "code", p)
        if cc not in CAP_CODES:
            raise r.fail(f"{p}.code", _("unknown code “{code}”").format(code=cc))
        kind = r.text(item, "kind", p)
        if kind != ("flag" if cc in FLAG_CAPS else "register"):
            raise r.fail(f"{p}.kind", _("unknown code “{code}”").format(code=kind))
        caps.append(_cap(r, item, p, cc, kind, known_level))

    collective_caps = []
    coll_raw = r.get(data, "collective", "", dict)
    for p, item in r.items(coll_raw, "caps", "collective", required=False):
        cc = r.text(item, "code", p)
        if cc not in COLLECTIVE_CAP_CODES:
            raise r.fail(f"{p}.code", _("unknown code “{code}”").format(code=cc))
        collective_caps.append(_cap(r, item, p, cc, "register", known_level))

    def notes_of(obj, key, path) -> tuple[Note, ...]:
        return tuple(Note(code=r.text(n, "code", p), kind=r.text(n, "kind", p, required=False, default="info"),
                          label=r.text(n, "label", p), ref=r.optional_ref(n, "ref", p),
                          confidence=r.confidence(n, p))
                     for p, n in r.items(obj, key, path, required=False))

    coll = r.get(data, "collective", "", dict)
    coll_scoring = _scoring(r, coll, "scoring", "collective", codes)
    coll_max = r.get(coll, "max_points", "collective", float)
    collective = Collective(
        scoring=coll_scoring, criteria=_criteria(r, coll, "collective", True, coll_max), max_points=coll_max,
        criteria_confidence=r.confidence({"confidence": coll.get("criteria_confidence", "C")}, "collective"),
        criteria_note=r.text(coll, "criteria_note", "collective", required=False),
        notes=notes_of(coll, "notes", "collective"),
        requirements=_level_conditions(r, coll, "requirements", "collective", known_level),
        caps=tuple(collective_caps),
        leadership_posts=tuple(r.get(coll, "leadership_posts", "collective", list, required=False, default=[])),
        framework=(_framework(r, coll["framework"], "collective.framework", known_level, None)
                   if coll.get("framework") is not None else None),
    )

    forms = r.get(data, "forms", "", dict)
    self_forms = []
    form_items = r.items(forms, "self_review", "forms", min_items=1)
    audiences = {f.get("for") for _p, f in form_items if isinstance(f, Mapping)}
    for p, f in form_items:
        audience = r.text(f, "for", p)
        if audience not in FORM_AUDIENCES:
            raise r.fail(f"{p}.for", _("unknown code “{code}”").format(code=audience))
        when = _when(r, f, p) if "when" in f else _when_of_audience(audience, "outside_system" in audiences)
        self_forms.append(FormSpec(code=r.text(f, "code", p), name=r.text(f, "name", p), audience=audience,
                                   title=r.text(f, "title", p), subject=r.text(f, "subject", p, required=False),
                                   confidence=r.confidence(f, p), when=when))
    _check_exclusive(r, "forms.self_review", [f.when for f in self_forms])
    cr = r.get(forms, "collective_report", "forms", dict)
    collective_report = FormSpec(code=r.text(cr, "code", "forms.collective_report"),
                                 name=r.text(cr, "name", "forms.collective_report"), audience="all",
                                 title=r.text(cr, "title", "forms.collective_report"),
                                 confidence=r.confidence(cr, "forms.collective_report"))

    guidance = tuple(Guidance(code=r.text(g, "code", p), date=r.date(g, "date", p), title=r.text(g, "title", p),
                              confidence=r.confidence(g, p))
                     for p, g in r.items(data, "guidance", ""))
    return Regulation(
        code=code, short_name=r.text(data, "short_name", ""), title=r.text(data, "title", ""),
        issued=r.date(data, "issued", ""), year_from=year_from, year_to=year_to,
        note=r.text(data, "note", "", required=False), guidance=guidance, levels=tuple(levels),
        levels_ref=r.optional_ref(data, "levels_ref", ""),
        criterion_grades=tuple(r.get(data, "criterion_grades", "", list)),
        scoring=scoring, criteria=criteria,
        criteria_confidence=r.confidence({"confidence": member.get("criteria_confidence", "C")}, "member"),
        requirements=requirements, quota=quota, not_rated=tuple(not_rated), caps=tuple(caps),
        notes=notes_of(data, "notes", ""), collective=collective, self_review_forms=tuple(self_forms),
        collective_report=collective_report,
        self_review_sections=tuple(r.get(forms, "self_review_sections", "forms", list, required=False, default=[])),
        source=path, sources=tuple(r.get(data, "sources", "", list, required=False, default=[])),
        frameworks=tuple(frameworks), quarterly=_quarterly(r, data),
    )


def load_file(path: Path | str) -> Regulation:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleFileError(_("The rule file {file} cannot be read: {error}").format(file=path.name, error=exc)) from exc
    except json.JSONDecodeError as exc:
        raise RuleFileError(_("The rule file {file} cannot be used: {problem}").format(
            file=path.name, problem=_("it is not valid JSON (line {line}, column {col})").format(
                line=exc.lineno, col=exc.colno))) from exc
    return parse(data, path.name, path)


def rule_dirs() -> list[Path]:
    """The program's rule files, then the user's (which replace a program file with the same code)."""
    return [resources_dir() / "rules" / "review", data_dir() / "rules" / "review"]


def _rule_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))


def load_all(folders: Iterable[Path] | None = None) -> list[Regulation]:
    """Every regulation, oldest first; the year ranges must not overlap."""
    by_code: dict[str, Regulation] = {}
    for folder in folders if folders is not None else rule_dirs():
        for path in _rule_files(Path(folder)):
            reg = load_file(path)
            by_code[reg.code] = reg
    regs = sorted(by_code.values(), key=lambda g: (g.year_from is not None, g.year_from or 0))
    for a, b in zip(regs, regs[1:], strict=False):
        if a.year_to is None or b.year_from is None or a.year_to >= b.year_from:
            raise RuleFileError(_("The rule files {a} and {b} cover the same years.").format(
                a=a.source.name if a.source else a.code, b=b.source.name if b.source else b.code))
    return regs


@functools.lru_cache(maxsize=4)
def _cached(folders: tuple[Path, ...], stamps: tuple[float, ...]) -> tuple[Regulation, ...]:
    return tuple(load_all(folders))


def regulations() -> list[Regulation]:
    """All regulations (cached until a rule file changes)."""
    folders = tuple(rule_dirs())
    stamps = tuple(p.stat().st_mtime for f in folders for p in _rule_files(f))
    return list(_cached(folders, stamps))


def regulation_for(year: int, regs: Iterable[Regulation] | None = None) -> Regulation:
    """The regulation that governs the review of ``year``."""
    for reg in regs if regs is not None else regulations():
        if reg.applies_to(year):
            return reg
    raise UserError(_("No regulation on the year-end review covers the year {year}.").format(year=year))
