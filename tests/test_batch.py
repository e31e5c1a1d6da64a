"""parse_many and process_partition: order kept, ids paired, a failing page reported alone,
bounded work in flight, worker processes built once and replaced when one dies."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import newsparse
from newsparse import ParseResult, batch

STORY = (
    "{title}\n\nReuters\n\n3 hours ago\n\n"
    "Officials in {place} said on Monday that the new bridge would open next spring, "
    "according to the city council, which approved the budget last week.\n"
)


def _pages() -> list[object]:
    return [
        STORY.format(title="Bridge to open in Lyon next spring", place="Lyon"),
        "",
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, {"id": "binary"}),
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


# --- streaming, bounded work, malformed input, worker deaths ---------------------------------


@newsparse.stage("one-article", requires=["blocks"], assigns=["articles"])
def whole_page_is_one_article(page: newsparse.Page) -> newsparse.Page:
    """A light stand-in for segmentation, so these tests exercise batching, not parsing."""
    for block in page.blocks:
        block.role, block.article = "body", 0
    page.articles = [newsparse.ArticleDraft(is_main=True, blocks=list(range(len(page.blocks))))]
    return page


@newsparse.stage("kill-on-poison", requires=["blocks"])
def kill_worker_on_poison(page: newsparse.Page) -> newsparse.Page:
    """Kills its own process, as the out-of-memory killer would, on a page saying POISON."""
    if "POISON" in page.raw:
        os.kill(os.getpid(), signal.SIGKILL)
    return page


@newsparse.stage("raise-on-poison", requires=["blocks"])
def raise_on_poison(page: newsparse.Page) -> newsparse.Page:
    if "POISON" in page.raw:
        raise MemoryError("this page is too much")
    return page


@newsparse.stage("tag-worker", requires=["articles"])
def tag_worker(page: newsparse.Page) -> newsparse.Page:
    """Records which process and which stage object parsed the page."""
    page.articles[0].warnings.append(f"{os.getpid()}:{id(tag_worker)}")
    return page


def _light_pipeline(*extra: newsparse.Stage) -> newsparse.Pipeline:
    from newsparse.readers import ReadStage

    return newsparse.Pipeline([ReadStage(), whole_page_is_one_article, *extra])


def _story(n: int) -> str:
    return STORY.format(title=f"Story number {n} of many", place=f"Town{n}")


@pytest.mark.parametrize("n_process", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_work_in_flight_is_bounded(n_process: int) -> None:
    pulled = 0

    def pages() -> Iterator[str]:
        nonlocal pulled
        for n in range(120):
            pulled += 1
            yield _story(n)

    batch_size = 4
    results = newsparse.parse_many(
        pages(), n_process=n_process, batch_size=batch_size, pipeline=_light_pipeline()
    )
    for delivered, result in enumerate(results, start=1):
        assert result.ok
        # what was read but not yet delivered: the batches in flight, plus the one being read
        assert pulled - delivered < batch_size * (2 * n_process + 1)
    assert pulled == 120


def test_pipeline_pipe_streams_and_contains_failures() -> None:
    pipeline = _light_pipeline(raise_on_poison)
    pulled = 0

    def pages() -> Iterator[newsparse.Page]:
        nonlocal pulled
        for n in range(1_000_000):
            pulled += 1
            yield pipeline.new_page("POISON page" if n == 1 else _story(n))

    outcomes = pipeline.pipe(pages(), batch_size=3)
    first = [next(outcomes) for _ in range(3)]
    assert pulled == 3
    assert [error is None for _, error in first] == [True, False, True]
    assert isinstance(first[1][1], MemoryError)
    assert "Town2" in first[2][0].raw


def test_malformed_pages_fail_alone() -> None:
    pages: list[object] = [
        _story(0),
        (_story(1), {"id": "bad-time", "scraped_at": "the day before yesterday"}),
        (_story(2), {"id": "bad-url", "url": 42}),
        (_story(3), {"id": "bad-format", "format": "pdf"}),
        None,
        ("only raw",),
        (_story(6), {"id": "fine", "url": "https://example.org/6"}),
    ]
    results = list(newsparse.parse_many(pages, batch_size=2))  # type: ignore[arg-type]
    assert [r.id for r in results] == ["0", "bad-time", "bad-url", "bad-format", "4", "5", "fine"]
    assert [r.ok for r in results] == [True, False, False, False, False, False, True]
    errors = [r.error for r in results if r.error is not None]
    assert [e.type for e in errors] == ["InputError", "InputError", "PipelineError"] + [
        "InputError"
    ] * 2
    assert "day before yesterday" in errors[0].message
    assert results[6].article is not None and results[6].article.url == "https://example.org/6"


@pytest.mark.slow
def test_unpicklable_page_values_fail_alone_with_worker_processes() -> None:
    pages: list[object] = [
        _story(0),
        (threading.Lock(), {"id": "lock"}),
        (_story(2), {"id": "odd-url", "url": object()}),
        _story(3),
    ]
    results = list(
        newsparse.parse_many(
            pages,  # type: ignore[arg-type]
            n_process=2,
            batch_size=2,
            pipeline=_light_pipeline(),
        )
    )
    assert [(r.id, r.ok) for r in results] == [
        ("0", True),
        ("lock", False),
        ("odd-url", False),
        ("3", True),
    ]


def test_bad_arguments_raise_before_any_page() -> None:
    with pytest.raises(ValueError, match="n_process"):
        newsparse.parse_many([_story(0)], n_process=0)
    with pytest.raises(ValueError, match="batch_size"):
        newsparse.parse_many([_story(0)], batch_size=0)
    unpicklable = _light_pipeline(newsparse.stage("local")(lambda page: page))
    with pytest.raises(newsparse.PipelineError, match="worker processes"):
        newsparse.parse_many([_story(0)], n_process=2, pipeline=unpicklable)


def test_progress_bar_counts_pages(capsys: pytest.CaptureFixture[str]) -> None:
    pages = [_story(n) for n in range(5)]
    results = list(newsparse.parse_many(pages, progress=True, pipeline=_light_pipeline()))
    assert len(results) == 5
    assert "5/5" in capsys.readouterr().err


@pytest.mark.slow
def test_custom_pipeline_is_built_once_per_worker() -> None:
    pages = [_story(n) for n in range(40)]
    results = list(
        newsparse.parse_many(pages, n_process=2, batch_size=2, pipeline=_light_pipeline(tag_worker))
    )
    tags = {tag for r in results if r.article is not None for tag in r.article.warnings}
    pids = {tag.split(":")[0] for tag in tags}
    assert len(results) == 40 and all(r.ok for r in results)
    assert 1 <= len(pids) <= 2
    assert len(tags) == len(pids)  # one pipeline object per worker process
    assert str(os.getpid()) not in pids


@pytest.mark.slow
def test_a_dying_worker_loses_no_other_page() -> None:
    pages = [("POISON " if n in (4, 10) else "") + _story(n) for n in range(14)]
    results = list(
        newsparse.parse_many(
            pages, n_process=2, batch_size=3, pipeline=_light_pipeline(kill_worker_on_poison)
        )
    )
    assert [r.id for r in results] == [str(n) for n in range(14)]
    failed = {r.id: r.error for r in results if r.error is not None}
    assert sorted(failed) == ["10", "4"]
    assert all(e.type == "BrokenProcessPool" and "died" in e.message for e in failed.values())
    for n, result in enumerate(results):
        if result.article is not None:
            assert f"Town{n} " in result.article.body


# --- process_partition: the engine-agnostic entry point -------------------------------------


def test_process_partition_gives_json_records_in_order() -> None:
    records: list[object] = [
        {"id": "a", "raw": _story(0), "url": "https://example.org/a"},
        {"id": "b", "raw": "   "},
        {"raw": _story(2).encode("utf-8"), "scraped_at": "2025-01-02T03:04:05+01:00"},
        {"id": "no-raw"},
        "not a record",
        {"id": "binary", "raw": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4},
    ]
    out = list(
        newsparse.process_partition(
            records,  # type: ignore[arg-type]
            scraped_at="2025-06-21T18:00:00Z",
            batch_size=4,
        )
    )
    assert json.loads(json.dumps(out)) == out
    assert [r["id"] for r in out] == ["a", "b", "2", "no-raw", "4", "binary"]
    assert [r["ok"] for r in out] == [True, False, True, False, False, False]
    assert [r["error"]["type"] for r in out if r["error"]] == [
        "EmptyInputError",
        "InputError",
        "InputError",
        "BinaryInputError",
    ]
    assert out[0]["article"]["url"] == "https://example.org/a"
    assert out[0]["article"]["scraped_at"] == "2025-06-21T18:00:00Z"
    assert out[2]["article"]["scraped_at"] == "2025-01-02T03:04:05+01:00"
    assert newsparse.Article.model_validate(out[0]["article"]).body == out[0]["article"]["body"]


def test_process_partition_matches_parse_many() -> None:
    pages = [_story(n) for n in range(5)]
    records = [{"id": str(n), "raw": raw} for n, raw in enumerate(pages)]
    through_partition = list(newsparse.process_partition(records, scraped_at="2025-06-21T18:00Z"))
    through_many = [
        r.model_dump(mode="json")
        for r in newsparse.parse_many(pages, scraped_at="2025-06-21T18:00Z")
    ]
    assert through_partition == through_many


def test_process_partition_builds_the_default_pipeline_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[newsparse.Pipeline] = []

    def counting_default_pipeline(*, model: str | None = None) -> newsparse.Pipeline:
        built.append(newsparse.default_pipeline(model=model))
        return built[-1]

    monkeypatch.setattr(batch, "_DEFAULT_PIPELINES", {})
    monkeypatch.setattr(batch, "default_pipeline", counting_default_pipeline)
    for partition in range(3):
        records = [{"id": f"{partition}-{n}", "raw": _story(n)} for n in range(2)]
        assert all(r["ok"] for r in newsparse.process_partition(records))
    assert len(built) == 1


# --- time limit: a page stuck in a stage fails alone -----------------------------------------


@newsparse.stage("hang-on-slow", requires=["blocks"])
def hang_on_slow(page: newsparse.Page) -> newsparse.Page:
    """Never returns on a page saying SLOW, as a stage stuck in a pathological loop would."""
    if "SLOW" in page.raw:
        threading.Event().wait()
    return page


@pytest.mark.slow
@pytest.mark.parametrize("n_process", [1, 2])
def test_a_page_over_the_time_limit_fails_alone(n_process: int) -> None:
    pages = [("SLOW " if n == 3 else "") + _story(n) for n in range(8)]
    results = list(
        newsparse.parse_many(
            pages,
            n_process=n_process,
            batch_size=3,
            time_limit=3,
            pipeline=_light_pipeline(hang_on_slow),
        )
    )
    assert [r.id for r in results] == [str(n) for n in range(8)]
    failed = {r.id: r.error for r in results if r.error is not None}
    assert list(failed) == ["3"]
    assert failed["3"] is not None and failed["3"].type == "ParseTimeoutError"
    assert "time limit of 3 s" in str(failed["3"])
    for n, result in enumerate(results):
        if result.article is not None:
            assert f"Town{n} " in result.article.body


def test_time_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="time_limit"):
        newsparse.parse_many(["x"], time_limit=0)


# --- workers end with their parent -----------------------------------------------------------

_STUCK_STAGE = '''
import os, pathlib, threading
import newsparse

@newsparse.stage("stuck", requires=["blocks"])
def stuck(page):
    """Records its worker's pid, then never returns."""
    pathlib.Path(os.environ["PIDS"], str(os.getpid())).touch()
    threading.Event().wait()
    return page
'''

_PARENT = """
import newsparse
from newsparse.readers import ReadStage
from stuck_stage import stuck

pipeline = newsparse.Pipeline([ReadStage(), stuck])
list(newsparse.parse_many(["One page.", "Another page."], n_process=2, batch_size=1,
                          pipeline=pipeline))
"""


@pytest.mark.slow
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    (tmp_path / "stuck_stage.py").write_text(_STUCK_STAGE)
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {**os.environ, "PIDS": str(pids), "PYTHONPATH": str(tmp_path)}
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2, "the workers never started their pages"
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    """True while ``pid`` is a running process (a zombie left to a container's init is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(") ", 1)[-1][:1] not in ("Z", "X")
