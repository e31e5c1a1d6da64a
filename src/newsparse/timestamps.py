"""Stage "timestamps" (placeholder until implemented)."""

from __future__ import annotations

from newsparse.document import Page


class TimestampStage:
    """Stage "timestamps"."""

    name = "timestamps"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = tuple("published".split(","))

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, page: Page) -> Page:
        return page
