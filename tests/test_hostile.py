"""Bad, hostile and huge input: an Article or a NewsparseError, in bounded time, never a crash.

Properties over generated adversarial pages check the invariants of every parse: only
``NewsparseError`` subclasses escape, each page finishes within ``max(10 s, 2 s per MB)``,
every body character traces to the input, every offset indexes the text it names, and the same
input gives the same Article. Examples per property: ``NEWSPARSE_HOSTILE_EXAMPLES`` (the
one-off 10,000-example run recorded in docs/robustness.md set it), else a few hundred.

Inputs that a stage handles in super-linear time are pinned by ``xfail(strict=True)`` tests
naming the module: they run in a child process stopped at the time bound, so they cost at most
that bound, and they start passing (and so failing as xfail) once the stage is fixed.
"""

from __future__ import annotations

import functools
import importlib.util
import multiprocessing
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ftfy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsparse
from invariants import assert_bodies_trace_to_the_input, assert_offsets_index_their_text
from newsparse import Article, Page, Pipeline
from newsparse.assemble import build_article
from newsparse.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    NewsparseError,
)
from newsparse.pipeline import to_datetime
from newsparse.readers import MAX_BLOCK_CHARS, ReadStage, decode_bytes
from newsparse.readers.decode import declared_charset

SCRAPED_AT = "2025-06-21T18:00:00Z"


def _examples(default: int) -> int:
    return int(os.environ.get("NEWSPARSE_HOSTILE_EXAMPLES") or default)


