"""The demo database carries a complete year-end review that exercises every rule."""
import datetime as dt

import pytest

from services.db import open_database
from services.demo import write_demo
from services.review import service as svc
from services.review.tally import tally


@pytest.mark.parametrize("year", [2025, 2023])
def test_demo_year_has_a_complete_review_exercising_every_rule(tmp_path, year):
    path = tmp_path / "demo.db"
    write_demo(path, seed=1, year=year, today=dt.date(year + 1, 1, 15))
    database = open_database(path)
    with database.begin() as s:
        t = tally(s, year)
        review = svc.year_review(s, year)
        br = svc.branch_review(s, year)
    database.close()
    assert set(t.not_assessed_reasons) == {"exempt", "suspended", "new_admission", "new_transfer"}
    assert t.left_during_year >= 1
    assert t.unrated == 0 and t.quota_ok
    assert t.levels["KHTNV"] >= 1 and t.levels["HTNV"] >= 1 and t.levels["HTXSNV"] >= 1
    caps = {h.cap.code: r.level for r in review.rows if r.proposal for h in r.proposal.limit.hits}
    assert caps == {"discipline_in_year": "KHTNV", "sick_leave": "HTNV"}
    assert all(not r.problems for r in review.rows)
    assert any(r.proposed_level != r.decided_level for r in review.rows if r.record)
    assert br.self_score == 92 and br.proposed_level == "HTTNV" and br.strengths
    if year >= 2025:
        assert all(r.score is not None for r in review.rows if r.elig.rated)
