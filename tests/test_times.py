"""extract_times and Article.times: every time expression of a body, its TIMEX3 value, window.

The reference is a Monday, 2025-06-16 at noon UTC, unless a test says otherwise; expected
values are worked out by hand from the TimeML/TIMEX3 conventions, never copied from output.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import newsparse
from newsparse import TimeExpression, extract_times, timestamps
from newsparse.document import ArticleDraft, Block, BlockRole, Page
from newsparse.timestamps import TimestampStage

REFERENCE = datetime(2025, 6, 16, 12, tzinfo=timezone.utc)  # a Monday
UTC_PLUS_14 = timezone(timedelta(hours=14))
UTC_MINUS_12 = timezone(timedelta(hours=-12))


def values(text: str, reference: datetime | None = REFERENCE, **options: object) -> list[tuple]:
    """(text, value) of every expression found in ``text``, read as English."""
    options.setdefault("languages", ["en"])
    return [(t.text, t.value) for t in extract_times(text, reference, **options)]  # type: ignore[arg-type]


def only(text: str, reference: datetime | None = REFERENCE, **options: object) -> TimeExpression:
    options.setdefault("languages", ["en"])
    found = extract_times(text, reference, **options)  # type: ignore[arg-type]
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


# ---------------------------------------------------------------- the issue's examples


def test_the_issues_examples_resolve_against_the_reference() -> None:
    text = (
        "The ministers met on Saturday and earlier this week, as they did last January. "
        "A deal is due by March 2026. On June 15 they agreed to hold the July 6–7 summit."
    )
    assert values(text) == [
        ("Saturday", "2025-06-14"),
        ("earlier this week", "2025-W25"),
        ("last January", "2025-01"),
        ("March 2026", "2026-03"),
        ("June 15", "2025-06-15"),
        ("July 6–7", "2025-07-06"),
    ]


def test_a_day_range_spans_both_days() -> None:
    summit = only("the July 6–7 summit", default_timezone=timezone.utc)
    assert (summit.earliest, summit.latest) == (
        datetime(2025, 7, 6, tzinfo=timezone.utc),
        datetime(2025, 7, 8, tzinfo=timezone.utc),
    )


# ---------------------------------------------------------------- TIMEX3 conventions


@pytest.mark.parametrize(
    ("text", "expression", "value", "timex_type"),
    [
        ("It fell last week.", "last week", "2025-W24", "DATE"),
        ("It rose over the past three years.", "the past three years", "P3Y", "DURATION"),
        ("Prices are now higher.", "now", "PRESENT_REF", "DATE"),
        ("It is currently closed.", "currently", "PRESENT_REF", "DATE"),
        ("The recent rally ended.", "recent", "PAST_REF", "DATE"),
        ("He spoke Tuesday.", "Tuesday", "2025-06-10", "DATE"),
        ("It peaked in the 1990s.", "the 1990s", "199", "DATE"),
        ("Profit rose in the third quarter of 2024.", "the third quarter of 2024", "2024-Q3",
         "DATE"),
        ("It pays a dividend quarterly.", "quarterly", "P3M", "SET"),
        ("They meet daily.", "daily", "P1D", "SET"),
        ("They meet every Thursday.", "every Thursday", "XXXX-WXX-4", "SET"),
        ("They meet on Mondays.", "Mondays", "XXXX-WXX-1", "SET"),
        ("Flights leave Tuesday nights.", "Tuesday nights", "XXXX-WXX-2TNI", "SET"),
        ("He signed a two-year contract.", "two-year", "P2Y", "DURATION"),
        ("It closed a year ago.", "a year ago", "2024", "DATE"),
        ("It opened 10 days ago.", "10 days ago", "2025-06-06", "DATE"),
        ("They will travel this summer.", "this summer", "2025-SU", "DATE"),
        ("It began last fall.", "last fall", "2024-FA", "DATE"),
        ("The vote is at 10 p.m. Wednesday.", "10 p.m. Wednesday", "2025-06-11T22:00", "TIME"),
        ("He arrived this morning.", "this morning", "2025-06-16TMO", "TIME"),
        ("Sales were flat in mid-1996.", "mid-1996", "1996", "DATE"),
        ("It was built in nineteen ninety-six.", "nineteen ninety-six", "1996", "DATE"),
        ("The 20th century ended.", "The 20th century", "19", "DATE"),
        ("Profit rose in fiscal 1989.", "fiscal 1989", "1989", "DATE"),
        ("Sales rose in Q3 2024.", "Q3 2024", "2024-Q3", "DATE"),
        ("Sales rose in the first half of 2024.", "the first half of 2024", "2024-H1", "DATE"),
        ("It lasted two weeks.", "two weeks", "P2W", "DURATION"),
        ("It lasted years.", "years", "PXY", "DURATION"),
        ("It took a few days.", "a few days", "PXD", "DURATION"),
        ("It lasted 2.5 years.", "2.5 years", "P2Y6M", "DURATION"),
        ("It lasted five hours.", "five hours", "PT5H", "DURATION"),
        ("It was quiet over the weekend.", "the weekend", "2025-W24-WE", "DATE"),
        ("He left yesterday.", "yesterday", "2025-06-15", "DATE"),
        ("He leaves tomorrow.", "tomorrow", "2025-06-17", "DATE"),
        ("It was founded on 2024-03-05.", "2024-03-05", "2024-03-05", "DATE"),
        ("It rises 5% a year.", "a year", "P1Y", "SET"),
        ("It lasted two and a half years.", "two and a half years", "P2Y6M", "DURATION"),
        ("They stayed 2 1/2 years.", "2 1/2 years", "P2Y6M", "DURATION"),
        ("They stay two more weeks.", "two more weeks", "P2W", "DURATION"),
        ("Sales for the full year rose.", "the full year", "2025", "DATE"),
        ("It fell an hour ago.", "an hour ago", "2025-06-16T11:00", "TIME"),
    ],
)  # fmt: skip
def test_timex3_values(text: str, expression: str, value: str, timex_type: str) -> None:
    found = only(text)
    assert (found.text, found.value, found.type) == (expression, value, timex_type)


def test_a_year_ended_on_a_date_is_a_fiscal_year() -> None:
    assert values("Net rose in the year ended March 31.") == [
        ("the year", "P1Y"),
        ("March 31", "2025-03-31"),
    ]


def test_durations_and_frequencies_need_no_anchor() -> None:
    found = extract_times("It lasted three days and ran daily.", None, languages=["en"])
    assert [(t.value, t.type, t.earliest, t.anchor) for t in found] == [
        ("P3D", "DURATION", None, None),
        ("P1D", "SET", None, None),
    ]


# ---------------------------------------------------------------- names without a year


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Officials said Friday that talks failed.", "2025-06-13"),  # news reports the past
        ("The minister will visit on Friday.", "2025-06-20"),  # "will": the next one
        ("The talks collapsed in January.", "2025-01"),
        ("The talks will resume in January.", "2026-01"),
        ("The dividend is payable Nov. 16.", "2025-11-16"),  # nearest, the future cue agrees
        ("He was born on Dec. 20.", "2024-12-20"),
        ("The deadline is June 20.", "2025-06-20"),  # four days ahead beats a year back
        ("The plan must be ready by December.", "2025-12"),  # "by" sets a deadline
        ("Relatives have until Tuesday to reply.", "2025-06-17"),  # so does "until"
        ("The offer was extended to July 1.", "2025-07-01"),  # a day ahead despite "was"
        ("Third-quarter profit fell.", "2024-Q3"),  # a past verb rules out a future quarter
    ],
)
def test_names_without_a_year(text: str, value: str) -> None:
    named = [t for t in extract_times(text, REFERENCE, languages=["en"])]
    assert [t.value for t in named] == [value]


def test_last_and_next_with_names() -> None:
    assert values("last Monday, next Monday, this Monday, next June, last June") == [
        ("last Monday", "2025-06-09"),
        ("next Monday", "2025-06-23"),
        ("this Monday", "2025-06-16"),
        ("next June", "2026-06"),
        ("last June", "2024-06"),
    ]


# ---------------------------------------------------------------- counting from the text


def test_following_and_earlier_count_from_the_time_mentioned() -> None:
    text = "The plant opened in 1995. The following year it doubled; a year earlier it was shut."
    assert values(text) == [
        ("1995", "1995"),
        ("The following year", "1996"),
        ("a year earlier", "1994"),
    ]


def test_a_year_ago_in_results_compares_the_quarter() -> None:
    text = "Third-quarter profit rose to $3 million from $2 million a year ago."
    assert values(text) == [("Third-quarter", "2024-Q3"), ("a year ago", "2023-Q3")]


def test_a_clock_time_falls_on_the_day_spoken_of() -> None:
    text = "The blast hit on Friday. At 10:35 a.m. the roads closed."
    assert values(text) == [("Friday", "2025-06-13"), ("10:35 a.m.", "2025-06-13T10:35")]


# ---------------------------------------------------------------- what is not a time


@pytest.mark.parametrize(
    "text",
    [
        "We said it may rain, and we may be right.",  # "We", "may": no Wednesday, no May
        "June Carter and April Smith sang.",  # first names
        "A 6-year-old boy and his 52-year-old father, 40 years old.",  # ages
        "The Sunday Times reported it.",  # a newspaper
        "Iraq imports about three-quarters of its food and a quarter of its fuel.",  # fractions
        "The company hired 2,000 people and 1,500 engineers for $1990 each.",  # counts, money
        "He said that day traders lost.",  # "that day" needs a preposition
        "Shares rose 1.5% to 7100 points.",  # a count, not a plausible year
    ],
)
def test_no_time_expression(text: str) -> None:
    assert values(text) == []


def test_italian_mai_is_never_may_without_a_month_cue() -> None:
    assert values("Non è mai stato così.", languages=None) == []
    assert values("Tornerà a mai 2026?", languages=["fr"]) == [("mai 2026", "2026-05")]


# ---------------------------------------------------------------- languages

SENTENCES = {
    "en": "On Saturday, two days after June 12, the minister said sales fell last year. Three "
    "days ago. Next Monday. In the 1990s. Yesterday evening. Currently.",
    "es": "El sábado, dos días después del 12 de junio, el ministro dijo que el año pasado las "
    "ventas cayeron. Hace tres días. El próximo lunes. En los años 90. Ayer por la tarde. "
    "Actualmente.",
    "fr": "Samedi, deux jours après le 12 juin, le ministre a dit que l'année dernière les "
    "ventes ont baissé. Il y a trois jours. Lundi prochain. Dans les années 90. Hier soir. "
    "Actuellement.",
    "de": "Am Samstag, zwei Tage nach dem 12. Juni, sagte der Minister, dass die Umsätze im "
    "vergangenen Jahr gesunken sind. Vor drei Tagen. Nächsten Montag. In den 90er Jahren. "
    "Gestern Abend. Derzeit.",
    "pt": "No sábado, dois dias depois de 12 de junho, o ministro disse que no ano passado as "
    "vendas caíram. Há três dias. Na próxima segunda-feira. Nos anos 90. Ontem à tarde. "
    "Atualmente.",
    "it": "Sabato, due giorni dopo il 12 giugno, il ministro ha detto che l'anno scorso le "
    "vendite sono calate. Tre giorni fa. Lunedì prossimo. Negli anni '90. Ieri sera. "
    "Attualmente.",
    "ru": "В субботу, спустя два дня после 12 июня, министр заявил, что в прошлом году продажи "
    "упали. Три дня назад. В следующий понедельник. В 90-х годах. Вчера вечером. Сейчас.",
}
EXPECTED_VALUES = [
    "2025-06-14", "P2D", "2025-06-12", "2024", "2025-06-13", "2025-06-23", "199",
    "2025-06-15", "PRESENT_REF",
]  # fmt: skip


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_seven_languages_same_times(language: str) -> None:
    """The same sentence in each language gives the same values (yesterday with its part of
    the day where the language's wording has one)."""
    found = extract_times(SENTENCES[language], REFERENCE, languages=[language])
    got = [
        (t.value or "")[:10] if (t.value or "").startswith("2025-06-15") else t.value for t in found
    ]
    assert got == EXPECTED_VALUES
    for t in found:
        assert SENTENCES[language][t.start : t.end] == t.text


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_languages_need_no_hint_to_be_found(language: str) -> None:
    """Without a language hint every language's expressions are found all the same (values
    that depend on tense words may differ: other languages' words then count as cues)."""
    with_hint = extract_times(SENTENCES[language], REFERENCE, languages=[language])
    without = extract_times(SENTENCES[language], REFERENCE)
    assert [t.text for t in without] == [t.text for t in with_hint]


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("el 15 de junio de 2025", "es", "2025-06-15"),
        ("le 1er juin 2025", "fr", "2025-06-01"),
        ("am 15. Juni 2025", "de", "2025-06-15"),
        ("em 15 de junho de 2025", "pt", "2025-06-15"),
        ("il 15 giugno 2025", "it", "2025-06-15"),
        ("15 июня 2025 года", "ru", "2025-06-15"),
        ("la semana pasada", "es", "2025-W24"),
        ("la semaine dernière", "fr", "2025-W24"),
        ("letzte Woche", "de", "2025-W24"),
        ("na semana passada", "pt", "2025-W24"),
        ("la settimana scorsa", "it", "2025-W24"),
        ("на прошлой неделе", "ru", "2025-W24"),
        ("el tercer trimestre de 2024", "es", "2024-Q3"),
        ("im dritten Quartal 2024", "de", "2024-Q3"),
        ("в 2020 году", "ru", "2020"),
        ("el siglo XX", "es", "19"),
        ("au XXe siècle", "fr", "19"),
        ("um 15 Uhr", "de", "2025-06-16T15:00"),
        ("à 15h30", "fr", "2025-06-16T15:30"),
        ("ogni giorno", "it", "P1D"),
        ("ежегодно", "ru", "P1Y"),
        ("freitags", "de", "XXXX-WXX-5"),
        ("по пятницам", "ru", "XXXX-WXX-5"),
        ("los domingos", "es", "XXXX-WXX-7"),
    ],
)
def test_language_specific_forms(text: str, language: str, value: str) -> None:
    assert [t.value for t in extract_times(text, REFERENCE, languages=[language])] == [value]


