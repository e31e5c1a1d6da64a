"""The HTML reader: metadata, blocks with hints, offsets into the visible text, hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse import Page
from newsparse.errors import EmptyInputError
from newsparse.lexicon import load_data
from newsparse.readers import ReadStage
from newsparse.readers.html import MAX_NESTING, read_html

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
FIXTURE_NAMES = sorted(path.name for path in FIXTURES.glob("*.html"))


def read(markup: str) -> Page:
    return read_html(Page(raw_input=markup, raw=markup))


def fixture(name: str) -> Page:
    return read((FIXTURES / name).read_text(encoding="utf-8"))


def block_with(page: Page, text: str) -> dict[str, object]:
    """The hints of the one block whose text contains ``text``."""
    found = [block for block in page.blocks if text in block.text]
    assert len(found) == 1, [block.text for block in found]
    return found[0].hints


def assert_offsets_index_raw(page: Page) -> None:
    for block in page.blocks:
        assert page.raw[block.raw_start : block.raw_end] == block.text
        assert block.char_map is None
        assert block.text == block.text.strip(" \t\n\r\f") and block.text.strip()


def test_hint_vocabulary_is_data_naming_its_source() -> None:
    vocabulary = load_data("html_hints.json")
    assert vocabulary["_source"]
    hints = set(vocabulary["hints"])
    assert hints == {
        "ad", "related", "comment", "share", "newsletter", "nav", "footer", "header",
        "sidebar", "promo", "social", "byline", "caption",
    }  # fmt: skip
    assert set(vocabulary["tags"].values()) | set(vocabulary["roles"].values()) <= hints
    assert set(vocabulary["page_level_hints"]) <= hints


# --- a news site --------------------------------------------------------------------------


def test_news_site_metadata_comes_from_json_ld_opengraph_and_the_document() -> None:
    meta = fixture("news-site.html").metadata
    assert meta["headline"] == "Harbour bridge reopens after repairs"
    assert meta["datepublished"] == "2024-03-05T08:30:00+00:00"
    assert meta["datemodified"] == "2024-03-05T11:02:00+00:00"
    assert meta["author"] == "Dana Whitlock; Omar Reyes"  # one @graph reference, one inline
    assert meta["publisher"] == "Coastal Ledger Ltd"  # resolved through its @id
    assert meta["og:site_name"] == "The Coastal Ledger"
    assert meta["article:published_time"] == "2024-03-05T08:30:00+00:00"
    assert meta["canonical"] == "https://ledger.example/news/harbour-bridge-reopens"
    assert meta["lang"] == "en-GB"
    assert meta["title"] == "Harbour bridge reopens after repairs | The Coastal Ledger"
    assert meta["time"] == "2024-03-05T08:30:00+00:00"
    assert all(key == key.lower() for key in meta)


def test_news_site_blocks_carry_what_the_markup_knew() -> None:
    page = fixture("news-site.html")
    assert_offsets_index_raw(page)
    headline = block_with(page, "Harbour bridge reopens")
    assert headline["tag"] == "h1" and headline["heading"] == 1
    assert headline["in_article"] is True and headline["class_hint"] is None
    assert block_with(page, "Commuters return")["heading"] == 2
    lead = block_with(page, "reopened to traffic")
    assert lead == lead | {"tag": "p", "link_density": 0.0, "in_article": True}
    assert "heading" not in lead
    linked = block_with(page, "suspension cables")
    assert 0.0 < float(linked["link_density"]) < 0.5
    assert block_with(page, "By Dana Whitlock")["class_hint"] == "byline"
    assert block_with(page, "The bridge at dawn")["class_hint"] == "caption"
    expected_hints = {
        "Skip to content": "nav",
        "Sport": "nav",
        "Share Tweet Email": "share",
        "Ferry strike called off": "related",
        "in your inbox": "newsletter",
        "About time too!": "comment",
        "All rights reserved": "footer",
    }
    for text, hint in expected_hints.items():
        assert block_with(page, text)["class_hint"] == hint, text
    assert block_with(page, "Sport")["link_density"] == 1.0
    assert block_with(page, "Ferry strike")["in_article"] is False
    # The article's own header and footer are not page furniture.
    assert block_with(page, "Filed under")["class_hint"] is None


def test_news_site_raw_is_the_visible_text_only() -> None:
    page = fixture("news-site.html")
    for invisible in ("dataLayer", "Invisible tracking", "Also invisible", "display: none"):
        assert invisible not in page.raw
    # <br> ends a line; whitespace collapses as a browser does it, entities are decoded.
    assert "Bus operators said the first services crossed at 6am.\nFerry services" in page.raw
    assert "work that cost £41 million." in page.raw
    positions = [block.hints["position"] for block in page.blocks]
    assert positions == sorted(positions) and positions[0] == 0.0
    assert positions[-1] == (len(page.blocks) - 1) / len(page.blocks)


# --- an aggregator ------------------------------------------------------------------------


def test_aggregator_takes_the_page_article_not_a_listed_teaser() -> None:
    page = fixture("aggregator.html")
    assert page.metadata["headline"] == "Kursk deployment: what we know"
    assert page.metadata["publisher"] == "Wire Service"
    assert page.metadata["author"] == "Staff Reporter"
    assert page.metadata["pubdate"] == "2025-06-21"
    assert_offsets_index_raw(page)


def test_aggregator_blocks_describe_rather_than_decide() -> None:
    page = fixture("aggregator.html")
    story = block_with(page, "Six thousand workers")
    assert story["in_article"] is False and story["class_hint"] is None
    teaser = block_with(page, "Opposition figure freed")
    assert teaser["in_article"] is True and teaser["heading"] == 3
    assert teaser["link_density"] == 1.0
    assert block_with(page, "Sign in")["class_hint"] == "header"
    assert block_with(page, "hundreds of publishers")["class_hint"] == "footer"


# --- inline ads ---------------------------------------------------------------------------


def test_inline_ads_are_hinted_as_blocks_or_as_spans() -> None:
    page = fixture("inline-ads.html")
    assert_offsets_index_raw(page)
    assert block_with(page, "Advertisement")["class_hint"] == "ad"
    assert block_with(page, "Sponsored links")["class_hint"] == "ad"
    assert block_with(page, "Mega Mart")["class_hint"] == "ad"
    assert block_with(page, "believe these photos")["class_hint"] == "promo"
    for text in ("voted 7-2", "next spring", "public consultation"):
        assert block_with(page, text)["class_hint"] is None
    mixed = next(block for block in page.blocks if "Librarians" in block.text)
    assert mixed.hints["class_hint"] is None
    assert [mixed.text[s:e] for s, e, _ in mixed.hints["inline_hints"]] == [
        "Subscribe for $1 a week"
    ]


def test_class_names_of_states_layouts_and_taxonomies_are_not_furniture() -> None:
    page = read(
        '<div class="content-with-sidebar"><p>One body paragraph.</p></div>'
        '<div class="has-comments l-sidebar"><p>Two body paragraph.</p></div>'
        '<article class="post category-advertising author-jo"><p>Three.</p></article>'
        '<div class="sidebar"><article><p>Four: an article is content.</p></article></div>'
    )
    for block in page.blocks:
        assert block.hints["class_hint"] is None, block.text


# --- JSON-LD that disagrees with the page ------------------------------------------------


def test_json_ld_disagreeing_with_the_page_is_reported_not_applied() -> None:
    page = fixture("jsonld-disagrees.html")
    # The commented, trailing-comma JSON-LD is read; the unterminated one is skipped.
    assert page.metadata["headline"] == "Storm warning issued for the coast"
    assert page.metadata["author"] == "Old Byline"
    assert page.metadata["publisher"] == "Kuestenbote"
    assert page.metadata["og:title"] == "Storm warning lifted"
    # The blocks are the visible page, whatever the metadata claims.
    assert page.blocks[0].text == "Storm warning lifted for the coast"
    assert "By New Byline" in page.raw
    assert "Old Byline" not in page.raw and "issued" not in page.raw


def test_invalid_json_ld_alone_leaves_no_json_ld_keys() -> None:
    page = read(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<script type="application/ld+json">[[[[</script><p>Text.</p>'
    )
    assert "headline" not in page.metadata
    assert [block.text for block in page.blocks] == ["Text."]


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "span", "section"])
def test_nesting_100000_deep_reads_without_recursion_and_quickly(tag: str) -> None:
    depth = 100_000
    markup = f"<html><body>{f'<{tag}>' * depth}deep text{f'</{tag}>' * depth}<p>after</p>"
    started = time.perf_counter()
    page = read(markup)
    assert time.perf_counter() - started < 10  # unflattened, 100,000 divs take lexbor 13 s
    assert [block.text for block in page.blocks] == ["deep text", "after"]
    assert all(int(block.hints["depth"]) <= MAX_NESTING + 2 for block in page.blocks)


def test_nesting_within_the_limit_is_left_alone() -> None:
    markup = "<div>" * 100 + "<p>inner</p>" + "</div>" * 100 + "<p>outer</p>"
    page = read(markup)
    assert [block.text for block in page.blocks] == ["inner", "outer"]
    assert page.blocks[0].hints["depth"] == 102


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_truncated_html_still_gives_the_text_before_the_cut(name: str) -> None:
    markup = (FIXTURES / name).read_text(encoding="utf-8")
    body = markup.index("<body")
    for cut in (body + (len(markup) - body) // 2, len(markup) - 40):
        page = read(markup[:cut])
        assert page.blocks
        assert_offsets_index_raw(page)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>unclosed <b>bold <i>italic</p> after</b> tail",
        "<table><tr><td>cell<td>next</table><li>stray item",
        "<<<<div<div<div<a href='",
        "</p></div></body></html><p>closing tags first",
        "<div>" * 2000 + "no end tags at all",
    ],
)
def test_broken_html_gives_blocks(markup: str) -> None:
    page = read(markup)
    assert page.blocks
    assert_offsets_index_raw(page)


def test_html_without_visible_text_is_a_clear_error() -> None:
    with pytest.raises(EmptyInputError, match="no visible text"):
        read("<html><head><title>t</title></head><body><script>x()</script><!-- c --></body>")


def test_enormous_html_reads_in_linear_time() -> None:
    paragraph = "<div class='c'><p>Paragraph with <a href='#'>a link</a> and text.</p></div>\n"
    small, large = paragraph * 2_000, paragraph * 40_000
    started = time.perf_counter()
    read(small)
    small_seconds = time.perf_counter() - started
    started = time.perf_counter()
    page = read(large)
    large_seconds = time.perf_counter() - started
    assert len(page.blocks) == 40_000
    assert large_seconds < 20 * small_seconds * 3 + 1  # 20 times the input, not 400 times


def test_read_stage_detects_html_bytes() -> None:
    markup = (FIXTURES / "news-site.html").read_bytes()
    page = ReadStage()(Page(raw_input=markup))
    assert page.format == "html"
    assert page.metadata["headline"] == "Harbour bridge reopens after repairs"
    assert page.raw.startswith("Skip to content\n")


_FRAGMENTS = st.sampled_from(
    ["<p>", "</p>", "<div class='ad'>", "</div>", "<a href=x>", "</a>", "<br>", "<pre>", "\n",
     "<h2>", "</h2>", "<article>", "<script>", "</script>", "<!--", "-->", "&amp;", " ", "<li>"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(min_size=1, max_size=12)), max_size=40))
def test_any_markup_gives_indexed_blocks_or_the_empty_error(parts: list[str]) -> None:
    try:
        page = read("".join(parts))
    except EmptyInputError:
        return
    assert_offsets_index_raw(page)
    for block in page.blocks:
        for start, end, _ in block.hints.get("inline_hints", ()):
            assert 0 <= start < end <= len(block.text)
