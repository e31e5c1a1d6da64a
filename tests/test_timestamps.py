"""Stage "timestamps" and parse_timestamp: windows that hold whatever renderer printed the age.

The renderers below are small re-implementations of two conventions sites use to print ages:
moment.js ``fromNow()`` (rounding, with its default thresholds and its locale strings) and
timeago.js ``format()`` (flooring). Whatever the true age, the window parsed back from their
output must contain it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsparse import timestamps
from newsparse.document import ArticleDraft, Block, BlockRole, Page
from newsparse.models import Timestamp
from newsparse.timestamps import MAX_CANDIDATE_LENGTH, TimestampStage, parse_timestamp

REFERENCE = datetime(2025, 6, 21, 18, 0, tzinfo=timezone.utc)
UTC_PLUS_14 = timezone(timedelta(hours=14))
UTC_MINUS_12 = timezone(timedelta(hours=-12))

# ---------------------------------------------------------------- reference renderers

MOMENT_LOCALES: dict[str, dict[str, str]] = {
    # moment/src/locale/<code>.js: relativeTime strings (past form applied to each).
    "en": {
        "past": "%s ago", "s": "a few seconds", "m": "a minute", "mm": "%d minutes",
        "h": "an hour", "hh": "%d hours", "d": "a day", "dd": "%d days", "M": "a month",
        "MM": "%d months", "y": "a year", "yy": "%d years",
    },
    "es": {
        "past": "hace %s", "s": "unos segundos", "m": "un minuto", "mm": "%d minutos",
        "h": "una hora", "hh": "%d horas", "d": "un día", "dd": "%d días", "M": "un mes",
        "MM": "%d meses", "y": "un año", "yy": "%d años",
    },
    "fr": {
        "past": "il y a %s", "s": "quelques secondes", "m": "une minute", "mm": "%d minutes",
        "h": "une heure", "hh": "%d heures", "d": "un jour", "dd": "%d jours", "M": "un mois",
        "MM": "%d mois", "y": "un an", "yy": "%d ans",
    },
    "de": {
        "past": "vor %s", "s": "ein paar Sekunden", "m": "einer Minute", "mm": "%d Minuten",
        "h": "einer Stunde", "hh": "%d Stunden", "d": "einem Tag", "dd": "%d Tagen",
        "M": "einem Monat", "MM": "%d Monaten", "y": "einem Jahr", "yy": "%d Jahren",
    },
    "pt": {
        "past": "há %s", "s": "segundos", "m": "um minuto", "mm": "%d minutos",
        "h": "uma hora", "hh": "%d horas", "d": "um dia", "dd": "%d dias", "M": "um mês",
        "MM": "%d meses", "y": "um ano", "yy": "%d anos",
    },
    "it": {
        "past": "%s fa", "s": "alcuni secondi", "m": "un minuto", "mm": "%d minuti",
        "h": "un'ora", "hh": "%d ore", "d": "un giorno", "dd": "%d giorni", "M": "un mese",
        "MM": "%d mesi", "y": "un anno", "yy": "%d anni",
    },
}  # fmt: skip

RUSSIAN_FORMS = {
    # moment/src/locale/ru.js: singular words and the three plural forms.
    "s": "несколько секунд", "m": "минуту", "h": "час", "d": "день", "M": "месяц", "y": "год",
    "mm": ("минуту", "минуты", "минут"), "hh": ("час", "часа", "часов"),
    "dd": ("день", "дня", "дней"), "MM": ("месяц", "месяца", "месяцев"),
    "yy": ("год", "года", "лет"),
}  # fmt: skip


def js_round(x: float) -> int:
    """JavaScript's Math.round: halves round up."""
    return math.floor(x + 0.5)