def test_german_morgen_is_tomorrow_only_in_lower_case() -> None:
    assert values("Er kommt morgen.", languages=["de"]) == [("morgen", "2025-06-17")]
    assert values("Er kam heute Morgen.", languages=["de"]) == [("heute Morgen", "2025-06-16TMO")]


def test_spanish_manana_is_tomorrow_unless_the_morning() -> None:
    assert values("Llega mañana.", languages=["es"]) == [("mañana", "2025-06-17")]
    assert values("Llegó por la mañana.", languages=["es"]) == []


# ---------------------------------------------------------------- without an anchor


def test_without_a_reference_nothing_is_guessed() -> None:
    text = "On June 15, last year, on Friday, on June 15, 2025, and for three days."
    found = extract_times(text, None, languages=["en"])
    assert [(t.text, t.value, t.anchor) for t in found] == [
        ("June 15", "XXXX-06-15", None),
        ("last year", None, None),
        ("Friday", "XXXX-WXX-5", None),
        ("June 15, 2025", "2025-06-15", None),
        ("three days", "P3D", None),
    ]
    assert all(t.earliest is None for t in found if t.value is None or "X" in t.value)


# ---------------------------------------------------------------- windows


def test_a_date_without_zone_covers_every_offset() -> None:
    day = only("It happened on June 15, 2025.")
    assert day.earliest == datetime(2025, 6, 15, tzinfo=UTC_PLUS_14)
    assert day.latest == datetime(2025, 6, 16, tzinfo=UTC_MINUS_12)
    assert day.anchor is None  # absolute: no anchor needed


