"""Stage "segment" (placeholder: the whole page is one article)."""

from __future__ import annotations

from newsparse.document import ArticleDraft, Page


class SegmentStage:
    """Stage "segment"."""

    name = "segment"
    requires: tuple[str, ...] = ("blocks",)
    assigns: tuple[str, ...] = ("articles",)

    def __call__(self, page: Page) -> Page:
        draft = ArticleDraft(is_main=True, blocks=list(range(len(page.blocks))))
        for block in page.blocks:
            block.role = "body"
            block.article = 0
        page.articles = [draft]
        return page
