"""Issue 15: an editor that shows something already stored refuses to save over a change made elsewhere since it
showed it (another window, another computer), says so beside its fields and keeps what was typed; opened again,
it shows what is stored and the save goes through. Driven like a user, on a real temporary database; a second
`open_database` on the same database plays the other window."""
from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from models import EventKind, Resolution
from services import dues as dsvc
from services import meetings as mt
from services import members as msvc
from services.db import open_database
from services.meetings.views import resolution_form
from ui.context import AppContext
from ui.dialogs.dues_dialogs import DuesSettingsDialog, RateDialog
from ui.dialogs.event_dialog import EventDialog
from ui.dialogs.meeting_dialog import ResolutionDialog
from ui.qt import Qt, QtWidgets

from .gui_support import wait_ops
from .meeting_fixtures import TODAY, make_branch, new_meeting

CHANGED = "đã được sửa ở nơi khác"


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture
def ctx(db):
    ids = make_branch(db)
    with db.begin() as s:
        dsvc.set_rate(s, ids["Nguyễn Văn An"], 2025, 1, 50_000, TODAY)
    context = FixedContext(db)
    context.ids = ids
    return context


@contextlib.contextmanager
def other_window(ctx):
    """A unit of work of another window (or computer) on the same database."""
    other = open_database(ctx.db.target)
    try:
        with other.begin() as s:
            yield s
    finally:
        other.close()


