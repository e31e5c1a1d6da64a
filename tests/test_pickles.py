"""Everything a worker process receives or sends back pickles: pipelines, stages, results, errors.

Worker pools (``parse_many(n_process=...)``), Dask and Spark move these between processes.
"""

from __future__ import annotations

import pickle

import pytest

import newsparse
from newsparse import errors
from newsparse.readers import ReadStage

SCRAPED_AT = "2025-06-21T18:00:00Z"


def _roundtrip(value: object) -> object:
    return pickle.loads(pickle.dumps(value))


def _all_errors(base: type[errors.NewsparseError]) -> list[type[errors.NewsparseError]]:
    found = [base]
    for sub in base.__subclasses__():
        found.extend(_all_errors(sub))
    return found


@pytest.mark.parametrize("error_type", _all_errors(errors.NewsparseError), ids=lambda t: t.__name__)
def test_every_error_pickles(error_type: type[errors.NewsparseError]) -> None:
    error = error_type("something precise went wrong")
    copy = _roundtrip(error)
    assert type(copy) is error_type
    assert isinstance(copy, errors.NewsparseError)
    assert str(copy) == str(error) and copy.message == error.message
    assert str(copy).startswith(f"[{error_type.code}]")


def test_articles_and_results_pickle(seed_article: newsparse.Article) -> None:
    assert _roundtrip(seed_article) == seed_article
    failed = newsparse.ParseResult(
        id="x", error=newsparse.ParseError(type="EmptyInputError", message="[E002] no text")
    )
    assert _roundtrip(failed) == failed
    assert _roundtrip(newsparse.ParseResult(id="y", article=seed_article)) == (
        newsparse.ParseResult(id="y", article=seed_article)
    )


def test_default_pipeline_pickles_and_parses_the_same(seed_text: str) -> None:
    pipeline = newsparse.default_pipeline()
    copy = _roundtrip(pipeline)
    assert isinstance(copy, newsparse.Pipeline)
    assert copy.names == pipeline.names
    assert [type(s) for s in copy.stages] == [type(s) for s in pipeline.stages]
    assert copy(
        seed_text, scraped_at=newsparse.pipeline.to_datetime(SCRAPED_AT)
    ) == newsparse.parse(seed_text, scraped_at=SCRAPED_AT)


def test_a_pipeline_that_already_ran_pickles(seed_text: str) -> None:
    """Stages that loaded resources (the spaCy model) on first use still pickle."""
    pipeline = newsparse.default_pipeline()
    before = newsparse.parse(seed_text, scraped_at=SCRAPED_AT, pipeline=pipeline)
    copy = _roundtrip(pipeline)
    assert isinstance(copy, newsparse.Pipeline)
    assert newsparse.parse(seed_text, scraped_at=SCRAPED_AT, pipeline=copy) == before


@newsparse.stage("shout", requires=["articles"], assigns=["title"])
def shout(page: newsparse.Page) -> newsparse.Page:
    for draft in page.articles:
        draft.title = (draft.title or "").upper()
    return page


def test_decorated_stages_pickle_by_reference() -> None:
    copy = _roundtrip(newsparse.Pipeline([ReadStage(), shout]))
    assert isinstance(copy, newsparse.Pipeline)
    assert copy.get("shout") is shout
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(newsparse.stage("local")(lambda page: page))
