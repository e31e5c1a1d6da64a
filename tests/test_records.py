"""to_records / to_dataframe: tidy tables of articles, entities and citations."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import pytest

import newsparse
from newsparse import (
    Article,
    Citation,
    Entity,
    Mention,
    ParseError,
    ParseResult,
    Quote,
    Source,
    TextSpan,
    TimeExpression,
    Timestamp,
)
from newsparse.records import SCHEMAS

WHEN = datetime(2025, 6, 21, 15, 0, tzinfo=timezone.utc)
BODY = (
    'Officials in Lyon said the bridge opens in June, according to Reuters. "Lyon agrees," he said.'
)
SPRING = datetime(2025, 6, 1, tzinfo=timezone.utc)


def _mentions(text: str) -> tuple[Mention, ...]:
    starts = [i for i in range(len(BODY)) if BODY.startswith(text, i)]
    return tuple(Mention(text=text, start=i, end=i + len(text)) for i in starts)


def _article(title: str, related: tuple[Article, ...] = ()) -> Article:
    reuters = Source(name="Reuters", normalized="Reuters", role="cited", kind="agency")
    return Article(
        title=title,
        source=Source(
            name="AFP", normalized="Agence France-Presse", role="publisher", kind="agency"
        ),
        authors=("Ann Lee", "Bo Wu"),
        published=Timestamp(
            text="3 hours ago",
            value=WHEN,
            earliest=WHEN,
            latest=WHEN,
            granularity="hour",
            relative=True,
            anchor="scraped_at",
            reference=WHEN,
        ),
        body=BODY,
        entities=(
            Entity(
                text="Lyon",
                label="GPE",
                canonical="Lyon",
                mentions=_mentions("Lyon"),
                salience=0.9,
            ),
            Entity(
                text="Reuters",
                label="ORG",
                canonical="Reuters",
                mentions=_mentions("Reuters"),
                salience=0.4,
            ),
        ),
        citations=(
            Citation(
                source=reuters,
                cue="according to",
                cue_span=TextSpan(**_mentions("according to")[0].model_dump()),
                quote=None,
                start=0,
                end=BODY.index(". ") + 1,
            ),
        ),
        times=(
            TimeExpression(
                start=BODY.index("June"),
                end=BODY.index("June") + 4,
                text="June",
                value="2025-06",
                type="DATE",
                granularity="month",
                earliest=SPRING,
                latest=datetime(2025, 6, 30, 23, 59, 59, tzinfo=timezone.utc),
                anchor="published",
            ),
        ),
        quotes=(
            Quote(
                start=BODY.index('"'),
                end=BODY.rindex('"') + 1,
                text=BODY[BODY.index('"') : BODY.rindex('"') + 1],
                speaker=None,
                speaker_span=TextSpan(**_mentions("he")[-1].model_dump()),
                cue=TextSpan(**_mentions("said")[-1].model_dump()),
            ),
        ),
        related=related,
        url="https://example.org/lyon",
        scraped_at=WHEN,
        warnings=("a note",),
    )


def _results() -> list[ParseResult]:
    page = _article("Bridge opens", related=(_article("Port expands"),))
    return [
        ParseResult(id="page-1", article=page),
        ParseResult(id="page-2", error=ParseError(type="EmptyInputError", message="no text")),
    ]


def test_article_rows_cover_related_articles_and_failed_pages() -> None:
    rows = newsparse.to_records(_results())
    assert all(list(row) == list(SCHEMAS["articles"]) for row in rows)
    assert [(r["id"], r["article_index"], r["ok"]) for r in rows] == [
        ("page-1", 0, True),
        ("page-1", 1, True),
        ("page-2", 0, False),
    ]
    main, related, failed = rows
    assert main["title"] == "Bridge opens" and related["title"] == "Port expands"
    assert main["source"] == "Agence France-Presse" and main["source_kind"] == "agency"
    assert main["authors"] == ["Ann Lee", "Bo Wu"] and main["warnings"] == ["a note"]
    assert main["published"] == "2025-06-21T15:00:00Z" and main["published_text"] == "3 hours ago"
    assert main["word_count"] == len(BODY.split()) and main["body"] == BODY
    assert (main["n_entities"], main["n_citations"], main["n_related"]) == (2, 1, 1)
    assert (main["n_times"], main["n_quotes"]) == (1, 1)
    assert related["n_related"] == 0
    assert failed["error_type"] == "EmptyInputError" and failed["title"] is None


def test_entity_and_citation_rows() -> None:
    entities = newsparse.to_records(_results(), table="entities")
    assert [(r["id"], r["article_index"], r["rank"], r["canonical"]) for r in entities] == [
        ("page-1", 0, 0, "Lyon"),
        ("page-1", 0, 1, "Reuters"),
        ("page-1", 1, 0, "Lyon"),
        ("page-1", 1, 1, "Reuters"),
    ]
    lyon = entities[0]
    assert (lyon["count"], lyon["first_start"]) == (2, BODY.index("Lyon"))
    assert BODY[lyon["first_start"] : lyon["first_end"]] == "Lyon"
    citations = newsparse.to_records(_results(), table="citations")
    assert len(citations) == 2
    assert citations[0]["source_normalized"] == "Reuters" and citations[0]["cue"] == "according to"
    assert citations[0]["quote"] is None


def test_time_and_quote_rows() -> None:
    times = newsparse.to_records(_results(), table="times")
    assert [(r["id"], r["article_index"], r["text"], r["value"]) for r in times] == [
        ("page-1", 0, "June", "2025-06"),
        ("page-1", 1, "June", "2025-06"),
    ]
    june = times[0]
    assert BODY[june["start"] : june["end"]] == "June" and june["granularity"] == "month"
    assert june["earliest"] == "2025-06-01T00:00:00Z" and june["anchor"] == "published"
    quotes = newsparse.to_records(_results(), table="quotes")
    assert len(quotes) == 2 and list(quotes[0]) == list(SCHEMAS["quotes"])
    quote = quotes[0]
    assert quote["text"] == '"Lyon agrees,"' == BODY[quote["start"] : quote["end"]]
    assert (quote["speaker"], quote["speaker_text"], quote["cue"]) == (None, "he", "said")


def test_articles_records_and_results_give_the_same_rows() -> None:
    results = _results()
    records = [r.model_dump(mode="json") for r in results]
    for table in SCHEMAS:
        assert newsparse.to_records(records, table) == newsparse.to_records(results, table)
    bare = newsparse.to_records([results[0].article])
    assert [r["id"] for r in bare] == ["0", "0"]


def test_unknown_table_or_item_is_an_error() -> None:
    with pytest.raises(ValueError, match="table"):
        newsparse.to_records(_results(), table="mentions")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        newsparse.to_records(["not a result"])  # type: ignore[list-item]


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_dataframes_have_the_declared_schema(table: str) -> None:
    pytest.importorskip("pandas")
    frame = newsparse.to_dataframe(_results(), table)  # type: ignore[arg-type]
    empty = newsparse.to_dataframe([], table)  # type: ignore[arg-type]
    declared = SCHEMAS[table]  # type: ignore[index]
    assert list(frame.columns) == list(declared) == list(empty.columns)
    assert [str(t) for t in frame.dtypes] == [str(t) for t in empty.dtypes]
    assert len(frame) == len(newsparse.to_records(_results(), table))  # type: ignore[arg-type]


def test_dataframe_values() -> None:
    pd = pytest.importorskip("pandas")
    frame = newsparse.to_dataframe(_results())
    assert frame.loc[0, "published"] == pd.Timestamp(WHEN)
    assert frame.loc[0, "authors"] == ["Ann Lee", "Bo Wu"]
    assert frame["ok"].tolist() == [True, True, False]
    assert frame.loc[2, "word_count"] is pd.NA
    entities = newsparse.to_dataframe(_results(), table="entities")
    assert entities.groupby("canonical")["count"].sum().to_dict() == {"Lyon": 4, "Reuters": 2}


def test_a_parsed_page_flattens(seed_article: Article) -> None:
    rows = newsparse.to_records([seed_article])
    assert rows[0]["body"] == seed_article.body
    assert len(rows) == 1 + len(seed_article.related)
    entity_rows = newsparse.to_records([seed_article], table="entities")
    assert len(entity_rows) == len(seed_article.entities) + sum(
        len(a.entities) for a in seed_article.related
    )


def test_importing_newsparse_imports_no_engine() -> None:
    engines = ("pandas", "dask", "distributed", "pyspark", "pyarrow")
    code = (
        "import sys, newsparse, newsparse.records, newsparse.batch; "
        f"print([m for m in {engines!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
