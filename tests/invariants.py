"""Invariant checks shared by the property tests (test_properties, test_hostile)."""

from __future__ import annotations

import unicodedata

from newsparse import Article, Page


def traces(body_char: str, raw_char: str) -> bool:
    """A body character comes from ``raw_char``: itself, a part of its NFC form (a character
    that composition excludes, such as Bengali U+09DC, decomposes into two), or collapsed
    space."""
    if body_char.isspace():
        return True
    base = unicodedata.normalize("NFD", body_char)[:1]
    return base in unicodedata.normalize("NFD", raw_char)


def assert_bodies_trace_to_the_input(page: Page) -> None:
    """Every body character maps to a raw character it came from: nothing is invented."""
    for draft in page.articles:
        body = page.body_of(draft)
        assert len(body.char_map) == len(body.text)
        for char, position in zip(body.text, body.char_map, strict=True):
            assert 0 <= position < len(page.raw)
            assert traces(char, page.raw[position]), (char, page.raw[position])


def assert_offsets_index_their_text(page: Page, article: Article) -> None:
    """Paragraph, citation, quote and mention offsets index the body; removals the raw text."""
    for a in (article, *article.related):
        for p in a.paragraphs:
            assert a.body[p.start : p.end] == p.text
        for r in a.removed:
            assert 0 <= r.start <= r.end <= len(page.raw)
        for c in a.citations:
            assert a.body[c.cue_span.start : c.cue_span.end] == c.cue_span.text
            if c.quote is not None:
                assert a.body[c.quote.start : c.quote.end] == c.quote.text
        for q in a.quotes:
            assert a.body[q.start : q.end] == q.text
        for t in a.times:
            assert a.body[t.start : t.end] == t.text
        for entity in a.entities:
            for m in entity.mentions:
                assert a.body[m.start : m.end] == m.text
