"""Kiểm điểm, đánh giá, xếp loại chất lượng cuối năm: the year-end review of the branch and its members.

* :mod:`.rules` — the regulation of each year, read from ``resources/rules/*.json``;
* :mod:`.eligibility` — who is counted and who is rated, with the reason;
* :mod:`.engine` — caps, score bands and the proposed level of one member;
* :mod:`.service` — recording proposals and decisions, the branch's self-assessment, closing a year;
* :mod:`.tally` — the counts the branch reports upward;
* :mod:`.importer`, :mod:`.forms` — importing ratings, printing the year-end forms.
"""
from . import settings  # noqa: F401  (declares the review settings)
