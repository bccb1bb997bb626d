"""Property tests: each built-in call policy picks the same visitor from grouped candidates as from the full list."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import groupby
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.queue.policy import GROUPED, CallContext, balanced, deadline, fifo

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)


def ticket(id, kind, limit, waited_seconds):
    since = NOW - timedelta(seconds=waited_seconds)
    return SimpleNamespace(id=id, visit_kind_id=kind, wait_limit_minutes=limit, queue_since=since,
                           deadline=since + timedelta(minutes=limit))


def _numbered(rows):
    return [ticket(n, *row) for n, row in enumerate(rows, start=1)]


half_minutes = st.integers(0, 50 * 60).map(lambda s: s - s % 30)  # some tickets share a queue_since
any_queue = st.lists(st.tuples(st.sampled_from([1, 2, 3, 4]), st.sampled_from([10, 10, 30, 20, 45]), half_minutes),
                     max_size=12)
# A 30- or 45-minute visitor first, then 10-minute ones close to their limits: where rule 2's exception is decided.
tight_queue = st.tuples(
    st.tuples(st.just(1), st.sampled_from([30, 45]), st.integers(0, 15 * 60)),
    st.lists(st.tuples(st.sampled_from([2, 3, 4]), st.just(10), st.integers(0, 12 * 60)), min_size=1, max_size=8),
).map(lambda parts: [parts[0], *parts[1]])
queues = st.one_of(any_queue, tight_queue).map(_numbered)
visit_minutes = st.one_of(
    st.fixed_dictionaries({1: st.sampled_from([6.0, 12.0, 20.0]), 2: st.sampled_from([2.5, 4.0]),
                           3: st.sampled_from([4.0, 6.0]), 4: st.sampled_from([2.5, 6.0])}),
    st.dictionaries(st.sampled_from([1, 2, 3, 4]), st.sampled_from([2.5, 4.0, 6.0, 12.0, 20.0])),  # some unknown
)


def grouped(candidates):
    key = lambda t: (t.visit_kind_id, t.wait_limit_minutes)  # noqa: E731
    ordered = sorted(candidates, key=lambda t: (key(t), t.queue_since, t.id))
    return [list(group) for _key, group in groupby(ordered, key=key)]


@settings(max_examples=500, deadline=None)
@given(queue=queues, policy=st.sampled_from([deadline, balanced, fifo]),
       others=st.dictionaries(st.sampled_from([1, 2, 3, 4]), st.integers(0, 2)),
       visits=visit_minutes, stop_in=st.one_of(st.none(), st.integers(0, 40 * 60)))
def test_grouped_candidates_call_the_same_visitor(queue, policy, others, visits, stop_in):
    stop = None if stop_in is None else NOW + timedelta(seconds=stop_in)  # lunch or closing that far ahead
    full = policy(CallContext(1, queue, NOW, others, visits, stop))
    assert GROUPED[policy](grouped(queue), NOW, others, visits, stop) is full


def test_grouped_deadline_still_lets_a_visitor_about_to_miss_a_10_minute_limit_go_first():
    oldest, at_risk = ticket(1, 1, 30, 10 * 60), ticket(2, 3, 10, 5 * 60)  # C due in 5 minutes behind a 12-minute A
    visits = {1: 12.0, 3: 6.0}
    assert GROUPED[deadline]([[oldest], [at_risk]], NOW, {1: 1, 3: 1}, visits) is at_risk
    assert GROUPED[fifo]([[oldest], [at_risk]], NOW, {1: 1, 3: 1}, visits) is oldest
