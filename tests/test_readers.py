"""Readers: decoding, mojibake, limits, long lines, format detection."""

from __future__ import annotations

import pytest

import newsparse
from newsparse import Pipeline
from newsparse.readers import ReadStage, decode, repair_mojibake


def _read(raw: str | bytes, **options: int) -> newsparse.Page:
    return ReadStage(**options)(Pipeline().new_page(raw))


def test_lines_become_blocks_with_their_spans() -> None:
    raw = "Title line\r\n\r\n  \nSecond line here\nThird"
    page = _read(raw)
    assert [b.text for b in page.blocks] == ["Title line", "Second line here", "Third"]
    for block in page.blocks:
        assert page.raw[block.raw_start : block.raw_end] == block.text


def test_a_huge_line_is_split_at_whitespace_into_bounded_blocks() -> None:
    words = " ".join(f"word{i}" for i in range(20_000))
    page = _read(words, max_block_chars=1_000)
    assert len(page.blocks) > 100
    assert all(len(b.text) <= 1_000 for b in page.blocks)
    assert "".join(b.text for b in page.blocks) == words
    assert all(not b.text.startswith(" ") for b in page.blocks)


def test_input_limit_is_a_typed_error() -> None:
    with pytest.raises(newsparse.InputTooLargeError, match="max_input_chars"):
        _read("x" * 101, max_input_chars=100)


def test_the_nesting_limit_is_configurable() -> None:
    markup = "<html><body>" + "<div>" * 10 + "<p>Deep text.</p>" + "</div>" * 10 + "<p>After.</p>"
    default = _read(markup)
    capped = _read(markup, max_nesting=4)
    assert [b.text for b in capped.blocks] == [b.text for b in default.blocks]
    assert [b.text for b in capped.blocks] == ["Deep text.", "After."]  # the text stays
    # <html>, <body> and <p> do not nest (a sibling or the document's end closes them)
    assert default.blocks[0].hints["depth"] == 12
    assert capped.blocks[0].hints["depth"] == 4 + 2  # the <div> tags past the limit are gone


def test_text_past_the_block_limit_is_recorded_unread() -> None:
    raw = "One\n\nTwo\nThree\n\nFour five\nSix\n\n"
    page = _read(raw, max_blocks=3)
    assert [b.text for b in page.blocks] == ["One", "Two", "Three"]
    (removal,) = page.removals
    assert (removal.text, removal.reason, removal.stage) == (
        "Four five\nSix",
        "beyond-block-limit",
        "read",
    )
    assert page.raw[removal.start : removal.end] == "Four five\nSix"
    assert any("max_blocks" in warning for warning in page.warnings)
    assert not _read(raw, max_blocks=5).removals


def test_html_past_the_block_limit_is_not_read() -> None:
    raw = "<p>One</p><p>Two</p><div>Three</div><p>Four five</p><p>Six</p>"
    page = _read(raw, max_blocks=3)
    assert [b.text for b in page.blocks] == ["One", "Two", "Three"]
    assert page.raw == "One\nTwo\nThree"
    assert any("max_blocks" in warning for warning in page.warnings)
    assert not any("max_blocks" in warning for warning in _read(raw, max_blocks=5).warnings)


def test_a_page_of_a_million_lines_reads_only_the_first_blocks() -> None:
    pipeline = newsparse.default_pipeline()
    pipeline.replace("read", ReadStage(max_blocks=1_000))
    article = pipeline("Share\n" * 1_000_000, scraped_at="2025-06-21T18:00Z")
    unread = [r for r in article.removed if r.reason == "beyond-block-limit"]
    assert len(unread) == 1 and unread[0].start == len("Share\n") * 1_000
    assert len(article.removed) <= 1_000 + 1


@pytest.mark.parametrize(
    "limit", ["max_input_chars", "max_block_chars", "max_nesting", "max_blocks"]
)
@pytest.mark.parametrize("value", [0, -5, 2.5, True, "100"])
def test_limits_must_be_whole_numbers_of_at_least_one(limit: str, value: object) -> None:
    with pytest.raises(newsparse.PipelineError, match=limit):
        ReadStage(**{limit: value})  # type: ignore[arg-type]


def test_mojibake_is_repaired_and_clean_text_untouched() -> None:
    broken = "CafÃ© owners were â€œshockedâ€\x9d by the rules."
    assert repair_mojibake(broken) == "Café owners were “shocked” by the rules."
    clean = "Äpfel, Straße und Müller: ça va — «bien»."
    assert repair_mojibake(clean) == clean


def test_mojibake_is_repaired_line_by_line() -> None:
    broken = "CafÃ© owners were â€œshockedâ€\x9d.\nÄpfel und Müller.\n// funÃ§Ã£o nÃ£o\n"
    expected = "Café owners were “shocked”.\nÄpfel und Müller.\n// função não\n"
    assert repair_mojibake(broken) == expected


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Grüße aus Köln".encode("utf-8-sig"), "utf-8-sig"),
        ("Grüße aus Köln".encode("utf-16"), "utf-16"),
        ("Grüße aus Köln".encode(), "utf-8"),
    ],
)
def test_decode_honours_boms_and_utf8(data: bytes, encoding: str) -> None:
    assert decode(data) == ("Grüße aus Köln", encoding)


def test_legacy_encodings_are_detected() -> None:
    text = "Привет, мир! Это новостная статья о погоде в Москве и Санкт-Петербурге. " * 5
    decoded, _ = decode(text.encode("cp1251"))
    assert decoded == text


def test_html_is_detected_and_text_is_not() -> None:
    assert _read("<!doctype html><html><body><p>Hello there</p></body></html>").format == "html"
    assert _read("Plain text with a < sign and a > sign").format == "text"
