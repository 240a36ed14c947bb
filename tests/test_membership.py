import datetime as dt

from models import EventKind, MemberEvent
from models.member import DisciplineForm
from services.membership import Gone, Status, in_branch_during, probation_due, state_on

D = dt.date


def ev(kind, date, **kw):
    return MemberEvent(kind=kind, date=date, **kw)


def test_probationary_then_full():
    events = [ev(EventKind.ADMITTED, D(2024, 3, 1)), ev(EventKind.MADE_FULL, D(2025, 3, 5))]
    assert state_on(events, D(2024, 2, 28)).in_branch is False
    assert state_on(events, D(2024, 3, 1)).status == Status.PROBATIONARY
    assert state_on(events, D(2025, 3, 5)).status == Status.FULL


def test_transfer_in_starts_membership_in_branch_when_admitted_elsewhere():
    events = [ev(EventKind.ADMITTED, D(2010, 1, 1)), ev(EventKind.MADE_FULL, D(2011, 1, 5)),
              ev(EventKind.TRANSFER_IN, D(2025, 4, 15), other_org="Chi bộ X")]
    assert state_on(events, D(2020, 1, 1)).in_branch is False
    st = state_on(events, D(2025, 12, 31))
    assert st.in_branch and st.joined_branch == D(2025, 4, 15) and st.status == Status.FULL


def test_transfer_out_ends_membership():
    events = [ev(EventKind.ADMITTED, D(2010, 1, 1)), ev(EventKind.MADE_FULL, D(2011, 1, 5)),
              ev(EventKind.TRANSFER_OUT, D(2025, 9, 1), other_org="Đảng bộ huyện")]
    assert state_on(events, D(2025, 8, 31)).in_branch
    st = state_on(events, D(2025, 12, 31))
    assert not st.in_branch and st.gone == Gone.TRANSFERRED
    assert in_branch_during(events, D(2025, 1, 1), D(2025, 12, 31))
    assert not in_branch_during(events, D(2026, 1, 1), D(2026, 12, 31))


def test_exemption_period_has_start_and_end():
    events = [ev(EventKind.ADMITTED, D(2000, 1, 1)), ev(EventKind.MADE_FULL, D(2001, 1, 2)),
              ev(EventKind.EXEMPT, D(2024, 11, 5), end_date=D(2025, 6, 30))]
    assert not state_on(events, D(2024, 11, 4)).exempt
    assert state_on(events, D(2025, 1, 1)).exempt
    assert not state_on(events, D(2025, 7, 1)).exempt
    assert not state_on(events, D(2025, 1, 1)).active


def test_expulsion_death_and_removal_end_membership():
    base = [ev(EventKind.ADMITTED, D(2000, 1, 1)), ev(EventKind.MADE_FULL, D(2001, 1, 2))]
    expelled = base + [ev(EventKind.DISCIPLINE, D(2025, 5, 1), form=DisciplineForm.EXPULSION)]
    reprimand = base + [ev(EventKind.DISCIPLINE, D(2025, 5, 1), form=DisciplineForm.REPRIMAND)]
    died = base + [ev(EventKind.DIED, D(2025, 5, 1))]
    assert state_on(expelled, D(2025, 6, 1)).gone == Gone.EXPELLED
    assert state_on(reprimand, D(2025, 6, 1)).in_branch
    assert state_on(died, D(2025, 6, 1)).gone == Gone.DIED


def test_probation_due_twelve_months_after_admission():
    assert probation_due([ev(EventKind.ADMITTED, D(2024, 2, 29))]) == D(2025, 2, 28)
    assert probation_due([ev(EventKind.ADMITTED, D(2024, 2, 1)), ev(EventKind.MADE_FULL, D(2025, 2, 2))]) is None


def test_states_of_many_members_in_one_pass_are_each_members_state():
    """`states_on` (the register: every member's state on a date from one query of all events) gives for
    each member what `state_on` gives for their events alone, whatever order the events were entered in."""
    from operator import attrgetter

    from services.membership import states_on

    histories = {
        1: [ev(EventKind.ADMITTED, D(2024, 3, 1)), ev(EventKind.MADE_FULL, D(2025, 3, 5))],
        2: [ev(EventKind.TRANSFER_IN, D(2025, 4, 15), other_org="Chi bộ X"), ev(EventKind.ADMITTED, D(2010, 1, 1))],
        3: [ev(EventKind.ADMITTED, D(2000, 1, 1)), ev(EventKind.EXEMPT, D(2024, 11, 5), end_date=D(2025, 6, 30)),
            ev(EventKind.TRANSFER_OUT, D(2025, 9, 1), other_org="Đảng bộ huyện")],
        4: [ev(EventKind.ADMITTED, D(2000, 1, 1)), ev(EventKind.DIED, D(2025, 5, 1))],
    }
    for member_id, events in histories.items():
        for i, e in enumerate(events):
            e.member_id, e.id = member_id, 10 * member_id + i
    flat = [e for events in histories.values() for e in events]
    for on in (D(2009, 12, 31), D(2024, 12, 1), D(2025, 5, 1), D(2025, 6, 30), D(2025, 7, 1), D(2025, 12, 31)):
        states = states_on(flat, attrgetter("member_id"), on)
        assert states == {m: state_on(events, on) for m, events in histories.items()}
        # As the register reads them: in date order within each member, not sorted again.
        in_order = [e for events in histories.values() for e in sorted(events, key=lambda e: (e.date, e.id))]
        assert states_on(in_order, attrgetter("member_id"), on, in_order=True) == states
    assert states[2].joined_branch == D(2025, 4, 15) and states[3].gone == Gone.TRANSFERRED
    assert states_on([], attrgetter("member_id"), D(2025, 1, 1)) == {}
