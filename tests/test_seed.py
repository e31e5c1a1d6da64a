"""The brief's acceptance example: the seed aggregator page, end to end."""

from __future__ import annotations

from datetime import datetime, timedelta

from newsparse import Article

MAIN_TITLE = "Kim Jong Un Sends 6,000 More To Kursk After Massive Troop Losses In Russia"
BOILERPLATE = (
    "Try Our AI Features",
    "Orange background",
    "Comments",
    "DOWNLOAD THE APP",
    "app-store",
    "play-store",
    "Taboola",
    "Sponsored Links",
    "You May Like",
    "Shop Now",
    "Stay informed",
    "Join Now",
)


def _all(article: Article) -> list[Article]:
    return [article, *article.related]


def test_main_article_header(seed_article: Article, seed_scraped_at: datetime) -> None:
    assert seed_article.title == MAIN_TITLE
    assert seed_article.source is not None and seed_article.source.normalized == "NDTV"
    published = seed_article.published
    assert published is not None and published.relative and published.anchor == "scraped_at"
    assert published.value == seed_scraped_at - timedelta(days=1)
    assert published.earliest <= seed_scraped_at - timedelta(hours=47)
    assert seed_scraped_at - timedelta(hours=23) <= published.latest <= seed_scraped_at


def test_main_body_is_the_nine_paragraphs(seed_text: str, seed_article: Article) -> None:
    lines = seed_text.splitlines()
    paragraphs = [p.text for p in seed_article.paragraphs]
    assert paragraphs == [line.strip() for line in lines[7:16]]
    assert seed_article.body == "\n\n".join(paragraphs)


def test_related_articles(seed_article: Article) -> None:
    related = seed_article.related
    assert [a.title.split()[0] if a.title else None for a in related] == [
        "Belarus",
        "Russian",
        "BRICS",
    ]
    publishers = [a.source.normalized.removeprefix("The ") if a.source else None for a in related]
    assert publishers == ["Indian Express", "NDTV", "Times of India"]
    assert seed_article.aggregator is not None and seed_article.aggregator.role == "aggregator"
    assert [a.published.text if a.published else None for a in related] == [
        "an hour ago",
        "an hour ago",
        "2 hours ago",
    ]
    brics = related[2].body
    assert "'Today, for now, we are only looking at trade settlement" in brics
    assert "he said. Brazilian Ambassador Kenneth da Nobrega echoed" in brics
    assert brics.rstrip().endswith("Sustainable Development Goals framework.")


def test_no_boilerplate_in_any_body(seed_article: Article) -> None:
    for article in _all(seed_article):
        for phrase in BOILERPLATE:
            assert phrase not in article.body, (article.title, phrase)


def test_every_removal_is_accounted_for(seed_text: str, seed_article: Article) -> None:
    removed = [r for a in _all(seed_article) for r in a.removed]
    for r in removed:
        assert r.reason and r.stage
        assert 0 <= r.start < r.end <= len(seed_text)
    removed_text = " ".join(r.text for r in removed)
    for phrase in BOILERPLATE:
        assert phrase in removed_text, phrase


def test_citations_and_entities_of_main(seed_article: Article) -> None:
    cited = {c.source.normalized for c in seed_article.citations}
    assert {"TASS", "Business Insider"} <= cited
    canonical = {e.canonical for e in seed_article.entities}
    assert {"Kim Jong Un", "Sergei Shoigu", "Kursk", "Pyongyang"} <= canonical
    assert "Shoigu" not in canonical
    for entity in seed_article.entities:
        for m in entity.mentions:
            assert seed_article.body[m.start : m.end] == m.text
    texts = " ".join(m.text for e in seed_article.entities for m in e.mentions)
    assert "Daily8" not in texts and "Orange" not in texts