def moment_key(age_ms: int) -> tuple[str, int]:
    """moment.js relativeTime's choice of string and number, default thresholds
    (ss 44, s 45, m 45, h 22, d 26, M 11; weeks off)."""
    seconds = js_round(age_ms / 1000)
    minutes = js_round(age_ms / 60_000)
    hours = js_round(age_ms / 3_600_000)
    days_float = age_ms / 86_400_000
    days = js_round(days_float)
    months = js_round(days_float * 4800 / 146097)
    years = js_round(days_float * 4800 / 146097 / 12)
    if seconds <= 44:
        return "s", seconds
    if minutes <= 1:
        return "m", 1
    if minutes < 45:
        return "mm", minutes
    if hours <= 1:
        return "h", 1
    if hours < 22:
        return "hh", hours
    if days <= 1:
        return "d", 1
    if days < 26:
        return "dd", days
    if months <= 1:
        return "M", 1
    if months < 11:
        return "MM", months
    if years <= 1:
        return "y", 1
    return "yy", years


def russian_plural(forms: tuple[str, str, str], n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def moment_render(age_ms: int, language: str) -> str:
    key, number = moment_key(age_ms)
    if language == "ru":
        form = RUSSIAN_FORMS[key]
        words = form if isinstance(form, str) else f"{number} {russian_plural(form, number)}"
        return f"{words} назад"
    strings = MOMENT_LOCALES[language]
    return strings["past"].replace("%s", strings[key].replace("%d", str(number)))


TIMEAGO_STEPS = (60, 60, 24, 7, 365 / 7 / 12, 12)
TIMEAGO_EN = (
    "just now", "%s seconds ago", "1 minute ago", "%s minutes ago", "1 hour ago", "%s hours ago",
    "1 day ago", "%s days ago", "1 week ago", "%s weeks ago", "1 month ago", "%s months ago",
    "1 year ago", "%s years ago",
)  # fmt: skip


def timeago_render(age_ms: int) -> str:
    """timeago.js format(): divide through the units while the age reaches the next, floor."""
    diff = age_ms / 1000
    index = 0
    while index < len(TIMEAGO_STEPS) and diff >= TIMEAGO_STEPS[index]:
        diff /= TIMEAGO_STEPS[index]
        index += 1
    number = math.floor(diff)
    index *= 2
    if number > (9 if index == 0 else 1):
        index += 1
    return TIMEAGO_EN[index].replace("%s", str(number))


SIX_YEARS_MS = 6 * 366 * 86_400_000


def assert_window_holds(ts: Timestamp | None, moment: datetime, text: str) -> None:
    assert ts is not None, text
    assert ts.earliest <= moment <= ts.latest, (text, ts)
    assert ts.earliest <= ts.value <= ts.latest, (text, ts)


@settings(max_examples=400, deadline=None)
@given(age_ms=st.integers(0, SIX_YEARS_MS), language=st.sampled_from([*MOMENT_LOCALES, "ru"]))
def test_window_holds_the_age_moment_rounded(age_ms: int, language: str) -> None:
    text = moment_render(age_ms, language)
    ts = parse_timestamp(text, REFERENCE, languages=[language])
    assert_window_holds(ts, REFERENCE - timedelta(milliseconds=age_ms), text)
    assert ts is not None and ts.relative and ts.text == text


@settings(max_examples=300, deadline=None)
@given(age_ms=st.integers(0, SIX_YEARS_MS))
def test_window_holds_the_age_timeago_floored(age_ms: int) -> None:
    text = timeago_render(age_ms)
    ts = parse_timestamp(text, REFERENCE, languages=["en"])
    assert_window_holds(ts, REFERENCE - timedelta(milliseconds=age_ms), text)


@settings(max_examples=150, deadline=None)
@given(age_ms=st.integers(0, SIX_YEARS_MS), language=st.sampled_from([*MOMENT_LOCALES, "ru"]))
def test_window_holds_without_a_language_hint(age_ms: int, language: str) -> None:
    text = moment_render(age_ms, language)
    assert_window_holds(
        parse_timestamp(text, REFERENCE), REFERENCE - timedelta(milliseconds=age_ms), text
    )


@pytest.mark.parametrize(
    ("text", "oldest", "youngest"),
    [
        ("a day ago", timedelta(hours=48), timedelta(hours=21.5)),
        ("an hour ago", timedelta(hours=2), timedelta(minutes=44.5)),
        ("2 hours ago", timedelta(hours=3), timedelta(hours=1.5)),
        ("3 mins ago", timedelta(minutes=4), timedelta(minutes=2.5)),
    ],
)
def test_windows_of_the_brief(text: str, oldest: timedelta, youngest: timedelta) -> None:
    ts = parse_timestamp(text, REFERENCE)
    assert ts is not None
    assert (ts.earliest, ts.latest) == (REFERENCE - oldest, REFERENCE - youngest)
    assert ts.granularity in text or ts.granularity[:3] in text


@pytest.mark.parametrize(
    ("text", "published", "scraped"),
    [
        # dayjs rounds calendar diffs: 1 month + 14/28 of February is 1.5 months, "2 months";
        # 1 year + 6 months of January-June 2024 (182 days) is 1.5 years, "2 years".
        ("2 months ago", datetime(2025, 1, 15), datetime(2025, 3, 1)),
        ("2 years ago", datetime(2023, 1, 1), datetime(2024, 7, 1)),
    ],
)
def test_window_holds_dayjs_calendar_halves(
    text: str, published: datetime, scraped: datetime
) -> None:
    reference = scraped.replace(tzinfo=timezone.utc)
    ts = parse_timestamp(text, reference)
    assert_window_holds(ts, published.replace(tzinfo=timezone.utc), text)


def test_point_estimate_is_the_nominal_age() -> None:
    day = parse_timestamp("a day ago", REFERENCE)
    month = parse_timestamp("2 months ago", REFERENCE)
    assert day is not None and day.value == REFERENCE - timedelta(days=1)
    assert month is not None and month.value == REFERENCE.replace(month=REFERENCE.month - 2)


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("2 hours ago", "en"),
        ("hace 2 horas", "es"),
        ("il y a 2 heures", "fr"),
        ("vor 2 Stunden", "de"),
        ("há 2 horas", "pt"),
        ("2 ore fa", "it"),
        ("2 часа назад", "ru"),
        ("2 uur geleden", "nl"),
        ("2 godziny temu", "pl"),
        ("2時間前", "ja"),
    ],
)
def test_two_hours_ago_in_many_languages(text: str, language: str) -> None:
    """The table's languages need no hint; the others are read by dateparser given theirs."""
    english = parse_timestamp("2 hours ago", REFERENCE)
    ts = parse_timestamp(text, REFERENCE, languages=[language])
    if language in ("en", "es", "fr", "de", "pt", "it", "ru", "nl"):
        assert parse_timestamp(text, REFERENCE) == ts
    assert ts is not None and english is not None
    assert ts.text == text and ts.language == language
    assert (ts.value, ts.earliest, ts.latest, ts.granularity) == (
        english.value,
        english.earliest,
        english.latest,
        english.granularity,
    )


