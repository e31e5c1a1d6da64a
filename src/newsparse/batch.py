"""Many pages at once: ``parse_many`` locally, ``process_partition`` on any engine.

Both stream: pages go through :meth:`Pipeline.pipe` a batch at a time (so the entity stage can
batch spaCy), results come back in input order, each paired with its page's id, and a page that
fails becomes a result carrying its error while the others go on.

``parse_many(..., n_process=N)`` spreads batches over N worker processes. Each worker builds its
pipeline (and loads its spaCy model) once, at most ``2 * N`` batches are in flight, so memory
stays flat however many pages stream through. A worker that dies (killed, out of memory) breaks
the whole process pool: the pool is rebuilt, every batch that was in flight is re-run on its own
to find the one that killed it, and that batch is re-run page by page so only the culprit page
is reported as failed. With ``time_limit``, pages always run in worker processes (only a
process can be stopped): a batch still running after ``time_limit`` seconds per page has its
workers stopped and goes the same way, page by page, each page under the limit on its own.

``process_partition`` is the engine-agnostic entry point that Dask (``newsparse.dask``), Spark
(``examples/pyspark_example.py``) or any other engine maps over its partitions: JSON-ready dicts
in and out, with the default pipeline built once per process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sized
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from itertools import islice
from multiprocessing.connection import wait as wait_for_ready
from multiprocessing.synchronize import Barrier
from threading import BrokenBarrierError
from typing import Any, NamedTuple

from newsparse.assemble import build_article
from newsparse.document import InputFormat, Page
from newsparse.errors import InputError, ParseTimeoutError, PipelineError
from newsparse.models import ParseError, ParseResult
from newsparse.pipeline import Pipeline, default_pipeline, to_datetime

PageInput = str | bytes | tuple[str | bytes, Mapping[str, Any]]
"""A raw page, or a raw page with its context: ``id``, ``scraped_at``, ``url``, ``format``."""


class _Job(NamedTuple):
    """One page to parse, with its context. Every value pickles: see :func:`_job`."""

    id: str
    raw: str | bytes | None
    scraped_at: str | datetime | None = None
    url: str | None = None
    format: str | None = None
    problem: str | None = None
    """Why the page cannot be parsed at all (its raw or context has the wrong type)."""


class _InFlight(NamedTuple):
    """A batch submitted to the worker pool and the future of its results."""

    jobs: list[_Job]
    future: Future[list[ParseResult]]


_DEFAULT_PIPELINES: dict[str | None, Pipeline] = {}
"""The default pipeline of this process, per spaCy model name: each model loads once."""

_WORKER: dict[str, Any] = {}
"""State of a ``parse_many`` worker process: the pickled custom pipeline, then the pipeline,
and the barrier its warm-up waits at."""


def _default_pipeline(model: str | None) -> Pipeline:
    """The default pipeline for ``model``, built once per process and reused afterwards."""
    if model not in _DEFAULT_PIPELINES:
        _DEFAULT_PIPELINES[model] = default_pipeline(model=model)
    return _DEFAULT_PIPELINES[model]


def _job(page_id: str, raw: object, scraped_at: object, url: object, format: object) -> _Job:
    """The job of one page; a value of the wrong type becomes the page's problem, so that it
    fails alone, and is dropped, so that the job still pickles to a worker process."""
    if not isinstance(raw, str | bytes):
        problem = f"a page must be str or bytes, not {type(raw).__name__}"
    elif not (scraped_at is None or isinstance(scraped_at, str | datetime)):
        problem = f"scraped_at must be an ISO 8601 string or a datetime, not {scraped_at!r}"
    elif not (url is None or isinstance(url, str)):
        problem = f"url must be a string, not {type(url).__name__}"
    elif not (format is None or isinstance(format, str)):
        problem = f"format must be 'text' or 'html', not {format!r}"
    else:
        return _Job(page_id, raw, scraped_at, url, format)
    return _Job(page_id, None, problem=problem)


def _page_jobs(
    pages: Iterable[PageInput], scraped_at: datetime | None, format: InputFormat | None
) -> Iterator[_Job]:
    for index, item in enumerate(pages):
        if not isinstance(item, tuple):
            yield _job(str(index), item, scraped_at, None, format)
        elif len(item) != 2 or not isinstance(item[1], Mapping):
            yield _Job(str(index), None, problem="a page tuple must be (raw, context mapping)")
        else:
            raw, context = item
            yield _job(
                str(context.get("id", index)),
                raw,
                context.get("scraped_at") or scraped_at,
                context.get("url"),
                context.get("format", format),
            )


def _record_job(
    index: int, record: object, scraped_at: datetime | None, format: InputFormat | None
) -> _Job:
    if not isinstance(record, Mapping):
        problem = f"a record must be a mapping with 'raw', not {type(record).__name__}"
        return _Job(str(index), None, problem=problem)
    page_id = str(record.get("id", index))
    if "raw" not in record:
        return _Job(page_id, None, problem="the record has no 'raw'")
    return _job(
        page_id,
        record["raw"],
        record.get("scraped_at") or scraped_at,
        record.get("url"),
        record.get("format") or format,
    )


def _new_page(pipeline: Pipeline, job: _Job) -> Page:
    if job.problem is not None or job.raw is None:
        raise InputError(job.problem or "the page has no raw input")
    return pipeline.new_page(
        job.raw, scraped_at=to_datetime(job.scraped_at), url=job.url, format=job.format
    )


def _failure(page_id: str, error: BaseException, message: str | None = None) -> ParseResult:
    return ParseResult(
        id=page_id,
        error=ParseError(type=type(error).__name__, message=message or str(error)),
    )


def _run_batch(pipeline: Pipeline, jobs: list[_Job], batch_size: int) -> list[ParseResult]:
    """Parse one batch; a page that fails becomes a result carrying its error."""
    results: dict[int, ParseResult] = {}
    started: list[tuple[int, Page]] = []
    for position, job in enumerate(jobs):
        try:
            started.append((position, _new_page(pipeline, job)))
        except Exception as refused:
            results[position] = _failure(job.id, refused)
    done = pipeline.pipe((page for _, page in started), batch_size=batch_size)
    for (position, _), (page, error) in zip(started, done, strict=True):
        page_id = jobs[position].id
        if error is not None:
            results[position] = _failure(page_id, error)
            continue
        try:
            results[position] = ParseResult(id=page_id, article=build_article(page))
        except Exception as failure:
            results[position] = _failure(page_id, failure)
    return [results[position] for position in range(len(jobs))]


def _start_worker(pickled_pipeline: bytes | None, barrier: Barrier | None) -> None:
    """Pool initializer: keep the custom pipeline's bytes (unpickled on the first batch), and
    watch the parent."""
    _WORKER["pickled"] = pickled_pipeline
    _WORKER["barrier"] = barrier
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=_exit_with, args=(parent.sentinel,), name="newsparse-parent", daemon=True
        ).start()


def _exit_with(parent_sentinel: int) -> None:
    """End this worker as soon as the process that started it is gone: killed mid-batch, it
    would leave workers parsing (or stuck on) pages nobody will read, holding their memory."""
    wait_for_ready([parent_sentinel])
    os._exit(1)


def _worker_pipeline(model: str | None) -> Pipeline:
    """This worker's pipeline, built (or unpickled) on first use."""
    if "pipeline" not in _WORKER:
        pickled = _WORKER.get("pickled")
        _WORKER["pipeline"] = (
            pickle.loads(pickled) if pickled is not None else _default_pipeline(model)
        )
    pipeline: Pipeline = _WORKER["pipeline"]
    return pipeline


