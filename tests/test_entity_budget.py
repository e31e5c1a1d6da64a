"""The entity stage's character budget per page (``EntityStage(max_chars=...)``): NER reads at
most that many body characters of a page, in article order, and says so when it stops early.

Pages go through the public API with the real model; the expected cut is worked out from the
body itself (the last paragraph break, else the last space, within the budget).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import newsparse
from newsparse import default_pipeline, extract_entities, parse_many
from newsparse.entities import EntityStage
from newsparse.errors import PipelineError
from newsparse.models import Article, Entity

SEED_TEXT = (
    Path(__file__).resolve().parent.parent / "examples" / "data" / "aggregator-page.txt"
).read_text(encoding="utf-8")
"""A page with a main article and three related ones."""

LEAD = "Sergei Shoigu arrived in Pyongyang on Tuesday for talks with Kim Jong Un about the war."
MIDDLE = "The two men discussed military cooperation and the reconstruction of the border region."
LATE = "Later in the week, Angela Merkel and Emmanuel Macron flew to Brussels to meet ministers."
SHORT_PAGE = f"Leaders meet in Geneva\n\n{LEAD}\n\n{MIDDLE}\n\n{LATE}"
"""A short multi-paragraph article naming people in its first and its last paragraph."""

CUT_WARNING = "entities: read only the first {read:,} of {total:,} characters of the body"
SKIP_WARNING = "entities: not extracted, the page's budget of {budget:,} characters was spent"


def _parse(text: str, max_chars: int | None) -> Article:
    pipeline = default_pipeline().replace("entities", EntityStage(max_chars=max_chars))
    return newsparse.parse(text, pipeline=pipeline)


def _mentions(found: Sequence[Entity]) -> list[tuple[int, int, str]]:
    return sorted((m.start, m.end, m.text) for e in found for m in e.mentions)


def _read_up_to(body: str, budget: int) -> int:
    """Where the contract cuts a body over ``budget``: its last paragraph break that fits,
    else its last space."""
    paragraph_break = body.rfind("\n\n", 0, budget)
    return paragraph_break if paragraph_break > 0 else body.rfind(" ", 0, budget)


def _budget_warnings(article: Article) -> list[str]:
    return [w for w in article.warnings if "max_chars" in w]


def test_a_body_over_the_budget_is_read_up_to_its_last_paragraph_break_that_fits() -> None:
    budget = 200
    article = _parse(SHORT_PAGE, budget)
    body = article.body
    assert len(body) > budget and body.startswith(LEAD)
    read = body.rfind("\n\n", 0, budget)
    assert read == _read_up_to(body, budget) > 0

    assert _budget_warnings(article) == [
        CUT_WARNING.format(read=read, total=len(body)) + " (EntityStage(max_chars=...))"
    ]
    mentions = _mentions(article.entities)
    assert mentions
    for start, end, text in mentions:
        assert end <= read and body[start:end] == text
    canonical = {e.canonical for e in article.entities}
    assert "Sergei Shoigu" in canonical
    assert not {"Angela Merkel", "Emmanuel Macron", "Brussels"} & canonical
    assert list(article.entities) == extract_entities(body[:read])


def test_a_body_without_paragraph_breaks_is_cut_at_its_last_space_that_fits() -> None:
    budget = 150
    article = _parse(f"Leaders meet in Geneva\n\n{LEAD} {MIDDLE} {LATE}", budget)
    body = article.body
    assert "\n\n" not in body and len(body) > budget
    read = _read_up_to(body, budget)
    assert _budget_warnings(article) == [
        CUT_WARNING.format(read=read, total=len(body)) + " (EntityStage(max_chars=...))"
    ]
    assert all(end <= read for _, end, _ in _mentions(article.entities))
    assert list(article.entities) == extract_entities(body[:read])


def test_no_budget_reads_every_body_in_full() -> None:
    article = _parse(SHORT_PAGE, None)
    assert not _budget_warnings(article)
    assert {"Sergei Shoigu", "Angela Merkel"} <= {e.canonical for e in article.entities}
    assert list(article.entities) == extract_entities(article.body)


def test_the_articles_of_a_page_share_one_budget_in_article_order() -> None:
    whole = _parse(SEED_TEXT, None)
    first, second, *rest = whole.related
    assert whole.entities and all(r.entities for r in whole.related)
    into_second = len(second.body) // 2
    budget = len(whole.body) + len(first.body) + into_second
    article = _parse(SEED_TEXT, budget)

    assert article.entities == whole.entities and not _budget_warnings(article)
    assert article.related[0].entities == first.entities
    assert not _budget_warnings(article.related[0])
    cut = article.related[1]
    read = _read_up_to(second.body, into_second)
    assert _budget_warnings(cut) == [
        CUT_WARNING.format(read=read, total=len(second.body)) + " (EntityStage(max_chars=...))"
    ]
    assert _mentions(cut.entities) == _mentions(extract_entities(second.body[:read]))
    for skipped in article.related[2:]:
        assert skipped.entities == ()
        assert _budget_warnings(skipped) == [
            SKIP_WARNING.format(budget=budget) + " (EntityStage(max_chars=...))"
        ]
    assert rest


def test_an_article_that_spends_the_budget_leaves_none_to_the_next() -> None:
    whole = _parse(SEED_TEXT, None)
    article = _parse(SEED_TEXT, len(whole.body))
    assert article.entities == whole.entities and not _budget_warnings(article)
    assert article.related
    for related in article.related:
        assert related.entities == ()
        assert len(_budget_warnings(related)) == 1
        assert _budget_warnings(related)[0].startswith(SKIP_WARNING.format(budget=len(whole.body)))


def test_the_budget_is_per_page_when_pages_are_batched() -> None:
    budget = len(_parse(SEED_TEXT, None).body) + 100
    pipeline = default_pipeline().replace("entities", EntityStage(max_chars=budget, batch_size=3))
    alone = _parse(SEED_TEXT, budget)
    results = list(parse_many([SEED_TEXT, SHORT_PAGE, SEED_TEXT], pipeline=pipeline, batch_size=3))
    assert [r.error for r in results] == [None, None, None]
    first, short, last = (r.article for r in results)
    assert first is not None and last is not None and short is not None
    for seed in (first, last):
        assert [(a.entities, a.warnings) for a in (seed, *seed.related)] == [
            (a.entities, a.warnings) for a in (alone, *alone.related)
        ]
    assert any(_budget_warnings(a) for a in alone.related)
    assert short.entities == _parse(SHORT_PAGE, None).entities


@pytest.mark.parametrize("max_chars", [0, -1])
def test_a_budget_below_one_character_is_a_configuration_error(max_chars: int) -> None:
    with pytest.raises(PipelineError, match="max_chars"):
        EntityStage(max_chars=max_chars)


def test_the_default_pipeline_reads_a_body_under_its_budget_in_full() -> None:
    assert EntityStage().max_chars == 100_000
    article = newsparse.parse(SEED_TEXT)
    assert len(article.body) + sum(len(r.body) for r in article.related) < 100_000
    for each in (article, *article.related):
        assert each.entities and not _budget_warnings(each)