@pytest.mark.parametrize(
    "text",
    ["a day ago", "hace un día", "il y a un jour", "vor einem Tag", "há um dia", "un giorno fa",
     "день назад"],
)  # fmt: skip
def test_one_day_ago_in_seven_languages(text: str) -> None:
    ts = parse_timestamp(text, REFERENCE)
    assert ts is not None and ts.value == REFERENCE - timedelta(days=1)
    assert ts.earliest == REFERENCE - timedelta(hours=48)


@pytest.mark.parametrize(
    "text",
    ["Yesterday at 5:30 PM", "ayer a las 17:30", "hier à 17h30", "gestern um 17:30",
     "ontem às 17:30", "ieri alle 17:30", "вчера в 17:30"],
)  # fmt: skip
def test_yesterday_at_a_time(text: str) -> None:
    known = parse_timestamp(text, REFERENCE, default_timezone=timezone.utc)
    assert known is not None and known.text == text and known.granularity == "minute"
    assert known.value == datetime(2025, 6, 20, 17, 30, tzinfo=timezone.utc)
    assert known.latest - known.earliest == timedelta(minutes=1)
    unknown = parse_timestamp(text, REFERENCE)
    assert unknown is not None and unknown.value == known.value
    for zone in (UTC_PLUS_14, UTC_MINUS_12, timezone(timedelta(hours=5, minutes=30))):
        local_yesterday = REFERENCE.astimezone(zone).date() - timedelta(days=1)
        printed = datetime(2025, 6, local_yesterday.day, 17, 30, tzinfo=zone)
        assert unknown.earliest <= printed <= unknown.latest, zone


# ---------------------------------------------------------------- absolute times