def opened(qtbot, dlg):
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def save(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_ops(qtbot)


def test_an_amount_changed_elsewhere_since_the_rate_dialog_opened_is_not_replaced(ctx, qtbot):
    member_id = ctx.ids["Nguyễn Văn An"]
    dlg = opened(qtbot, RateDialog(ctx, member_id, 2025, 1))          # from month 1/2025: replaces 50.000
    with other_window(ctx) as s:
        dsvc.set_rate(s, member_id, 2025, 1, 60_000, TODAY, note="Sửa ở máy khác")
    qtbot.keyClicks(dlg.amount, "70.000")
    save(qtbot, dlg)
    assert dlg.isVisible() and CHANGED in dlg.problems.plain_text()
    assert dlg.amount.text() == "70.000"                              # what was typed stays
    with ctx.db.begin() as s:
        assert [(r.month, r.amount, r.note) for r in dsvc.rates_of(s, member_id)] == [(1, 60_000, "Sửa ở máy khác")]

    again = opened(qtbot, RateDialog(ctx, member_id, 2025, 1))        # opened again: the stored amount, then saved
    assert again.history.row_at(0).amount == 60_000
    qtbot.keyClicks(again.amount, "70.000")
    save(qtbot, again)
    assert not again.isVisible()
    with ctx.db.begin() as s:
        assert [(r.month, r.amount) for r in dsvc.rates_of(s, member_id)] == [(1, 70_000)]


def test_an_amount_added_elsewhere_for_the_same_month_is_not_replaced_unseen(ctx, qtbot):
    member_id = ctx.ids["Nguyễn Văn An"]
    dlg = opened(qtbot, RateDialog(ctx, member_id, 2025, 12))         # no amount from 12/2025 is shown
    with other_window(ctx) as s:
        dsvc.set_rate(s, member_id, 2025, 12, 60_000, TODAY)
    qtbot.keyClicks(dlg.amount, "70.000")
    save(qtbot, dlg)
    assert dlg.isVisible() and CHANGED in dlg.problems.plain_text()
    with ctx.db.begin() as s:
        assert [(r.month, r.amount) for r in dsvc.rates_of(s, member_id)] == [(1, 50_000), (12, 60_000)]


def test_dues_settings_changed_elsewhere_since_the_dialog_opened_are_not_overwritten(ctx, qtbot):
    def type_share(dlg, text: str) -> None:
        dlg.share.setFocus()
        dlg.share.selectAll()
        qtbot.keyClicks(dlg.share, text)

    dlg = opened(qtbot, DuesSettingsDialog(ctx))
    with other_window(ctx) as s:
        dsvc.set_dues_settings(s, dsvc.DuesSettings(1000, 1.0, 20.0, 4))
    type_share(dlg, "30")
    save(qtbot, dlg)
    assert dlg.isVisible() and CHANGED in dlg.problems.plain_text()
    assert dlg.share.value() == 30                                    # what was typed stays
    with ctx.db.begin() as s:
        assert dsvc.dues_settings(s) == dsvc.DuesSettings(1000, 1.0, 20.0, 4)

    again = opened(qtbot, DuesSettingsDialog(ctx))
    assert (again.share.value(), again.limit.value()) == (20, 4)      # what is stored
    type_share(again, "30")
    save(qtbot, again)
    assert not again.isVisible()
    with ctx.db.begin() as s:
        assert dsvc.dues_settings(s) == dsvc.DuesSettings(1000, 1.0, 30.0, 4)


def test_the_place_of_an_admission_changed_elsewhere_since_the_event_dialog_opened_is_not_overwritten(ctx, qtbot):
    """The event dialog records where an admission already recorded took place (its only rewrite of a stored
    event): refused when another window changed that record since the dialog showed the member's history."""
    member_id = ctx.ids["Đặng Văn Phúc"]                    # admitted at another organisation, transferred in
    admitted = dt.date(2008, 8, 8)

    def admission_place() -> str:
        with ctx.db.begin() as s:
            return next(e.other_org for e in msvc.member_view(s, member_id).events if e.kind == EventKind.ADMITTED)

    def fill(dlg) -> None:
        dlg.kind.setCurrentIndex(dlg.kind.findData(EventKind.ADMITTED))
        assert dlg.date.date() == admitted                    # the admission's date, as recorded
        dlg.other_org.insert("Chi bộ Trường THCS Lê Lợi")

    dlg = opened(qtbot, EventDialog(ctx, member_id))
    with other_window(ctx) as s:
        msvc.add_event(s, member_id, msvc.EventInput(EventKind.ADMITTED, admitted, other_org="Chi bộ Sở Lao động"),
                       TODAY)
    fill(dlg)
    save(qtbot, dlg)
    assert dlg.isVisible() and CHANGED in dlg.problems.plain_text()
    assert dlg.other_org.text() == "Chi bộ Trường THCS Lê Lợi"        # what was typed stays
    assert admission_place() == "Chi bộ Sở Lao động"

    again = opened(qtbot, EventDialog(ctx, member_id))                # opened again on the history as stored
    fill(again)
    save(qtbot, again)
    assert not again.isVisible()
    assert admission_place() == "Chi bộ Trường THCS Lê Lợi"


def test_a_vote_changed_elsewhere_since_the_dialog_opened_is_not_overwritten(ctx, qtbot):
    meeting_id = new_meeting(ctx.db, dt.date(2025, 11, 20))
    with ctx.db.begin() as s:
        voters = resolution_form(s, meeting_id, None).voters     # the full members present
        res_id = mt.save_resolution(s, meeting_id, mt.ResolutionInput("Thông qua kế hoạch năm 2026", voters)).id

    def stored():
        with ctx.db.begin() as s:
            return mt.records.resolution_input_of(s.get(Resolution, res_id))

    dlg = opened(qtbot, ResolutionDialog(ctx, meeting_id, res_id))
    assert dlg.text.toPlainText() == "Thông qua kế hoạch năm 2026"
    with other_window(ctx) as s:
        mt.save_resolution(s, meeting_id, mt.ResolutionInput("Thông qua kế hoạch năm 2026", voters - 1, 1), res_id)
    dlg.other_opinions.insert("Đề nghị bổ sung chỉ tiêu")
    save(qtbot, dlg)
    assert dlg.isVisible() and CHANGED in dlg.problems.plain_text()
    assert dlg.other_opinions.text() == "Đề nghị bổ sung chỉ tiêu"        # what was typed stays
    assert (stored().in_favour, stored().against, stored().other_opinions) == (voters - 1, 1, "")

    again = opened(qtbot, ResolutionDialog(ctx, meeting_id, res_id))  # opened again: the stored vote, then saved
    assert (again.in_favour.value(), again.against.value()) == (voters - 1, 1)
    again.other_opinions.insert("Đề nghị bổ sung chỉ tiêu")
    save(qtbot, again)
    assert not again.isVisible()
    assert (stored().in_favour, stored().against, stored().other_opinions) == (voters - 1, 1,
                                                                              "Đề nghị bổ sung chỉ tiêu")


@pytest.mark.parametrize("steps", [0, 3])
def test_a_long_refusal_is_shown_whole_without_squeezing_the_fields(ctx, qtbot, steps):
    """At the normal text size and three steps larger (Ctrl++), the dialog grows to show the refusal."""
    from .gui_support import shown_window
    from .test_gui_fit import zoom_to

    window = shown_window(qtbot, ctx)
    zoom_to(window, qtbot, steps)
    try:
        _refuse_settings_and_event(ctx, qtbot, window)
    finally:
        window.zoom(0)                                    # the text size is the application's: back to normal


def _refuse_settings_and_event(ctx, qtbot, window) -> None:
    member_id = ctx.ids["Đặng Văn Phúc"]
    settings_dlg = opened(qtbot, DuesSettingsDialog(ctx, parent=window))
    event_dlg = opened(qtbot, EventDialog(ctx, member_id, parent=window))
    with other_window(ctx) as s:
        dsvc.set_dues_settings(s, dsvc.DuesSettings(1000, 1.0, 20.0, 4))
        msvc.add_event(s, member_id, msvc.EventInput(EventKind.ADMITTED, dt.date(2008, 8, 8),
                                                     other_org="Chi bộ Sở Lao động"), TODAY)
    settings_dlg.share.setValue(30)
    event_dlg.kind.setCurrentIndex(event_dlg.kind.findData(EventKind.ADMITTED))
    event_dlg.other_org.insert("Chi bộ Trường THCS Lê Lợi")
    for dlg, fields in ((settings_dlg, (settings_dlg.rounding, settings_dlg.rate, settings_dlg.share,
                                        settings_dlg.limit)),
                        (event_dlg, (event_dlg.kind, event_dlg.date, event_dlg.other_org, event_dlg.reason))):
        save(qtbot, dlg)
        QtWidgets.QApplication.processEvents()
        assert dlg.isVisible() and CHANGED in dlg.problems.plain_text()
        assert dlg.problems.height() >= dlg.problems.heightForWidth(dlg.problems.width())
        assert all(f.height() >= f.sizeHint().height() for f in fields), type(dlg).__name__
