"""Quotations and their speakers: ``newsparse.extract_quotes`` and ``Article.quotes``.

The expectations follow the annotation guideline (shared/ANNOTATION-sources.md, section 3):
a quote is a direct quotation of at least four words, marks included; a quotation split by
its attribution is two quotes with one speaker; the speaker is the canonical name of whoever's
words they are, ``None`` when unnamed.
"""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse import Quote, extract_quotes
from newsparse.assemble import build_article
from newsparse.document import ArticleDraft, Block, Page
from newsparse.pipeline import default_pipeline
from newsparse.sources import SourceStage, extract_citations

SEED = Path(__file__).resolve().parent.parent / "examples" / "data" / "aggregator-page.txt"


def _speakers(text: str) -> list[tuple[str, str | None]]:
    """(quotation, speaker) of every quote of ``text``."""
    return [(q.text, q.speaker) for q in extract_quotes(text)]


# --------------------------------------------------------------------------------------------
# which quotations are quotes


@pytest.mark.parametrize(
    "text",
    [
        'She said: "We will not give up on this city."',
        "She said: \u201cWe will not give up on this city.\u201d",
        "She said: 'We will not give up on this city.'",
        "She said: \u2018We will not give up on this city.\u2019",
        "Elle a dit : \u00ab Nous ne céderons jamais rien. \u00bb",
        "Er sagte: \u201eWir geben diese Stadt nicht auf.\u201c",
    ],
)
def test_every_kind_of_quotation_mark_pairs(text: str) -> None:
    (quote,) = extract_quotes(text)
    assert quote.text[0] in "\"'\u201c\u2018\u00ab\u201e" and quote.text.endswith(text[-1])
    assert len(quote.text[1:-1].split()) >= 4


@pytest.mark.parametrize(
    "text",
    [
        "He doesn't think Tsikhanouskaya's team won't win, and the players' union agrees.",
        "They played rock 'n' roll in the '90s and the '80s all night long.",
        'The 12" vinyl and the 7" single were both sold out by noon that day.',
        "She called it a 'sham' and the vote 'rigged'.",
        "Critics hailed \u201cTakin\u2019 It To the Streets\u201d as the best song of the year.",
        "The state launched a campaign with the slogan \u201cMeth. We\u2019re on it.\u201d",
        "Replacing the oft-cited 'conflict, crisis and challenge' narrative, he spoke.",
    ],
)
def test_apostrophes_short_quotations_titles_and_slogans_are_not_quotes(text: str) -> None:
    assert extract_quotes(text) == []


def test_a_plural_possessive_inside_single_marks_does_not_end_the_quote() -> None:
    text = "'The players' union has not been told anything at all,' the coach said."
    (quote,) = extract_quotes(text)
    assert quote.text == "'The players' union has not been told anything at all,'"


def test_an_unclosed_single_mark_does_not_hide_a_later_double_quotation() -> None:
    text = 'Fans of the \'90s band cheered. "We waited twenty years for this night," one said.'
    assert [q.text for q in extract_quotes(text)] == ['"We waited twenty years for this night,"']


def test_a_quotation_continued_in_the_next_paragraph_is_one_quote_per_paragraph() -> None:
    text = (
        '"We have worked on this plan for more than two years," Jane Roe said.\n'
        '"It will change how the city works for everyone\n'
        '"and it starts on Monday morning at the latest," she added.'
    )
    quotes = extract_quotes(text)
    assert [q.text[:6] for q in quotes] == ['"We ha', '"It wi', '"and i']
    assert quotes[1].end == text.index("\n", quotes[1].start)
    assert {q.speaker for q in quotes} == {"Jane Roe"}


# --------------------------------------------------------------------------------------------
# speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ('"The talks went well for both of us," Jane Roe said.', ["Jane Roe"]),
        ('"The talks went well for both of us," said Jane Roe.', ["Jane Roe"]),
        ("'The talks went well for both of us,' Jane Roe told reporters.", ["Jane Roe"]),
        ('Jane Roe said: "The talks went well for both of us."', ["Jane Roe"]),
        (
            'Interior Minister Jane Roe spoke on Monday. "The talks went well for us," she said.',
            ["Jane Roe"],
        ),
        (
            '"The talks went well for both of us," Jane Roe said, "and we will meet again."',
            ["Jane Roe", "Jane Roe"],
        ),
        (
            'Jane Roe spoke first. "The talks went well for both of us," she said. "We meet '
            'again in May."',
            ["Jane Roe", "Jane Roe"],
        ),
        (
            "Acme Corp reported its results. \u201cWe are pleased with the quarter,\u201d a "
            "company spokesperson said.",
            ["Acme Corp"],
        ),
        (
            "The Interior Ministry said in a statement on Monday that it had acted. \u201cThe "
            "officers followed every rule,\u201d the statement said.",
            ["Interior Ministry"],
        ),
        (
            "Finance Minister Jane Roe met Governor John Doe. \u201cThe budget is fair to "
            "everyone,\u201d the minister said.",
            ["Jane Roe"],
        ),
        (
            "Jane Roe called for calm, saying, \u2018Nobody gains from more violence.\u2019",
            ["Jane Roe"],
        ),
        (
            '"He ran towards the river and we lost him," one witness told reporters.',
            [None],
        ),
        ('"We got her, we got her!" officers shouted on their radios.', [None]),
        ('"Nobody saw this coming at all," he said.', [None]),
    ],
)
def test_speakers(text: str, speakers: list[str | None]) -> None:
    assert [speaker for _, speaker in _speakers(text)] == speakers


