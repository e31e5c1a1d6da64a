"""parse(): inputs, encodings, errors, scrape times, JSON round trip."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone

import pytest

import newsparse
from newsparse import Article


def test_errors_derive_from_one_base_and_pickle() -> None:
    for error_type in (
        newsparse.InputError,
        newsparse.EmptyInputError,
        newsparse.BinaryInputError,
        newsparse.PipelineError,
        newsparse.ModelNotFoundError,
    ):
        error = error_type("something went wrong")
        assert isinstance(error, newsparse.NewsparseError)
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is error_type and str(copy) == str(error)
        assert str(error).startswith("[E")


@pytest.mark.parametrize("raw", ["", "   \n\t  ", b"", b"\n\n"])
def test_empty_input_is_a_typed_error(raw: str | bytes) -> None:
    with pytest.raises(newsparse.EmptyInputError):
        newsparse.parse(raw)


@pytest.mark.parametrize(
    "raw", [b"\x00\x01\x02\x03" * 100, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\xff"]
)
def test_binary_input_is_a_typed_error(raw: bytes) -> None:
    with pytest.raises(newsparse.BinaryInputError):
        newsparse.parse(raw)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252", "latin-1"])
def test_bytes_are_decoded(encoding: str) -> None:
    text = (
        "Café owners protest new rules\n\n"
        "The café owners of the old town said on Monday that the new rules would ruin "
        "their businesses, according to the association's président.\n"
    )
    article = newsparse.parse(text.encode(encoding), scraped_at="2025-06-21T18:00:00Z")
    assert "café owners of the old town" in article.body


def test_scraped_at_accepts_strings_and_naive_datetimes() -> None:
    text = "Headline of a story\n\nA day ago\n\nThe story itself is a long sentence about news.\n"
    as_string = newsparse.parse(text, scraped_at="2025-06-21T18:00Z")
    as_naive = newsparse.parse(text, scraped_at=datetime(2025, 6, 21, 18, 0))
    assert (
        as_string.scraped_at
        == as_naive.scraped_at
        == datetime(2025, 6, 21, 18, 0, tzinfo=timezone.utc)
    )
    with pytest.raises(newsparse.InputError):
        newsparse.parse(text, scraped_at="yesterday-ish")


def test_json_round_trip_and_schema(seed_article: Article) -> None:
    again = Article.model_validate_json(seed_article.model_dump_json())
    assert again == seed_article
    schema = Article.model_json_schema()
    if "$ref" in schema:  # Article is recursive (related articles), so it lives in $defs
        schema = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    for name in ("title", "source", "published", "body", "entities", "citations", "related"):
        assert name in schema["properties"]
        assert schema["properties"][name].get("description") or name in ("source", "published")
    assert pickle.loads(pickle.dumps(seed_article)) == seed_article


def test_articles_are_frozen(seed_article: Article) -> None:
    with pytest.raises(Exception, match="frozen"):
        seed_article.title = "changed"  # type: ignore[misc]


def test_notebook_rendering_lists_title_and_removals(seed_article: Article) -> None:
    html = seed_article._repr_html_()
    assert html.startswith("<article>")
    if seed_article.title:
        assert seed_article.title.split()[0] in html
    assert f"Removed ({len(seed_article.removed)})" in html or not seed_article.removed
