"""Fixtures for the directory importer tests: the seed's text (a copy kept beside the tests)."""
from pathlib import Path

import pytest

from directory.importer import parse_seed

SEED = Path(__file__).parent / "data" / "000_cec8ad15de2c58c1.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed resolution N 120, exactly as shipped."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(seed_text):
    """The directory parsed from the seed."""
    return parse_seed(seed_text)
