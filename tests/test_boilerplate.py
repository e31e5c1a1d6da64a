"""Stage "boilerplate": ads, calls to action, prompts and widgets leave the bodies, on record."""

from __future__ import annotations

import re
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse import Article, Page, Pipeline
from newsparse.assemble import build_article
from newsparse.boilerplate import BoilerplateStage, _Judge, ad_runs
from newsparse.normalize import NormalizeStage
from newsparse.readers import ReadStage
from newsparse.segment import SegmentStage
from newsparse.textshape import (
    PhraseMatcher,
    list_entries,
    looks_like_code,
    reads_as_sentence,
    stopwords_of,
)
from samples import CSS_LINE, EN, JS_LINE, JSON_LINE

SEED_FURNITURE = (
    "Try Our AI Features",
    "Orange background",
    "Comments",
    "No comments yet",
    "DOWNLOAD THE APP",
    "app-store",
    "play-store",
    "Taboola",
    "Sponsored",
    "You May Like",
    "Shop Now",
    "Join Now",
    "Stay informed",
    "Download",
)

PROSE_WITH_NUMBERS = (
    "The index rose 2.4% to 4,512.30 points on Tuesday, its highest since March 2021; the "
    "full figures are at https://www.example.org/data/2025/q2-report.pdf (page 14), and the "
    'bank called the rise "a welcome surprise" [see chart].'
)
TABLE_LINE = "Score: 3-1; Attendance: 60,000; Referee: M. Oliver; Kick-off: 15:00 GMT"


def _pipeline() -> Pipeline:
    return Pipeline([ReadStage(), NormalizeStage(), SegmentStage(), BoilerplateStage()])


def _run(raw: str) -> tuple[Page, Article]:
    pipeline = _pipeline()
    page = pipeline.run(pipeline.new_page(raw))
    return page, build_article(page)


def _cut(text: str) -> str:
    kept, cursor = [], 0
    for start, end in ad_runs(text):
        kept.append(text[cursor:start])
        cursor = end
    return "".join(kept) + text[cursor:]


# --- inline ad runs -------------------------------------------------------------------------


def test_seed_ad_run_is_cut_and_the_sentences_join(seed_text: str) -> None:
    line = next(line for line in seed_text.splitlines() if "Taboola" in line)
    cleaned = _cut(line)
    assert "he said. Brazilian Ambassador Kenneth da Nobrega echoed" in cleaned
    for cue in ("Taboola", "Sponsored", "Promoted", "You May Like", "Shop Now", "Undo"):
        assert cue not in cleaned
    assert len(line) - len(cleaned) < 250


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Promoted by Outbrain Recommended For You This One Trick Doctors Hate Learn More "
            "The minister said prices would rise.",
            "The minister said prices would rise.",
        ),
        (
            "Prices rose. Sponsored Links by Outbrain Around The Web Cheap Flights Deals Book Now "
            "Analysts expect more.",
            "Prices rose. Analysts expect more.",
        ),
        (
            "Prices rose sharply in May. Anzeige Mehr erfahren",
            "Prices rose sharply in May. ",
        ),
        (
            "Los precios subieron. Publicidad Contenido patrocinado Te puede interesar Viajes "
            "baratos Más información El ministro habló.",
            "Los precios subieron. El ministro habló.",
        ),
        ("It fell. Publicité Vous aimerez aussi Voyages Acheter Le ministre a parlé.", None),
    ],
)
def test_ad_runs_elsewhere_and_from_other_vendors(text: str, expected: str | None) -> None:
    if expected is None:
        expected = "It fell. Le ministre a parlé."
    assert _cut(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The event was sponsored by the ministry and promoted by local groups.",
        "He said. Advertisement revenue fell by a tenth last year.",
        "Analysts said Taboola and Outbrain had agreed to merge, then called the deal off.",
        "The company, which sells through its app, said that learn more was its slogan.",
    ],
)
def test_ad_words_in_ordinary_sentences_stay(text: str) -> None:
    assert ad_runs(text) == []


# --- promo sentences at the edge of a paragraph -----------------------------------------------


