"""Stage "normalize": canonical text that still traces to the input, glued labels, language."""

from __future__ import annotations

import unicodedata
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsparse import Page
from newsparse.normalize import (
    NormalizeStage,
    detect_language,
    glued_slug_ends,
    glued_time_start,
    normalize_text,
)
from newsparse.readers import ReadStage, read_text

INVISIBLE = "\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a\u202c"


def _normalize(text: str) -> str:
    return normalize_text(text, range(len(text)), len(text)).text


def _read(raw: str) -> Page:
    return NormalizeStage()(ReadStage()(Page(raw_input=raw)))


def _same_char(char: str, raw_char: str) -> bool:
    """A normalised character stands for the raw one: same base letter, both spaces, or a mark
    that NFC splits off a raw character it cannot stay composed with (U+FB2A "שׁ" is "ש" + "ׁ")."""
    if char == " ":
        return raw_char.isspace()
    raw_decomposed = unicodedata.normalize("NFD", raw_char)
    return unicodedata.normalize("NFD", char)[:1] == raw_decomposed[:1] or (
        unicodedata.combining(char) > 0 and char in raw_decomposed
    )


def test_composes_removes_invisibles_and_collapses_whitespace() -> None:
    raw = "\ufeff  Cafe\u0301\u00a0\t au\u200b lait\u00ad  \u2003"
    result = normalize_text(raw, range(len(raw)), len(raw))
    assert result.text == "Café au lait"
    assert raw[result.offsets[3]] == "e"  # the composed é maps to the raw e it starts with
    assert result.end == raw.index("lait") + len("lait")


def test_zero_width_joiners_are_kept() -> None:
    assert _normalize("क्\u200dष") == "क्\u200dष"


texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from([*INVISIBLE, "\u0301", "\u0327", "\u00a0", "\t", " ", "\u1161"]),
    ),
    max_size=60,
)


@given(texts)
def test_normalized_text_is_canonical_and_traces_to_the_input(raw: str) -> None:
    result = normalize_text(raw, range(len(raw)), len(raw))
    text = result.text
    assert unicodedata.is_normalized("NFC", text)
    assert "  " not in text and text == text.strip(" ")
    assert not set(text) & set(INVISIBLE)
    assert len(result.offsets) == len(text)
    assert list(result.offsets) == sorted(result.offsets)
    for char, offset in zip(text, result.offsets, strict=True):
        assert _same_char(char, raw[offset]), (char, raw[offset])


@given(texts)
def test_normalizing_twice_changes_nothing(raw: str) -> None:
    once = _normalize(raw)
    assert _normalize(once) == once


@given(st.lists(texts, min_size=1, max_size=8))
def test_stage_gives_every_line_its_normalized_text(lines: list[str]) -> None:
    raw = "\n".join(lines)
    read = read_text(Page(raw_input=raw, raw=raw))
    expected = []
    for block in read.blocks:
        result = normalize_text(block.text, range(block.raw_start, block.raw_end), block.raw_end)
        shown = result.text.strip("\u200c\u200d")  # joiners alone show nothing
        if shown and not shown.isspace():
            expected.append((result.text, list(result.offsets), result.end))
    page = NormalizeStage(split_glued=False, detect=False)(read)
    offsets = [[block.raw_offset(i) for i in range(len(block.text))] for block in page.blocks]
    assert [
        (block.text, offsets, block.raw_end)
        for block, offsets in zip(page.blocks, offsets, strict=True)
    ] == expected


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("NDTVa day ago", 4),
        ("Reuters3 hours ago", 7),
        ("El Paíshace 2 horas", 7),
        ("Le Mondeil y a 3 jours", 8),
        ("Spiegelvor 2 Stunden", 7),
        ("Folhahá 2 horas", 5),
        ("Corriere2 ore fa", 8),
        ("ТАССчас назад", 4),
        ("APyesterday", 2),
    ],
)
def test_relative_time_glued_to_a_name_is_found(text: str, start: int) -> None:
    assert glued_time_start(text) == start


@pytest.mark.parametrize(
    "text",
    ["It happened a day ago", "3 hours ago", "Tom ago", "A long time ago", "Chicago", "Sahara"],
)
def test_no_glued_time_in_ordinary_text(text: str) -> None:
    assert glued_time_start(text) is None


