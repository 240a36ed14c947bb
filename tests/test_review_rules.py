"""The regulations as data: resources/rules/*.json, read and checked by services.review.rules."""
import json
import shutil
from pathlib import Path

import pytest

from services.paths import data_dir, resources_dir
from services.review import rules
from services.review.rules import RuleFileError, load_all, load_file, regulation_for

RULES = resources_dir() / "rules" / "review"
FILES = sorted(p for p in RULES.glob("*.json") if not p.name.endswith(".schema.json"))
LEVEL_NAMES = {
    "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHTNV": "Không hoàn thành nhiệm vụ",
}


@pytest.mark.parametrize("year, code", [(2015, "QD132"), (2019, "QD132"), (2022, "QD132"), (2023, "QD124"),
                                        (2024, "QD124"), (2025, "QD366"), (2026, "QD366"), (2040, "QD366")])
def test_regulation_is_chosen_by_the_year_reviewed(year, code):
    assert regulation_for(year).code == code


def test_three_regulations_with_their_guidance_and_dates():
    by_code = {r.code: r for r in rules.regulations()}
    assert set(by_code) == {"QD132", "QD124", "QD366"}
    assert str(by_code["QD132"].issued) == "2018-03-08"
    assert [g.code for g in by_code["QD132"].guidance] == ["HD 16-HD/BTCTW", "HD 21-HD/BTCTW"]
    assert str(by_code["QD124"].issued) == "2023-10-04"  # 04/10/2023, not 10/10
    assert [(g.code, str(g.date)) for g in by_code["QD124"].guidance] == [("HD 25-HD/BTCTW", "2023-11-10")]
    assert str(by_code["QD366"].issued) == "2025-08-30"
    assert ("HD 43-HD/BTCTW", "2025-10-31") in [(g.code, str(g.date)) for g in by_code["QD366"].guidance]


@pytest.mark.parametrize("year", [2020, 2023, 2025])
def test_qd132_qd124_dieu12_qd366_dieu11_four_levels_with_their_printed_names(year):
    reg = regulation_for(year)
    assert reg.level_codes == list(LEVEL_NAMES)
    assert {c: reg.level_name(c) for c in reg.level_codes} == LEVEL_NAMES
    assert reg.criterion_grades == ("Xuất sắc", "Tốt", "Trung bình", "Kém")


@pytest.mark.parametrize("text, code", [("HTXSNV", "HTXSNV"), ("httnv", "HTTNV"), ("Hoàn thành nhiệm vụ", "HTNV"),
                                        ("hoan thanh tot nhiem vu", "HTTNV"), ("KHÔNG HOÀN THÀNH NHIỆM VỤ", "KHTNV"),
                                        ("Tốt", None), ("", None)])
def test_levels_are_read_from_full_words_or_abbreviations(text, code):
    assert regulation_for(2024).parse_level(text) == code


@pytest.mark.parametrize("score, level", [(100, "HTXSNV"), (90, "HTXSNV"), (89.99, "HTTNV"), (70, "HTTNV"),
                                          (69.99, "HTNV"), (50, "HTNV"), (49.99, "KHTNV"), (0, "KHTNV")])
def test_qd366_dieu11_score_bands_at_their_edges(score, level):
    reg = regulation_for(2025)
    assert reg.scoring.level_for(score) == level
    assert reg.collective.scoring.level_for(score) == level


def test_qd366_phu_luc_100_points_general_30_and_task_results_70():
    reg = regulation_for(2025)
    assert reg.scoring.max_points == 100
    assert [(c.code, c.max_points) for c in reg.criteria] == [("general", 30), ("tasks", 70)]
    assert [(c.code, c.max_points) for c in reg.collective.criteria] == [("general", 30), ("tasks", 70)]
    htxsnv = reg.scoring.bands[0]
    assert {c.code for c in htxsnv.conditions} == {"all_tasks_on_time", "tasks_exceeded_30", "shortcomings_fixed"}


