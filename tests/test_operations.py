"""The operations layer (ui/operations.py on services/ops.py): every write of the window goes through
run_op, off the GUI thread, in one unit of work, and refreshes exactly the pages it concerns."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from services import dues as dsvc
from services import members as msvc
from services import ops
from services.errors import UserError, ValidationError
from ui import operations
from ui.context import AppContext
from ui.main_window import PAGES, MainWindow
from ui.operations import query_op, run_op

from .gui_support import wait_ops

TODAY = dt.date(2025, 12, 15)


class FixedContext(AppContext):
    def today(self):
        return TODAY


def _names(db) -> list[str]:
    with db.begin() as s:
        return [r.full_name for r in msvc.register(s, TODAY)]


@pytest.fixture
def member(db):
    with db.begin() as s:
        return msvc.add_member(s, msvc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), dt.date(2011, 1, 5)),
                               TODAY).id


@pytest.fixture
def window(qtbot, db, member):
    win = MainWindow(FixedContext(db))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    for key, _title, _ref in PAGES:      # every page shown once: none is waiting to reload
        win.show_page(key)
    win.show_page("members")
    assert not any(p.stale for p in win.pages.values())
    return win


@pytest.fixture
def shown(monkeypatch):
    """Message boxes recorded instead of shown: (title, text, error)."""
    seen = []
    monkeypatch.setattr("ui.widgets.inform", lambda parent, title, text, error=False: seen.append((title, text, error)))
    return seen


def _count_refreshes(monkeypatch, page) -> list[int]:
    calls = []
    original = page.refresh
    monkeypatch.setattr(page, "refresh", lambda: calls.append(1) or original())
    return calls


def test_success_refreshes_the_pages_the_changes_concern_and_no_other(window, qtbot, monkeypatch, member, shown):
    members_page = window.pages["members"]
    refreshed = _count_refreshes(monkeypatch, members_page)
    got = []

    def pay(session) -> ops.OpResult:
        dsvc.set_rate(session, member, 2025, 1, 50_000, TODAY)
        payment = dsvc.mark_paid(session, member, 2025, 11, TODAY)
        return ops.OpResult(ops.DUES, payment.amount)

    with qtbot.waitSignal(window.ctx.changed) as changed:
        run_op(members_page, pay, on_success=got.append)
        wait_ops(qtbot)
    assert changed.args[0] == ops.OpChanges(dues=True) and changed.args[1] is members_page
    assert got == [50_000] and shown == []             # the value the operation returned
    with window.ctx.db.begin() as s:
        assert (2025, 11) in dsvc.member_dues(s, member).paid
    stale = {key for key, page in window.pages.items() if page.stale}
    assert stale == {"dues", "home"}                   # the overview shows every area
    assert refreshed == []                             # the members page shown was not concerned

    def add(session) -> ops.OpResult:
        new = msvc.add_member(session, msvc.MemberInput("Lê Thị Bình", dt.date(2012, 1, 1)), TODAY)
        return ops.OpResult(ops.MEMBERS, new.id)

    run_op(members_page, add)
    wait_ops(qtbot)
    assert refreshed == [1]                            # shown and concerned: reloaded at once
    assert "Lê Thị Bình" in [members_page.model.row_at(r).full_name for r in range(members_page.model.rowCount())]
    stale = {key for key, page in window.pages.items() if page.stale}
    assert stale == {"dues", "home", "meetings", "ratings", "review", "exchange"}


def test_the_work_runs_off_the_gui_thread_one_operation_at_a_time_in_order(window, qtbot):
    order, threads = [], set()
    gate = threading.Event()

    def first(session):
        threads.add(threading.current_thread())
        gate.wait(5)
        order.append("first")
        return ops.NOTHING

    def second(session):
        threads.add(threading.current_thread())
        order.append("second")
        return ops.NOTHING

    run_op(window, first)
    run_op(window, second)
    assert not operations.idle()
    gate.set()
    wait_ops(qtbot)
    assert order == ["first", "second"] and threading.current_thread() not in threads


def test_a_refusal_goes_to_the_form_and_nothing_is_stored(window, qtbot, shown):
    refused = []

    def op(session):
        msvc.add_member(session, msvc.MemberInput("Trần Văn Cường", dt.date(2012, 1, 1)), TODAY)
        raise ValidationError(["Số thẻ đảng viên đã có."])

    run_op(window, op, on_refused=refused.append)
    wait_ops(qtbot)
    assert refused == [["Số thẻ đảng viên đã có."]] and shown == []
    assert "Trần Văn Cường" not in _names(window.ctx.db)      # rolled back


def test_an_error_is_told_in_vietnamese_and_rolls_back(window, qtbot, shown):
    def op(session):
        msvc.add_member(session, msvc.MemberInput("Trần Văn Cường", dt.date(2012, 1, 1)), TODAY)
        raise UserError("Không ghi được vào tệp dữ liệu.")

    with qtbot.assertNotEmitted(window.ctx.changed):
        run_op(window, op, title="Thêm đảng viên")
        wait_ops(qtbot)
    assert shown == [("Thêm đảng viên", "Không ghi được vào tệp dữ liệu.", True)]

    def broken(session):
        msvc.add_member(session, msvc.MemberInput("Trần Văn Cường", dt.date(2012, 1, 1)), TODAY)
        raise RuntimeError("disk I/O error")

    run_op(window, broken, title="Thêm đảng viên")
    wait_ops(qtbot)
    title, text, error = shown[-1]
    assert error and text.startswith("Có lỗi ngoài dự kiến") and "RuntimeError" in text
    assert "Trần Văn Cường" not in _names(window.ctx.db)


def test_cancel_rolls_back_what_the_operation_wrote(window, qtbot):
    started, go_on, outcome = threading.Event(), threading.Event(), []

    def op(session, progress):
        msvc.add_member(session, msvc.MemberInput("Trần Văn Cường", dt.date(2012, 1, 1)), TODAY)
        session.flush()
        started.set()
        go_on.wait(5)
        progress(1, 2)                    # raises once the user pressed "Hủy"
        return ops.MEMBERS

    with qtbot.assertNotEmitted(window.ctx.changed):
        task = run_op(window, op, progress=True, cancellable=True, on_success=outcome.append,
                      on_cancel=lambda: outcome.append("cancelled"))
        assert started.wait(5)
        task.cancel()                      # what "Hủy" on the progress dialog does
        go_on.set()
        wait_ops(qtbot)
    assert outcome == ["cancelled"]
    assert "Trần Văn Cường" not in _names(window.ctx.db)


def test_an_operation_must_say_what_it_changed(window, qtbot, shown):
    run_op(window, lambda session: 42)
    wait_ops(qtbot)
    assert shown and "TypeError" in shown[-1][1]


def test_reads_give_plain_values_never_database_records(window, qtbot, member):
    ctx = window.ctx
    view = ctx.read(lambda s: msvc.member_view(s, member))
    assert view.full_name == "Nguyễn Văn An" and view.events[0].kind == "admitted"
    with pytest.raises(TypeError, match="plain values"):
        ctx.read(lambda s: msvc.member_details(s, member))
    with pytest.raises(TypeError, match="plain values"):
        ctx.read(lambda s: [{"rows": [msvc.member_details(s, member)]}])
    got = []
    query_op(window, lambda s: msvc.register(s, TODAY), on_success=got.append)
    wait_ops(qtbot)
    assert [r.full_name for r in got[0]] == ["Nguyễn Văn An"]


def test_a_record_deep_in_a_register_of_named_tuples_is_still_refused(db, member):
    """The check of a read's result passes over dates, enumerations and numbers at once (the register of
    thousands, issue 17), and still finds a database record inside a row's tuple inside the list."""
    with db.begin() as s:
        rows = msvc.register(s, TODAY)
        ops.ensure_plain(rows)
        record = msvc.member_details(s, member)
        with pytest.raises(TypeError, match="plain values"):
            ops.ensure_plain(rows + [rows[0]._replace(sort_key=((1, 2), (record,)))])
        with pytest.raises(TypeError, match="plain values"):
            ops.ensure_plain({"when": TODAY, "rows": (rows[0].state, record)})


