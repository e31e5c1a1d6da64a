"""newsparse.dask on a real local cluster: two worker processes, a poisoned page fails alone."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

import newsparse
from newsparse.records import SCHEMAS

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import dask.bag  # noqa: E402

from newsparse.dask import parse_bag, to_dataframe  # noqa: E402

pytestmark = pytest.mark.slow

STORY = (
    "{place} approves new bridge\n\nReuters\n\n3 hours ago\n\n"
    "Officials in {place} said on Monday that the new bridge would open next spring, "
    "according to the city council, which approved the budget last week.\n"
)
SCRAPED_AT = "2025-06-21T18:00:00Z"


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


def _records() -> list[dict[str, object]]:
    places = ["Lyon", "Porto", "Gdansk", "Turku", "Bilbao", "Graz", "Ghent", "Split"]
    records: list[dict[str, object]] = [
        {"id": place.lower(), "raw": STORY.format(place=place)} for place in places
    ]
    records[2:2] = [{"id": "empty", "raw": "  \n "}, {"id": "none", "raw": None}]
    records[7:7] = [
        {"id": "binary", "raw": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4}
    ]
    return records


POISONED = {"empty": "EmptyInputError", "none": "InputError", "binary": "BinaryInputError"}


def test_parse_bag_on_two_worker_processes(client: distributed.Client) -> None:
    records = _records()
    bag = dask.bag.from_sequence(records, npartitions=4)
    results = parse_bag(bag, scraped_at=SCRAPED_AT, batch_size=2).compute()
    assert [r["id"] for r in results] == [r["id"] for r in records]
    failed = {r["id"]: r["error"]["type"] for r in results if not r["ok"]}
    assert failed == POISONED
    for record, result in zip(records, results, strict=True):
        if result["ok"]:
            assert str(record["raw"]).split()[0] in result["article"]["body"]
    # the cluster parses exactly as this process does
    assert results == list(newsparse.process_partition(records, scraped_at=SCRAPED_AT))
    worker_modules = client.run(lambda: "newsparse.batch" in sys.modules)
    assert len(worker_modules) == 2 and any(worker_modules.values())


@newsparse.stage("poison", requires=["blocks"])
def exhaust_memory_on_poison(page: newsparse.Page) -> newsparse.Page:
    if "POISON" in page.raw:
        raise MemoryError("this page asks for too much")
    return page


def test_a_poisoned_page_in_a_custom_stage_fails_alone(client: distributed.Client) -> None:
    pipeline = newsparse.default_pipeline().add(exhaust_memory_on_poison, after="read")
    records = [{"id": str(n), "raw": STORY.format(place=f"Town{n}")} for n in range(6)]
    records[3]["raw"] = "POISON " + str(records[3]["raw"])
    bag = dask.bag.from_sequence(records, npartitions=2)
    results = parse_bag(bag, scraped_at=SCRAPED_AT, pipeline=pipeline).compute()
    assert [r["ok"] for r in results] == [True, True, True, False, True, True]
    assert results[3]["error"] == {"type": "MemoryError", "message": "this page asks for too much"}


def test_dataframes_follow_the_declared_schema(client: distributed.Client) -> None:
    records = _records()
    results = parse_bag(dask.bag.from_sequence(records, npartitions=3), scraped_at=SCRAPED_AT)
    for table in SCHEMAS:
        frame = to_dataframe(results, table)  # type: ignore[arg-type]
        computed = frame.compute()
        assert list(frame.columns) == list(SCHEMAS[table])  # type: ignore[index]
        assert [str(t) for t in computed.dtypes] == [str(t) for t in frame.dtypes]
        local = newsparse.to_records(
            newsparse.process_partition(records, scraped_at=SCRAPED_AT), table
        )  # type: ignore[arg-type]
        assert len(computed) == len(local)
    articles = to_dataframe(results).compute()
    main_articles = articles[articles["article_index"] == 0]
    assert main_articles["id"].tolist() == [r["id"] for r in records]
    assert set(articles.loc[~articles["ok"], "error_type"]) == set(POISONED.values())
