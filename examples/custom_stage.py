"""A custom pipeline stage: drop body paragraphs too short to be article text.

Stubs such as "Read more", lone bylines or photo captions often survive generic boilerplate
rules. This stage runs after "boilerplate" and removes every kept body block of fewer than
``min_words`` words. It labels instead of deleting (``Block.remove``), so each dropped
paragraph is still reported in ``Article.removed`` with the reason ``"short-paragraph"``.

Run from anywhere:  python examples/custom_stage.py
"""

from __future__ import annotations

from pathlib import Path

import newsparse
from newsparse import Page

PAGE = Path(__file__).resolve().parent / "data" / "aggregator-page.txt"
SCRAPED_AT = "2025-06-21T18:00:00Z"


class DropShortParagraphs:
    """Stage "drop-short-paragraphs": remove body blocks of fewer than ``min_words`` words."""

    name = "drop-short-paragraphs"
    requires = ("articles",)  # needs segmentation: which blocks are body text of which article
    assigns = ("boilerplate",)

    def __init__(self, min_words: int = 8) -> None:
        self.min_words = min_words

    def __call__(self, page: Page) -> Page:
        for draft in page.articles:
            for block in page.blocks_of(draft, "body"):
                if not block.kept:  # already removed by an earlier stage
                    continue
                words = len(block.kept_text().split())
                if 0 < words < self.min_words:
                    detail = f"{words} words, minimum {self.min_words}"
                    block.remove("short-paragraph", self.name, detail=detail)
        return page


def main() -> None:
    raw = PAGE.read_text(encoding="utf-8")
    pipeline = newsparse.default_pipeline()
    before = newsparse.parse(raw, scraped_at=SCRAPED_AT, pipeline=pipeline)

    pipeline.add(DropShortParagraphs(min_words=8), after="boilerplate")
    after = newsparse.parse(raw, scraped_at=SCRAPED_AT, pipeline=pipeline)

    dropped = [r for r in after.removed if r.stage == DropShortParagraphs.name]
    print(f"stages: {', '.join(pipeline.names)}")
    print(f"paragraphs without the stage: {len(before.paragraphs)}")
    print(f"paragraphs with the stage: {len(after.paragraphs)}")
    print(f"dropped by {DropShortParagraphs.name}: {len(dropped)}")
    for removal in dropped:
        print(
            f"  [{removal.start}:{removal.end}] {removal.reason} ({removal.detail}): "
            f"{removal.text!r}"
        )


if __name__ == "__main__":
    main()
