"""Line-shape helpers shared by segmentation and boilerplate: their fast paths give the results
of the plain definitions, on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse.textshape import (
    WORD,
    comparison_key,
    content_weight,
    has_furniture_wording,
    hinted_weight,
    is_paragraph,
    is_paragraph_of,
    looks_like_code,
    looks_like_code_of,
    lowered_words,
    stopwords_of,
    wording_weight,
    words_of,
)
from samples import CSS_LINE, EN, JSON_LINE

TRICKY = (
    "İstanbul’da SEÇİM",  # dotted capital I lowers into two characters
    "ΟΔΥΣΣΕΥΣ",  # capital sigma lowers by context: final here, so not as it folds
    "ΣΑΣ’Α",  # and here as it folds in the text, but final in its word alone
    "Die Straße ist STRASSE",  # sharp s folds into "ss" but lowers into itself
    "ﬁnance ﬂow",  # ligatures fold into two letters
    "Ⅻ Ⓐ ǅemal",  # a numeral, a circled letter and a title-case letter
    "snake_case, kebab-case & “quotes” — 3.14 … done!",
    "«Ça va?» dit-elle. 東京都 ٣٤٥",
    "",
    "   \t\n ",
)
TEXTS = st.one_of(
    st.text(), st.text(alphabet=st.characters(max_codepoint=127)), st.sampled_from(TRICKY)
)


@pytest.mark.parametrize("text", TRICKY)
def test_keys_and_lowered_words_of_tricky_texts(text: str) -> None:
    assert comparison_key(text) == " ".join(WORD.findall(text.casefold()))
    assert lowered_words(text) == frozenset(map(str.lower, WORD.findall(text)))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_comparison_key_is_the_casefolded_words(text: str) -> None:
    assert comparison_key(text) == " ".join(WORD.findall(text.casefold()))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_lowered_words_are_the_words_lowered_one_by_one(text: str) -> None:
    assert lowered_words(text) == frozenset(map(str.lower, WORD.findall(text)))


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXTS, st.sampled_from([*EN, JSON_LINE, CSS_LINE, JSON_LINE * 40])))
def test_measuring_a_split_text_gives_the_same_shape(text: str) -> None:
    words = text.split()
    assert is_paragraph_of(text, len(words)) == is_paragraph(text)
    assert len(words) == words_of(text)
    assert looks_like_code_of(text, words) == looks_like_code(text)


@pytest.mark.parametrize("hints", [{}, {"class_hint": "caption"}, {"in_article": True}])
@pytest.mark.parametrize("text", [*EN, *TRICKY, "We use cookies to improve your experience."])
@pytest.mark.parametrize("language", ["en", None])
def test_content_weight_from_a_keyed_text(
    text: str, hints: dict[str, object], language: str | None
) -> None:
    """Segmentation weighs a paragraph on the words of its key and of its split, at hand."""
    stopwords = stopwords_of(language)
    wording = wording_weight(text, text.split(), comparison_key(text).split(), stopwords)
    weight = hinted_weight(wording, has_furniture_wording(text), hints)
    assert weight == content_weight(text, hints, stopwords)
