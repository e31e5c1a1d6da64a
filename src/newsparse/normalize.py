"""Stage "normalize" (placeholder until implemented)."""

from __future__ import annotations

from newsparse.document import Page


class NormalizeStage:
    """Stage "normalize"."""

    name = "normalize"
    requires: tuple[str, ...] = ("blocks",)
    assigns: tuple[str, ...] = tuple("normalized".split(","))

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, page: Page) -> Page:
        return page
