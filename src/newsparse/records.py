"""Articles as flat rows: ``to_records`` (JSON-ready dicts) and ``to_dataframe`` (pandas).

Five tidy tables, each with a declared schema (:data:`SCHEMAS`), keyed by the page ``id`` and
``article_index`` (0 for a page's main article, 1, 2, ... for its related articles in order):

- ``"articles"``: one row per article; a page that failed keeps one row (``ok`` False, the
  error's type and message, article columns empty) so no page silently disappears;
- ``"entities"``: one row per entity of an article, most salient first (``rank`` 0);
- ``"citations"``: one row per citation of an article, in body order;
- ``"times"``: one row per time expression of an article's body, in body order;
- ``"quotes"``: one row per direct quotation of an article's body, in body order.

Rows are built from the JSON form of the results (``model_dump(mode="json")``, the one
serialisation path), so Articles, ParseResults and the records of :func:`process_partition` on
a Dask or Spark cluster give the same rows. pandas is imported only by :func:`to_dataframe`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from newsparse.models import Article, ParseResult

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped,unused-ignore]

Table = Literal["articles", "entities", "citations", "times", "quotes"]
"""Which tidy table to build."""

ResultLike = Article | ParseResult | Mapping[str, Any]
"""An Article, a ParseResult, or a result record of :func:`process_partition`."""

_KEY = {"id": "string", "article_index": "Int64"}

SCHEMAS: dict[Table, dict[str, str]] = {
    "articles": {
        **_KEY,
        "ok": "boolean",
        "error_type": "string",
        "error_message": "string",
        "title": "string",
        "source": "string",
        "source_kind": "string",
        "aggregator": "string",
        "authors": "object",
        "published": "datetime64[ns, UTC]",
        "published_text": "string",
        "published_granularity": "string",
        "language": "string",
        "url": "string",
        "scraped_at": "datetime64[ns, UTC]",
        "word_count": "Int64",
        "n_entities": "Int64",
        "n_citations": "Int64",
        "n_times": "Int64",
        "n_quotes": "Int64",
        "n_related": "Int64",
        "n_removed": "Int64",
        "warnings": "object",
        "body": "string",
    },
    "entities": {
        **_KEY,
        "rank": "Int64",
        "text": "string",
        "label": "string",
        "canonical": "string",
        "count": "Int64",
        "salience": "Float64",
        "first_start": "Int64",
        "first_end": "Int64",
    },
    "citations": {
        **_KEY,
        "source": "string",
        "source_normalized": "string",
        "source_kind": "string",
        "cue": "string",
        "quote": "string",
        "start": "Int64",
        "end": "Int64",
    },
    "times": {
        **_KEY,
        "text": "string",
        "value": "string",
        "type": "string",
        "granularity": "string",
        "earliest": "datetime64[ns, UTC]",
        "latest": "datetime64[ns, UTC]",
        "anchor": "string",
        "start": "Int64",
        "end": "Int64",
    },
    "quotes": {
        **_KEY,
        "text": "string",
        "speaker": "string",
        "speaker_text": "string",
        "cue": "string",
        "start": "Int64",
        "end": "Int64",
    },
}
"""Column name -> pandas dtype of each table: the columns of every row, in order."""


def _result_records(items: Iterable[ResultLike]) -> Iterator[Mapping[str, Any]]:
    """Each item as a ``{"id", "article", "error"}`` JSON record (bare Articles: id = position)."""
    for position, item in enumerate(items):
        if isinstance(item, Article):
            yield {"id": str(position), "article": item.model_dump(mode="json"), "error": None}
        elif isinstance(item, ParseResult):
            yield item.model_dump(mode="json")
        elif isinstance(item, Mapping):
            yield item
        else:
            raise TypeError(
                f"expected an Article, a ParseResult or a result record, not {type(item).__name__}"
            )


def _name(source: Mapping[str, Any] | None, field: str = "normalized") -> str | None:
    return None if source is None else str(source[field])


def _article_row(page_id: str, index: int, article: Mapping[str, Any]) -> dict[str, Any]:
    published = article.get("published")
    return {
        "id": page_id,
        "article_index": index,
        "ok": True,
        "error_type": None,
        "error_message": None,
        "title": article.get("title"),
        "source": _name(article.get("source")),
        "source_kind": _name(article.get("source"), "kind"),
        "aggregator": _name(article.get("aggregator")),
        "authors": list(article.get("authors", ())),
        "published": published["value"] if published else None,
        "published_text": published["text"] if published else None,
        "published_granularity": published["granularity"] if published else None,
        "language": article.get("language"),
        "url": article.get("url"),
        "scraped_at": article.get("scraped_at"),
        "word_count": len(article["body"].split()),
        "n_entities": len(article.get("entities", ())),
        "n_citations": len(article.get("citations", ())),
        "n_times": len(article.get("times", ())),
        "n_quotes": len(article.get("quotes", ())),
        "n_related": len(article.get("related", ())),
        "n_removed": len(article.get("removed", ())),
        "warnings": list(article.get("warnings", ())),
        "body": article["body"],
    }


def _failed_row(page_id: str, error: Mapping[str, Any] | None) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(SCHEMAS["articles"])
    row.update(
        id=page_id,
        article_index=0,
        ok=False,
        error_type=error["type"] if error else None,
        error_message=error["message"] if error else None,
        authors=[],
        warnings=[],
    )
    return row


def _entity_rows(page_id: str, index: int, article: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for rank, entity in enumerate(article.get("entities", ())):
        mentions = entity["mentions"]
        yield {
            "id": page_id,
            "article_index": index,
            "rank": rank,
            "text": entity["text"],
            "label": entity["label"],
            "canonical": entity["canonical"],
            "count": len(mentions),
            "salience": entity["salience"],
            "first_start": mentions[0]["start"] if mentions else None,
            "first_end": mentions[0]["end"] if mentions else None,
        }


def _citation_rows(
    page_id: str, index: int, article: Mapping[str, Any]
) -> Iterator[dict[str, Any]]:
    for citation in article.get("citations", ()):
        source = citation["source"]
        quote = citation.get("quote")
        yield {
            "id": page_id,
            "article_index": index,
            "source": source["name"],
            "source_normalized": source["normalized"],
            "source_kind": source["kind"],
            "cue": citation["cue"],
            "quote": quote["text"] if quote else None,
            "start": citation["start"],
            "end": citation["end"],
        }


def _time_rows(page_id: str, index: int, article: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for time in article.get("times", ()):
        yield {
            "id": page_id,
            "article_index": index,
            **{column: time.get(column) for column in SCHEMAS["times"] if column not in _KEY},
        }


def _quote_rows(page_id: str, index: int, article: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for quote in article.get("quotes", ()):
        speaker_span, cue = quote.get("speaker_span"), quote.get("cue")
        yield {
            "id": page_id,
            "article_index": index,
            "text": quote["text"],
            "speaker": quote.get("speaker"),
            "speaker_text": speaker_span["text"] if speaker_span else None,
            "cue": cue["text"] if cue else None,
            "start": quote["start"],
            "end": quote["end"],
        }


_DETAIL_ROWS = {
    "entities": _entity_rows,
    "citations": _citation_rows,
    "times": _time_rows,
    "quotes": _quote_rows,
}
"""The row builder of each table but "articles"."""


def to_records(items: Iterable[ResultLike], table: Table = "articles") -> list[dict[str, Any]]:
    """Flatten results into JSON-ready rows of one tidy table (see :data:`SCHEMAS`).

    Args:
        items: Articles (their id is their position), ParseResults (from ``parse_many``), or
            result records of :func:`process_partition`.
        table: "articles" (one row per article, and one per failed page), "entities",
            "citations", "times" or "quotes" (one row per entity, citation, time expression or
            quotation of each article).

    Returns:
        One dict per row, with exactly the table's columns; times are ISO 8601 strings.

    Example:
        >>> rows = to_records(parse_many(pages), table="entities")
    """
    if table not in SCHEMAS:
        raise ValueError(f"table must be one of {sorted(SCHEMAS)}, not {table!r}")
    rows: list[dict[str, Any]] = []
    for record in _result_records(items):
        page_id = str(record["id"])
        main = record.get("article")
        if main is None:
            if table == "articles":
                rows.append(_failed_row(page_id, record.get("error")))
            continue
        for index, article in enumerate((main, *main.get("related", ()))):
            if table == "articles":
                rows.append(_article_row(page_id, index, article))
            else:
                rows.extend(_DETAIL_ROWS[table](page_id, index, article))
    return rows


def to_dataframe(items: Iterable[ResultLike], table: Table = "articles") -> pandas.DataFrame:
    """The rows of :func:`to_records` as a pandas DataFrame with the table's declared dtypes.

    An empty input gives an empty frame with the same columns and dtypes (Dask uses it as
    ``meta``). Requires pandas (``pip install "newsparse[dataframe]"``).

    Example:
        >>> articles = to_dataframe(parse_many(pages))
        >>> entities = to_dataframe(parse_many(pages), table="entities")
        >>> entities.groupby("label")["canonical"].value_counts()
    """
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    schema = SCHEMAS[table]
    frame = pd.DataFrame.from_records(to_records(items, table), columns=list(schema))
    for column, dtype in schema.items():
        if dtype.startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        frame[column] = frame[column].astype(dtype)
    return frame