def _edge(text: str, *, at_end: bool, language: str | None = "en") -> str:
    start, end = _Judge(language, 12, 40).promo_edge(text, 0, len(text), at_end=at_end)
    return text[start:end]


def test_trailing_promo_is_found() -> None:
    text = (
        "The panel ended with a session on the bloc's future. Stay informed with the latest "
        "business news, updates on bank holidays and public holidays . AI Masterclass for "
        "Students. Upskill Young Ones Today!– Join Now"
    )
    assert _edge(text, at_end=True).startswith("Stay informed")
    assert _edge(text, at_end=True).endswith("Join Now")


def test_leading_promo_is_found() -> None:
    text = "Subscribe to our newsletter for your daily briefing. The minister said talks resume."
    assert _edge(text, at_end=False) == "Subscribe to our newsletter for your daily briefing. "


@pytest.mark.parametrize(
    "text",
    [
        "The app was released in March. Users can download it from the store on Friday.",
        "He urged people to stay informed. Officials declined to comment.",
        "'You should try our soup,' he said. It was cold.",
    ],
)
def test_ordinary_closing_sentences_are_not_promo(text: str) -> None:
    assert _edge(text, at_end=True) == ""


def test_a_block_of_prompts_is_promo_to_its_first_sentence() -> None:
    text = (
        "Ready to dive in? Download the Acme app today from your preferred app store and "
        "start exploring."
    )
    assert _edge(text, at_end=True) == text


# --- whole blocks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Comments", "comments"),
        ("No comments yet...", "comments"),
        ("Kommentare", "comments"),
        ("DOWNLOAD THE APP", "app-prompt"),
        ("Get Started Now: Download the App", "app-prompt"),
        ("Descarga la app", "app-prompt"),
        ("Orange background", "image-placeholder"),
        ("logo", "image-placeholder"),
        ("facebook-icon", "image-placeholder"),
        ("Try Our AI Features", "promo"),
        ("Explore what Acme AI can do for you:", "promo"),
        ("Advertisement", "advertisement"),
        ("Publicidad", "advertisement"),
        ("Read more", "call-to-action"),
        ("Lire la suite", "call-to-action"),
        ("Share this article", "navigation"),
        ("Sign up for our newsletter", "newsletter"),
        ("We use cookies to improve your experience", "cookie-notice"),
        (
            "Ready to dive in? Download the Acme app today from your preferred app store "
            "and start exploring.",
            "app-prompt",
        ),
    ],
)
def test_furniture_lines(line: str, reason: str) -> None:
    found = _Judge("en", 12, 40).verdict(line)
    assert found is not None and found[0] == reason


@pytest.mark.parametrize(
    "line",
    [
        "What happens next",
        "Background",
        "Search for survivors continues",
        "No comment from the ministry",
        "'You can't download the app anymore,' she said, adding that it was gone.",
        "The company said its app store revenue grew by a fifth in the quarter.",
        EN[0],
    ],
)
def test_ordinary_lines_are_kept(line: str) -> None:
    assert _Judge("en", 12, 40).verdict(line) is None


# --- the stage, end to end ---------------------------------------------------------------------


def test_seed_page_bodies(seed_text: str) -> None:
    _, article = _run(seed_text)
    lines = [line.strip() for line in seed_text.splitlines()]
    assert [p.text for p in article.paragraphs] == lines[7:16]
    related = article.related
    assert len(related) == 3
    for story in related:
        assert len(story.paragraphs) == 1
    brics = related[2].body
    assert "he said. Brazilian Ambassador Kenneth da Nobrega echoed" in brics
    assert brics.endswith("Sustainable Development Goals framework.")
    for story in (article, *related):
        for phrase in SEED_FURNITURE:
            assert phrase not in story.body, phrase


def test_seed_removals_are_recorded(seed_text: str) -> None:
    _, article = _run(seed_text)
    removed = [r for story in (article, *article.related) for r in story.removed]
    text = " ".join(r.text for r in removed)
    for phrase in SEED_FURNITURE:
        assert phrase in text, phrase
    for r in removed:
        assert r.reason and r.stage
        assert unicodedata.normalize("NFC", seed_text[r.start : r.end]).strip()
    reasons = {r.reason for r in removed if r.stage == "boilerplate"}
    assert {"ad-run", "promo", "app-prompt", "comments", "image-placeholder"} <= reasons
    brics = {r.reason for r in article.related[2].removed}
    assert {"ad-run", "promo", "app-prompt"} <= brics