def test_a_known_zone_narrows_the_window_to_the_day() -> None:
    zone = timezone(timedelta(hours=2))
    day = only("It happened yesterday.", default_timezone=zone)
    assert (day.earliest, day.latest) == (
        datetime(2025, 6, 15, tzinfo=zone),
        datetime(2025, 6, 16, tzinfo=zone),
    )
    assert day.anchor == "published"


def test_references_and_anchored_stretches_have_open_or_anchored_windows() -> None:
    found = extract_times("Now, recently and over the past two months.", REFERENCE)
    now, recently, months = found
    assert (now.earliest, now.latest) == (REFERENCE, REFERENCE)
    assert (recently.earliest, recently.latest) == (None, REFERENCE)
    assert (months.value, months.earliest, months.latest) == (
        "P2M",
        datetime(2025, 4, 16, 12, tzinfo=timezone.utc),
        REFERENCE,
    )


# ---------------------------------------------------------------- the stage


def make_page(header: list[str], body: list[str], scraped_at: datetime | None) -> Page:
    blocks: list[Block] = []
    offset = 0
    roles: tuple[tuple[BlockRole, list[str]], ...] = (("meta", header), ("body", body))
    for role, texts in roles:
        for text in texts:
            blocks.append(Block(text=text, raw_start=offset, raw_end=offset + len(text), role=role))
            offset += len(text) + 1
    return Page(
        raw_input="",
        scraped_at=scraped_at,
        reference=scraped_at or datetime.now(timezone.utc),
        blocks=blocks,
        articles=[ArticleDraft(blocks=list(range(len(blocks))), is_main=True)],
    )


