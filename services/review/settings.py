"""Settings of the year-end review (values the upper committee may set; see DOMAIN.md §5)."""
from __future__ import annotations

from ..settings import declare

REVIEW_DAY = declare(
    "review.date", str, "31/12",
    "Day and month of the review date (dd/mm); membership is counted on that day of the year.",
)
TRANSFER_IN_MONTHS = declare(
    "review.transfer_in_months", int, 6,
    "Members transferred in less than this many months before the review are not rated (0: always rated).",
    minimum=0, maximum=24,
)
QUOTA_READING = declare(
    "review.quota_reading", str, "text",
    "How the HTXSNV quota's base is read: 'text' (default) = as the regulation words it, a share of those "
    "rated HTTNV; or another reading the year's rule file lists (e.g. 'htxsnv_and_httnv': a share of those "
    "rated HTXSNV and HTTNV together). The review page says which reading is used.",
)
