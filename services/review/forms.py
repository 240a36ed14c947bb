"""Printed forms of the year-end review (work in progress: filled in by the forms step)."""
from __future__ import annotations

FORMS: dict[str, str] = {
    "bieu-tong-hop": "summary",
    "danh-sach": "list",
    "bao-cao": "report",
    "bien-ban": "minutes",
    "ban-kiem-diem": "self_review",
}


def write_year_end(session, year, out, form=None, member_ids=None, xlsx=False):
    from ..errors import UserError
    from ..i18n import _

    raise UserError(_("Printing the year-end forms is not available in this version yet."))
