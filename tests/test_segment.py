"""Stage "segment": main and related articles, titles, header lines and bodies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse import Page, Pipeline
from newsparse.normalize import NormalizeStage
from newsparse.readers import ReadStage
from newsparse.segment import SegmentStage
from samples import CSS_LINE, EN, JS_LINE, JSON_LINE

ES = [
    "El gobierno anunció el martes un nuevo plan de inversiones para modernizar la red de "
    "ferrocarriles del país durante los próximos cinco años.",
    "Según el ministro, las obras empezarán en primavera y crearán miles de empleos en las "
    "regiones más afectadas por la crisis.",
]
FR = [
    "Le gouvernement a présenté mardi un plan pour moderniser le réseau ferroviaire du pays "
    "au cours des cinq prochaines années.",
    "Selon le ministre, les travaux commenceront au printemps et créeront des milliers "
    "d'emplois dans les régions les plus touchées.",
]


def _segment(raw: str) -> Page:
    pipeline = Pipeline([ReadStage(), NormalizeStage(), SegmentStage()])
    return pipeline.run(pipeline.new_page(raw))


def _texts(page: Page, index: int, role: str) -> list[str]:
    return [b.text for b in page.blocks_of(page.articles[index], role)]  # type: ignore[arg-type]


def _story(title: str, publisher: str, time: str, paragraphs: list[str]) -> str:
    """One story as an aggregator prints it: title twice, header lines, title again, body."""
    return "\n\n".join(
        [f"{title}\n{title}", publisher, time, f"  • {publisher}", title, "\n".join(paragraphs)]
    )


def _aggregator(header: str | None, publisher: str, time: str, language: list[str]) -> str:
    main = "\n".join(
        [
            "logo",
            "Lawmakers Approve Budget After Marathon Night Session",
            "",
            "Lawmakers Approve Budget After Marathon Night Session",
            "",
            f"{publisher}{time}",
            "",
            *language,
        ]
    )
    related = [
        _story("Storm Closes Ports Along The Northern Coast", publisher, time, language[:1]),
        _story("Court Rules On Disputed Election Results", publisher, time, language[1:]),
    ]
    parts = [main, "Comments", *([header] if header else []), *related]
    return "\n\n".join(parts)


def test_seed_page(seed_text: str) -> None:
    page = _segment(seed_text)
    lines = [line.strip() for line in seed_text.splitlines()]
    main, *related = page.articles
    assert main.is_main and not any(d.is_main for d in related)
    assert (
        main.title == "Kim Jong Un Sends 6,000 More To Kursk After Massive Troop Losses In Russia"
    )
    assert _texts(page, 0, "body")[:9] == lines[7:16]
    assert _texts(page, 0, "meta") == ["NDTV", "a day ago"]
    assert [d.title.split()[0] if d.title else None for d in related] == [
        "Belarus",
        "Russian",
        "BRICS",
    ]
    for index, publisher, time in (
        (1, "Indian Express", "an hour ago"),
        (2, "NDTV", "an hour ago"),
        (3, "Time of India", "2 hours ago"),
    ):
        assert _texts(page, index, "meta") == [publisher, time, f"• {publisher}"]
        copies = [n for n, line in enumerate(lines) if line == page.articles[index].title]
        assert len(copies) == 3
        assert _texts(page, index, "body")[0] == lines[copies[-1] + 2]


def test_every_block_is_owned_or_removed_with_a_reason(seed_text: str) -> None:
    page = _segment(seed_text)
    for block in page.blocks:
        if block.article is None:
            assert block.removal is not None and block.removal.stage == "segment"
            assert block.removal.reason in {"outside-article", "section-header"}
        else:
            assert block.role in {"title", "meta", "body"}
            assert block.kept or block.removal is not None
    reasons = {b.text: b.removal.reason for b in page.blocks if b.removal}
    assert reasons["logo"] == "outside-article"
    assert reasons["Related Articles"] == "section-header"


def test_title_copies_are_removed_as_duplicates(seed_text: str) -> None:
    page = _segment(seed_text)
    for draft in page.articles:
        titles = page.blocks_of(draft, "title")
        assert [b.kept for b in titles].count(True) == 1
        assert all(b.text == draft.title for b in titles)
        assert {b.removal.reason for b in titles if b.removal} == {"duplicate-title"}


def _check_aggregator(page: Page, publisher: str, time: str, body: list[str]) -> None:
    titles = [d.title for d in page.articles]
    assert titles == [
        "Lawmakers Approve Budget After Marathon Night Session",
        "Storm Closes Ports Along The Northern Coast",
        "Court Rules On Disputed Election Results",
    ]
    assert page.articles[0].is_main
    assert _texts(page, 0, "meta") == [publisher, time]
    assert _texts(page, 0, "body")[: len(body)] == body
    assert _texts(page, 1, "meta") == [publisher, time, f"• {publisher}"]
    assert _texts(page, 1, "body") == body[:1]
    assert _texts(page, 2, "body")[: len(body) - 1] == body[1:]


def test_other_publisher_and_time() -> None:
    page = _segment(_aggregator("More stories", "Reuters", "3 hours ago", EN))
    _check_aggregator(page, "Reuters", "3 hours ago", EN)


def test_spanish_page() -> None:
    page = _segment(_aggregator("Te puede interesar", "El País", "hace 2 horas", ES))
    _check_aggregator(page, "El País", "hace 2 horas", ES)
    header = next(b for b in page.blocks if b.text == "Te puede interesar")
    assert header.role == "section" and header.removal is not None


def test_french_page() -> None:
    page = _segment(_aggregator("À lire aussi", "Le Monde", "il y a 3 jours", FR))
    _check_aggregator(page, "Le Monde", "il y a 3 jours", FR)


def test_without_a_related_header_the_first_story_is_main() -> None:
    page = _segment(_aggregator(None, "Reuters", "3 hours ago", EN))
    _check_aggregator(page, "Reuters", "3 hours ago", EN)


def test_plain_article_dump() -> None:
    raw = "Rates Rise Again\n\nBy Jane Doe\n\n" + "\n\n".join(EN)
    page = _segment(raw)
    [draft] = page.articles
    assert draft.is_main and draft.title == "Rates Rise Again"
    assert _texts(page, 0, "meta") == ["By Jane Doe"]
    assert _texts(page, 0, "body") == EN


def test_document_title_repeated_without_its_site_suffix() -> None:
    header = ["Rates Rise Again - The Daily Planet", "Home", "World", "Rates Rise Again"]
    raw = "\n".join([*header, "By Jane Doe", *EN, "Most read", "Another story entirely", "Share"])
    page = _segment(raw)
    [draft] = page.articles
    assert draft.title == "Rates Rise Again"
    assert _texts(page, 0, "body")[:3] == EN
    assert "Another story entirely" not in _texts(page, 0, "body")


def test_related_box_inside_a_body_does_not_end_it() -> None:
    links = ["Storm Closes Ports Along The Northern Coast", "Court Rules On Disputed Results"]
    raw = "\n".join(["Rates Rise Again", EN[0], EN[1], "Related Stories", *links, EN[2]])
    page = _segment(raw)
    assert [d.title for d in page.articles] == ["Rates Rise Again"]
    assert _texts(page, 0, "body") == EN
    reasons = {b.text: b.removal.reason for b in page.blocks if b.removal}
    assert reasons == {"Related Stories": "section-header"} | dict.fromkeys(
        links, "outside-article"
    )


def test_bare_body_is_one_untitled_article() -> None:
    page = _segment("\n\n".join(EN))
    [draft] = page.articles
    assert draft.title is None and draft.is_main
    assert _texts(page, 0, "body") == EN


def test_subheadings_inside_a_body_are_kept() -> None:
    raw = "\n\n".join([EN[0], "What happens next", EN[1], "Reaction", EN[2]])
    page = _segment(raw)
    assert _texts(page, 0, "body") == [EN[0], "What happens next", EN[1], "Reaction", EN[2]]


def test_page_without_paragraphs_is_one_article_of_every_block() -> None:
    page = _segment("Home\nNews\nContact us")
    assert len(page.articles) == 1
    assert _texts(page, 0, "body") == ["Home", "News", "Contact us"]


WORDS = [
    "the",
    "board",
    "said",
    "that",
    "prices",
    "would",
    "rise",
    "in",
    "the",
    "new",
    "year",
    "as",
    "costs",
]
sentence = st.lists(st.sampled_from(WORDS), min_size=6, max_size=20).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
HEADINGS = ["Market", "Outlook", "Reaction", "Analysis", "Next", "Steps"]
heading = st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=4).map(" ".join)
section = st.tuples(sentence, st.lists(heading, max_size=3, unique=True)).map(
    lambda t: [*t[1], t[0]]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(section, min_size=1, max_size=6), st.lists(heading, max_size=3))
def test_a_body_runs_from_its_first_to_its_last_paragraph(
    sections: list[list[str]], tail: list[str]
) -> None:
    """Subheadings survive; one printed twice in a row would read as a repeated title."""
    lines = [line for part in sections for line in part]
    first = next(i for i, line in enumerate(lines) if line.endswith("."))
    page = _segment("\n\n".join(lines + tail))
    body = _texts(page, 0, "body")
    assert body[: len(lines) - first] == lines[first:]


def test_a_story_told_as_a_table_inside_the_article_keeps_its_rows() -> None:
    """List items and table cells inside ``<article>`` neither break nor end the body."""
    rows = "".join(
        f"<tr><td>DL</td><td>Player {n}</td><td>{50 + n}</td><td>{n} tackles</td></tr>"
        for n in range(30)
    )
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Snap counts for week 11</h1>"
        "<p>Below, we analyze the snap counts and the stats on defense for the game.</p>"
        f"<table>{rows}</table>"
        "<p>There is a lot to sort through here, as the defense played many snaps.</p>"
        f"<table>{rows.replace('Player', 'Backer')}</table></article></body></html>"
    )
    pipeline = Pipeline([ReadStage(), NormalizeStage(), SegmentStage()])
    page = pipeline.run(pipeline.new_page(html, format="html"))
    body = {b.text for b in page.blocks if b.role == "body" and b.kept}
    assert {"Player 29", "Backer 0", "Backer 29"} <= body


def test_code_lines_neither_form_nor_extend_a_body() -> None:
    widgets = ["Share", "Tweet", "Email", "Print", "Comments"]
    raw = "\n".join([*EN, *widgets, JSON_LINE, *widgets, CSS_LINE, *widgets, JS_LINE])
    page = _segment(raw)
    assert len(page.articles) == 1
    body = _texts(page, 0, "body")
    assert body[:3] == EN
    assert CSS_LINE not in body and JS_LINE not in body
    reasons = {b.text: b.removal.reason for b in page.blocks if b.removal}
    assert reasons[CSS_LINE] == reasons[JS_LINE] == "outside-article"


def test_a_page_of_code_has_no_paragraphs() -> None:
    page = _segment("\n".join(["Home", JSON_LINE, CSS_LINE, JS_LINE]))
    assert len(page.articles) == 1
    assert _texts(page, 0, "body") == ["Home", JSON_LINE, CSS_LINE, JS_LINE]


# --- short lines, leads, labels and lists (issue 3) ---------------------------------------------


def _segment_html(markup: str) -> Page:
    pipeline = Pipeline([ReadStage(), NormalizeStage(), SegmentStage()])
    return pipeline.run(pipeline.new_page(markup, format="html"))


def _body_texts(page: Page) -> list[str]:
    main = next(d for d in page.articles if d.is_main)
    return [b.text for b in page.blocks_of(main, "body")]


MORE = [
    "The finance ministry said the new rules would apply from the first day of next month, "
    "after a consultation with the banks and the regulator.",
    "Several lenders said they had already raised their savings rates, and others were "
    "expected to follow in the coming weeks, analysts said.",
    "The opposition called the increase a blow to households that are already struggling "
    "with the cost of energy and food after two hard winters.",
]
"""Three more paragraphs of the story of ``samples.EN``."""


def test_short_paragraph_elements_inside_the_article_do_not_break_its_body() -> None:
    """A menu or a recipe is short ``<p>`` lines under subheadings: still one body."""
    meals = "".join(
        f"<h3>Meal {n}</h3><p>Eat every two hours</p><p>One cup of rice, {n} eggs</p>"
        f"<p>Containers: 1 green, {n} red</p>"
        for n in range(1, 9)
    )
    markup = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>A week of meal prep</h1>"
        f"<p>{EN[0]}</p><p>{EN[1]}</p>{meals}<p>{EN[2]}</p></article></body></html>"
    )
    page = _segment_html(markup)
    assert len(page.articles) == 1
    body = _body_texts(page)
    assert body[0] == EN[0] and body[-1] == EN[2]
    assert {"Meal 8", "One cup of rice, 8 eggs", "Containers: 1 green, 8 red"} <= set(body)


def test_a_label_printed_down_the_page_is_no_repeated_title() -> None:
    """A line printed twice close together is a title only if the page prints it at most once
    more: one recurring down the page is a label (a menu's "Eat every two hours")."""
    label = "Eat every two hours"
    lines = [EN[0], label, "Rice and eggs", label, EN[1], label, "Soup", label, EN[2]]
    page = _segment("\n".join(lines))
    assert [d.title for d in page.articles] == [None]
    assert [t for t in _texts(page, 0, "body") if t.endswith(".")] == EN


def test_a_name_printed_twice_is_a_title_in_html_only_as_a_heading() -> None:
    """Where the HTML marks what lines are, a line printed twice makes a repeated title (one
    copy removed as a duplicate) only if one copy is a heading: else it is a label."""

    def duplicates(head: str) -> list[str]:
        story = "".join(f"<p>{text}</p>" for text in [*EN, *MORE])
        page = _segment_html(f"<html><body><article>{head}{story}</article></body></html>")
        return [b.text for b in page.blocks if b.removal and b.removal.reason == "duplicate-title"]

    name = "Jane Ann Doe"
    assert (
        duplicates(f"<div class='author'>{name}</div><div class='author-name'>{name}</div>") == []
    )
    assert duplicates(f"<h2>{name}</h2><div>{name}</div>") == [name]


def test_a_paragraph_of_the_article_echoing_the_headline_does_not_restart_the_story() -> None:
    markup = (
        "<html><head><title>Bank raises rates to fight inflation</title></head><body>"
        "<article><h1>Bank raises rates to fight inflation</h1>"
        f"<p>{EN[0]}</p><p>{EN[1]}</p><p>Bank raises rates to fight stubborn inflation</p>"
        f"<p>{MORE[0]}</p><p>{MORE[1]}</p></article></body></html>"
    )
    body = _body_texts(_segment_html(markup))
    assert body[:2] == EN[:2] and body[-2:] == MORE[:2]


def test_a_lead_printed_without_its_full_stop_opens_the_body() -> None:
    lead = "The central bank surprised markets on Tuesday with its third rise this year"
    raw = "\n".join(["Rates Rise Again", "By Jane Doe", lead, *EN])
    page = _segment(raw)
    assert _texts(page, 0, "meta") == ["By Jane Doe"]
    assert _texts(page, 0, "body") == [lead, *EN]


def test_a_headline_written_like_a_sentence_stays_the_title() -> None:
    """Only the lines after the title can be its lead."""
    headline = "The central bank raises its main rate for the third time this year"
    page = _segment("\n".join([headline, *EN]))
    assert page.articles[0].title == headline
    assert _texts(page, 0, "body") == EN


def test_a_widget_label_printed_twice_announces_no_light_teaser() -> None:
    """A line printed again (a share widget's label) announces a body only if that body is a
    substantial share of the heaviest one: not an author's bio under the story."""
    label = "Sharing is caring!"
    bio = [
        "Jane is a reporter who lives in the capital with her husband, two sons and two cats, "
        "and writes about money, banks and the people who run them.",
        "Before that she covered the courts for a regional paper for six years, and she still "
        "writes a weekly column about the law and the people in it.",
        "She studied economics at the university in the north of the country, where she was "
        "the editor of the student paper for two of her four years.",
    ]
    story = [*EN, *MORE, *(f"{text[:-1]}, a spokesman added." for text in EN)]
    widgets = ["Facebook", "Twitter", "Pinterest", "Email", "Print", "Tags", "Jane"]
    lines = ["HOME", label, "0", "SHARES", *story, *widgets, label, *widgets, *bio]
    body = _body_texts(_segment("\n".join(lines)))
    assert body[: len(story)] == story
    assert not set(bio) & set(body)


def test_a_paragraph_the_page_prints_twice_weighs_nothing() -> None:
    """A ticker printed at the top and the bottom of the page is no story, however long."""
    ticker = " ".join(f"Headline {n} of the ticker says what happened today." for n in range(30))
    menu = ["Home", "World", "Business", "Markets", "Sport", "Culture", "Opinion", "Video"]
    page = _segment("\n".join([ticker, *menu, *EN, *menu, ticker]))
    assert _body_texts(page)[: len(EN)] == EN


def test_a_numbered_list_closing_the_story_is_part_of_its_body() -> None:
    """Text has no list markup: consecutive numbers opening lines make the entries (each may
    carry one line, its link; the last one's is not told from what follows the list)."""
    entries = [line for n in range(1, 13) for line in (f"{n}) Product {n}", f"http://x.co/{n}")]
    page = _segment("\n".join([*EN, *entries, "Home", "Contact", "Jobs", "Log in"]))
    assert _texts(page, 0, "body") == [*EN, *entries[:-1]]


def test_runs_between_the_title_and_the_heaviest_run_are_the_story() -> None:
    """A related-links box inside the story splits it in two runs: the body starts at the
    first substantial run after the headline, not at the heaviest one."""
    links = "".join(
        f"<li><a href='/s/{n}'>Another story number {n} here</a></li>" for n in range(8)
    )
    rest = [*MORE, *(f"{text[:-1]}, officials said." for text in [*MORE, *EN])]
    markup = (
        "<html><head><title>Key moments from the hearing</title></head><body><article>"
        f"<h1>Key moments from the hearing</h1><p>{EN[0]}</p><p>{EN[1]}</p>"
        f"<ul class='related-links'>{links}</ul>"
        + "".join(f"<p>{text}</p>" for text in rest)
        + "</article></body></html>"
    )
    body = [t for t in _body_texts(_segment_html(markup)) if t.endswith(".")]
    assert body == [*EN[:2], *rest]


def test_a_sentence_in_a_heading_is_no_paragraph() -> None:
    """A standfirst printed as ``<h2>`` under the title is no body paragraph."""
    dek = "Here is how to figure out what is best for your play habits and your wallet."
    markup = (
        f"<html><body><article><h1>So many ways to play</h1><h2>{dek}</h2>"
        + "".join(f"<p>{text}</p>" for text in EN)
        + "</article></body></html>"
    )
    assert _body_texts(_segment_html(markup)) == EN