def test_glued_slugs_split_on_their_shared_suffix() -> None:
    assert glued_slug_ends("app-storeplay-store") == [9, 19]
    text = "facebook-icontwitter-iconrss-icon"
    ends = glued_slug_ends(text)
    assert [text[a:b] for a, b in pairwise([0, *ends])] == [
        "facebook-icon",
        "twitter-icon",
        "rss-icon",
    ]
    assert glued_slug_ends("state-of-the-art") == []
    assert glued_slug_ends("play-store") == []


def test_stage_keeps_a_label_and_records_it() -> None:
    raw = "Headline here\ntimean hour ago\n"
    page = _read(raw)
    block = page.blocks[1]
    assert (block.label, block.text) == ("time", "an hour ago")
    assert raw[block.raw_start : block.raw_end] == "an hour ago"
    [removal] = page.removals
    assert (removal.reason, removal.stage, removal.text) == ("ui-label", "normalize", "time")
    assert raw[removal.start : removal.end] == "time"


@pytest.mark.parametrize(
    ("line", "name", "time"),
    [
        ("NDTVa day ago", "NDTV", "a day ago"),
        ("Reuters3 hours ago", "Reuters", "3 hours ago"),
        ("El Paíshace 2 horas", "El País", "hace 2 horas"),
        ("Le Mondeil y a 3 jours", "Le Monde", "il y a 3 jours"),
    ],
)
def test_stage_splits_a_publisher_from_its_time(line: str, name: str, time: str) -> None:
    raw = f"  {line}  \n"
    page = _read(raw)
    assert [b.text for b in page.blocks] == [name, time]
    for block in page.blocks:
        assert raw[block.raw_start : block.raw_end] == block.text
    assert page.removals == []


def test_stage_splits_glued_slugs_into_blocks() -> None:
    raw = "Some text\napp-storeplay-store"
    page = _read(raw)
    assert [b.text for b in page.blocks] == ["Some text", "app-store", "play-store"]
    assert [raw[b.raw_start : b.raw_end] for b in page.blocks[1:]] == ["app-store", "play-store"]


def test_stage_char_map_traces_every_character() -> None:
    raw = "\u200bIl a dit\u00a0: «\u00a0Cafe\u0301\u00a0»\t\n\u00ad\u200b\nNext line"
    page = _read(raw)
    assert [b.text for b in page.blocks] == ["Il a dit : « Café »", "Next line"]
    for block in page.blocks:
        for index, char in enumerate(block.text):
            assert _same_char(char, raw[block.raw_offset(index)])


def test_stage_options_turn_steps_off() -> None:
    page = NormalizeStage(split_glued=False, detect=False)(
        ReadStage()(Page(raw_input="NDTVa day ago"))
    )
    assert [b.text for b in page.blocks] == ["NDTVa day ago"]
    assert page.language is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The minister said on Monday that the talks with the union would resume."),
        ("es", "El ministro dijo el lunes que las conversaciones con el sindicato se reanudarán."),
        ("fr", "Le ministre a dit lundi que les discussions avec le syndicat vont reprendre."),
        ("de", "Der Minister sagte, dass die Gespräche mit der Gewerkschaft weitergehen."),
        ("pt", "O ministro disse que as conversas com o sindicato vão ser retomadas."),
        ("it", "Il ministro ha detto lunedì che i colloqui con il sindacato sono ripresi."),
        ("ru", "Министр сказал в понедельник, что переговоры с профсоюзом будут продолжены."),
    ],
)
def test_language_from_stop_words(language: str, text: str) -> None:
    assert detect_language([text, text]) == language


def test_no_language_without_evidence() -> None:
    assert detect_language(["Kursk", "NDTV", "12:45"]) is None
    assert detect_language([]) is None


def test_seed_page_is_english(seed_text: str) -> None:
    page = _read(seed_text)
    assert page.language == "en"
    assert any(b.label == "time" and b.text == "2 hours ago" for b in page.blocks)
    assert [b.text for b in page.blocks[3:5]] == ["NDTV", "a day ago"]
