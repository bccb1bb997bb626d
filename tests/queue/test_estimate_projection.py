"""Property tests: the quick projection behind the kiosk's estimate calls exactly whom the full one calls, and when."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.models import CLOSED, OPEN, PAUSED
from kezek.queue.candidates import Waiting
from kezek.queue.projection import ARRIVAL_IDS, MAX_CALLS, Newcomers, OfficeNow, after_lunch, project
from kezek.queue.visit_stats import VisitTime
from kezek.queue.hours import DaySchedule
from kezek.queue.policy import GROUPED, balanced, deadline, fifo

START = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)  # 09:00 in Taraz
KINDS = (1, 2, 3, 4)
LIMITS = {1: 30, 2: 10, 3: 10, 4: 10}
MINUTES = {1: [6.0, 11.0, 12.0, 17.5], 2: [2.5, 4.0], 3: [4.0, 6.0, 11.0], 4: [2.5, 6.0]}  # visit times to draw from


@st.composite
def offices(draw):
    """An office at some moment: cabinets (some paused or closed, some busy), waiting visitors (some sent to one
    cabinet, some transferred with an old place and another limit), visit times, newcomers, perhaps lunch."""
    now = START + timedelta(minutes=draw(st.integers(0, 400)), seconds=draw(st.sampled_from([0, 0, 17, 30])))
    cabinet_ids = list(range(101, 101 + draw(st.integers(1, 6))))
    cabinets = {
        cabinet_id: (draw(st.sampled_from([OPEN, OPEN, OPEN, PAUSED, CLOSED])),
                     frozenset(draw(st.sets(st.sampled_from(KINDS), min_size=1, max_size=4))))
        for cabinet_id in cabinet_ids
    }
    busy_until = {cabinet_id: now + timedelta(minutes=draw(st.floats(0, 15)))
                  for cabinet_id in draw(st.sets(st.sampled_from(cabinet_ids)))}
    waiting = []
    for n in range(draw(st.sampled_from([3, 8, 30]))):
        kind = draw(st.sampled_from(KINDS))
        transferred = draw(st.integers(0, 5)) == 0
        limit = draw(st.sampled_from([10, 20, 30, 45])) if transferred else LIMITS[kind]
        waited = draw(st.integers(0, 90 if transferred else draw(st.sampled_from([8, 12, 20, 50]))))  # whole minutes:
        # many share a queue_since; mostly short waits, so the fairness bound does not settle every call
        target = draw(st.sampled_from(cabinet_ids + [109])) if transferred and draw(st.booleans()) else None
        waiting.append(Waiting(n + 1, kind, now - timedelta(minutes=waited), limit, target))
    times = {kind: VisitTime(draw(st.sampled_from(MINUTES[kind])), draw(st.floats(0, 4)))
             for kind in KINDS if draw(st.integers(0, 6))}  # now and then a kind without history
    rates = {kind: draw(st.sampled_from([0.05, 0.1, 0.2, 0.35, 0.5])) for kind in draw(st.sets(st.sampled_from(KINDS)))}
    schedule = None
    if draw(st.booleans()):
        opens = now - timedelta(minutes=draw(st.integers(-20, 240)))
        lunch = opens + timedelta(minutes=draw(st.integers(30, 240))) if draw(st.booleans()) else None
        schedule = DaySchedule(now.date(), opens, now + timedelta(minutes=draw(st.integers(30, 150))),
                               lunch, lunch + timedelta(hours=1) if lunch else None)
    return OfficeNow(cabinets, busy_until, waiting, times, rates, dict(LIMITS), schedule, deadline), now


def _subject(draw_index, state, now, kind):
    if draw_index < len(state.waiting):
        return state.waiting[draw_index]
    return Waiting(ARRIVAL_IDS - 1, kind, now, LIMITS[kind])


@settings(max_examples=300, deadline=None)
@given(office=offices(), policy=st.sampled_from([deadline, balanced, fifo]), index=st.integers(0, 40),
       kind=st.sampled_from(KINDS))
def test_the_quick_projection_calls_the_visitor_at_the_same_moment_after_the_same_calls(office, policy, index, kind):
    state, now = office
    state.policy = policy
    subject = _subject(index, state, now, kind)
    quick = project(state, now, subject)
    full = project(state, now, subject, generic=True)
    assert quick == full  # called at, calls before, spread of that cabinet's visit times


def test_an_office_policy_without_a_grouped_form_is_shown_every_candidate():
    calls = []

    def newest_first(context):
        calls.append(len(context.candidates))
        return max(context.candidates, key=lambda w: (w.queue_since, w.id), default=None)

    waiting = [Waiting(n, 1, START - timedelta(minutes=n), 30) for n in range(1, 6)]
    state = OfficeNow({101: (OPEN, frozenset({1}))}, {}, waiting, {1: VisitTime(10.0, 2.0)}, {}, dict(LIMITS), None,
                    newest_first)
    subject = Waiting(ARRIVAL_IDS - 1, 1, START, 30)
    assert newest_first not in GROUPED
    called, calls_before, _spread = project(state, START, subject)
    assert (called, calls_before) == (START, 0)  # the newest comes first under this office's own rule
    assert calls == [6]


def listed_newcomers(state, now):
    """The newcomers as the estimate listed them before it made them on demand: every one up front."""
    closes = state.schedule.closes if state.schedule else now + timedelta(hours=4)
    coming = []
    for kind_id, rate in sorted(state.rates.items()):
        gap, moment = timedelta(minutes=1 / rate), now + timedelta(minutes=0.5 / rate)
        while moment < closes and len(coming) < MAX_CALLS:
            coming.append((after_lunch(state.schedule, moment), kind_id))  # lunch's arrivals come at its end
            moment += gap
    return sorted(coming, key=lambda item: item[0])


@settings(max_examples=300, deadline=None)
@given(office=offices(), rates=st.dictionaries(st.sampled_from(KINDS), st.floats(0.01, 40)),
       far=st.sampled_from([None, 10, 600]), cut=st.integers(0, 300), kinds=st.frozensets(st.sampled_from(KINDS)))
def test_newcomers_arrive_as_they_did_when_listed_up_front(office, rates, far, cut, kinds):
    state, now = office
    state.rates = rates
    if far and state.schedule:  # a long day, so the cap on newcomers decides who comes
        state.schedule = DaySchedule(now.date(), state.schedule.opens, now + timedelta(minutes=far),
                                     state.schedule.lunch_start, state.schedule.lunch_end)
    listed = listed_newcomers(state, now)
    coming = Newcomers(state, now)
    early = list(coming.until(now + timedelta(minutes=cut)))
    # an idle cabinet waits for the next newcomer of the visit kinds it serves
    assert coming.first_of(kinds) == next((at for at, kind in listed[len(early):] if kind in kinds), None)
    made = [(w.queue_since, w.visit_kind_id, w.id) for w in early + list(coming.until(now + timedelta(days=1)))]
    assert made == [(at, kind, ARRIVAL_IDS + n) for n, (at, kind) in enumerate(listed)]
