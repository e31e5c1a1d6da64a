"""Parse a folder of scraped pages on Spark: ``mapPartitions`` over ``process_partition``.

Spark (like Dask) calls one engine-agnostic function per partition,
:func:`newsparse.process_partition`: page records in, JSON-ready result records out, in order.
Each Python worker builds the newsparse pipeline, and so loads the spaCy model, once and reuses
it for every partition it runs; a page that fails becomes a record with its error while the
rest of its partition goes on.

Run it (``pip install "newsparse[spark]"``, Java 17 on the PATH)::

    python examples/pyspark_example.py PAGES_DIR --out results.jsonl --partitions 4

It reads every file of ``PAGES_DIR`` as one page (its id is the file name), parses them on a
local Spark (``--master`` for a cluster, where every executor needs newsparse installed),
writes one JSON result record per line to ``--out``, and prints the articles table of
:func:`newsparse.to_records` as a Spark DataFrame with a declared schema.

The three lines that matter::

    pages = spark.sparkContext.binaryFiles(folder).map(lambda kv: {"id": kv[0], "raw": kv[1]})
    results = pages.mapPartitions(lambda part: process_partition(part, scraped_at=...))
    articles = results.mapPartitions(to_records)  # one row per article (or failed page)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pyspark.sql import Row, SparkSession
from pyspark.sql import types as T

from newsparse import process_partition, to_records
from newsparse.records import SCHEMAS

SPARK_TYPES = {
    "string": T.StringType(),
    "boolean": T.BooleanType(),
    "Int64": T.LongType(),
    "Float64": T.DoubleType(),
    "datetime64[ns, UTC]": T.TimestampType(),
    "object": T.ArrayType(T.StringType()),
}
"""The Spark type of each pandas dtype of :data:`newsparse.records.SCHEMAS`."""


def spark_schema(table: str) -> T.StructType:
    """The Spark schema of one newsparse table, from the same declaration pandas and Dask use."""
    columns = SCHEMAS[table]  # type: ignore[index]
    return T.StructType(
        [T.StructField(name, SPARK_TYPES[dtype]) for name, dtype in columns.items()]
    )


def _spark_row(row: dict[str, Any], table: str) -> Row:
    """A row of ``to_records`` with its ISO 8601 times turned into datetimes for Spark."""
    for name, dtype in SCHEMAS[table].items():  # type: ignore[index]
        if dtype.startswith("datetime") and row[name] is not None:
            row[name] = datetime.fromisoformat(row[name].replace("Z", "+00:00"))
    return Row(**row)


def parse_partition(pages: Iterable[tuple[str, bytes]], scraped_at: str | None) -> Iterator[dict]:
    """Spark's side of the contract: (path, bytes) pairs in, newsparse result records out."""
    records = ({"id": Path(path).name, "raw": raw} for path, raw in pages)
    return process_partition(records, scraped_at=scraped_at)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="a folder of page files (text or HTML)")
    parser.add_argument("--out", type=Path, help="write the result records here (JSON lines)")
    parser.add_argument("--partitions", type=int, default=2, help="Spark partitions")
    parser.add_argument("--master", default="local[2]", help="Spark master URL")
    parser.add_argument("--scraped-at", help="when the pages were fetched (ISO 8601)")
    args = parser.parse_args(argv)

    # Spark's Python workers must run the interpreter that has newsparse installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("newsparse")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        pages = spark.sparkContext.binaryFiles(str(args.pages.resolve()), args.partitions)
        scraped_at = args.scraped_at
        results = pages.mapPartitions(lambda part: parse_partition(part, scraped_at)).cache()

        if args.out is not None:
            with args.out.open("w", encoding="utf-8") as out:
                for record in results.toLocalIterator():
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")

        rows = results.mapPartitions(to_records).map(lambda row: _spark_row(row, "articles"))
        articles = spark.createDataFrame(rows, schema=spark_schema("articles"))
        articles.select("id", "ok", "error_type", "title", "source", "word_count").show(truncate=40)
        failed = articles.filter(~articles.ok).count()
        print(f"{articles.count()} article rows, {failed} failed pages")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