def _page(publisher: str, time: str, header: str, paragraphs: list[str], widgets: list[str]) -> str:
    title = "Lawmakers Approve Budget After Marathon Night Session"
    second = "Storm Closes Ports Along The Northern Coast"
    return "\n\n".join(
        [
            title,
            title,
            f"{publisher}{time}",
            "\n".join(paragraphs),
            *widgets,
            header,
            f"{second}\n{second}",
            publisher,
            time,
            second,
            paragraphs[0],
        ]
    )


def test_reordered_sections_other_publisher_and_outbrain() -> None:
    paragraphs = [
        EN[0],
        EN[1] + " Sponsored by Outbrain You Might Like Cheap Flights Deals Book Now",
        "Advertisement " + EN[2],
    ]
    raw = _page("Reuters", "3 hours ago", "More stories", paragraphs, ["Sign up", "Share", "logo"])
    page, article = _run(raw)
    assert [p.text for p in article.paragraphs] == EN
    assert {r.reason for r in article.removed} >= {"ad-run", "call-to-action", "navigation"}
    assert [a.body for a in article.related] == [EN[0]]
    assert page.language == "en"


def test_spanish_page() -> None:
    paragraphs = [
        "El gobierno anunció el martes un nuevo plan de inversiones para modernizar la red de "
        "ferrocarriles del país. Publicidad Te puede interesar Viajes baratos Más información "
        "Las obras empezarán en primavera.",
        "Según el ministro, el plan creará miles de empleos en las regiones más afectadas.",
    ]
    raw = _page(
        "El País", "hace 2 horas", "Te puede interesar", paragraphs, ["Comentarios", "Compartir"]
    )
    page, article = _run(raw)
    assert page.language == "es"
    assert article.body.startswith("El gobierno anunció")
    assert "del país. Las obras empezarán en primavera." in article.body
    assert "Publicidad" not in article.body and "Comentarios" not in article.body
    assert len(article.related) == 1


def test_french_page_without_comments_or_header() -> None:
    paragraphs = [
        "Le gouvernement a présenté mardi un plan pour moderniser le réseau ferroviaire du pays.",
        "Selon le ministre, les travaux commenceront au printemps dans les régions touchées. "
        "Restez informé avec notre newsletter. Abonnez-vous",
    ]
    raw = _page("Le Monde", "il y a 3 jours", "Publicité", paragraphs, [])
    page, article = _run(raw)
    assert page.language == "fr"
    assert article.body.endswith("dans les régions touchées.")
    assert "Publicité" in {r.text for r in article.removed}


def test_trailing_lines_after_the_last_paragraph_go() -> None:
    raw = "\n\n".join([*EN, "Acme Corp 2025", "Terms"])
    _, article = _run(raw)
    assert [p.text for p in article.paragraphs] == EN
    assert {r.text: r.reason for r in article.removed}["Acme Corp 2025"] == "after-body"


# --- properties --------------------------------------------------------------------------------

WORDS = "the minister said that talks with the union would resume after a week of strikes"
sentence = st.lists(st.sampled_from(WORDS.split()), min_size=6, max_size=25).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
furniture = st.sampled_from(
    [
        "Comments",
        "Advertisement",
        "Read more",
        "Share",
        "logo",
        "Sign up for our newsletter",
        "Sponsored Links by Outbrain You May Like Great Deals Shop Now",
        "Subheading Here",
    ]
)
inline_ad = st.sampled_from(
    ["", " Sponsored by Taboola You May Like Cheap Flights Learn More", " Stay informed. Join Now"]
)
line = st.one_of(paragraph, st.tuples(paragraph, inline_ad).map("".join), furniture)
page_text = st.lists(line, min_size=1, max_size=12).map("\n\n".join)


