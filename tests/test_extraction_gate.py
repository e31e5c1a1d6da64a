"""Quality gate for article bodies: snippets that must be kept and snippets that must be removed.

After trafilatura's evaluation (``tests/evaldata.json``, ``tests/eval_gate.py``): each page of
``tests/fixtures/gate/`` (written for newsparse; each stages what went wrong on the AEB dev
pages: furniture that won the main article, such as comment threads, cookie notices,
registration legal text, sidebars, inline ads, a ticker printed twice or an author's bio under
a share widget's label; or story the body lost, such as the short lines of a menu or a numbered
list with printed links) and of ``tests/fixtures/html/`` comes with snippets of its story that
the body must hold and snippets of furniture that it must not. The share of snippets judged
right must stay at or above ``FLOOR``. The floor only goes up: when the score passes it, raise
it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import newsparse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BODY_STAGES = ("read", "normalize", "segment", "boilerplate")

FLOOR = 1.0
"""Share of snippets judged right; never lowered (see the module docstring)."""

CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # page: (snippets the body keeps, snippets the body drops)
    "gate/cookie-and-comments.txt": (
        (
            "Ferry fares across the harbour will rise by eight percent in April",
            "took a year to recover.",
        ),
        (
            "This is the third rise in three years",
            "This website uses cookies",
            "Necessary cookies are absolutely essential",
            "Rating: 12 Votes",
            "14 comments",
        ),
    ),
    "gate/registration-legal.txt": (
        (
            "As the year comes to an end",
            "earned its place on this list.",
        ),
        ("By registering you become a member", "Join our newsletter", "Subscribe"),
    ),
    "gate/comments-page.html": (
        (
            "The main mountain pass will stay closed for at least a week",
            "Drivers heading east are advised to use the coastal route",
            "once engineers have inspected the retaining walls.",
        ),
        (
            "Valley News is the independent voice",
            "Winter tyres at half price",
            "Pass reopens after rock fall",
            "Every winter the same thing happens",
            "Does anyone know if the school buses",
            "All rights reserved",
        ),
    ),
    "gate/menu-and-offers.html": (
        (
            "Cooking for the week ahead on a Sunday afternoon",
            "Eat every three hours\n\nOat porridge with one apple",
            "Containers: 1 red, 1 green",
            "any box with a tight lid will do.",
            "1) A large rice cooker\n\nhttp://shop.example/rc",
            "3) A set of freezer bags",
        ),
        ("Ten-minute noodles", "Meal plans", "All rights reserved", "By Ana Ruiz"),
    ),
    "gate/ticker-and-bio.txt": (
        (
            "The town library will open on Sundays from next month",
            "according to the council's own figures.",
        ),
        (
            "Council approves new cycle lanes",
            "Regan is a local writer",
            "All rights reserved",
            "Sharing is caring!",
        ),
    ),
    "html/news-site.html": (
        ("The harbour bridge reopened to traffic on Tuesday morning",),
        ("Skip to content", "Share Tweet Email", "Ferry strike called off"),
    ),
    "html/inline-ads.html": (
        (
            "The city council voted 7-2 on Monday to fund a new central library.",
            "Librarians welcomed the decision.",
            "The vote followed a year of public consultation.",
        ),
        ("Advertisement", "Sponsored links", "Buy one, get one free", "Subscribe for $1 a week"),
    ),
    "html/aggregator.html": (
        (
            "Six thousand workers will be sent to help rebuild the region",
            "according to state media.",
        ),
        ("Sign in", "Opposition figure freed after envoy visit", "NewsHub aggregates stories"),
    ),
}


def _body(name: str) -> str:
    pipeline = newsparse.default_pipeline()
    for stage in [s.name for s in pipeline.stages if s.name not in BODY_STAGES]:
        pipeline.remove(stage)
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    return newsparse.parse(
        raw, format="html" if name.endswith(".html") else "text", pipeline=pipeline
    ).body


def _judged_right(name: str) -> list[bool]:
    body = _body(name)
    kept, removed = CASES[name]
    return [snippet in body for snippet in kept] + [snippet not in body for snippet in removed]


def test_the_gate_holds_its_floor() -> None:
    verdicts = [verdict for name in CASES for verdict in _judged_right(name)]
    score = sum(verdicts) / len(verdicts)
    assert score >= FLOOR, f"gate score {score:.3f} fell below the floor {FLOOR}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_page_keeps_its_story_and_drops_its_furniture(name: str) -> None:
    body = _body(name)
    kept, removed = CASES[name]
    assert [s for s in kept if s not in body] == []
    assert [s for s in removed if s in body] == []


def test_the_main_article_is_the_headlined_story_not_the_comment_thread() -> None:
    """Aggregator mix-up: a thread printed under a repeated title is no main article when the
    page's own headline announces another body."""
    raw = (FIXTURES / "gate" / "cookie-and-comments.txt").read_text(encoding="utf-8")
    article = newsparse.parse(raw, format="text")
    assert article.title == "Harbour ferry fares to rise in spring"
    assert all("Votes" not in related.body for related in article.related)


def test_json_ld_disagreeing_with_the_text_does_not_move_the_story() -> None:
    """The JSON-LD headline ("issued") disagrees with the page ("lifted"): the title and body
    come from the page's own heading and text; the metadata only helps find them."""
    raw = (FIXTURES / "html" / "jsonld-disagrees.html").read_text(encoding="utf-8")
    article = newsparse.parse(raw, format="html")
    assert article.title == "Storm warning lifted for the coast"
    assert article.body == "The weather service lifted its storm warning on Monday afternoon."
