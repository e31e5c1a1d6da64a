"""Stage "boilerplate" (placeholder until implemented)."""

from __future__ import annotations

from newsparse.document import Page


class BoilerplateStage:
    """Stage "boilerplate"."""

    name = "boilerplate"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = tuple("boilerplate".split(","))

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, page: Page) -> Page:
        return page