PROPERTY = settings(
    max_examples=_examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW_PROPERTY = settings(PROPERTY, max_examples=_examples(25))


def time_bound(size: int) -> float:
    """The robustness target for one page of ``size`` characters or bytes."""
    return max(10.0, 2.0 * size / 1_000_000)


def _pipeline(entities: bool = False) -> Pipeline:
    pipeline = newsparse.default_pipeline()
    if not entities:
        pipeline.remove("entities")
    return pipeline


FAST_PIPELINE = _pipeline()


# --- the invariants -------------------------------------------------------------------------


def parse_checked(
    raw: str | bytes, *, format: str | None = None, pipeline: Pipeline = FAST_PIPELINE
) -> tuple[Page, Article] | NewsparseError:
    """Parse ``raw`` and check every invariant; the page and Article, or the typed error."""
    started = time.perf_counter()
    try:
        page = pipeline.run(
            pipeline.new_page(raw, scraped_at=to_datetime(SCRAPED_AT), format=format)
        )
        article = build_article(page)
    except NewsparseError as error:
        assert pickle.loads(pickle.dumps(error)).args == error.args
        outcome: tuple[Page, Article] | NewsparseError = error
    else:
        check_article(raw, page, article)
        outcome = page, article
    elapsed = time.perf_counter() - started
    assert elapsed <= time_bound(len(raw)), f"{elapsed:.1f} s for {len(raw):,} characters"
    return outcome


def check_article(raw: str | bytes, page: Page, article: Article) -> None:
    """Nothing invented, every offset valid, the Article JSON round-trips."""
    if isinstance(raw, str) and page.format == "text" and page.raw != raw:
        # a repair rewrites lines one by one, each left as it is or as ftfy fixes it
        position = 0
        for line in raw.splitlines(keepends=True):
            fixed = ftfy.fix_encoding(line)
            assert page.raw.startswith(line, position) or page.raw.startswith(fixed, position)
            position += len(line if page.raw.startswith(line, position) else fixed)
        assert position == len(page.raw)
    assert_bodies_trace_to_the_input(page)
    for block in page.blocks:
        assert 0 <= block.raw_start <= block.raw_end <= len(page.raw)
        assert len(block.text) <= MAX_BLOCK_CHARS
    assert_offsets_index_their_text(page, article)
    assert Article.model_validate_json(article.model_dump_json()) == article


def check_deterministic(raw: str | bytes, format: str | None = None) -> None:
    first, second = parse_checked(raw, format=format), parse_checked(raw, format=format)
    if isinstance(first, NewsparseError) or isinstance(second, NewsparseError):
        assert type(first) is type(second) and str(first) == str(second)
    else:
        assert first[1] == second[1]


# --- strategies of adversarial pages --------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
"""Any Unicode except lone surrogates (which no decoded input can hold)."""

CONTROLS = "".join(map(chr, range(32))) + "\x7f\x85\u2028\u2029"
INVISIBLE = "\u00a0\u00ad\u200b\u200e\u200f\u2060\ufeff\u202e\u2066\u3000\t \n\r"
"""Characters that show nothing (ZWJ and ZWNJ apart: see the test of a page of joiners)."""
control_text = st.text(st.sampled_from(CONTROLS + "ab .\n"), max_size=300)
invisible_only = st.text(st.sampled_from(INVISIBLE), min_size=1, max_size=300)

SCRIPT_WORDS = [
    "Minister",
    "said",
    "Москва",
    "заявил",
    "Αθήνα",
    "القاهرة",
    "قال",
    "ירושלים",
    "אמר",
    "北京",
    "表示",
    "東京都",
    "नई दिल्ली",
    "กรุงเทพ",
    "서울",
    "e\u0301",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u202eevil\u202c",
    "2025-06-21",
    "3 hours ago",
    "Reuters",
    "“quoted”",
    "«Zitat»",
]
mixed_line = st.lists(st.sampled_from(SCRIPT_WORDS), min_size=1, max_size=25).map(" ".join)
mixed_page = st.lists(st.one_of(mixed_line, st.just("")), min_size=1, max_size=30).map("\n".join)

BOILERPLATE_LINES = [
    "Share",
    "Tweet",
    "Advertisement",
    "Sign up for our newsletter",
    "Read more",
    "Subscribe now",
    "Accept cookies",
    "© 2025 Example Media. All rights reserved.",
    "Home | World | Politics | Sport",
    "Follow us on Facebook",
    "Comments (0)",
    "Skip to content",
]
boilerplate_page = st.lists(st.sampled_from(BOILERPLATE_LINES), min_size=1, max_size=60).map(
    "\n".join
)
title_words = st.sampled_from(
    ["Minister", "Resigns", "After", "Vote", "Markets", "Fall", "Storm", "Hits", "Coast"]
)
title_only_page = st.lists(
    st.lists(title_words, min_size=2, max_size=8).map(" ".join), min_size=1, max_size=60
).map("\n".join)

sentence = st.lists(
    st.sampled_from(["the", "minister", "said", "talks", "would", "resume", "on", "monday"]),
    min_size=5,
    max_size=20,
).map(lambda words: " ".join(words).capitalize() + ".")
prose = st.lists(sentence, min_size=1, max_size=8).map(" ".join)


@st.composite
def with_nul_bytes(draw: st.DrawFn) -> str:
    """Prose with NUL (and other C0) characters dropped at random places."""
    text = draw(prose)
    for _ in range(draw(st.integers(1, 10))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from("\x00\x01\x08\x7f")) + text[at:]
    return "Title\n\n" + text


@st.composite
def huge_line(draw: st.DrawFn) -> str:
    """One line of up to 60,000 characters: words without any break, or with spaces."""
    unit = draw(st.one_of(sentence, st.sampled_from(["a", "ab-", "x1", "é", "日本", "\u00a0"])))
    return draw(st.sampled_from(["", "Title\n"])) + unit * (60_000 // len(unit))


TAGS = ["div", "span", "b", "i", "a", "p", "li", "ul", "table", "tr", "td", "section", "font"]


@st.composite
def nested_html(draw: st.DrawFn) -> str:
    """HTML nested up to 5,000 deep, closed or not, with text at the bottom."""
    tag = draw(st.sampled_from(TAGS))
    depth = draw(st.integers(0, 5_000))
    closed = draw(st.booleans())
    text = draw(st.one_of(prose, any_text))
    return (
        "<!doctype html><html><body>"
        + f"<{tag}>" * depth
        + text
        + (f"</{tag}>" * depth if closed else "")
    )


@st.composite
def html_of(draw: st.DrawFn, content: st.SearchStrategy[str]) -> str:
    """A page of ``content`` lines, each in a random element."""
    lines = draw(content).split("\n")
    body = "".join(f"<{(tag := draw(st.sampled_from(TAGS)))}>{line}</{tag}>" for line in lines)
    return f"<html><head><title>{lines[0]}</title></head><body>{body}</body></html>"


ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1", "koi8-r", "cp1251", "shift_jis"]


@st.composite
def encoded_page(draw: st.DrawFn) -> tuple[bytes, str, str, bool]:
    """A page encoded in some charset, with or without a ``<meta charset>`` saying which."""
    text = draw(st.one_of(mixed_page, prose))
    encoding = draw(st.sampled_from(ENCODINGS))
    declare = draw(st.booleans())
    if declare:
        text = f'<html><head><meta charset="{encoding}"></head><body><p>{text}</p></body></html>'
    return text.encode(encoding, errors="replace"), encoding, text, declare


def _pdf(payload: bytes) -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 44 >>\nstream\n" + payload


# --- properties: the pipeline without entities -----------------------------------------------


@PROPERTY
@given(any_text)
def test_any_unicode_text(raw: str) -> None:
    check_deterministic(raw)


@PROPERTY
@given(st.binary(max_size=2_000))
def test_any_bytes(raw: bytes) -> None:
    check_deterministic(raw)


@PROPERTY
@given(control_text)
def test_control_characters(raw: str) -> None:
    parse_checked(raw)


@PROPERTY
@given(mixed_page)
def test_mixed_scripts_and_right_to_left(raw: str) -> None:
    check_deterministic(raw)


@PROPERTY
@given(invisible_only)
def test_only_whitespace_and_invisible_characters(raw: str) -> None:
    outcome = parse_checked(raw)
    assert isinstance(outcome, EmptyInputError) or not outcome[1].body.strip()


@pytest.mark.parametrize("raw", ["\u200c", "\u200d\u200d", "Title\n\u200c \u200d\n"])
def test_a_page_of_only_joiners_has_no_body(raw: str) -> None:
    outcome = parse_checked(raw)
    if not isinstance(outcome, NewsparseError):
        assert all(p.text.strip("\u200c\u200d ") for p in outcome[1].paragraphs)


@PROPERTY
@given(boilerplate_page)
def test_boilerplate_only_pages(raw: str) -> None:
    check_deterministic(raw)


@PROPERTY
@given(title_only_page)
def test_pages_of_only_titles(raw: str) -> None:
    check_deterministic(raw)


@PROPERTY
@given(with_nul_bytes())
def test_nul_bytes_inside_text(raw: str) -> None:
    outcome = parse_checked(raw)
    assert not isinstance(outcome, NewsparseError)
    assert "\x00" not in outcome[1].body
    assert any("control character" in warning for warning in outcome[1].warnings)
    parse_checked(raw.encode("utf-8"))


@SLOW_PROPERTY
@given(huge_line())
def test_huge_lines(raw: str) -> None:
    outcome = parse_checked(raw)
    long_line = any(len(line) > MAX_BLOCK_CHARS and not line.isspace() for line in raw.split("\n"))
    if long_line and not isinstance(outcome, NewsparseError):
        assert any("split into blocks" in warning for warning in outcome[1].warnings)


@SLOW_PROPERTY
@given(nested_html())
def test_deeply_nested_html(raw: str) -> None:
    check_deterministic(raw, format="html")


@PROPERTY
@given(st.one_of(html_of(mixed_page), html_of(boilerplate_page), html_of(title_only_page)))
def test_hostile_html_pages(raw: str) -> None:
    check_deterministic(raw)


@PROPERTY
@given(encoded_page())
def test_any_encoding_decodes_without_error(case: tuple[bytes, str, str, bool]) -> None:
    data, encoding, text, declared = case
    parse_checked(data)
    round_trips = data == text.encode(encoding, errors="ignore")
    if declared and round_trips and encoding not in ("utf-16", "utf-16-le"):
        assert decode_bytes(data).text == text


@PROPERTY
@given(st.binary(max_size=4_000), st.sampled_from(["bytes", "latin-1", "utf-8"]))
def test_pdf_served_as_html(payload: bytes, how: str) -> None:
    data = _pdf(payload + bytes(range(32)))
    raw: str | bytes = data if how == "bytes" else data.decode(how, errors="replace")
    assert isinstance(parse_checked(raw, format="html"), BinaryInputError)


# --- huge inputs ----------------------------------------------------------------------------


def _json_line(size: int) -> str:
    item = '{"id": 12345, "headline": "Minister resigns after vote", "tags": ["a", "b"]}, '
    return "[" + item * (size // len(item)) + "{}]"


@pytest.mark.slow
def test_five_megabyte_single_line_json() -> None:
    raw = _json_line(5_000_000)
    assert finishes_within(raw, time_bound(len(raw)))


def test_single_line_json_within_bound() -> None:
    parse_checked(_json_line(200_000))


def test_giant_html_paragraph_is_split_into_bounded_blocks() -> None:
    raw = "<html><body><h1>Title</h1><p>" + "word " * 30_000 + "</p></body></html>"
    page, article = parse_checked(raw)  # type: ignore[misc]
    assert max(len(block.text) for block in page.blocks) <= MAX_BLOCK_CHARS
    assert any("split into blocks" in warning for warning in article.warnings)


# --- limits ---------------------------------------------------------------------------------


def test_input_over_the_size_limit_is_refused() -> None:
    pipeline = Pipeline([ReadStage(max_input_chars=1_000), *FAST_PIPELINE.stages[1:]])
    with pytest.raises(InputTooLargeError, match="max_input_chars"):
        newsparse.parse("word " * 1_000, pipeline=pipeline)


def test_block_length_limit_is_configurable() -> None:
    page = ReadStage(max_block_chars=100)(Page(raw_input="Title\n" + "word " * 200))
    assert [len(block.text) for block in page.blocks][1:] == [100] * 10
    assert page.warnings == [
        "1 line(s) longer than 100 characters were split into blocks "
        "(ReadStage(max_block_chars=...))"
    ]


def test_inline_hints_follow_the_pieces_of_a_split_block() -> None:
    markup = "<p>" + "word " * 30 + "<span class='ad'>Buy now</span> " + "word " * 30 + "</p>"
    page = ReadStage(max_block_chars=100)(Page(raw_input=markup, format="html"))
    hinted = [
        (block, span) for block in page.blocks for span in block.hints.get("inline_hints", [])
    ]  # type: ignore[union-attr]
    assert [block.text[start:end] for block, (start, end, _) in hinted] == ["Buy now"]


# --- typed errors and wrong types -----------------------------------------------------------


@pytest.mark.parametrize("raw", [None, 42, ["a page"], {"raw": "x"}])
def test_a_page_of_the_wrong_type_is_an_input_error(raw: Any) -> None:
    with pytest.raises(InputError, match="str or bytes"):
        newsparse.parse(raw)


def test_bytearray_and_memoryview_are_read_as_bytes() -> None:
    text = "Title\n\nThe minister said talks would resume."
    expected = newsparse.parse(text, pipeline=FAST_PIPELINE, scraped_at=SCRAPED_AT)
    for raw in (bytearray(text.encode()), memoryview(text.encode())):
        assert newsparse.parse(raw, pipeline=FAST_PIPELINE, scraped_at=SCRAPED_AT) == expected  # type: ignore[arg-type]


def test_a_scrape_time_of_the_wrong_type_is_an_input_error() -> None:
    with pytest.raises(InputError, match="scraped_at"):
        newsparse.parse("Title\n\nBody.", scraped_at=1750528800)  # type: ignore[arg-type]


def _error_classes(root: type[NewsparseError]) -> list[type[NewsparseError]]:
    return [root, *(c for sub in root.__subclasses__() for c in _error_classes(sub))]


@pytest.mark.parametrize("error_class", _error_classes(NewsparseError))
def test_every_error_pickles_with_its_code(error_class: type[NewsparseError]) -> None:
    error = error_class("something went wrong")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is error_class and str(copy) == str(error) and copy.code == error.code


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta charset="windows-1251">', "cp1251"),
        ("<meta charset=Shift_JIS>", "shift_jis"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">', "iso8859-2"),
        ('<meta http-equiv="content-type" content="text/html; charset=iso-8859-1">', "cp1252"),
        ('<?xml version="1.0" encoding="koi8-r"?>', "koi8-r"),
        ('<meta charset="utf-16">', None),
        ('<meta charset="rot13">', None),
        ('<meta charset="no-such-charset">', None),
        ("<p>charset=cp1251 in text is no declaration</p>", None),
    ],
)
def test_declared_charset(head: str, expected: str | None) -> None:
    assert declared_charset(f"<html><head>{head}</head><body>x</body></html>".encode()) == expected


def test_declared_charset_decodes_the_page() -> None:
    text = (
        "<html><head><meta charset='windows-1251'></head><body><p>Москва заявила</p></body></html>"
    )
    decoded = decode_bytes(text.encode("cp1251"))
    assert (decoded.text, decoded.decided_by) == (text, "declared")


def test_a_declaration_after_the_first_4_kb_is_ignored() -> None:
    text = "<html><head>" + "<!-- padding -->" * 300 + "<meta charset='cp1251'></head>"
    assert declared_charset(text.encode()) is None


def test_utf8_page_declaring_latin1_is_read_as_utf8_with_a_warning() -> None:
    text = (
        "<html><head><meta charset='iso-8859-1'></head><body><p>Ángel Muñoz said.</p></body></html>"
    )
    article = newsparse.parse(text.encode(), pipeline=FAST_PIPELINE, scraped_at=SCRAPED_AT)
    assert "Ángel Muñoz" in article.body
    assert any("declares charset cp1252 but is UTF-8" in w for w in article.warnings)


def test_invalid_bytes_are_replaced_with_a_warning() -> None:
    text = "Title\n\nThe minister said talks in Zürich, Genève and São Paulo would resume."
    article = newsparse.parse(
        text.encode() + b"\xff", pipeline=FAST_PIPELINE, scraped_at=SCRAPED_AT
    )
    assert "Zürich, Genève and São Paulo" in article.body
    assert "1 byte sequence(s) invalid in utf-8 were replaced by U+FFFD" in article.warnings


def test_utf16_without_byte_order_mark_is_detected() -> None:
    text = "Title\n\nThe minister said talks would resume."
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(encoding)).text == text


def test_mojibake_is_repaired_with_a_warning() -> None:
    text = "Title\n\nThe café in Zürich said ‘talks’ would resume — soon."
    broken = text.encode("utf-8").decode("cp1252")
    article = newsparse.parse(broken, pipeline=FAST_PIPELINE, scraped_at=SCRAPED_AT)
    assert "café in Zürich said ‘talks’ would resume — soon." in article.body
    assert any("mojibake" in w for w in article.warnings)


@pytest.mark.parametrize(
    "data",
    [
        b"\x1f\x8b\x08\x00" + bytes(100),
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"PK\x03\x04" + bytes(100),
        _pdf(bytes(range(256))),
    ],
)
def test_binary_formats_are_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode_bytes(data)


def test_a_text_page_starting_like_a_magic_number_is_still_text() -> None:
    assert decode_bytes(b"RIFF raff: the minister said talks would resume.").decided_by == "utf-8"
    parse_checked("GIF89a is an image format, the minister said.")


# --- super-linear stages, pinned until fixed ------------------------------------------------


def _parse_in_child(raw: str, stages: int | None) -> None:
    pipeline = FAST_PIPELINE if stages is None else Pipeline(FAST_PIPELINE.stages[:stages])
    try:
        page = pipeline.run(pipeline.new_page(raw))
        if stages is None:
            build_article(page)
    except NewsparseError:
        pass


def finishes_within(raw: str, seconds: float, stages: int | None = None) -> bool:
    """True if the first ``stages`` stages (all without entities when None) parse ``raw`` in
    ``seconds``; run in a forked child that is killed at the bound, so a hang costs only it."""
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_parse_in_child, args=(raw, stages))
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()
        return False
    return child.exitcode == 0


