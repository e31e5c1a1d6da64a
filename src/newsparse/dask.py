"""Parse pages on a Dask cluster: ``parse_bag`` and ``to_dataframe`` over a bag of records.

Requires ``pip install "newsparse[dask]"``. Each partition goes through
:func:`newsparse.batch.process_partition`, the engine-agnostic function Spark uses too, so a
worker process builds the pipeline (and loads the spaCy model) once, and a page that fails is a
result record with its error while the rest of its partition goes on.

    >>> import dask.bag as db
    >>> from newsparse.dask import parse_bag, to_dataframe
    >>> records = [{"id": p.name, "raw": p.read_bytes()} for p in paths]
    >>> pages = db.from_sequence(records, npartitions=8)
    >>> results = parse_bag(pages, scraped_at="2025-06-21T18:00:00Z")
    >>> articles = to_dataframe(results)                       # one row per article
    >>> entities = to_dataframe(results, table="entities")     # one row per entity

A worker process that dies is Dask's to handle: the scheduler re-runs its tasks on another
worker, and raises ``KilledWorker`` if one partition keeps killing workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import dask.bag
import dask.config
import dask.dataframe
from dask.delayed import delayed

from newsparse.batch import process_partition
from newsparse.document import InputFormat
from newsparse.pipeline import Pipeline
from newsparse.records import Table
from newsparse.records import to_dataframe as pandas_frame

__all__ = ["parse_bag", "to_dataframe"]


def _parse_partition(records: Iterable[Mapping[str, Any]], **options: Any) -> list[dict[str, Any]]:
    # A list, not process_partition's iterator: a partition read by two tasks (articles and
    # entities from one bag) must not be an iterator that the first one exhausts.
    return list(process_partition(records, **options))


def parse_bag(
    bag: dask.bag.Bag,
    *,
    scraped_at: datetime | str | None = None,
    format: InputFormat | None = None,
    batch_size: int = 8,
    model: str | None = None,
    pipeline: Pipeline | None = None,
) -> dask.bag.Bag:
    """A bag of result records, one per page record of ``bag``, in order.

    Args:
        bag: page records, mappings with ``raw`` and optionally ``id``, ``scraped_at``,
            ``url``, ``format`` (see :func:`~newsparse.batch.process_partition`).
        scraped_at: scrape time for records that give none.
        format: input format for records that give none (detected when omitted).
        batch_size: pages per spaCy batch inside a partition.
        model: spaCy model for the default pipeline's entity stage.
        pipeline: a custom pipeline (shipped to the workers with each task).

    Returns:
        A lazy bag of ``{"id", "ok", "article", "error"}`` JSON-ready dicts.
    """
    options = {"scraped_at": scraped_at, "format": format, "batch_size": batch_size}
    parsed: dask.bag.Bag = bag.map_partitions(  # type: ignore[no-untyped-call,unused-ignore]
        _parse_partition, **options, model=model, pipeline=pipeline
    )
    return parsed


def to_dataframe(results: dask.bag.Bag, table: Table = "articles") -> dask.dataframe.DataFrame:
    """One tidy table of a bag of result records as a Dask DataFrame with a declared schema.

    Args:
        results: the bag :func:`parse_bag` returns.
        table: "articles", "entities", "citations", "times" or "quotes" (columns in
            :data:`newsparse.records.SCHEMAS`).

    Returns:
        A lazy DataFrame, one partition per bag partition, whose ``meta`` is the table's schema.
    """
    partitions = results.to_delayed()  # type: ignore[no-untyped-call,unused-ignore]
    frames = [delayed(pandas_frame)(partition, table) for partition in partitions]
    # The schema declares every dtype; Dask's automatic object -> string conversion would turn
    # the list columns (authors, warnings) into their repr.
    with dask.config.set({"dataframe.convert-string": False}):
        frame: dask.dataframe.DataFrame = dask.dataframe.from_delayed(
            frames, meta=pandas_frame([], table), verify_meta=True
        )
    return frame
