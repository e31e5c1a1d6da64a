"""``parse_many``: many pages, streamed in order, each failure reported on its own page.

Pages go through :meth:`Pipeline.pipe` in batches so the entity stage can batch spaCy. With
``n_process > 1`` batches are spread over worker processes, each building its pipeline (and
loading its spaCy model) once; at most a few batches per worker are in flight, so memory stays
flat however many pages stream through.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from itertools import islice
from typing import Any, Literal

from newsparse.api import to_datetime
from newsparse.assemble import build_article
from newsparse.errors import NewsparseError
from newsparse.models import ParseError, ParseResult
from newsparse.pipeline import Pipeline, default_pipeline

PageInput = str | bytes | tuple[str | bytes, Mapping[str, Any]]
"""A raw page, or a raw page with its context: ``id``, ``scraped_at``, ``url``, ``format``."""

_Job = tuple[str, str | bytes, datetime | None, str | None, str | None]
_WORKER: dict[str, Pipeline] = {}


def _jobs(
    pages: Iterable[PageInput], scraped_at: datetime | None, format: str | None
) -> Iterator[_Job]:
    for index, item in enumerate(pages):
        raw, context = item if isinstance(item, tuple) else (item, {})
        yield (
            str(context.get("id", index)),
            raw,
            to_datetime(context.get("scraped_at")) or scraped_at,
            context.get("url"),
            context.get("format", format),
        )


def _error(error: BaseException) -> ParseError:
    return ParseError(type=type(error).__name__, message=str(error))


def _run_batch(pipeline: Pipeline, jobs: list[_Job], batch_size: int) -> list[ParseResult]:
    """Parse one batch; a page that fails becomes a result carrying its error."""
    results: dict[int, ParseResult] = {}
    pages = []
    for position, (page_id, raw, scraped_at, url, fmt) in enumerate(jobs):
        try:
            pages.append(
                (position, pipeline.new_page(raw, scraped_at=scraped_at, url=url, format=fmt))
            )
        except NewsparseError as refused:
            results[position] = ParseResult(id=page_id, error=_error(refused))
    done = pipeline.pipe((page for _, page in pages), batch_size=batch_size)
    for (position, _), (page, error) in zip(pages, done, strict=True):
        page_id = jobs[position][0]
        if error is None:
            try:
                results[position] = ParseResult(id=page_id, article=build_article(page))
            except Exception as failure:
                results[position] = ParseResult(id=page_id, error=_error(failure))
        else:
            results[position] = ParseResult(id=page_id, error=_error(error))
    return [results[i] for i in range(len(jobs))]


def _worker_batch(jobs: list[_Job], batch_size: int, model: str | None) -> list[ParseResult]:
    """Runs in a worker process: its pipeline is built on the first batch it receives."""
    if "pipeline" not in _WORKER:
        _WORKER["pipeline"] = default_pipeline(model=model)
    return _run_batch(_WORKER["pipeline"], jobs, batch_size)


def parse_many(
    pages: Iterable[PageInput],
    *,
    scraped_at: datetime | str | None = None,
    format: Literal["text", "html"] | None = None,
    n_process: int = 1,
    batch_size: int = 8,
    pipeline: Pipeline | None = None,
    model: str | None = None,
    progress: bool = False,
) -> Iterator[ParseResult]:
    """Parse many pages lazily, in input order, one :class:`ParseResult` per page.

    Args:
        pages: raw pages, or ``(raw, context)`` pairs whose context may give ``id``,
            ``scraped_at``, ``url`` and ``format`` for that page.
        scraped_at: scrape time for pages whose context gives none.
        format: "text" or "html" for every page (detected per page when omitted).
        n_process: worker processes (1 runs in this process). A custom ``pipeline``
            runs in this process only.
        batch_size: pages per batch (spaCy batches the entity stage over them).
        pipeline: a custom pipeline; the default one otherwise.
        model: spaCy model for the default pipeline's entity stage.
        progress: show a progress bar on stderr.

    Yields:
        ``ParseResult(id, article)`` or, for a page that failed, ``ParseResult(id, error)``.
    """
    jobs = _jobs(pages, to_datetime(scraped_at), format)
    results = _results(jobs, n_process, batch_size, pipeline, model)
    if progress:
        from tqdm import tqdm

        results = iter(tqdm(results, unit="page", desc="newsparse"))
    return results


def _results(
    jobs: Iterator[_Job],
    n_process: int,
    batch_size: int,
    pipeline: Pipeline | None,
    model: str | None,
) -> Iterator[ParseResult]:
    if n_process <= 1 or pipeline is not None:
        runner = pipeline if pipeline is not None else default_pipeline(model=model)
        while batch := list(islice(jobs, batch_size)):
            yield from _run_batch(runner, batch, batch_size)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context) as pool:
        pending: deque[tuple[list[_Job], Future[list[ParseResult]]]] = deque()
        while True:
            while len(pending) < 2 * n_process and (batch := list(islice(jobs, batch_size))):
                pending.append((batch, pool.submit(_worker_batch, batch, batch_size, model)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                yield from future.result()
            except Exception as failure:  # the worker died: report its pages, go on
                yield from (ParseResult(id=job[0], error=_error(failure)) for job in batch)