@pytest.mark.parametrize("year", [2020, 2023])
def test_qd132_and_qd124_have_no_member_points_scale(year):
    reg = regulation_for(year)
    assert reg.scoring is None and reg.collective.scoring is None
    assert all(c.max_points is None for c in reg.criteria)


@pytest.mark.parametrize("httnv, maximum", [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3), (102, 20)])
def test_hd21_2_3a_quota_is_20_percent_of_httnv_rounded_down(httnv, maximum):
    for year in (2020, 2023, 2025):
        assert regulation_for(year).quota.maximum({"HTTNV": httnv, "HTXSNV": 50}) == maximum


def test_quota_arithmetic_is_exact_for_any_share():
    quota = regulation_for(2020).quota
    from dataclasses import replace

    # 0.29 * 100 is 28.999999999999996 in floating point; the quota must still be 29.
    assert replace(quota, share=0.29).maximum({"HTTNV": 100}) == 29
    assert replace(quota, base_levels=("HTXSNV", "HTTNV")).maximum({"HTTNV": 102, "HTXSNV": 24}) == 25


def test_hd21_quota_applies_in_each_grassroots_organisation_qd124_in_each_group_of_similar_roles():
    hd21, qd124, qd366 = (regulation_for(y).quota for y in (2020, 2023, 2025))
    assert (hd21.scope, hd21.confidence) == ("grassroots_organisation", "C")
    assert (qd124.scope, qd124.confidence) == ("similar_role_group", "C")
    assert qd366.confidence == "U" and qd366.share == 0.2  # not confirmed: same default as before
    for q in (hd21, qd124, qd366):
        assert (q.branch_effect, q.committee_effect) == ("warning", "check")
        assert q.base_levels == ("HTTNV",)


def test_forms_named_by_the_guidance_of_each_year():
    assert [f.name for f in regulation_for(2020).self_review_forms] == ["Mẫu 02-HD KĐ.ĐG 2019"]
    assert [f.name for f in regulation_for(2024).self_review_forms] == ["Mẫu 02A-HD KĐ.ĐG 2023", "Mẫu 02B-HD KĐ.ĐG 2023"]
    reg = regulation_for(2025)
    assert [f.code for f in reg.self_review_forms] == ["2A", "2B", "2C"]
    assert reg.form_for("outside_system").name == "Mẫu 2C-HD KĐ.ĐG 2025"
    assert reg.form_for("leader").code == "2B"
    assert regulation_for(2024).form_for("outside_system").code == "02A"  # no 2C before HD 43
    assert reg.collective_report.name == "Mẫu 01-HD KĐ.ĐG"