def _warm_up(model: str | None) -> None:
    """Build this worker's pipeline, then wait for every other worker to have built its own:
    with one warm-up per worker, no page's time limit pays for start-up or model loading."""
    barrier: Barrier = _WORKER["barrier"]
    try:
        _worker_pipeline(model)
    except BaseException:
        barrier.abort()
        raise
    barrier.wait()


def _worker_batch(jobs: list[_Job], batch_size: int, model: str | None) -> list[ParseResult]:
    """Runs in a worker process, with the worker's pipeline."""
    return _run_batch(_worker_pipeline(model), jobs, batch_size)


def parse_many(
    pages: Iterable[PageInput],
    *,
    scraped_at: datetime | str | None = None,
    format: InputFormat | None = None,
    n_process: int = 1,
    batch_size: int = 8,
    pipeline: Pipeline | None = None,
    model: str | None = None,
    progress: bool = False,
    time_limit: float | None = None,
) -> Iterator[ParseResult]:
    """Parse many pages lazily, in input order, one :class:`ParseResult` per page.

    Args:
        pages: raw pages, or ``(raw, context)`` pairs whose context may give ``id``,
            ``scraped_at``, ``url`` and ``format`` for that page. Read lazily: any iterable,
            however long, streams in constant memory.
        scraped_at: scrape time for pages whose context gives none.
        format: "text" or "html" for every page (detected per page when omitted).
        n_process: worker processes (1 runs in this process). Workers are spawned, so a
            script calling this needs an ``if __name__ == "__main__":`` guard.
        batch_size: pages per batch (spaCy batches the entity stage over them).
        pipeline: a custom pipeline; the default one otherwise. With ``n_process > 1`` it is
            pickled once to each worker.
        model: spaCy model for the default pipeline's entity stage.
        progress: show a progress bar on stderr.
        time_limit: seconds a page may take; pages then run in worker processes even with
            ``n_process=1``. A batch gets ``time_limit`` per page; one over it has its workers
            stopped and is re-run page by page, so only a page over the limit on its own fails.

    Yields:
        ``ParseResult(id, article)`` or, for a page that failed, ``ParseResult(id, error)``.
        A page whose worker process died is reported with error type ``BrokenProcessPool``,
        a page over ``time_limit`` with ``ParseTimeoutError``.

    Raises:
        ValueError: ``n_process`` or ``batch_size`` is below 1, or ``time_limit`` is not
            positive.
        PipelineError: the custom pipeline cannot be pickled to worker processes.

    Example:
        >>> for result in parse_many([(raw, {"id": "a.txt"})], n_process=2):
        ...     print(result.id, result.article.title if result.ok else result.error)
    """
    if n_process < 1 or batch_size < 1:
        raise ValueError(f"n_process and batch_size must be >= 1, not {n_process}, {batch_size}")
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, not {time_limit}")
    jobs = _page_jobs(pages, to_datetime(scraped_at), format)
    results: Iterator[ParseResult]
    if n_process == 1 and time_limit is None:
        runner = pipeline if pipeline is not None else _default_pipeline(model)
        results = _local_results(runner, jobs, batch_size)
    else:
        pickled = None
        if pipeline is not None:
            try:
                pickled = pickle.dumps(pipeline)
            except Exception as error:
                raise PipelineError(
                    f"the pipeline cannot be sent to worker processes: {error}"
                ) from error
        results = _pooled_results(jobs, batch_size, n_process, pickled, model, time_limit)
    if progress:
        from tqdm import tqdm

        total = len(pages) if isinstance(pages, Sized) else None
        results = iter(tqdm(results, total=total, unit="page", desc="newsparse"))
    return results


