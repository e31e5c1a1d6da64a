"""Per-page reading budgets of the enrichment stages: bounded work on any input, with warnings."""

from __future__ import annotations

import pytest

import newsparse
from newsparse.document import ArticleDraft, prefix_end, read_limits
from newsparse.sources import SourceStage
from newsparse.timestamps import TimestampStage

FIRST = "The bridge would open in May, Mayor John Smith said on Monday."
SECOND = "The road would close next week, the World Health Organization said on Tuesday."
PAGE = f"Bridge opens in May\n\nReuters\n\n3 hours ago\n\n{FIRST}\n\n{SECOND}\n"


def _parse(stage: newsparse.Stage) -> newsparse.Article:
    pipeline = newsparse.default_pipeline()
    pipeline.remove("entities")
    pipeline.replace(stage.name, stage)
    return pipeline(PAGE, scraped_at="2025-06-21T18:00Z")


def test_prefix_end_cuts_at_a_paragraph_break_else_a_space_else_hard() -> None:
    text = "one two\n\nthree four"
    assert prefix_end(text, 0, len(text)) == len(text)
    assert prefix_end(text, 0, 12) == text.index("\n\n")
    assert prefix_end("one two three", 0, 9) == len("one two")
    assert prefix_end("x" * 20, 0, 5) == 5


def test_read_limits_serve_the_main_article_first() -> None:
    drafts = [ArticleDraft(), ArticleDraft(is_main=True), ArticleDraft()]
    texts = ["related " * 3, "main text\n\nmore main", "last"]
    main = len(texts[1])
    assert read_limits(drafts, texts, None) == [len(t) for t in texts]
    assert read_limits(drafts, texts, main) == [0, main, 0]  # spent on the main article
    assert read_limits(drafts, texts, main + 100) == [len(t) for t in texts]
    cut = read_limits(drafts, texts, 12)
    assert cut == [0, len("main text"), 0]  # cut at the break; nothing after a cut


@pytest.mark.parametrize(
    ("stage", "found", "warning"),
    [
        (
            SourceStage(max_chars=len(FIRST) + 5),
            lambda a: {(c.source.normalized, c.cue_span.end) for c in a.citations},
            "sources: citations and quotes read in the first",
        ),
        (
            TimestampStage(max_chars=len(FIRST) + 5),
            lambda a: {(t.text, t.end) for t in a.times},
            "timestamps: time expressions read in the first",
        ),
    ],
)
def test_a_body_over_the_budget_is_read_up_to_a_paragraph_break(
    stage: newsparse.Stage, found: object, warning: str
) -> None:
    whole = _parse(type(stage)())
    cut = _parse(stage)
    assert whole.body == cut.body and whole.body == f"{FIRST}\n\n{SECOND}"
    read = found(cut)  # type: ignore[operator]
    assert read and read < found(whole)  # type: ignore[operator]
    assert all(end <= len(FIRST) for _, end in read)  # the first paragraph only
    assert any(w.startswith(warning) and "max_chars" in w for w in cut.warnings)
    assert not any(w.startswith(warning.split(" read")[0]) for w in whole.warnings)


@pytest.mark.parametrize("stage", [SourceStage, TimestampStage])
def test_budgets_must_be_positive(stage: type[newsparse.Stage]) -> None:
    with pytest.raises(newsparse.PipelineError, match="max_chars"):
        stage(max_chars=0)  # type: ignore[call-arg]
