"""A dashboard's queries run side by side on PostgreSQL connections of their own only when
that cannot change a figure: the session holds no transaction (so no uncommitted change)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import event, text

from casebook.analytics.dashboards import dashboard, stats_summary
from casebook.analytics.filters import AnalyticsFilter
from tests.analytics_fixture import build

MID_MONTH = AnalyticsFilter(date_from=date(2024, 8, 10), date_to=date(2024, 10, 20))


def _threads_checking_out(engine) -> tuple[list[str], object]:
    seen: list[str] = []

    def listener(*_args: object) -> None:
        seen.append(threading.current_thread().name)

    event.listen(engine, "checkout", listener)
    return seen, listener


def test_outside_a_transaction_the_queries_fan_out_and_agree(session, engine, factory) -> None:
    build(factory)
    session.commit()
    assert not session.in_transaction()
    seen, listener = _threads_checking_out(engine)
    try:
        fanned = dashboard(session, actor=factory.admin, filters=MID_MONTH)
        summary = stats_summary(session, actor=factory.admin, filters=MID_MONTH)
    finally:
        event.remove(engine, "checkout", listener)
    workers = {name for name in seen if name != threading.current_thread().name}
    # PostgreSQL answers on connections of its own; SQLite stays on one (no gain measured)
    assert len(workers) >= 2 if engine.dialect.name == "postgresql" else workers == set()
    session.execute(text("SELECT 1"))  # now inside a transaction: one query after another
    assert session.in_transaction()
    assert dashboard(session, actor=factory.admin, filters=MID_MONTH) == fanned
    assert stats_summary(session, actor=factory.admin, filters=MID_MONTH) == summary
    assert fanned.total == 4 and summary["total"] == 4


def test_a_session_with_uncommitted_changes_sees_them(session, factory) -> None:
    build(factory)
    session.commit()
    before = dashboard(session, actor=factory.admin, filters=AnalyticsFilter())
    session.execute(text("UPDATE incident SET status = 'convicted'"))  # not committed
    try:
        after = dashboard(session, actor=factory.admin, filters=AnalyticsFilter())
        assert after.by_status == [{"status": "convicted", "count": before.total}]
    finally:
        session.rollback()
    assert dashboard(session, actor=factory.admin, filters=AnalyticsFilter()) == before