BODY = ["The ministers met on Saturday.", "Talks resume next week, after the 2024 crisis."]


def test_stage_fills_times_against_the_publication_time() -> None:
    page = TimestampStage()(make_page(["2 days ago"], BODY, REFERENCE))
    draft = page.articles[0]
    body = page.body_of(draft).text
    assert draft.published is not None
    assert [(t.text, t.value, t.anchor) for t in draft.times] == [
        ("Saturday", "2025-06-14", "published"),  # the Saturday before 2025-06-14 noon
        ("next week", "2025-W25", "published"),
        ("2024", "2024", None),
    ]
    for t in draft.times:
        assert body[t.start : t.end] == t.text


def test_stage_window_follows_the_publication_window() -> None:
    """Published "a day ago" means 21.5 to 48 hours before the scrape: "yesterday" in the body
    may be either of two days, and the window says so."""
    page = TimestampStage(default_timezone=timezone.utc)(
        make_page(["a day ago"], ["Talks ended yesterday."], REFERENCE)
    )
    (yesterday,) = page.articles[0].times
    assert yesterday.value == "2025-06-14"
    assert (yesterday.earliest, yesterday.latest) == (
        datetime(2025, 6, 13, tzinfo=timezone.utc),
        datetime(2025, 6, 15, tzinfo=timezone.utc),
    )


