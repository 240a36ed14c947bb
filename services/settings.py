"""Settings: each declared once (key, type, default, description) and stored per database.

Values that the upper committee may set for itself, or that DOMAIN.md marks as not confirmed,
are settings with the stated default, never constants in code. Areas of the program declare
their own settings with `declare()` at import time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from models import Setting

from .errors import ValidationError
from .i18n import _


@dataclass(frozen=True)
class SettingSpec:
    key: str
    type: type
    default: Any
    description: str          # English msgid, shown translated
    choices: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None

    def validate(self, value: Any) -> Any:
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise ValidationError(_("Setting '{key}' has the wrong kind of value.").format(key=self.key))
        if self.choices is not None and value not in self.choices:
            raise ValidationError(_("Setting '{key}' must be one of: {choices}.").format(
                key=self.key, choices=", ".join(map(str, self.choices))))
        number: Any = value  # of self.type, checked above
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            raise ValidationError(_("Setting '{key}' is out of range.").format(key=self.key))
        return value


REGISTRY: dict[str, SettingSpec] = {}


def declare(key: str, type_: type, default: Any, description: str, **kw: Any) -> SettingSpec:
    spec = SettingSpec(key, type_, default, description, **kw)
    if key in REGISTRY and REGISTRY[key] != spec:
        raise RuntimeError(f"setting {key} declared twice differently")
    REGISTRY[key] = spec
    return spec


def get(session: Session, key: str) -> Any:
    spec = REGISTRY[key]
    row = session.get(Setting, key)
    if row is None:
        return spec.default
    try:
        return spec.validate(row.value)
    except ValidationError:
        return spec.default


def put(session: Session, key: str, value: Any) -> None:
    spec = REGISTRY[key]
    value = spec.validate(value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()


DOCUMENT_SYMBOL = declare(
    "documents.branch_symbol", str, "CB",
    "Symbol of the branch in document numbers (Số 05-BB/CB).",
)