def _local_results(
    pipeline: Pipeline, jobs: Iterator[_Job], batch_size: int
) -> Iterator[ParseResult]:
    while batch := list(islice(jobs, batch_size)):
        yield from _run_batch(pipeline, batch, batch_size)


class _OverTime(BrokenProcessPool):
    """A batch ran past its time allowance, so its workers were stopped."""


class _WorkerPool:
    """A process pool that can be rebuilt after one of its workers died or was stopped."""

    def __init__(
        self,
        n_process: int,
        pickled_pipeline: bytes | None,
        model: str | None,
        time_limit: float | None = None,
    ) -> None:
        self.n_process = n_process
        self.pickled_pipeline = pickled_pipeline
        self.model = model
        self.time_limit = time_limit
        self.executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        """A fresh pool; under a time limit, its workers are started and warmed up first."""
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(self.n_process) if self.time_limit is not None else None
        executor = ProcessPoolExecutor(
            max_workers=self.n_process,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.pickled_pipeline, barrier),
        )
        if barrier is not None:
            warm_ups = [executor.submit(_warm_up, self.model) for _ in range(self.n_process)]
            wait(warm_ups)
            failures = [error for f in warm_ups if (error := f.exception()) is not None]
            failures.sort(key=lambda error: isinstance(error, BrokenBarrierError))
            if failures:  # a pipeline that cannot be built: its error, not the barrier's
                executor.shutdown(cancel_futures=True)
                raise failures[0]
        return executor

    def submit(self, jobs: list[_Job], batch_size: int) -> _InFlight:
        """Send a batch to a worker; on an already broken pool the future holds the error."""
        future: Future[list[ParseResult]]
        try:
            future = self.executor.submit(_worker_batch, jobs, batch_size, self.model)
        except BrokenProcessPool as broken:
            future = Future()
            future.set_exception(broken)
        return _InFlight(jobs, future)

    def results(self, batch: _InFlight) -> list[ParseResult]:
        """The batch's results once done; past its time allowance its workers are stopped,
        which breaks the pool (``BrokenProcessPool``), as a worker's death would."""
        allowance = None if self.time_limit is None else self.time_limit * len(batch.jobs)
        try:
            return batch.future.result(timeout=allowance)
        except TimeoutError:
            self.stop_workers()
            raise _OverTime from None

    def stop_workers(self) -> None:
        """Kill the worker processes: the only way to stop a page stuck in a stage."""
        kill_workers = getattr(self.executor, "kill_workers", None)  # Python 3.14+
        if kill_workers is not None:
            kill_workers()
            return
        for process in list(getattr(self.executor, "_processes", {}).values()):
            process.kill()

    def rebuild(self) -> None:
        """Replace a broken executor by a fresh one."""
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._new_executor()

    def run_alone(self, jobs: list[_Job], batch_size: int) -> list[ParseResult]:
        """Run one batch with nothing else in flight, so a worker death is pinned on it.

        A batch that kills its worker (or runs over its time) is re-run page by page; only
        the page (or pages) that do so on their own are reported as failed.
        """
        outcome = self._run_isolated(jobs, batch_size)
        if isinstance(outcome, list):
            return outcome
        return self.run_page_by_page(jobs, batch_size)

    def run_page_by_page(self, jobs: list[_Job], batch_size: int) -> list[ParseResult]:
        """Run each page alone: a page that kills its worker or runs over time fails alone."""
        results: list[ParseResult] = []
        for job in jobs:
            alone = self._run_isolated([job], batch_size)
            results.extend(alone if isinstance(alone, list) else [self._lost(job, alone)])
        return results

    def _run_isolated(
        self, jobs: list[_Job], batch_size: int
    ) -> list[ParseResult] | BrokenProcessPool:
        """The batch's results, or (after rebuilding the pool) why its worker was lost."""
        try:
            return self.results(self.submit(jobs, batch_size))
        except BrokenProcessPool as lost:
            self.rebuild()
            return lost

    def _lost(self, job: _Job, why: BrokenProcessPool) -> ParseResult:
        if isinstance(why, _OverTime):
            return _failure(
                job.id,
                ParseTimeoutError(
                    f"the page took longer than the time limit of {self.time_limit:g} s; "
                    "its worker process was stopped"
                ),
            )
        return _failure(
            job.id,
            BrokenProcessPool(),
            "the worker process died while parsing this page (killed, out of memory, or a crash)",
        )

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _pooled_results(
    jobs: Iterator[_Job],
    batch_size: int,
    n_process: int,
    pickled_pipeline: bytes | None,
    model: str | None,
    time_limit: float | None,
) -> Iterator[ParseResult]:
    pool = _WorkerPool(n_process, pickled_pipeline, model, time_limit)
    in_flight: deque[_InFlight] = deque()
    try:
        while True:
            while len(in_flight) < 2 * pool.n_process and (batch := list(islice(jobs, batch_size))):
                in_flight.append(pool.submit(batch, batch_size))
            if not in_flight:
                return
            try:
                results = pool.results(in_flight[0])
            except BrokenProcessPool as broken:
                yield from _recover(
                    pool, in_flight, batch_size, timed_out=isinstance(broken, _OverTime)
                )
                continue
            in_flight.popleft()
            yield from results
    finally:
        pool.close()