def test_stage_without_a_publication_time_leaves_relative_times_unresolved() -> None:
    page = TimestampStage()(make_page(["NDTV"], BODY, REFERENCE))
    draft = page.articles[0]
    assert draft.published is None
    assert [(t.text, t.value) for t in draft.times] == [
        ("Saturday", "XXXX-WXX-6"),
        ("next week", None),
        ("2024", "2024"),
    ]


def test_parse_puts_times_on_the_article() -> None:
    raw = (
        "Ministers meet again\nReuters · 3 hours ago\n\n"
        "The ministers met on Saturday. They will meet again next week.\n"
    )
    article = newsparse.parse(raw, scraped_at="2025-06-16T12:00:00Z")
    assert [(t.text, t.value) for t in article.times] == [
        ("Saturday", "2025-06-14"),
        ("next week", "2025-W26"),
    ]
    assert article.model_dump(mode="json")["times"][0]["type"] == "DATE"


# ---------------------------------------------------------------- properties

TIME_TOKENS = (
    "June", "Jun.", "15", "2025", "1990s", "'90s", "last", "next", "this", "the", "a", "an",
    "year", "years", "week", "quarter", "third", "ago", "earlier", "later", "Friday", "Monday",
    "yesterday", "today", "now", "recently", "p.m.", "10", ":", "30", "-", "–", "of", "early",
    "mid-", "about", "every", "daily", "fiscal", "Q3", "hace", "días", "il y a", "jours",
    "vor", "Tagen", "назад", "дня", "mai", "May", "We", "may", ",", ".", "\n",
)  # fmt: skip
TIME_LIKE_TEXT = st.lists(
    st.tuples(st.sampled_from(TIME_TOKENS), st.sampled_from(("", " ", "  "))), max_size=25
).map(lambda parts: "".join(token + gap for token, gap in parts))
REFERENCES = st.datetimes(datetime(1995, 1, 1), datetime(2035, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=timezone.utc)
)
TIMEX_VALUE = re.compile(
    r"[0-9X]{2,4}(-(W[0-9X]{2}(-[1-7]|-WE)?|Q[1-4]|H[12]|SP|SU|FA|WI|[0-9X]{2}(-[0-9X]{2})?))?"
    r"(T(MO|AF|EV|NI|\d{2}:\d{2}))?|P(T?)(\d+|X)[A-Z]+(\d+[A-Z]+)?|(PRESENT|PAST|FUTURE)_REF"
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(TIME_LIKE_TEXT, st.text(max_size=120)),
    reference=st.one_of(st.none(), REFERENCES),
    languages=st.sampled_from([None, ["en"], ["fr"], ["de", "en"], ["ru"]]),
)
def test_any_text_gives_consistent_expressions(
    text: str, reference: datetime | None, languages: list[str] | None
) -> None:
    found = extract_times(text, reference, languages=languages)
    assert found == extract_times(text, reference, languages=languages)  # deterministic
    previous_end = 0
    for t in found:
        assert text[t.start : t.end] == t.text and t.text.strip() == t.text
        assert t.start >= previous_end  # in text order, never overlapping
        previous_end = t.end
        if t.earliest is not None and t.latest is not None:
            assert t.earliest <= t.latest
        if t.value is not None:
            assert TIMEX_VALUE.fullmatch(t.value), t.value
        if reference is None:
            assert t.anchor is None


