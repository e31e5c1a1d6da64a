"""Stage "sources" (placeholder until implemented)."""

from __future__ import annotations

from newsparse.document import Page


class SourceStage:
    """Stage "sources"."""

    name = "sources"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = tuple("sources,citations".split(","))

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, page: Page) -> Page:
        return page


def extract_citations(text: str) -> list[object]:
    """Placeholder."""
    return []