def test_every_rule_names_its_source_and_confidence():
    for reg in rules.regulations():
        for item in (*reg.caps, *reg.not_rated):
            assert item.ref.doc and item.confidence in "CPU", (reg.code, item.code)
        assert reg.quota.ref.doc
    # Later versions carry HD 21's caps forward as defaults, marked not confirmed.
    assert {c.confidence for c in regulation_for(2020).caps} == {"C"}
    assert {c.confidence for c in regulation_for(2023).caps} == {"U"}
    assert {c.confidence for c in regulation_for(2025).caps} == {"U"}
    assert regulation_for(2020).cap("discipline_in_year").ref.cite() == "HD 21-HD/BTCTW, mục II.B.2"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_rule_files_follow_the_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((RULES / "regulation.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text(encoding="utf-8")))


# --- malformed files -------------------------------------------------------------------------

def _write(folder: Path, name: str, data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _qd124() -> dict:
    return json.loads((RULES / "qd124.json").read_text(encoding="utf-8"))


def test_a_file_that_is_not_json_is_refused_with_its_name_and_line(tmp_path):
    path = _write(tmp_path, "qd999.json", '{"code": "QD999",\n  "levels": [}')
    with pytest.raises(RuleFileError) as err:
        load_file(path)
    assert "qd999.json" in str(err.value) and "JSON" in str(err.value) and "dòng 2" in str(err.value)


@pytest.mark.parametrize("change, where", [
    (lambda d: d.pop("quota"), "quota"),
    (lambda d: d["quota"].__setitem__("share", 1.5), "quota.share"),
    (lambda d: d["quota"].__setitem__("share", "20%"), "quota.share"),
    (lambda d: d["caps"][0].__setitem__("max_level", "HTKNV"), "caps[0].max_level"),
    (lambda d: d["caps"][0].__setitem__("code", "late_dues"), "caps[0].code"),
    (lambda d: d["eligibility"]["not_rated"][2].pop("months"), "eligibility.not_rated[2].months"),
    (lambda d: d["collective"]["criteria"][0].__setitem__("max_points", 35), "collective.criteria"),
    (lambda d: d["years"].__setitem__("from", 2030), "years"),
    (lambda d: d["levels"].append({"code": "HTTNV", "name": "x", "rank": 9}), "levels"),
])
def test_a_malformed_file_is_refused_saying_where(tmp_path, change, where):
    data = _qd124()
    change(data)
    with pytest.raises(RuleFileError) as err:
        load_file(_write(tmp_path, "qd124.json", data))
    message = str(err.value)
    assert "qd124.json" in message and where in message
    assert "không dùng được" in message  # Vietnamese


def test_qd366_bands_must_run_from_the_best_down_to_zero(tmp_path):
    data = json.loads((RULES / "qd366.json").read_text(encoding="utf-8"))
    data["member"]["scoring"]["bands"][3]["min"] = 10
    with pytest.raises(RuleFileError) as err:
        load_file(_write(tmp_path, "qd366.json", data))
    assert "member.scoring.bands" in str(err.value)


def test_two_files_covering_the_same_year_are_refused(tmp_path):
    for p in FILES:
        shutil.copy(p, tmp_path / p.name)
    data = _qd124()
    data["code"], data["years"] = "QD999", {"from": 2024, "to": 2024}
    _write(tmp_path, "qd999.json", data)
    with pytest.raises(RuleFileError) as err:
        load_all([tmp_path])
    assert "qd999.json" in str(err.value)


def test_the_next_regulation_is_a_new_file(tmp_path):
    """A regulation for 2030 onwards: QĐ 366 ends in 2029, the new file takes over."""
    for p in FILES:
        shutil.copy(p, tmp_path / p.name)
    old = json.loads((tmp_path / "qd366.json").read_text(encoding="utf-8"))
    old["years"]["to"] = 2029
    _write(tmp_path, "qd366.json", old)
    new = json.loads((RULES / "qd366.json").read_text(encoding="utf-8"))
    new.update(code="QD999", short_name="QĐ 999-QĐ/TW", years={"from": 2030, "to": None})
    new["quota"]["share"] = 0.15
    _write(tmp_path, "qd999.json", new)
    regs = load_all([tmp_path])
    assert regulation_for(2029, regs).code == "QD366"
    assert regulation_for(2030, regs).code == "QD999"
    assert regulation_for(2030, regs).quota.maximum({"HTTNV": 100}) == 15


def test_a_file_in_the_users_data_folder_replaces_the_programs(tmp_path):
    data = _qd124()
    data["quota"]["share"] = 0.25
    _write(data_dir() / "rules" / "review", "qd124-tinh.json", data)
    assert regulation_for(2023).quota.maximum({"HTTNV": 10}) == 2
    assert regulation_for(2024).quota.share == 0.25
    assert regulation_for(2022).quota.share == 0.2


def test_a_year_no_file_covers_is_refused(tmp_path):
    data = _qd124()
    with pytest.raises(Exception) as err:
        regulation_for(2020, [rules.parse(data, "qd124.json")])
    assert "2020" in str(err.value)