def _recover(
    pool: _WorkerPool, in_flight: deque[_InFlight], batch_size: int, *, timed_out: bool
) -> Iterator[ParseResult]:
    """After a worker died or was stopped: keep finished batches, re-run the others alone on
    a fresh pool; the first batch goes straight to page by page when it ran out of time."""
    wait([entry.future for entry in in_flight])
    pool.rebuild()
    if timed_out:
        yield from pool.run_page_by_page(in_flight.popleft().jobs, batch_size)
    while in_flight:
        jobs, future = in_flight.popleft()
        if future.exception() is None:
            yield from future.result()
        else:
            yield from pool.run_alone(jobs, batch_size)


def process_partition(
    records: Iterable[Mapping[str, Any]],
    *,
    scraped_at: datetime | str | None = None,
    format: InputFormat | None = None,
    batch_size: int = 8,
    model: str | None = None,
    pipeline: Pipeline | None = None,
) -> Iterator[dict[str, Any]]:
    """Parse one partition of page records into JSON-ready result records, in order.

    The function every engine maps over its partitions (Dask ``map_partitions``, Spark
    ``mapPartitions``, a multiprocessing pool, a plain loop). The default pipeline, and so the
    spaCy model, is built on first use and then reused by every partition this process runs.

    Args:
        records: mappings with ``raw`` (str or bytes) and optionally ``id``, ``scraped_at``
            (ISO 8601 string or datetime), ``url`` and ``format`` ("text" or "html"). A record
            without ``id`` gets its position in the partition.
        scraped_at: scrape time for records that give none.
        format: input format for records that give none (detected when omitted).
        batch_size: pages per batch (spaCy batches the entity stage over them).
        model: spaCy model for the default pipeline's entity stage.
        pipeline: a custom pipeline, used as given (engines ship it with each task).

    Yields:
        ``{"id", "ok", "article", "error"}`` per record: ``article`` is the Article as JSON
        (``Article.model_dump(mode="json")``) or None, ``error`` is ``{"type", "message"}`` or
        None. A malformed record (not a mapping, no ``raw``, bad ``scraped_at``) fails alone.

    Example:
        >>> rdd.mapPartitions(lambda rows: process_partition(r.asDict() for r in rows))
    """
    runner = pipeline if pipeline is not None else _default_pipeline(model)
    default_time = to_datetime(scraped_at)
    jobs = (
        _record_job(index, record, default_time, format) for index, record in enumerate(records)
    )
    while batch := list(islice(jobs, batch_size)):
        for result in _run_batch(runner, batch, batch_size):
            yield {
                "id": result.id,
                "ok": result.ok,
                "article": result.article.model_dump(mode="json") if result.article else None,
                "error": result.error.model_dump(mode="json") if result.error else None,
            }
