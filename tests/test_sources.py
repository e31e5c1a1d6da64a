"""The sources stage: publisher, authors, aggregator and citations.

Pages are built directly (blocks with roles, drafts owning them), so these tests exercise the
stage alone, whatever the state of segmentation and boilerplate removal. Expected values come
from the annotation guideline (shared/ANNOTATION-sources.md) and its worked example.
"""

from __future__ import annotations

import pickle
import re
import time
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsparse import sources
from newsparse.document import ArticleDraft, Block, Page
from newsparse.lexicon import load_data
from newsparse.models import Citation
from newsparse.sources import (
    GAZETTEER,
    SourceStage,
    extract_citations,
    name_key,
    quotation_spans,
    sentence_spans,
)

SEED = Path(__file__).resolve().parent.parent / "examples" / "data" / "aggregator-page.txt"


# --------------------------------------------------------------------------------------------
# helpers


def _cited(text: str, publisher: str | None = None) -> dict[str, str]:
    """normalized name -> kind of every source ``text`` cites."""
    return {
        c.source.normalized: c.source.kind for c in extract_citations(text, publisher=publisher)
    }


def _page(lines: list[tuple[str, str | None, int | None, bool]], url: str | None = None) -> Page:
    """A page of one block per line: (text, role, article index, removed)."""
    raw = "\n".join(text for text, *_ in lines)
    page = Page(raw_input=raw, raw=raw, url=url, format="text")
    offset = 0
    for text, role, article, removed in lines:
        block = Block(text, offset, offset + len(text), role=role, article=article)  # type: ignore[arg-type]
        if removed:
            block.remove("call-to-action", "boilerplate")
        page.blocks.append(block)
        offset += len(text) + 1
    count = 1 + max((a for *_, a, _ in lines if a is not None), default=0)
    page.articles = [
        ArticleDraft(
            blocks=[i for i, b in enumerate(page.blocks) if b.article == n], is_main=n == 0
        )
        for n in range(count)
    ]
    return page


