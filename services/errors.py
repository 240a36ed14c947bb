"""Errors whose message is meant for the user (already in Vietnamese)."""
from __future__ import annotations

from collections.abc import Sequence


class UserError(Exception):
    """A problem the user can fix; str(err) is a Vietnamese sentence."""


class ValidationError(UserError):
    """Input that breaks a rule. `problems` lists one message per problem (field or row)."""

    def __init__(self, problems: list[str] | str):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ChangedElsewhereError(ValidationError):
    """A save over a record that was changed (in another window, on another computer) since the editor
    showed it: refused instead of silently overwriting that change."""


def blocked_reason(errors: Sequence[str]) -> str:
    """"Chưa lưu được: …" naming what stops a save, for a greyed "Lưu" button ("" when nothing does)."""
    if not errors:
        return ""
    from .i18n import _

    return _("Cannot save yet: {reasons}").format(reasons=" ".join(e.strip() for e in errors))
