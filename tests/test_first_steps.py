"""A new, empty branch is told where to start; a file that does not exist names the commands that create it."""
import datetime as dt

from services import dues
from services import meetings as mt
from services import members as svc
from services.cli import build_parser, dispatch
from services.first_steps import first_steps
from tests.meeting_fixtures import meeting_input

TODAY = dt.date(2025, 12, 15)


def steps(db):
    with db.begin() as s:
        return first_steps(s)


def test_a_new_branch_starts_with_its_members_then_its_first_meeting(db):
    fs = steps(db)
    assert [s.key for s in fs.steps] == ["branch", "members", "meeting", "ratings", "dues"]
    assert fs.shown and fs.next_step.key == "members"
    assert [s.done for s in fs.steps] == [True, False, False, False, False]  # the fixture's branch has a secretary
    members = fs.steps[1]
    assert members.title == "Nhập danh sách đảng viên" and members.area == "members"
    assert members.how == ("Trang «Đảng viên»: «Thêm đảng viên» (Ctrl+N) cho từng đồng chí, hoặc «Nhập từ Excel…» "
                           "(Ctrl+I) nếu danh sách đang được lưu trong tệp Excel.")
    assert "«Tệp» → «Thông tin chi bộ…»" in fs.steps[0].how
    with db.begin() as s:
        mid = svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), dt.date(2011, 1, 5)), TODAY).id
    fs = steps(db)
    assert fs.shown and fs.next_step.key == "meeting"
    with db.begin() as s:
        mt.create_meeting(s, meeting_input(dt.date(2025, 12, 5)), today=TODAY)
    fs = steps(db)
    assert not fs.shown and fs.next_step.key == "ratings"   # the rest are there, no longer in the way
    with db.begin() as s:
        dues.set_rate(s, mid, 2025, 1, 50_000, TODAY)
    assert steps(db).steps[4].done


def test_a_command_on_a_file_that_does_not_exist_says_how_to_create_it(tmp_path, capsys):
    path = tmp_path / "moi.db"
    assert dispatch(build_parser().parse_args(["backup", "--db", str(path)])) == 1
    err = capsys.readouterr().err
    assert f"Không có tệp dữ liệu {path}." in err
    assert f'main.py init --db "{path}" --branch "…" --parent "…" --place "…"' in err
    assert f'main.py demo --db "{path}"' in err
    assert not path.exists()
