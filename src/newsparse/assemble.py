"""Turn an annotated Page into the public, frozen :class:`~newsparse.models.Article`.

Not a stage: the pipeline calls it once all stages have run. The first draft marked main (or
the first draft) becomes the Article; the others become its ``related`` articles. Text that
belongs to no article is accounted for on the main article's ``removed``.
"""

from __future__ import annotations

from operator import attrgetter

from newsparse.document import ArticleDraft, Page
from newsparse.models import Article, Removal


def _removals_of(page: Page, index: int) -> list[Removal]:
    draft = page.articles[index]
    return [r for i in draft.blocks for r in page.blocks[i].removals()]


def _orphan_removals(page: Page) -> list[Removal]:
    """Removals of blocks that no article owns; blocks left unlabelled are recorded too."""
    found: list[Removal] = []
    for block in page.blocks:
        if block.article is not None:
            continue
        if block.kept and block.text.strip():
            block.remove("outside-article", "assemble", "no stage assigned this block")
        found.extend(block.removals())
    return found


def _to_article(page: Page, draft: ArticleDraft, removed: list[Removal]) -> Article:
    body = page.body_of(draft)
    return Article(
        title=draft.title,
        source=draft.source,
        aggregator=draft.aggregator,
        authors=tuple(draft.authors),
        published=draft.published,
        body=body.text,
        paragraphs=tuple(body.paragraphs),
        entities=tuple(draft.entities),
        citations=tuple(draft.citations),
        quotes=tuple(draft.quotes),
        times=tuple(draft.times),
        removed=tuple(sorted(removed, key=attrgetter("start", "end"))),
        language=draft.language or page.language,
        url=page.url,
        scraped_at=page.scraped_at,
        warnings=tuple(draft.warnings),
    )


def build_article(page: Page) -> Article:
    """The page's main Article, with every other article found on it as ``related``."""
    if not page.articles:
        page.articles.append(ArticleDraft(is_main=True))
        page.warnings.append("no article found on the page")
    main_index = next((i for i, d in enumerate(page.articles) if d.is_main), 0)
    related = tuple(
        _to_article(page, d, _removals_of(page, i))
        for i, d in enumerate(page.articles)
        if i != main_index
    )
    main = page.articles[main_index]
    main.warnings[:0] = [w for w in page.warnings if w not in main.warnings]
    removed = _removals_of(page, main_index) + page.removals + _orphan_removals(page)
    return _to_article(page, main, removed).model_copy(update={"related": related})
