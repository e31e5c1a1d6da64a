"""Stage "entities" (placeholder until implemented)."""

from __future__ import annotations

from newsparse.document import Page


class EntityStage:
    """Stage "entities"."""

    name = "entities"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = tuple("entities".split(","))

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, page: Page) -> Page:
        return page


def extract_entities(text: str) -> list[object]:
    """Placeholder."""
    return []
