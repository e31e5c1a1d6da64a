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
