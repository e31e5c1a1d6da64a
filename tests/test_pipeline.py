"""The pipeline's contract: named stages, positions, order checks, custom stages, batching."""

from __future__ import annotations

import pytest

import newsparse
from newsparse import Page, PipelineError, default_pipeline, stage


def test_default_pipeline_order_is_the_data_flow() -> None:
    assert default_pipeline().names == (
        "read",
        "normalize",
        "segment",
        "boilerplate",
        "timestamps",
        "sources",
        "entities",
    )
    default_pipeline().check()


@stage("tag", requires=["articles"], assigns=["tag"])
def tag_titles(page: Page) -> Page:
    for draft in page.articles:
        draft.title = f"[tagged] {draft.title}"
    return page


def test_add_after_runs_custom_stage() -> None:
    pipeline = default_pipeline().add(tag_titles, after="boilerplate")
    assert pipeline.names.index("tag") == pipeline.names.index("boilerplate") + 1
    article = pipeline("A headline here\n\nA body sentence that is long enough to keep.\n")
    assert article.title is not None and article.title.startswith("[tagged]")


def test_positions_first_last_before() -> None:
    pipeline = default_pipeline()
    pipeline.remove("entities")
    pipeline.add(stage("late")(lambda p: p), last=True)
    pipeline.add(stage("early")(lambda p: p), before="read")
    assert pipeline.names[0] == "early" and pipeline.names[-1] == "late"
    with pytest.raises(PipelineError):
        pipeline.add(stage("x")(lambda p: p), before="read", last=True)


def test_duplicate_and_unknown_names_are_errors() -> None:
    pipeline = default_pipeline()
    with pytest.raises(PipelineError, match="already"):
        pipeline.add(stage("segment")(lambda p: p))
    with pytest.raises(PipelineError, match="no stage named"):
        pipeline.remove("nope")
    with pytest.raises(PipelineError, match="not a stage"):
        pipeline.add(lambda p: p)  # type: ignore[arg-type]


def test_check_catches_a_stage_placed_before_what_it_requires() -> None:
    pipeline = default_pipeline()
    pipeline.add(tag_titles, first=True)
    with pytest.raises(PipelineError, match="requires"):
        pipeline("Some text")


def test_replace_keeps_position() -> None:
    pipeline = default_pipeline()

    @stage("segment", requires=["blocks"], assigns=["articles"])
    def one_article(page: Page) -> Page:
        page.articles = [newsparse.ArticleDraft(is_main=True, blocks=list(range(len(page.blocks))))]
        for block in page.blocks:
            block.role, block.article = "body", 0
        return page

    pipeline.replace("segment", one_article)
    assert pipeline.names.index("segment") == 2
    pipeline.remove("entities")
    article = pipeline("line one\nline two\n")
    assert [p.text for p in article.paragraphs] == ["line one", "line two"]


def test_pipe_pins_a_failure_on_its_page() -> None:
    @stage("fussy", requires=["blocks"])
    def fussy(page: Page) -> Page:
        if "poison" in page.raw:
            raise ValueError("poisoned page")
        return page

    pipeline = default_pipeline().add(fussy, after="read")
    pipeline.remove("entities")
    pages = [pipeline.new_page(t) for t in ("good one\n", "poison\n", "good two\n")]
    outcome = list(pipeline.pipe(pages, batch_size=2))
    assert [e is None for _, e in outcome] == [True, False, True]
    assert isinstance(outcome[1][1], ValueError)


def test_analyze_lists_requirements() -> None:
    rows = default_pipeline().analyze()
    assert rows[0]["name"] == "read" and "blocks" in rows[0]["assigns"]
    assert all(isinstance(row["requires"], tuple) for row in rows)


def test_pipeline_is_immutable_between_calls(seed_text: str) -> None:
    pipeline = default_pipeline()
    first = pipeline(seed_text, scraped_at=None)
    second = pipeline(seed_text, scraped_at=None)
    assert first.body == second.body and first.title == second.title


def test_a_pipeline_called_directly_accepts_iso_strings() -> None:
    pipeline = default_pipeline()
    pipeline.remove("entities")
    text = "Headline of a story\n\n2 hours ago\n\nThe story itself is a long sentence about news.\n"
    article = pipeline(text, scraped_at="2025-06-21T18:00Z")
    assert article.scraped_at is not None and article.scraped_at.hour == 18
    with pytest.raises(newsparse.InputError):
        pipeline(text, scraped_at="not a time")


def test_reset_caches_empties_every_cache_and_changes_no_result() -> None:
    from newsparse import entities, normalize, sources, textshape, timestamps
    from newsparse.readers import html

    pipeline = newsparse.default_pipeline()
    pipeline.remove("entities")
    text = "Bridge opens\n\nReuters\n\n3 hours ago\n\nOfficials in Lyon said on Monday it opens.\n"
    page = (
        "<html><body><article class='story'><h1>Bridge opens</h1><p>Officials in Lyon said "
        "on Monday that the bridge opens in spring.</p></article></body></html>"
    )
    first = [
        newsparse.parse(raw, scraped_at="2025-06-21T18:00Z", pipeline=pipeline)
        for raw in (text, page)
    ]
    memos = [
        normalize._short_glued_parts,
        html._hint_of_name,
        html._nests,
        timestamps._dateparse_at,
        sources._name_key,
        textshape.comparison_key,
        textshape.lowered_words,
    ]
    assert any(memo.cache_info().currsize for memo in memos)
    assert textshape.comparison_key.cache_info().currsize
    newsparse.reset_caches()
    assert [memo.cache_info().currsize for memo in memos] == [0] * len(memos)
    assert not html._ELEMENTS and not entities._models
    again = [
        newsparse.parse(raw, scraped_at="2025-06-21T18:00Z", pipeline=pipeline)
        for raw in (text, page)
    ]
    assert again == first