def _seed_page() -> Page:
    """The seed page with the roles a segmenter gives it: header lines "meta", paragraphs
    "body", prompts removed as boilerplate (line numbers of examples/data/aggregator-page.txt)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    articles = {
        0: ({2}, {6}, set(range(8, 17))),
        1: ({30, 31, 39}, {33, 35, 37}, {41}),
        2: ({43, 44, 52}, {46, 48, 50}, {54}),
        3: ({56, 57, 65}, {59, 61, 63}, {67}),
    }
    removed = {1, 4, 18, 20, 22, 24, 26, 28, 69, 71, 73, 74}
    rows: list[tuple[str, str | None, int | None, bool]] = []
    for number, text in enumerate(lines, start=1):
        role: str | None = None
        owner: int | None = None
        for index, (titles, metas, bodies) in articles.items():
            for wanted, name in ((titles, "title"), (metas, "meta"), (bodies, "body")):
                if number in wanted:
                    role, owner = name, index
        rows.append((text, role, owner, number in removed))
    return _page(rows)


def _offsets_hold(text: str, citation: Citation) -> bool:
    spans = [citation.cue_span, citation.source.evidence, citation.quote]
    inside = all(
        span is None or (citation.start <= span.start < span.end <= citation.end) for span in spans
    )
    exact = all(span is None or text[span.start : span.end] == span.text for span in spans)
    return inside and exact and 0 <= citation.start < citation.end <= len(text)


# --------------------------------------------------------------------------------------------
# citations


def test_seed_main_article_citations() -> None:
    body = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[7:16])
    cited = _cited(body, publisher="NDTV")
    assert cited["TASS"] == "agency"
    assert cited["Business Insider"] == "outlet"
    assert cited["Sergei Shoigu"] == "person"
    assert cited["UK Defense Ministry"] == "government"
    assert "Shoigu" not in cited and "Kim Jong Un" not in cited and "NDTV" not in cited


def test_citation_fields_point_into_the_body() -> None:
    text = (
        'The plan is "safe, legal and long overdue for our citizens," the Interior Minister '
        "Igor Klymenko said on Monday, according to Russian state media TASS."
    )
    citations = extract_citations(text)
    by_name = {c.source.normalized: c for c in citations}
    klymenko, tass = by_name["Igor Klymenko"], by_name["TASS"]
    assert klymenko.cue == "said" and tass.cue == "according to"
    assert klymenko.quote is not None and klymenko.quote.text.startswith('"')
    assert klymenko.quote.text.endswith('"') and (klymenko.start, klymenko.end) == (0, len(text))
    assert tass.source.name == "TASS" and tass.source.role == "cited"
    assert all(_offsets_hold(text, c) for c in citations)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Prices will rise, according to the New York Post.", "New York Post", "outlet"),
        ("The talks failed, said Mayor Anne Hidalgo.", "Anne Hidalgo", "person"),
        ("The deal is off, per Bloomberg News.", "Bloomberg News", "outlet"),
        ("A Pfizer spokesperson said the trial would go on.", "Pfizer", "organisation"),
        (
            "Russia's foreign ministry said the embassy was closed.",
            "Russian Foreign Ministry",
            "government",
        ),
        ("Belarusian authorities announced the release.", "Belarusian authorities", "government"),
        (
            "The vaccine is safe, the World Health Organization said.",
            "World Health Organization",
            "organisation",
        ),
        ("A doctor told Reuters that the patient had died.", "Reuters", "agency"),
        ("Maria Lopez, a nurse at the clinic, said the wards were full.", "Maria Lopez", "person"),
        ("Turnout was low, reported PTI.", "Press Trust of India", "agency"),
        ("The army withdrew, the US military said in a statement.", "US military", "government"),
        ("The US Embassy in New Delhi said the office would reopen.", "US Embassy", "government"),
        ("Lucas Paganini of NASA said the data were clear.", "Lucas Paganini", "person"),
        (
            "Das Finanzministerium teilte mit, die Kosten seien hoch.",
            "Finanzministerium",
            "government",
        ),
    ],
)
def test_cue_patterns(text: str, name: str, kind: str) -> None:
    assert _cited(text).get(name) == kind, _cited(text)


@pytest.mark.parametrize(
    "text",
    [
        "Officials said the road would reopen on Monday.",
        "He said the talks had failed. She added that more were planned.",
        "Analysts told reporters the market would recover.",
        "A person familiar with the matter said the deal was close.",
        "The minister visited Kyiv and met the Ukrainian president.",
        "Police released a video of the arrest.",
        "The plane reached India via Bangladesh.",
        "An analyst at Stratfor said the talks would fail.",
        "After the merger, Jane Roe reported to the new chief executive.",
    ],
)
def test_unnamed_sources_pronouns_and_mere_mentions_are_not_cited(text: str) -> None:
    assert extract_citations(text) == []


def test_short_form_resolves_to_the_fullest_name_in_the_body() -> None:
    text = (
        "Interior Minister Wolfgang Peschorn visited Braunau on Tuesday.\n"
        '"The house will become a police station," Peschorn said.'
    )
    (citation,) = extract_citations(text)
    assert citation.source.name == "Peschorn"
    assert citation.source.normalized == "Wolfgang Peschorn"
    assert citation.source.kind == "person"


def test_a_single_name_that_no_full_name_extends_is_an_organisation() -> None:
    assert _cited("Shares fell after Nokia said sales would drop.") == {"Nokia": "organisation"}


def test_the_publisher_and_its_staff_are_not_cited() -> None:
    text = (
        "The company declined to comment when contacted by Reuters. The figures were confirmed "
        "by the ministry, Reuters reported. CNN's Jake Tapper said the talks stalled."
    )
    assert "Reuters" not in _cited(text, publisher="Reuters")
    assert "Reuters" in _cited(text)
    assert "Jake Tapper" not in _cited(text, publisher="CNN")


def test_a_person_who_is_told_something_is_not_a_source_but_an_outlet_is() -> None:
    text = "Apple chief Tim Cook spoke first. Cook told Benioff the app was ready."
    assert _cited(text) == {"Tim Cook": "person"}
    assert "CNBC" in _cited(text + " Marc Benioff told CNBC he agreed.")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("La economía crecerá, según el Banco de España.", "Banco de España"),
        ("L'économie ralentit, selon l'Insee, a déclaré Jean Dupont.", "Jean Dupont"),
        ("Le texte sera présenté en juin, selon l'AFP.", "Agence France-Presse"),
        ("Die Wirtschaft wächst, sagte Olaf Scholz am Montag.", "Olaf Scholz"),
        ("A economia cresceu, segundo o IBGE.", "IBGE"),
        (
            "L'economia cresce, secondo l'Istat e la Banca d'Italia, ha detto Mario Rossi.",
            "Mario Rossi",
        ),
        ("Экономика растёт, по словам Сергея Шойгу.", "Сергея Шойгу"),
    ],
)
def test_cues_in_other_languages(text: str, name: str) -> None:
    assert name in _cited(text), _cited(text)


def test_embedded_post_credit_line_is_cited() -> None:
    text = "Lawmakers reacted online.\n— Jane Roe (@janeroe) November 18, 2019"
    assert _cited(text) == {"Jane Roe": "person"}


def test_exact_duplicates_are_dropped_but_each_cue_counts() -> None:
    text = "Tim Clark said the plan worked. Clark said it again."
    citations = extract_citations(text)
    assert [c.source.normalized for c in citations] == ["Tim Clark", "Tim Clark"]
    assert len({(c.start, c.cue_span.start) for c in citations}) == 2


# --------------------------------------------------------------------------------------------
# quotations and sentences


def test_quotations_pair_their_marks_and_respect_paragraphs() -> None:
    text = (
        "'My husband is free. It is difficult to describe,' she said. It's 'not finished'.\n"
        "\u201cThe pace that has been set requires attention,\u201d he stressed.\n"
        '"A quotation that runs on into the next paragraph\n'
        '"and opens again here with more words," he said.'
    )
    spans = quotation_spans(text)
    quoted = [text[s:e] for s, e in spans]
    assert quoted[0].startswith("'My husband") and quoted[0].endswith("describe,'")
    assert quoted[1].startswith("\u201cThe pace") and quoted[1].endswith("attention,\u201d")
    assert quoted[2] == '"A quotation that runs on into the next paragraph'
    assert quoted[3].startswith('"and opens') and len(quoted) == 4  # 'not finished' is 2 words


def test_sentences_do_not_split_inside_quotations_or_after_abbreviations() -> None:
    text = '"We are done. It is over," said U.S. Attorney Nealy Cox. The trial ends.'
    spans = sentence_spans(text, quotation_spans(text))
    assert [text[s:e] for s, e in spans] == [
        '"We are done. It is over," said U.S. Attorney Nealy Cox.',
        "The trial ends.",
    ]


# --------------------------------------------------------------------------------------------
# publisher, authors, aggregator


def _one_article(header: list[str], body: list[str], url: str | None = None) -> Page:
    rows = [("A headline about the talks", "title", 0, False)]
    rows += [(line, "meta", 0, False) for line in header]
    rows += [(line, "body", 0, False) for line in body]
    return SourceStage()(_page(rows, url=url))


BODY = "The talks ended without a deal on Friday, and both sides left the capital in the evening."


@pytest.mark.parametrize(
    ("header", "normalized", "kind"),
    [
        (["NDTVa day ago"], "NDTV", "outlet"),
        (["Reuters \u00b7 3 hours ago"], "Reuters", "agency"),
        (["\u2022 Time of India"], "The Times of India", "outlet"),
        (["By Jane Doe, The Washington Post"], "The Washington Post", "outlet"),
        (["Indian Express", "an hour ago"], "The Indian Express", "outlet"),
    ],
)
def test_publisher_from_header_lines(header: list[str], normalized: str, kind: str) -> None:
    page = _one_article(header, [BODY])
    source = page.articles[0].source
    assert source is not None and source.role == "publisher"
    assert (source.normalized, source.kind) == (normalized, kind)
    assert source.evidence is not None
    assert page.raw[source.evidence.start : source.evidence.end] == source.evidence.text


def test_wire_credit_beats_the_site_and_authors_come_from_the_byline() -> None:
    page = _one_article(
        ["By Jane Doe and John Roe, Houston Chronicle"],
        ["WASHINGTON (AP) \u2014 " + BODY],
        url="https://www.chron.com/news/article.html",
    )
    draft = page.articles[0]
    assert draft.source is not None and draft.source.normalized == "Associated Press"
    assert draft.source.evidence is not None and draft.source.evidence.text == "AP"
    assert draft.authors == ["Jane Doe", "John Roe"]


def test_publisher_from_domain_or_metadata_when_the_text_names_none() -> None:
    page = _one_article([], [BODY], url="https://www.theguardian.com/world/2025/jun/21/x")
    assert page.articles[0].source is not None
    assert page.articles[0].source.normalized == "The Guardian"
    unknown = _page([("Title", "title", 0, False), (BODY, "body", 0, False)])
    unknown.metadata["og:site_name"] = "Kathmandu Chronicle"
    source = SourceStage()(unknown).articles[0].source
    assert source is not None and source.normalized == "Kathmandu Chronicle"


def test_a_common_word_alone_on_a_header_line_is_not_a_credit() -> None:
    assert _one_article(["Science", "Nov 18, 2019"], [BODY]).articles[0].source is None


def test_known_aggregator_domain_is_the_aggregator_never_the_publisher() -> None:
    page = _one_article(["By Sandee LaMotte, CNN"], [BODY], url="https://www.msn.com/en-us/news/x")
    draft = page.articles[0]
    assert draft.source is not None and draft.source.normalized == "CNN"
    assert draft.aggregator is not None and draft.aggregator.normalized == "MSN"
    assert draft.aggregator.role == "aggregator" and draft.authors == ["Sandee LaMotte"]


def test_an_unknown_brand_in_prompts_of_a_multi_publisher_page_is_the_aggregator() -> None:
    rows = [
        ("First headline here", "title", 0, False),
        ("Reuters", "meta", 0, False),
        (BODY, "body", 0, False),
        ("Explore what Newsly can do for you", None, None, True),
        ("Second headline here", "title", 1, False),
        ("\u2022 Al Jazeera", "meta", 1, False),
        (BODY, "body", 1, False),
        ("Download Newsly app today from your app store", None, None, True),
    ]
    page = SourceStage()(_page(rows))
    publishers = [d.source.normalized if d.source else None for d in page.articles]
    assert publishers == ["Reuters", "Al Jazeera"]
    for draft in page.articles:
        assert draft.aggregator is not None and draft.aggregator.normalized == "Newsly"
        evidence = draft.aggregator.evidence
        assert evidence is not None and page.raw[evidence.start : evidence.end] == "Newsly"


def test_a_single_publisher_page_with_its_own_app_prompt_has_no_aggregator() -> None:
    rows = [
        ("A headline", "title", 0, False),
        ("Kathmandu Chronicle", "meta", 0, False),
        (BODY, "body", 0, False),
        ("Download the Chronicle Plus app", None, None, True),
    ]
    page = SourceStage()(_page(rows))
    assert page.articles[0].aggregator is None


def test_seed_page_publishers_aggregator_and_citations() -> None:
    page = SourceStage()(_seed_page())
    main, *related = page.articles
    publishers = [d.source.normalized if d.source else None for d in page.articles]
    assert publishers == ["NDTV", "The Indian Express", "NDTV", "The Times of India"]
    for draft in page.articles:
        assert draft.source is not None and draft.source.evidence is not None
        evidence = draft.source.evidence
        assert page.raw[evidence.start : evidence.end] == evidence.text
        assert draft.aggregator is not None and draft.aggregator.normalized == "Daily8"
    main_cited = {c.source.normalized for c in main.citations}
    assert {"TASS", "Business Insider", "Sergei Shoigu", "UK Defense Ministry"} <= main_cited
    related_cited = {c.source.normalized for d in related for c in d.citations}
    assert {
        "Kyiv Post",
        "New York Post",
        "The Moscow Times",
        "Press Trust of India",
    } <= related_cited
    assert "Daily8" not in main_cited | related_cited


def test_stage_declares_itself_and_pickles() -> None:
    stage = SourceStage(min_quote_words=3, header_window=5)
    assert (stage.name, stage.requires, stage.assigns) == (
        "sources",
        ("articles",),
        ("sources", "citations", "quotes"),
    )
    clone = pickle.loads(pickle.dumps(stage))
    assert (clone.min_quote_words, clone.header_window) == (3, 5)


def test_min_quote_words_option() -> None:
    text = '"Not yet," Jane Roe said.'
    rows = [("Headline", "title", 0, False), (text, "body", 0, False)]
    (short,) = SourceStage(min_quote_words=2)(_page(rows)).articles[0].citations
    (default,) = SourceStage()(_page(rows)).articles[0].citations
    assert short.quote is not None and short.quote.text == '"Not yet,"' and default.quote is None


# --------------------------------------------------------------------------------------------
# data


def test_data_files_name_their_source_and_hold_valid_records() -> None:
    outlets = load_data("outlets.json")
    assert outlets["_source"] and load_data("sources_cues.json")["_source"]
    assert load_data("sources_words.json")["_source"]
    assert load_data("sources_countries.json")["_source"]
    names = [record["name"] for record in outlets["outlets"]]
    assert len(names) == len(set(names)) >= 300
    kinds = {record["kind"] for record in outlets["outlets"]}
    assert kinds == {"agency", "outlet", "aggregator"}
    countries = {record["country"] for record in outlets["outlets"]}
    assert len(countries) >= 50
    for record in outlets["outlets"]:
        assert all(d == d.lower() and "/" not in d for d in record["domains"])


def test_cue_languages_all_have_the_same_fields() -> None:
    languages = load_data("sources_cues.json")["languages"]
    assert len(languages) >= 6
    fields = {frozenset(entry) for entry in languages.values()}
    assert len(fields) == 1


def test_gazetteer_lookups() -> None:
    times = GAZETTEER.find_loosely("Time of India")
    assert times is not None and times.canonical == "The Times of India"
    assert GAZETTEER.find("Ap") is None and GAZETTEER.find("AP") is not None
    domain = GAZETTEER.find_domain("https://edition.cnn.com/2025/06/21/x")
    assert domain is not None and domain.canonical == "CNN"
    assert name_key("The U.S. Attorney\u2019s Office") == "us attorneys office"


# --------------------------------------------------------------------------------------------
# properties

_FRAGMENTS = st.sampled_from(
    [
        "Sergei Shoigu",
        "Shoigu",
        "TASS",
        "the UK Defense Ministry",
        "Reuters",
        "Jane Doe",
        "Russia's foreign ministry",
        "a WeWork spokesperson",
        "officials",
        "he",
        "Mr.",
        "U.S.",
        "said",
        "told",
        "according to",
        "per",
        "citing",
        "announced",
        "added",
        "via",
        "the",
        "talks",
        "ended",
        "in",
        "Kyiv",
        ",",
        ".",
        "?",
        '"',
        "\u201c",
        "\u201d",
        "'",
        "\u2018",
        "\u2019",
        "(",
        ")",
        "\u2014",
        "\n",
        "\n\n",
        "Daily8",
        "'s",
    ]
)
_TEXTS = st.lists(_FRAGMENTS, max_size=60).map(" ".join) | st.text(max_size=300)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
# A quote's "he" resolved to a name in an earlier sentence: the evidence is the "he".
@example(text="Sergei Shoigu . “ Sergei Shoigu Russia's foreign ministry ” he said")
def test_every_offset_indexes_the_text_it_claims(text: str) -> None:
    for citation in extract_citations(text):
        assert _offsets_hold(text, citation), citation
        assert citation.cue == " ".join(citation.cue_span.text.split()).casefold()


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_extraction_is_deterministic(text: str) -> None:
    assert extract_citations(text) == extract_citations(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_quotations_and_sentences_are_ordered_disjoint_spans(text: str) -> None:
    quotations = quotation_spans(text, min_words=1)
    for spans in (quotations, sentence_spans(text, quotations)):
        assert all(0 <= s < e <= len(text) for s, e in spans)
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
    for start, end in quotations:
        assert text[start] in "\"'\u201c\u2018\u00ab\u201e"
        closed = text[end - 1] in "\"'\u201d\u2019\u00bb\u201c"
        assert closed or end == len(text) or text[end] == "\n"  # a quotation runs on


@pytest.mark.parametrize(
    "unit",
    ["Smith said. ", "Alpha Beta ", '"one two three four," said Jane Roe. ', "Russia's ", "a, "],
)
def test_time_grows_linearly_with_the_text(unit: str) -> None:
    def seconds(repeats: int) -> float:
        text = unit * repeats
        timings = []
        for _ in range(5):  # CPU time, the best of five: other load on the machine is not ours
            started = time.process_time()
            extract_citations(text)
            timings.append(time.process_time() - started)
        return min(timings)

    small, large = seconds(1000), seconds(8000)
    assert large < 24 * max(small, 0.005), (small, large)  # 8x the text: linear, not 64x


def test_reset_caches_empties_every_memo_and_changes_no_result() -> None:
    text = "U.S. officials met AFP staff. The plan works, Reuters reported."
    before = extract_citations(text)
    memos = [  # the module's own memos (not those of what it imports)
        value
        for value in vars(sources).values()
        if hasattr(value, "cache_info") and value.__module__ == sources.__name__
    ]
    assert memos and all(memo.cache_info().currsize > 0 for memo in memos)
    sources.reset_caches()
    assert [memo.cache_info().currsize for memo in memos] == [0] * len(memos)
    assert extract_citations(text) == before


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
@example(text="l'AFP dell'Istat U.S. Gov. a. Trump's players' A.B.C")
def test_language_words_are_the_word_tokens(text: str) -> None:
    """The language vote reads, without making tokens, the words the tokenizer makes."""
    tokens = sources._tokens(text, 0, len(text))
    expected = [t.lower for t in tokens if t.text[:1].isalnum()]
    assert list(sources._casefolded_words(text)) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["DOWNLOAD", "Télécharger", "İnstall", "ınstall", "inſtall", "WELKOM", "xyz", " "]
            ),
            max_size=4,
        ).map("".join),
        max_size=5,
    )
)
def test_prompt_words_are_found_in_every_text_a_case_blind_search_finds_them(
    texts: list[str],
) -> None:
    case_blind = re.compile(sources._PROMPT_WORDS.pattern, re.IGNORECASE)
    expected = {i for i, text in enumerate(texts) if case_blind.search(text)}
    assert sources._with_prompt_words(texts) == expected
