"""Fixtures for fault tests: private PostgreSQL and Redis instances the tests may stop and restart."""
from __future__ import annotations

import uuid

import pytest

from tests.faults.private_instances import PrivatePostgres, PrivateRedis, postgres_missing, redis_missing


@pytest.fixture(scope="session")
def private_postgres():
    """A PostgreSQL cluster of this test session only (skips when the binaries are missing)."""
    reason = postgres_missing()
    if reason:
        pytest.skip(reason)
    cluster = PrivatePostgres()
    try:
        cluster.init().start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def postgres_url(private_postgres):
    """A fresh database on the private cluster, started again if a test left it stopped."""
    if not private_postgres.running():
        private_postgres.start()
    return private_postgres.create_database(f"kezek_fault_{uuid.uuid4().hex[:10]}")


@pytest.fixture
def private_redis():
    """A redis-server of this test only (skips when redis-server is missing)."""
    reason = redis_missing()
    if reason:
        pytest.skip(reason)
    redis = PrivateRedis().start()
    yield redis
    redis.remove()