@settings(max_examples=80, deadline=None)
@given(page_text)
def test_reparsing_a_body_returns_it(raw: str) -> None:
    _, article = _run(raw)
    if not article.body:
        return
    _, again = _run(article.body)
    assert again.body == article.body


@settings(max_examples=80, deadline=None)
@given(page_text)
def test_bodies_trace_to_the_input_and_removals_to_their_text(raw: str) -> None:
    page, article = _run(raw)
    for draft in page.articles:
        body = page.body_of(draft)
        for char, offset in zip(body.text, body.char_map, strict=True):
            assert char.isspace() or char == page.raw[offset]
    for removal in article.removed:
        assert 0 <= removal.start < removal.end <= len(page.raw)
        if removal.stage == "boilerplate":
            assert page.raw[removal.start : removal.end] == removal.text


@settings(max_examples=40, deadline=None)
@given(page_text)
def test_parsing_is_deterministic(raw: str) -> None:
    assert _run(raw)[1] == _run(raw)[1]


PHRASES = ["sign up", "sign up for our newsletter", "abonnez-vous", "read more"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Sign",
                "up",
                "sign  up",
                "for",
                "our",
                "newsletter",
                "Abonnez-vous",
                "read",
                "MORE",
                "more.",
                "signup",
                "x",
                "!",
                " ",
                "-",
                "\n",
            ]
        ),
        max_size=12,
    )
)
def test_phrase_matcher_finds_what_the_regex_alternation_finds(parts: list[str]) -> None:
    """PhraseMatcher (phrases looked up by first word) matches as the one alternation did."""
    text = " ".join(parts)
    ordered = sorted(PHRASES, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    regex = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    matcher = PhraseMatcher(PHRASES)
    assert [m.span() for m in matcher.finditer(text)] == [m.span() for m in regex.finditer(text)]
    assert matcher.opens(text) == bool(re.match(r"\W*" + regex.pattern, text, re.I))
    assert matcher.closes(text) == bool(re.search(regex.pattern + r"\W*\Z", text, re.I))


def test_sentence_breaks_in_a_long_run_of_dots_take_linear_time() -> None:
    text = "Title\n\n" + ("." * 20_000 + "a ") * 5
    started = time.perf_counter()
    _run(text)
    assert time.perf_counter() - started < 5.0


# --- code-shaped blocks ----------------------------------------------------------------------


@pytest.mark.parametrize("line", [JSON_LINE, CSS_LINE, JS_LINE])
def test_code_lines_inside_a_body_are_removed_as_code(line: str) -> None:
    _, article = _run("\n\n".join([EN[0], line, EN[1], EN[2]]))
    assert [p.text for p in article.paragraphs] == EN
    assert {r.text: r.reason for r in article.removed}[line] == "code"
    assert [r.stage for r in article.removed if r.reason == "code"] == ["boilerplate"]


def test_a_long_json_line_split_into_blocks_leaves_the_body() -> None:
    blob = "[" + ", ".join([JSON_LINE] * 300) + "]"
    _, article = _run("\n\n".join([*EN, blob]))
    assert [p.text for p in article.paragraphs] == EN
    code = [r for r in article.removed if r.reason == "code"]
    assert len(code) > 1  # the reader splits the line into blocks, each removed as code
    assert "".join(r.text for r in code).replace(" ", "") == blob.replace(" ", "")


@pytest.mark.parametrize("line", [PROSE_WITH_NUMBERS, TABLE_LINE])
def test_prose_with_numbers_urls_and_table_lines_stay(line: str) -> None:
    _, article = _run("\n\n".join([EN[0], line, EN[1], EN[2]]))
    assert line in [p.text for p in article.paragraphs]
    assert "code" not in {r.reason for r in article.removed}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (JSON_LINE, True),
        (CSS_LINE, True),
        (JS_LINE, True),
        ('{"id": 12345, "headline": "Minister resigns after vote", "tags": ["a", "b"]}', True),
        (
            '<div class="ad-slot" data-slot="top"><script src="/static/js/ads.js"></script></div>',
            True,
        ),
        ("body { margin: 0; padding: 0; } .header { background-color: #fff; border: 0; }", True),
        (PROSE_WITH_NUMBERS, False),
        (TABLE_LINE, False),
        ("| Team | P | W | D | L | Pts | | Arsenal | 38 | 26 | 6 | 6 | 84 |", False),
        (
            "https://www.example.com/news/2024/05/01/minister-resigns-after-vote-in-parliament",
            False,
        ),
        (
            "The formula is x = y + 2; when y = 3, x = 5 and the ratio x/y is about 1.67 [note 4].",
            False,
        ),
        (
            '"We will not back down," she said. "Not now, not ever." The crowd cheered: "Yes!"',
            False,
        ),
        (
            "[ 엔터미디어(주) 서울시 성북구 동선동1가 114-1 플라망스타워 903호 ] "
            "[청소년보호책임자 : 유용석]",
            False,
        ),
        (EN[0], False),
    ],
)
def test_code_shape(text: str, code: bool) -> None:
    assert looks_like_code(text) is code


