"""The entity stage's token budget per page (``EntityStage(max_tokens=...)``): NER reads at most
that many body tokens of a page, in article order, and says so when it stops early; and runs
without whitespace, on which spaCy's tokenizer is quadratic, never reach spaCy.

Pages go through the public API with the real model; the expected cut is worked out from the
body itself (the last paragraph break, else the last space, before the first token over the
budget). Bodies that the pipeline's boilerplate stage would remove are put on a page directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

import newsparse
from newsparse import default_pipeline, extract_entities, parse_many
from newsparse.document import ArticleDraft, Block, Page
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

CUT_WARNING = (
    "entities: read only the first {read:,} of {total:,} characters of the body"
    " (EntityStage(max_tokens=...))"
)
SKIP_WARNING = "entities: not extracted, the page's budget of {budget:,} tokens was spent"

TOKEN = re.compile(r"\w+|[^\w\s]|\s{2,}|[^\S ]")
"""A token as the budget counts it: a word, a punctuation mark or symbol, or a whitespace run
other than a lone space (which spaCy attaches to the word before it)."""


def _parse(text: str, max_tokens: int | None) -> Article:
    pipeline = default_pipeline().replace("entities", EntityStage(max_tokens=max_tokens))
    return newsparse.parse(text, pipeline=pipeline)


def _tokens(text: str) -> int:
    return len(TOKEN.findall(text))


def _mentions(found: Sequence[Entity]) -> list[tuple[int, int, str]]:
    return sorted((m.start, m.end, m.text) for e in found for m in e.mentions)


def _read_up_to(body: str, budget: int) -> int:
    """Where the contract cuts a body over ``budget`` tokens: its last paragraph break before
    the first token over the budget, else its last space before it."""
    over = [token.start() for token in TOKEN.finditer(body)][budget]
    paragraph_break = body.rfind("\n\n", 0, over)
    return paragraph_break if paragraph_break > 0 else body.rfind(" ", 0, over)


def _budget_warnings(article: Article | ArticleDraft) -> list[str]:
    return [w for w in article.warnings if "max_tokens" in w]


def _one_block_page(body: str) -> Page:
    """A page whose one article has ``body`` as its one body block."""
    block = Block(text=body, raw_start=0, raw_end=len(body), role="body", article=0)
    draft = ArticleDraft(blocks=[0], is_main=True)
    return Page(raw_input=body, raw=body, format="text", blocks=[block], articles=[draft])


def test_a_body_over_the_budget_is_read_up_to_its_last_paragraph_break_that_fits() -> None:
    body = newsparse.parse(SHORT_PAGE).body
    last_paragraph = body.rfind("\n\n")
    budget = _tokens(body[:last_paragraph]) + 5
    article = _parse(SHORT_PAGE, budget)
    assert article.body == body and body.startswith(LEAD) and _tokens(body) > budget
    read = _read_up_to(body, budget)
    assert read == last_paragraph

    assert _budget_warnings(article) == [CUT_WARNING.format(read=read, total=len(body))]
    mentions = _mentions(article.entities)
    assert mentions
    for start, end, text in mentions:
        assert end <= read and body[start:end] == text
    canonical = {e.canonical for e in article.entities}
    assert "Sergei Shoigu" in canonical
    assert not {"Angela Merkel", "Emmanuel Macron", "Brussels"} & canonical
    assert list(article.entities) == extract_entities(body[:read])


def test_a_body_without_paragraph_breaks_is_cut_at_its_last_space_that_fits() -> None:
    budget = _tokens(f"{LEAD} {MIDDLE}") + 3
    article = _parse(f"Leaders meet in Geneva\n\n{LEAD} {MIDDLE} {LATE}", budget)
    body = article.body
    assert "\n\n" not in body and _tokens(body) > budget
    read = _read_up_to(body, budget)
    assert len(f"{LEAD} {MIDDLE}") < read < len(body) and body[read] == " "
    assert _budget_warnings(article) == [CUT_WARNING.format(read=read, total=len(body))]
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
    into_second = _tokens(second.body) // 2
    budget = _tokens(whole.body) + _tokens(first.body) + into_second
    article = _parse(SEED_TEXT, budget)

    assert article.entities == whole.entities and not _budget_warnings(article)
    assert article.related[0].entities == first.entities
    assert not _budget_warnings(article.related[0])
    cut = article.related[1]
    read = _read_up_to(second.body, into_second)
    assert _budget_warnings(cut) == [CUT_WARNING.format(read=read, total=len(second.body))]
    assert _mentions(cut.entities) == _mentions(extract_entities(second.body[:read]))
    for skipped in article.related[2:]:
        assert skipped.entities == ()
        assert _budget_warnings(skipped) == [
            SKIP_WARNING.format(budget=budget) + " (EntityStage(max_tokens=...))"
        ]
    assert rest


def test_an_article_that_spends_the_budget_leaves_none_to_the_next() -> None:
    whole = _parse(SEED_TEXT, None)
    article = _parse(SEED_TEXT, _tokens(whole.body))
    assert article.entities == whole.entities and not _budget_warnings(article)
    assert article.related
    for related in article.related:
        assert related.entities == ()
        assert len(_budget_warnings(related)) == 1
        assert _budget_warnings(related)[0].startswith(
            SKIP_WARNING.format(budget=_tokens(whole.body))
        )


def test_the_budget_is_per_page_when_pages_are_batched() -> None:
    budget = _tokens(_parse(SEED_TEXT, None).body) + 20
    pipeline = default_pipeline().replace("entities", EntityStage(max_tokens=budget, batch_size=3))
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


@pytest.mark.parametrize("max_tokens", [0, -1])
def test_a_budget_below_one_token_is_a_configuration_error(max_tokens: int) -> None:
    with pytest.raises(PipelineError, match="max_tokens"):
        EntityStage(max_tokens=max_tokens)


def test_the_default_pipeline_reads_a_body_under_its_budget_in_full() -> None:
    assert EntityStage().max_tokens == 20_000
    article = newsparse.parse(SEED_TEXT)
    assert sum(_tokens(each.body) for each in (article, *article.related)) < 20_000
    for each in (article, *article.related):
        assert each.entities and not _budget_warnings(each)


def test_a_dense_body_is_cut_by_its_tokens_not_its_characters() -> None:
    """One-letter paragraphs: two tokens ("a" and the paragraph break) per three characters, so
    the default budget of 20,000 tokens runs out after about 30,000 of these 90,000 characters."""
    body = LEAD + "\n\n" + "\n\n".join(["a"] * 30_000)
    page = default_pipeline().get("entities")(_one_block_page(body))
    draft = page.articles[0]
    read = _read_up_to(body, 20_000)
    assert 0 < read < len(body)
    assert _budget_warnings(draft) == [CUT_WARNING.format(read=read, total=len(body))]
    assert "Sergei Shoigu" in {e.canonical for e in draft.entities}
    assert all(m.end <= read for e in draft.entities for m in e.mentions)


def test_a_long_run_of_glued_punctuation_is_hidden_from_spacy() -> None:
    """spaCy's tokenizer takes minutes over 20,000 characters of ",;" (quadratic in the run);
    blanked, the run costs a few tokens of the budget and the people around it are found."""
    run = ",;" * 10_000
    body = f"{LEAD} {run} {LATE}"
    run_start = body.index(run)
    page = default_pipeline().get("entities")(_one_block_page(body))
    draft = page.articles[0]
    assert page.body_of(draft).text == body
    assert not _budget_warnings(draft)
    assert {"Sergei Shoigu", "Angela Merkel"} <= {e.canonical for e in draft.entities}
    for entity in draft.entities:
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text
            assert not run_start <= mention.start < run_start + len(run)