@settings(max_examples=100, deadline=None)
@given(
    moment=st.datetimes(datetime(1995, 1, 1), datetime(2030, 12, 31)),
    layout=st.sampled_from(["%B %d, %Y", "%d %B %Y", "%b. %d, %Y", "%Y-%m-%d"]),
)
def test_a_printed_date_is_read_back(moment: datetime, layout: str) -> None:
    text = f"It happened on {moment.strftime(layout)}."
    found = only(text)
    assert found.value == moment.strftime("%Y-%m-%d")
    instant = moment.replace(tzinfo=timezone.utc)
    assert found.earliest is not None and found.latest is not None
    assert found.earliest <= instant < found.latest


@settings(max_examples=100, deadline=None)
@given(reference=REFERENCES, weekday=st.sampled_from(["Monday", "Friday", "Sunday"]))
def test_a_bare_weekday_is_the_latest_one_up_to_the_reference(
    reference: datetime, weekday: str
) -> None:
    found = only(f"Officials met on {weekday}.", reference)
    assert found.value is not None
    day = datetime.fromisoformat(found.value).date()
    assert day.strftime("%A") == weekday
    assert timedelta(0) <= reference.date() - day < timedelta(days=7)


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(TIME_LIKE_TEXT.filter(str.strip), min_size=1, max_size=4))
def test_stage_offsets_index_the_body(paragraphs: list[str]) -> None:
    page = TimestampStage()(make_page(["3 hours ago"], paragraphs, REFERENCE))
    draft = page.articles[0]
    body = page.body_of(draft).text
    for t in draft.times:
        assert body[t.start : t.end] == t.text
        if t.earliest is not None and t.latest is not None:
            assert t.earliest <= t.latest


def test_time_is_linear_in_the_text_length() -> None:
    """Ten times the text costs about ten times the time: no regex backtracks on prose."""
    paragraph = (
        "On Friday the ministers, who met last week and two days ago, said the the the a a a "
        "about about early early last last 1990 1991 - - – that sales in the third quarter of "
        "2024 rose 5% from a year earlier, every every year years years.\n"
    )

    def timed(text: str) -> float:
        start = time.perf_counter()
        extract_times(text, REFERENCE, languages=["en"])
        return time.perf_counter() - start

    timed(paragraph)  # compile the grammar
    short = min(timed(paragraph * 20) for _ in range(3))
    long = min(timed(paragraph * 200) for _ in range(3))
    assert long < 25 * short


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["said", "the players", "_", "²", " ", "'", "\u2019", "\n", ".", ",", "-"]),
        max_size=30,
    ).map("".join),
    position=st.integers(0, 80),
)
@example(text="said...\n", position=8)  # "$" before a final line break: four marks
@example(text="the players'...\n", position=16)
@example(text="said....\n", position=9)
def test_the_word_before_a_position_is_what_its_regex_finds(text: str, position: int) -> None:
    """``previous_word`` reads backwards what this search finds in the 40 characters before."""
    position = min(position, len(text))
    found = re.search(r"(\w+['\u2019]?)[^\w]{0,3}$", text[max(0, position - 40) : position])
    expected = found.group(1).replace("\u2019", "'").lower() if found else ""
    scan = timestamps._Scan(text, timestamps._grammar(("en",)))
    assert scan.previous_word(position) == expected