def _stages_through(name: str) -> int:
    return FAST_PIPELINE.names.index(name) + 1


SUPERLINEAR: list[tuple[str, str | None, Callable[[], str]]] = [
    (
        "sources",
        None,  # fixed: sources.py's _SENTENCE_END starts only where a run of '.' does
        lambda: "Title\n\n" + "." * 100_000,
    ),
    (
        "boilerplate",
        None,  # fixed: boilerplate.py's _SENTENCE_BREAK starts only where a run of '.' does
        lambda: "Title\n\n" + ("." * 10_000 + "a ") * 10,
    ),
    (
        "segment",
        None,  # fixed: segment.py's _title_groups scans a run of repeated lines once
        lambda: "Title\n\n" + "5 minutes ago\n" * 20_000,
    ),
]


@pytest.mark.parametrize(
    ("through", "raw"),
    [
        pytest.param(
            through,
            build,
            marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [],
            id=through,
        )
        for through, reason, build in SUPERLINEAR
    ],
)
def test_superlinear_input_finishes_within_the_bound(through: str, raw: Callable[[], str]) -> None:
    text = raw()
    assert finishes_within(text, time_bound(len(text)), _stages_through(through))


# --- entities on (slow: spaCy) ----------------------------------------------------------------


@functools.cache
def _entity_pipeline() -> Pipeline:
    return _pipeline(entities=True)


@pytest.mark.slow
@settings(PROPERTY, max_examples=_examples(20))
@given(st.one_of(mixed_page, with_nul_bytes(), html_of(mixed_page)))
def test_hostile_pages_with_entities(raw: str) -> None:
    parse_checked(raw, pipeline=_entity_pipeline())


# --- the fuzz target, briefly -----------------------------------------------------------------

FUZZ_DIR = Path(__file__).resolve().parent.parent / "fuzz"


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris not installed")
def test_fuzz_target_runs_clean_for_a_few_seconds(tmp_path: Path) -> None:
    """A bounded atheris run (the long one is documented in docs/robustness.md): libFuzzer
    exits non-zero, leaving a crash file, on any exception but a NewsparseError."""
    done = subprocess.run(
        [
            sys.executable,
            str(FUZZ_DIR / "fuzz_parse.py"),
            "-atheris_runs=3000",
            "-max_total_time=20",
            f"-artifact_prefix={tmp_path}/",
            str(tmp_path),  # new corpus entries go to the first directory, not the repository
            str(FUZZ_DIR / "seeds"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