def test_code_shape_of_a_long_block_reads_a_sample() -> None:
    block = ("{" + '"key": "value", ' * 1_300 + "}")[:20_000]
    started = time.perf_counter()
    for _ in range(100):
        assert looks_like_code(block)
    assert time.perf_counter() - started < 1.0


# --- captions, bylines and comment threads ------------------------------------------------------


def _run_html(markup: str) -> Article:
    pipeline = _pipeline()
    return build_article(pipeline.run(pipeline.new_page(markup, format="html")))


def test_captions_and_bylines_the_markup_names_are_removed() -> None:
    figure = (
        "<figure><img src='a.jpg'><figcaption>Officials leave the building after the vote "
        "on Tuesday in the capital.</figcaption></figure>"
    )
    byline = "<div class='byline'>By Ann Smith, staff writer</div>"
    markup = (
        "<html><body><article><h1>Bank raises rates</h1>"
        f"<p>{EN[0]}</p>{byline}{figure}<p>{EN[1]}</p><p>{EN[2]}</p>"
        "<p class='photo-caption'>The central bank building seen from the river.</p>"
        "</article></body></html>"
    )
    article = _run_html(markup)
    assert [p.text for p in article.paragraphs] == EN
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["By Ann Smith, staff writer"] == "byline"
    assert reasons["The central bank building seen from the river."] == "caption"


def test_a_story_the_markup_wraps_in_a_caption_is_kept() -> None:
    """Most of the body hinted as a caption: the markup names a wrapper, not a part."""
    paragraphs = "".join(f"<p>{text}</p>" for text in EN)
    markup = (
        "<html><body><article><h1>Bank raises rates</h1>"
        f"<div class='caption-wrapper'>{paragraphs}</div></article></body></html>"
    )
    article = _run_html(markup)
    assert [p.text for p in article.paragraphs] == EN


def test_a_comment_thread_notice_ends_the_body() -> None:
    teaser = (
        "The city council met on Monday to discuss the new budget for schools and the "
        "results of a survey of parents across the district."
    )
    notice = (
        "As you comment, please be respectful of other commenters. Comments are moderated "
        "and may take a while to appear."
    )
    raw = "\n\n".join([*EN, notice, "More from News", teaser])
    _, article = _run(raw)
    assert [p.text for p in article.paragraphs] == EN
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons[notice] == "comments"
    assert teaser not in article.body


def test_a_comment_notice_opening_the_body_does_not_end_it() -> None:
    notice = "Comments are moderated and will not be published until they are approved."
    raw = "\n\n".join([notice, *EN])
    _, article = _run(raw)
    assert [p.text for p in article.paragraphs] == EN


# --- what closes a story, what opens it, its lists (issue 3) -------------------------------------


def test_a_copyright_notice_ends_the_body() -> None:
    teaser = (
        "Some people thought the striped cattle in the pasture were a joke, but the scientists "
        "behind the study say the stripes keep the flies away."
    )
    notice = "© 2025 Daily Planet Media Inc. All Rights Reserved."
    raw = "\n\n".join([*EN, "First published on 19 November", notice, "World", teaser])
    _, article = _run(raw)
    assert [p.text for p in article.paragraphs][: len(EN)] == EN
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons[notice] == reasons[teaser] == "copyright"


