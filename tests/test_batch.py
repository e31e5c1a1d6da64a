"""parse_many: order kept, ids paired, a failing page reported alone, worker processes."""

from __future__ import annotations

import pickle

import pytest

import newsparse
from newsparse import ParseResult

STORY = (
    "{title}\n\nReuters\n\n3 hours ago\n\n"
    "Officials in {place} said on Monday that the new bridge would open next spring, "
    "according to the city council, which approved the budget last week.\n"
)


def _pages() -> list[object]:
    return [
        STORY.format(title="Bridge to open in Lyon next spring", place="Lyon"),
        "",
        (b"\x00\xff\x00\xfe" * 64, {"id": "binary"}),
        (STORY.format(title="Port expansion approved in Porto", place="Porto"), {"id": "porto"}),
    ]


def _check(results: list[ParseResult]) -> None:
    assert [r.id for r in results] == ["0", "1", "binary", "porto"]
    assert [r.ok for r in results] == [True, False, False, True]
    assert results[1].error is not None and results[1].error.type == "EmptyInputError"
    assert results[2].error is not None and results[2].error.type == "BinaryInputError"
    assert results[0].article is not None and "Lyon" in results[0].article.body
    assert results[3].article is not None and "Porto" in results[3].article.body


def test_parse_many_in_process() -> None:
    results = list(newsparse.parse_many(_pages(), scraped_at="2025-06-21T18:00Z", batch_size=3))
    _check(results)


def test_parse_many_is_lazy() -> None:
    def endless() -> object:
        n = 0
        while True:
            n += 1
            yield STORY.format(title=f"Story number {n} of many", place=f"Town{n}")

    results = newsparse.parse_many(endless(), batch_size=2)  # type: ignore[arg-type]
    first = next(iter(results))
    assert first.ok and first.id == "0"


@pytest.mark.slow
def test_parse_many_with_two_processes_matches_one() -> None:
    one = list(newsparse.parse_many(_pages(), scraped_at="2025-06-21T18:00Z", batch_size=1))
    two = list(
        newsparse.parse_many(_pages(), scraped_at="2025-06-21T18:00Z", batch_size=1, n_process=2)
    )
    _check(two)
    assert [r.model_dump() for r in one] == [r.model_dump() for r in two]


def test_results_pickle() -> None:
    results = list(newsparse.parse_many(_pages()[:2], scraped_at="2025-06-21T18:00Z"))
    assert pickle.loads(pickle.dumps(results)) == results
    assert pickle.loads(pickle.dumps(newsparse.default_pipeline())).names == (
        newsparse.default_pipeline().names
    )