def test_a_continuation_paragraph_inherits_the_speaker_of_the_quotation_before() -> None:
    text = (
        '"We have decided to build a memorial in the capital," Jane Roe said.\n'
        '"The pace that has been set requires constant attention at all levels."\n'
        "The weather was fine.\n\n"
        "Other news followed in the afternoon.\n"
        '"An entirely different matter was raised by someone else entirely."'
    )
    assert [speaker for _, speaker in _speakers(text)] == ["Jane Roe", "Jane Roe", None]


def test_a_pronoun_looks_back_at_most_two_paragraphs() -> None:
    text = (
        "Jane Roe opened the session.\n"
        "It rained.\n"
        "It rained again.\n"
        "It rained all day.\n"
        '"We will not stop working on this," she said.'
    )
    assert _speakers(text) == [('"We will not stop working on this,"', None)]


def test_the_offsets_of_speaker_and_cue_point_into_the_text() -> None:
    text = 'Jane Roe arrived. "The plan is ready for the vote," she said on Monday.'
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Jane Roe"
    assert quote.speaker_span is not None and quote.speaker_span.text == "she"
    assert quote.cue is not None and quote.cue.text == "said"
    for span in (quote.speaker_span, quote.cue):
        assert text[span.start : span.end] == span.text


def test_a_named_speaker_is_cited_by_the_attributing_verb() -> None:
    text = '"The numbers simply do not add up here," Craig Menear continued.'
    assert [(c.source.normalized, c.cue) for c in extract_citations(text)] == [
        ("Craig Menear", "continued")
    ]


def test_the_publisher_is_never_a_cited_speaker() -> None:
    text = '"We stand by our reporting on this matter," CNN said.'
    assert extract_citations(text, publisher="CNN") == []


# --------------------------------------------------------------------------------------------
# in the pipeline


def test_the_stage_fills_draft_quotes_and_the_article_carries_them() -> None:
    body = 'Jane Roe arrived. "The plan is ready for the vote," she said.'
    page = Page(raw_input=body, raw=body, format="text")
    page.blocks = [Block(body, 0, len(body), role="body", article=0)]
    page.articles = [ArticleDraft(blocks=[0], is_main=True)]
    article = build_article(SourceStage()(page))
    (quote,) = article.quotes
    assert article.body[quote.start : quote.end] == quote.text
    assert quote.speaker == "Jane Roe"
    assert Quote.model_validate(quote.model_dump()) == quote


def test_the_single_quoted_related_articles_of_the_seed_page_have_their_quotes() -> None:
    pipeline = default_pipeline()
    pipeline.remove("entities")
    page = pipeline.run(pipeline.new_page(SEED.read_text(encoding="utf-8"), format="text"))
    related = [d for d in page.articles if not d.is_main]
    single = [q for d in related for q in d.quotes if q.text[0] in "'\u2018"]
    assert len(single) >= 10
    speakers = {q.speaker for q in single}
    assert {"Sviatlana Tsikhanouskaya", "Stephen Capus", "Denis Alipov", "Kamel Galal"} <= (
        speakers
    )
    main = next(d for d in page.articles if d.is_main)
    assert [q.speaker for q in main.quotes] == ["Sergei Shoigu"] * 4


# --------------------------------------------------------------------------------------------
# properties

_FRAGMENTS = st.sampled_from(
    [
        "Jane Roe",
        "said",
        "she",
        "he added",
        "the statement said",
        "we will not give up",
        "don't",
        "rock 'n' roll",
        "'90s",
        ",",
        ".",
        ":",
        '"',
        "'",
        "\u201c",
        "\u201d",
        "\u2018",
        "\u2019",
        "\u00ab",
        "\u00bb",
        "\n",
        "\n\n",
    ]
)
_TEXTS = st.lists(_FRAGMENTS, max_size=60).map(" ".join) | st.text(max_size=300)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_every_quote_indexes_the_text_it_claims(text: str) -> None:
    quotes = extract_quotes(text)
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
        assert quote.text[0] in "\"'\u201c\u2018\u00ab\u201e"
        assert "\n" not in quote.text
        for span in (quote.speaker_span, quote.cue):
            assert span is None or text[span.start : span.end] == span.text
    assert all(a.end <= b.start for a, b in pairwise(quotes))


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_quote_extraction_is_deterministic(text: str) -> None:
    assert extract_quotes(text) == extract_quotes(text)


@pytest.mark.parametrize(
    "unit",
    [
        '"We will not give up on this," she said. ',
        "'We will not give up on this,' said Jane Roe. ",
        "It was the '90s and rock 'n' roll. ",
        '"One two three four five" ',
    ],
)
def test_time_grows_linearly_with_the_text(unit: str) -> None:
    def seconds(repeats: int) -> float:
        text = "Jane Roe spoke.\n" + unit * repeats
        timings = []
        for _ in range(3):  # CPU time, the best of three: other load on the machine is not ours
            started = time.process_time()
            extract_quotes(text)
            timings.append(time.process_time() - started)
        return min(timings)

    small, large = seconds(500), seconds(4000)
    assert large < 24 * max(small, 0.005), (small, large)  # 8x the text: linear, not 64x