def test_date_with_ambiguous_zone_covers_each_reading() -> None:
    ts = parse_timestamp("June 22, 2025, 10:15 IST", REFERENCE)
    assert ts is not None and not ts.relative and ts.granularity == "minute"
    assert ts.value == datetime(2025, 6, 22, 10, 15, tzinfo=timezone(timedelta(hours=5.5)))
    for hours in (5.5, 2, 1):  # India, Israel, Ireland
        moment = datetime(2025, 6, 22, 10, 15, 30, tzinfo=timezone(timedelta(hours=hours)))
        assert ts.earliest <= moment <= ts.latest


def test_date_without_zone_is_widened_to_every_offset() -> None:
    ts = parse_timestamp("21/06/2025", REFERENCE)
    assert ts is not None and ts.granularity == "day" and not ts.relative
    assert ts.value == datetime(2025, 6, 21, tzinfo=timezone.utc)
    assert ts.earliest == datetime(2025, 6, 21, tzinfo=UTC_PLUS_14)
    assert ts.latest == datetime(2025, 6, 22, tzinfo=UTC_MINUS_12)


def test_known_zone_narrows_a_date_to_its_day() -> None:
    ts = parse_timestamp("21/06/2025", REFERENCE, default_timezone=timezone.utc)
    assert ts is not None and ts.latest - ts.earliest == timedelta(days=1)


def test_swappable_day_and_month_cover_both_readings() -> None:
    ts = parse_timestamp("06/07/2025", REFERENCE, default_timezone=timezone.utc)
    assert ts is not None
    assert ts.earliest <= datetime(2025, 6, 7, 12, tzinfo=timezone.utc) <= ts.latest
    assert ts.earliest <= datetime(2025, 7, 6, 12, tzinfo=timezone.utc) <= ts.latest