def test_a_read_never_writes(db, member):
    def sneaky(session):
        msvc.add_member(session, msvc.MemberInput("Trần Văn Cường", dt.date(2012, 1, 1)), TODAY)
        return 1

    ops.read(db, sneaky)
    assert "Trần Văn Cường" not in _names(db)


def test_op_changes_name_the_areas():
    assert ops.OpChanges.of("members", "dues") == ops.MEMBERS | ops.DUES
    assert ops.EVERYTHING.touches({"review"}) and not ops.NOTHING
    assert not ops.MEMBERS.touches({"dues", "ratings"})
    with pytest.raises(ValueError):
        ops.OpChanges.of("membres")


def test_closing_the_window_waits_for_the_writes_still_running(window, qtbot):
    gate = threading.Event()

    def slow(session):
        gate.wait(5)
        msvc.add_member(session, msvc.MemberInput("Trần Văn Cường", dt.date(2012, 1, 1)), TODAY)
        return ops.MEMBERS

    run_op(window.pages["members"], slow)
    window.close()
    assert window.isVisible()              # not yet: the write is still running
    gate.set()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert "Trần Văn Cường" in _names(window.ctx.db)


def test_no_second_thread_helper_in_the_window():
    """ui/worker.py is the one thread helper; ui/operations.py builds on it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "ui"
    users = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                   if any(w in p.read_text(encoding="utf-8") for w in ("QThread", "QRunnable", "threading.Thread")))
    assert users == ["operations.py", "worker.py"]
