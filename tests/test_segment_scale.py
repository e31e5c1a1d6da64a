"""Stage "segment" on pages printing a line thousands of times: linear time, same result."""

from __future__ import annotations

import time

from newsparse import Page, Pipeline
from newsparse.normalize import NormalizeStage
from newsparse.readers import ReadStage
from newsparse.segment import SegmentStage
from samples import EN


def _normalized(raw: str) -> Page:
    pipeline = Pipeline([ReadStage(max_blocks=60_000), NormalizeStage()])
    return pipeline.run(pipeline.new_page(raw))


def test_a_title_printed_thousands_of_times_is_segmented_in_linear_time() -> None:
    """A title-like line every third line is one title with tens of thousands of copies;
    telling its header lines from its copies must not take time quadratic in them."""
    repeats = 16_000  # 48,000 lines: under the reader's cap on blocks set above
    page = _normalized("\n".join(["5 minutes ago", "Reply", "Share"] * repeats + EN))
    started = time.perf_counter()
    SegmentStage()(page)
    assert time.perf_counter() - started < 2.0  # quadratic: over 5 s
    (article,) = page.articles
    assert article.title == "5 minutes ago"
    roles = [page.blocks[i].role for i in article.blocks]
    assert roles.count("title") == repeats
    assert roles.count("meta") == 2 * repeats
    assert [page.blocks[i].text for i in article.blocks if page.blocks[i].role == "body"] == EN
