"""Quick start: parse a saved aggregator page and print what newsparse found.

Run from anywhere:  python examples/quickstart.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import newsparse

PAGE = Path(__file__).resolve().parent / "data" / "aggregator-page.txt"
SCRAPED_AT = "2025-06-21T18:00:00Z"  # when the scraper saved the page: "a day ago" resolves from it


def shorten(text: str, width: int = 100) -> str:
    """One line of at most ``width`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def main() -> None:
    article = newsparse.parse(PAGE.read_text(encoding="utf-8"), scraped_at=SCRAPED_AT)

    print(f"title: {article.title or ''}")
    print(f"publisher: {article.source.normalized if article.source else ''}")
    print(f"aggregator: {article.aggregator.normalized if article.aggregator else ''}")
    if article.published is not None:
        when = article.published
        print(
            f"published: {when.value.isoformat()} ({when.text!r}, {when.granularity}, "
            f"anchored on {when.anchor})"
        )
    else:
        print("published: ")
    first = article.paragraphs[0].text if article.paragraphs else ""
    print(f"first paragraph: {shorten(first)}")
    print(f"words: {article.word_count}")

    print(f"entities ({len(article.entities)}):")
    for entity in article.entities[:10]:
        print(f"  {entity.label:<8} {entity.canonical} x{entity.count}")

    print(f"citations ({len(article.citations)}):")
    for citation in article.citations:
        print(f"  {citation.source.normalized} [{citation.cue}]")

    print(f"related ({len(article.related)}):")
    for related in article.related:
        print(f"  - {related.title or ''}")

    reasons = Counter(removal.reason for removal in article.removed)
    print(f"removed ({len(article.removed)}):")
    for reason, count in reasons.most_common():
        print(f"  {reason}: {count}")

    if article.warnings:
        print(f"warnings: {'; '.join(article.warnings)}")


if __name__ == "__main__":
    main()
