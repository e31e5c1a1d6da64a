"""Shared fixtures: the seed page and its parse (parsed once per test session)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

import newsparse

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
SEED_SCRAPED_AT = datetime(2025, 6, 21, 18, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def seed_scraped_at() -> datetime:
    return SEED_SCRAPED_AT


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (DATA / "aggregator-page.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_article(seed_text: str) -> newsparse.Article:
    return newsparse.parse(seed_text, scraped_at=SEED_SCRAPED_AT)