def test_iso_8601_keeps_its_offset_and_seconds() -> None:
    ts = parse_timestamp("2025-06-20T10:00:00+05:30", REFERENCE)
    expected = datetime(2025, 6, 20, 10, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert ts is not None and ts.value == expected and ts.value.utcoffset() == expected.utcoffset()
    assert (ts.granularity, ts.relative, ts.latest - ts.earliest) == (
        "second",
        False,
        timedelta(seconds=1),
    )


# ---------------------------------------------------------------- finding the expression


@pytest.mark.parametrize(
    ("line", "expression"),
    [
        ("Updated: 3 mins ago", "3 mins ago"),
        ("Reuters · 3 hours ago", "3 hours ago"),
        ("By Jane Doe | June 22, 2025", "June 22, 2025"),
        ("By Jane Doe June 20, 2025", "June 20, 2025"),
        ("Published 21 June 2025", "21 June 2025"),
        ("Actualizado: hace 5 minutos", "hace 5 minutos"),
        ("Mis à jour le 21/06/2025 à 10:15", "21/06/2025 à 10:15"),
        ("Aktualisiert: vor 3 Stunden", "vor 3 Stunden"),
        ("Atualizado há 2 horas", "há 2 horas"),
        ("Aggiornato 3 ore fa", "3 ore fa"),
        ("Обновлено 2 часа назад", "2 часа назад"),
    ],
)
def test_text_is_just_the_time_expression(line: str, expression: str) -> None:
    ts = parse_timestamp(line, REFERENCE)
    assert ts is not None and ts.text == expression


def test_compound_age_is_summed() -> None:
    ts = parse_timestamp("Reuters · 1 hour 30 minutes ago", REFERENCE)
    assert ts is not None and ts.text == "1 hour 30 minutes ago"
    assert ts.value == REFERENCE - timedelta(minutes=90) and ts.granularity == "minute"


@pytest.mark.parametrize(
    "line",
    ["NDTV", "Indian Express", "6,000 More", "Kim's ago", "2025", "Try Our AI Features",
     "Kim Jong Un Sends 6,000 More To Kursk After Massive Troop Losses In Russia"],
)  # fmt: skip
def test_lines_without_a_time(line: str) -> None:
    assert parse_timestamp(line, REFERENCE, languages=["en"]) is None


@pytest.mark.parametrize(
    "text",
    ["9999 years ago", "99999999999 seconds ago", "31/12/9999", "0001-01-01", "Jan 1, 0001",
     "in 99999999 years", "2025-13-45"],
)  # fmt: skip
def test_out_of_range_times_are_not_read(text: str) -> None:
    assert parse_timestamp(text, REFERENCE) is None


def test_just_now_and_a_few_seconds_end_at_the_reference() -> None:
    for text in ("just now", "a few seconds ago"):
        ts = parse_timestamp(text, REFERENCE)
        assert ts is not None and ts.latest == REFERENCE
        assert REFERENCE - timedelta(minutes=1) <= ts.earliest < REFERENCE


def test_anchor_and_reference_are_recorded() -> None:
    naive = REFERENCE.replace(tzinfo=None)
    ts = parse_timestamp("a day ago", naive, anchor="now")
    assert ts is not None and (ts.anchor, ts.reference) == ("now", REFERENCE)


# ---------------------------------------------------------------- properties

DATE_FORMATS = ("%B %d, %Y, %H:%M", "%d %B %Y", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%b %d, %Y")


@settings(max_examples=60, deadline=None)
@given(
    moment=st.datetimes(datetime(1995, 1, 1), datetime(2030, 12, 31)),
    offset_minutes=st.integers(-12 * 4, 14 * 4).map(lambda q: q * 15),
    layout=st.sampled_from(DATE_FORMATS),
)
def test_printed_local_time_is_inside_its_window(
    moment: datetime, offset_minutes: int, layout: str
) -> None:
    """A wall-clock time printed without its zone: the true instant lies in the window."""
    zone = timezone(timedelta(minutes=offset_minutes))
    instant = moment.replace(tzinfo=zone)
    text = instant.strftime(layout)
    assert_window_holds(parse_timestamp(text, REFERENCE, languages=["en"]), instant, text)


TIME_TOKENS = (
    "1", "2", "12", "22", "31", "0", "2025", "1989", "99999", "June", "Dec", "hours", "a", "an",
    "day", "mins", "ago", "hace", "vor", "il y a", "назад", "yesterday", "today", "at", "PM", "IST",
    "GMT", "+05:30", "Z", "T", ":", "/", "-", ".", ",", "·", "|", "Updated:", "By", "Reuters",
)  # fmt: skip
TIME_LIKE_TEXT = st.lists(
    st.tuples(st.sampled_from(TIME_TOKENS), st.sampled_from(("", " "))), max_size=10
).map(lambda parts: "".join(token + gap for token, gap in parts))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=MAX_CANDIDATE_LENGTH // 2), TIME_LIKE_TEXT))
def test_any_text_gives_a_consistent_answer_or_none(text: str) -> None:
    first = parse_timestamp(text, REFERENCE, languages=["en"])
    assert first == parse_timestamp(text, REFERENCE, languages=["en"])
    if first is not None:
        assert first.earliest <= first.value <= first.latest
        assert first.text and first.text in text


# ---------------------------------------------------------------- the stage


def make_page(
    header: list[tuple[str, str | None]],
    body: list[str],
    *,
    scraped_at: datetime | None = REFERENCE,
    metadata: dict[str, str] | None = None,
) -> Page:
    """A page of one main article: header blocks (text, label), then body blocks."""
    blocks: list[Block] = []
    offset = 0
    roles: tuple[tuple[BlockRole, list[tuple[str, str | None]]], ...] = (
        ("meta", header),
        ("body", [(text, None) for text in body]),
    )
    for role, items in roles:
        for text, label in items:
            end = offset + len(text)
            blocks.append(Block(text=text, raw_start=offset, raw_end=end, label=label, role=role))
            offset += len(text) + 1
    return Page(
        raw_input="",
        scraped_at=scraped_at,
        reference=scraped_at or datetime.now(timezone.utc),
        blocks=blocks,
        articles=[ArticleDraft(blocks=list(range(len(blocks))), is_main=True)],
        metadata=metadata or {},
    )


BODY = ["North Korea is set to send 6,000 personnel to Russia, a year ago it sent 12,000."]
Stage = Callable[[Page], Page]


def published(page: Page, stage: Stage | None = None) -> Timestamp | None:
    return (stage or TimestampStage())(page).articles[0].published


def test_stage_declares_itself() -> None:
    stage = TimestampStage()
    assert (stage.name, stage.requires, stage.assigns) == (
        "timestamps",
        ("articles",),
        ("published", "times"),
    )


def test_header_age_against_scrape_time() -> None:
    ts = published(make_page([("NDTV", None), ("a day ago", None)], BODY))
    assert ts is not None and ts.text == "a day ago" and ts.anchor == "scraped_at"
    assert ts.value == REFERENCE - timedelta(days=1) and ts.reference == REFERENCE


def test_without_scrape_time_the_anchor_is_now() -> None:
    before = datetime.now(timezone.utc)
    ts = published(make_page([("an hour ago", "time")], BODY, scraped_at=None))
    assert ts is not None and ts.anchor == "now"
    assert before <= ts.reference <= datetime.now(timezone.utc)


def test_glued_label_is_skipped() -> None:
    ts = published(make_page([("Indian Express", None), ("timean hour ago", "time")], BODY))
    assert ts is not None and ts.text == "an hour ago"


def test_metadata_comes_first_and_only_for_the_main_article() -> None:
    page = make_page(
        [("2 hours ago", None)], BODY, metadata={"article:published_time": "2025-06-20T08:00Z"}
    )
    related = ArticleDraft(blocks=[0])
    page.articles.append(related)
    TimestampStage()(page)
    main = page.articles[0].published
    assert main is not None and main.value == datetime(2025, 6, 20, 8, tzinfo=timezone.utc)
    assert related.published is not None and related.published.text == "2 hours ago"


def test_publication_label_beats_update_label() -> None:
    header = [("3 mins ago", "updated"), ("2 hours ago", "published")]
    ts = published(make_page(header, BODY))
    assert ts is not None and ts.text == "2 hours ago"


def test_body_line_that_is_only_a_time() -> None:
    ts = published(make_page([("NDTV", None)], ["Updated: 3 mins ago", *BODY]))
    assert ts is not None and ts.text == "3 mins ago"


def test_prose_is_not_read_as_a_time() -> None:
    page = make_page([("NDTV", None)], ["It was signed a year ago, he said.", *BODY])
    TimestampStage()(page)
    assert page.articles[0].published is None
    assert any("timestamps" in w for w in page.articles[0].warnings)


def test_removed_header_text_is_not_read() -> None:
    page = make_page([("Sponsored 3 hours ago", None), ("a day ago", None)], BODY)
    page.blocks[0].remove("ad", "boilerplate")
    ts = published(page)
    assert ts is not None and ts.text == "a day ago"


@pytest.mark.parametrize("header", ["June 22, 2030", "March 3, 1985"])
def test_implausible_dates_are_rejected(header: str) -> None:
    ts = published(make_page([(header, None), ("a day ago", None)], BODY))
    assert ts is not None and ts.text == "a day ago"


def test_window_is_clipped_at_the_reference() -> None:
    stage = TimestampStage(future_slack=timedelta(0))
    ts = published(make_page([("Today", None)], BODY), stage)
    assert ts is not None and ts.latest == REFERENCE and ts.earliest <= ts.value <= REFERENCE


def test_default_timezone_option() -> None:
    stage = TimestampStage(default_timezone=timezone(timedelta(hours=5, minutes=30)))
    ts = published(make_page([("June 21, 2025, 10:15", None)], BODY), stage)
    assert ts is not None and ts.value.utcoffset() == timedelta(hours=5, minutes=30)
    assert ts.latest - ts.earliest == timedelta(minutes=1)


def test_reset_caches_empties_every_memo_and_changes_no_result() -> None:
    def read() -> tuple[object, ...]:
        return (
            parse_timestamp("Updated: Nov. 19, 2019 8:03 am ET", REFERENCE),
            timestamps.extract_times("He said on Monday it ended.", REFERENCE),
        )

    before = read()
    memos = [  # the module's own memos (not those of what it imports)
        value
        for value in vars(timestamps).values()
        if hasattr(value, "cache_info") and value.__module__ == timestamps.__name__
    ]
    assert memos and all(memo.cache_info().currsize > 0 for memo in memos)
    timestamps.reset_caches()
    assert [memo.cache_info().currsize for memo in memos] == [0] * len(memos)
    assert read() == before