@pytest.mark.parametrize(
    "notice",
    [
        "© 2025 El Planeta Diario. Todos los derechos reservados.",
        "© 2025 Le Quotidien. Tous droits réservés.",
        "© 2025 Der Tagesplanet. Alle Rechte vorbehalten.",
    ],
)
def test_copyright_notices_in_other_languages_end_the_body(notice: str) -> None:
    _, article = _run(
        "\n\n".join([*EN, notice, "More stories", EN[0].replace("Tuesday", "Monday")])
    )
    assert [p.text for p in article.paragraphs] == EN


def test_a_lead_printed_without_its_full_stop_stays_in_the_body() -> None:
    lead = "The central bank surprised markets on Tuesday with its third rise this year"
    _, article = _run("\n".join(["Rates Rise Again", "By Jane Doe", lead, *EN]))
    assert [p.text for p in article.paragraphs] == [lead, *EN]


def test_a_numbered_list_closing_the_story_stays_in_the_body() -> None:
    entries = [line for n in range(1, 13) for line in (f"{n}) Product {n}", f"http://x.co/{n}")]
    _, article = _run("\n".join([*EN, *entries, "Home", "Contact", "Jobs", "Log in"]))
    assert [p.text for p in article.paragraphs] == [*EN, *entries[:-1]]


def test_short_lines_of_the_article_and_the_addresses_it_prints_stay() -> None:
    """Short ``<p>`` lines inside the article are the story's (a list of offers), and so is a
    link printing its own address; what follows the list is not."""
    offers = "".join(
        f"<p>{n}) Board game number {n}</p><p><a href='http://x.co/{n}'>http://x.co/{n}</a></p>"
        for n in range(1, 9)
    )
    markup = (
        "<html><body><article><h1>Offers for the holidays</h1>"
        + "".join(f"<p>{text}</p>" for text in EN)
        + f"{offers}<p><a href='/tag/games'>Board games</a></p></article></body></html>"
    )
    article = _run_html(markup)
    paragraphs = [p.text for p in article.paragraphs]
    assert paragraphs[: len(EN)] == EN
    assert {"1) Board game number 1", "http://x.co/1", "8) Board game number 8"} <= set(paragraphs)
    assert "Board games" not in paragraphs


def test_a_line_repeated_down_the_body_is_judged_once_and_removed_every_time() -> None:
    """Blocks of one text are judged once per page; each copy still carries its removal."""
    raw = "\n\n".join([EN[0], "Share", EN[1], "Share", EN[2], "Share", "Share"])
    page, article = _run(raw)
    shares = [b for b in page.blocks if b.text == "Share"]
    assert len(shares) == 4 and all(b.removal is not None for b in shares)
    expected = _Judge("en", 12, 40).verdict("Share")
    assert {(b.removal.reason, b.removal.detail) for b in shares if b.removal} == {expected}
    assert [p.text for p in article.paragraphs] == EN


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        ("The central bank surprised markets on Tuesday with its third rise this year", True),
        ("Il governo ha approvato martedì un nuovo piano per le ferrovie del paese", True),
        ("Storm Closes Ports Along The Northern Coast As Winds Reach Record Speeds", False),
        ("Home News Sport Business Culture Travel Weather Video Audio Live", False),
        ("Rates rise again", False),
    ],
)
def test_reads_as_sentence(line: str, sentence: bool) -> None:
    language = "it" if line.startswith("Il ") else "en"
    assert reads_as_sentence(line, stopwords_of(language)) is sentence


def test_list_entries_are_numbered_lines_and_the_articles_items() -> None:
    texts = ["Intro", "1) First", "note", "2) Second", "3. Third", "2019 was a year", "12 issues"]
    assert list_entries(texts, [{}] * len(texts)) == [False, True, False, True, True, False, False]
    item = {"tag": "p", "in_article": True, "link_density": 0.0}
    assert list_entries(["Eat every two hours"], [item]) == [True]
    assert list_entries(["Home"], [item | {"class_hint": "nav"}]) == [False]
