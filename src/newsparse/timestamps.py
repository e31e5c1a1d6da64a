"""Stage "timestamps": when each article was published, as a :class:`Timestamp` with the window
its wording really allows.

Evidence cascade (after htmldate's ``find_date``: fixed order, first plausible answer wins)
    1. the page's metadata (main article only): publication keys such as
       ``article:published_time`` or ``datepublished``, then modification keys such as
       ``og:updated_time`` (``data/timestamps_metadata.json``);
    2. header (``meta``) blocks carrying a label, publication labels before update labels;
    3. any other header block holding a time expression ("Reuters · 3 hours ago");
    4. a short line among the first body paragraphs that is nothing but a time expression,
       possibly labelled ("Updated: 3 mins ago", "June 22, 2025, 10:15 IST").

    Each answer must be plausible: its window must not lie wholly after the reference (plus a
    small slack for clock skew) nor before 1990; the window is clipped to that range.

Relative durations ("a day ago", "hace 2 horas", "2 часа назад")
    Read with our own multilingual table (``data/timestamps_lexicon.json``), which knows the
    printed unit and so gives exact windows; languages the table lacks go through dateparser,
    whose answer is turned back into a count and a unit (see :func:`_duration_between`).

    Sites print ages with one of two conventions, and the window holds under both:

    * rounding (moment.js, dayjs): the age is rounded to the unit, and coarser units take over
      at fixed thresholds: < 44.5 s "a few seconds"; 44.5-89.5 s "a minute"; then "N minutes"
      (N rounded, 2-44); 44.5-89.5 min "an hour"; "N hours" (2-21); 21.5-35.5 h "a day";
      "N days" (2-25); 25.5-45.5 d "a month"; "N months" (2-10, 30.44-day or calendar months);
      10.5-17.5 months "a year"; then "N years";
    * flooring (timeago.js and most server-side code): "N units" means N <= age < N+1 units.

    Window for a count N of a unit (``short``/``long``: the shortest/longest length the unit can
    have: a month 28-31 days, a year 365-366 days; ``half``: the shortest half unit, 14 days for
    a month, 181 days for a year)::

        N >= 2   youngest = (N - 1) * short + half        oldest = (N + 1) * long
        N == 1   youngest = the rounding threshold below   oldest = 2 * long
        N == 0   youngest = 0                              oldest = long
                 second 0.5 s, minute 44.5 s, hour 44.5 min, day 21.5 h, week 3.5 d,
                 month 25.5 d, year 10.5 * 28 d

        "a day ago"   [ref - 48 h,  ref - 21.5 h]     "2 hours ago" [ref - 3 h,   ref - 1.5 h]
        "an hour ago" [ref - 2 h,   ref - 44.5 min]   "3 mins ago"  [ref - 4 min, ref - 2.5 min]

    "a few <units>" counts as 2 to 5 units, and "a few seconds" as 0 to 44.5 s (moment.js);
    "just now" is the last minute. The point estimate is the nominal age (N units, calendar
    months for months and years).

Absolute times ("June 22, 2025, 10:15 IST", "21/06/2025", ISO 8601, "Yesterday at 5:30 PM")
    Parsed by dateparser (never on more than :data:`MAX_CANDIDATE_LENGTH` characters) or, for
    ISO 8601, directly. dateparser reads the page's language when known, else the table's
    languages (detecting among all of its languages costs up to 30 ms a string). The
    granularity is that of the text (second, minute, hour, day, month) and the window spans it.
    Time zones:

    * printed and unambiguous ("+05:30", "GMT", "Z"): that offset;
    * printed but ambiguous ("IST" is India, Ireland or Israel; "ET" is EST or EDT): the window
      covers every reading of ``data/timestamps_zones.json`` and the value takes the first;
    * not printed: the page's zone is unknown, so the value is read as UTC and the window is
      widened to every offset in use, UTC-12:00 to UTC+14:00 (a caller who knows the zone says
      so with ``default_timezone``). Day words ("yesterday", "today") are resolved per offset
      against the reference's local date, so their windows are exact too.

    A date like 06/07/2025 whose day and month can be swapped gets a window covering both
    readings; the value follows the language's date order.

    ``relative`` is True when the moment depends on the reference: every duration and day word,
    and dates missing their year.

Time expressions of a body (:func:`extract_times`, ``draft.times``)
    Found by our own grammar, never by dateparser: one pass over the words picks the positions
    where an expression may start (a month, weekday, unit, number, "last", "ago", ...; words
    like "the" only before another time word), and there only the rules those words can start
    (built from ``data/timestamps_expressions.json``: en, es, fr, de, pt, it, ru) are matched,
    anchored: time is linear in the text. Adjacent matches naming one moment merge ("10 p.m." +
    "Wednesday", "the third quarter" + "of 1984"). Values follow TIMEX3 (TimeML): "2025-06-15",
    "2025-W25", "2025-Q3", "2024-FA", "199" (the 1990s), "P3D", "PRESENT_REF", "XXXX-06-15"
    when no anchor fixes the year.

    Relative expressions resolve against the publication time: "a year earlier" and "the
    following year" against the time mentioned last; "a year ago" in a results report against
    the quarter reported. A bare weekday or month is the latest one up to the anchor unless the
    nearest tense cue speaks of the future ("will", "by"); a date without its year ("Nov. 16")
    is the nearest occurrence, a future one counting two months further and one against the
    tense cue further still.

    The window is the value's calendar span read from the anchor's earliest, best and latest
    moments, in every zone the page may be in (UTC-12:00 to UTC+14:00 unless a default zone is
    given), so it holds whatever the true publication moment and zone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cached_property, lru_cache
from typing import Any, Literal

from dateparser.date import DateDataParser

from newsparse.document import ArticleDraft, Block, Body, Page, read_limits, unread_warning
from newsparse.errors import PipelineError
from newsparse.lexicon import load_data, phrase_alternation
from newsparse.models import (
    Anchor,
    Granularity,
    TimeExpression,
    TimeGranularity,
    Timestamp,
    TimeType,
)

__all__ = [
    "MAX_CANDIDATE_LENGTH",
    "TimestampStage",
    "extract_times",
    "parse_timestamp",
    "reset_caches",
]

MAX_CANDIDATE_LENGTH = 80
"""Longest string handed to dateparser (it is slow and over-eager on prose)."""

_MAX_TRIES_PER_SEGMENT = 6
"""dateparser calls spent looking for a date inside one segment of a header line."""

_OLDEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=timezone.utc)
_FUTURE_SLACK = timedelta(hours=1)
"""How far after the reference a header time may fall (clock skew, pages cached ahead)."""


# ---------------------------------------------------------------- units and their windows

_SECOND = timedelta(seconds=1)
_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_WEEK = timedelta(weeks=1)

_SHORTEST: Mapping[Granularity, timedelta] = {
    "second": _SECOND,
    "minute": _MINUTE,
    "hour": _HOUR,
    "day": _DAY,
    "week": _WEEK,
    "month": timedelta(days=28),
    "year": timedelta(days=365),
}
_LONGEST: Mapping[Granularity, timedelta] = {
    **_SHORTEST,
    "month": timedelta(days=31),
    "year": timedelta(days=366),
}
_SHORTEST_HALF: Mapping[Granularity, timedelta] = {
    **{unit: length / 2 for unit, length in _SHORTEST.items()},
    "year": timedelta(days=181),
}
_SINGULAR_YOUNGEST: Mapping[Granularity, timedelta] = {
    "second": timedelta(seconds=0.5),
    "minute": timedelta(seconds=44.5),
    "hour": timedelta(minutes=44.5),
    "day": timedelta(hours=21.5),
    "week": timedelta(days=3.5),
    "month": timedelta(days=25.5),
    "year": timedelta(days=10.5 * 28),
}
"""The youngest age a renderer prints as "a <unit> ago" (the rounding thresholds above)."""

_OLDEST_AGE = timedelta(days=1000 * 366)
_READABLE_YEARS = range(2, 9999)
"""Older ages and other years are not read: widened by a window, they leave datetime's range."""

_FEW_COUNTS = (2, 5)
_FEW_SECONDS_OLDEST = timedelta(seconds=44.5)
_NOW_OLDEST = timedelta(minutes=1)

_FIXED_UNITS: tuple[tuple[Granularity, timedelta], ...] = (
    ("day", _DAY),
    ("hour", _HOUR),
    ("minute", _MINUTE),
    ("second", _SECOND),
)


def _months_before(moment: datetime, months: int) -> datetime:
    """``moment`` minus a number of calendar months, the day clamped to the month's end."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


def _nominal_before(moment: datetime, count: int, unit: Granularity) -> datetime:
    """``moment`` minus ``count`` units: calendar months and years, fixed lengths otherwise."""
    if unit == "month":
        return _months_before(moment, count)
    if unit == "year":
        return _months_before(moment, 12 * count)
    return moment - count * _SHORTEST[unit]


def _age_bounds(count: int, unit: Granularity) -> tuple[timedelta, timedelta]:
    """(youngest, oldest) age that "``count`` ``unit`` ago" allows under both conventions."""
    if count == 0:
        return timedelta(0), _LONGEST[unit]
    if count == 1:
        return _SINGULAR_YOUNGEST[unit], 2 * _LONGEST[unit]
    return (count - 1) * _SHORTEST[unit] + _SHORTEST_HALF[unit], (count + 1) * _LONGEST[unit]


# ---------------------------------------------------------------- what was found


@dataclass(frozen=True)
class _Found:
    """A time expression found in a line: its span there and the moments it allows."""

    start: int
    end: int
    value: datetime
    earliest: datetime
    latest: datetime
    granularity: Granularity
    relative: bool
    language: str | None

    def shifted(self, offset: int) -> _Found:
        """The same finding with its span moved by ``offset`` characters."""
        return replace(self, start=self.start + offset, end=self.end + offset)


def _duration_found(
    start: int,
    end: int,
    reference: datetime,
    counts: tuple[int, int],
    unit: Granularity,
    language: str | None,
) -> _Found | None:
    """A finding for "N units ago", N anywhere in ``counts`` (low, high); None past
    :data:`_OLDEST_AGE`."""
    low, high = counts
    youngest = _age_bounds(low, unit)[0]
    oldest = _age_bounds(high, unit)[1]
    if oldest > _OLDEST_AGE:
        return None
    if unit == "second" and high > low:
        youngest, oldest = timedelta(0), max(oldest, _FEW_SECONDS_OLDEST)
    nominal = 0 if unit == "second" and high > low else (low if low == high else low + 1)
    return _Found(
        start=start,
        end=end,
        value=_nominal_before(reference, nominal, unit),
        earliest=reference - oldest,
        latest=reference - youngest,
        granularity=unit,
        relative=True,
        language=language,
    )


# ---------------------------------------------------------------- the multilingual table


def _number_words(words: Iterable[str]) -> str:
    """Number words, each followed by whitespace unless it ends in an apostrophe (it. "un'")."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") + ("" if w.endswith("'") else r"\s+") for w in unique
    )


def _squash(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@dataclass(frozen=True)
class _Lexicon:
    """One language's relative-time words, compiled."""

    language: str
    duration: re.Pattern[str]
    unit_of: Mapping[str, Granularity]
    bare_units: frozenset[str]
    one: frozenset[str]
    few: frozenset[str]
    now: re.Pattern[str]
    day_word: re.Pattern[str]
    days_back: Mapping[str, int]
    label: re.Pattern[str]
    update_labels: frozenset[str]
    compound_before: re.Pattern[str]
    compound_after: re.Pattern[str]

    def is_compound(self, text: str, match: re.Match[str]) -> bool:
        """True when ``match`` ("30 minutes ago") is one part of a longer age that another
        count and unit right before or after it completes ("1 hour 30 minutes ago")."""
        return bool(
            self.compound_before.search(text, 0, match.start())
            or self.compound_after.match(text, match.end())
        )


def _compile_lexicon(language: str, entry: Mapping[str, Any]) -> _Lexicon:
    units: Mapping[str, list[str]] = entry["units"]
    unit_of: dict[str, Granularity] = {}
    for unit, spellings in units.items():
        for spelling in spellings:
            unit_of[spelling.lower()] = unit  # type: ignore[assignment]
    unit_words = phrase_alternation(unit_of)
    count = rf"\d{{1,4}}\s*|{_number_words([*entry['one'], *entry['few']])}"
    alternatives = []
    if entry["ago_before"]:
        alternatives.append(
            rf"(?<!\w)(?:{phrase_alternation(entry['ago_before'])})\s+"
            rf"(?P<count1>{count})?(?P<unit1>{unit_words})(?!\w)\.?"
        )
    if entry["ago_after"]:
        alternatives.append(
            rf"(?<![\w.,:'])(?P<count2>{count})?(?P<unit2>{unit_words})(?!\w)\.?"
            rf"\s*(?:{phrase_alternation(entry['ago_after'])})(?!\w)"
        )
    labels: Mapping[str, list[str]] = entry["labels"]
    count_and_unit = rf"(?:{count})(?:{unit_words})(?!\w)\.?"
    joiner = rf"[\s,]*(?:(?:{phrase_alternation(entry['and'])})\s+)?"
    return _Lexicon(
        language=language,
        duration=re.compile("|".join(alternatives), re.IGNORECASE),
        unit_of=unit_of,
        bare_units=frozenset(w.lower() for w in entry["bare_units"]),
        one=frozenset(_squash(w) for w in entry["one"]),
        few=frozenset(_squash(w) for w in entry["few"]),
        now=re.compile(rf"(?<!\w)(?:{phrase_alternation(entry['now'])})(?!\w)", re.IGNORECASE),
        day_word=re.compile(
            rf"(?<!\w)(?:{phrase_alternation(entry['days_back'])})(?!\w)", re.IGNORECASE
        ),
        days_back={_squash(w): n for w, n in entry["days_back"].items()},
        label=re.compile(
            rf"(?:{phrase_alternation([*labels['published'], *labels['updated']])})(?!\w)"
            r"\s*[:\-–—]?\s*",
            re.IGNORECASE,
        ),
        update_labels=frozenset(_squash(w) for w in labels["updated"]),
        compound_before=re.compile(rf"{count_and_unit}{joiner}$", re.IGNORECASE),
        compound_after=re.compile(rf"{joiner}{count_and_unit}", re.IGNORECASE),
    )


_LEXICONS: tuple[_Lexicon, ...] = tuple(
    _compile_lexicon(language, entry)
    for language, entry in load_data("timestamps_lexicon.json")["languages"].items()
)
_TABLE_LANGUAGES = tuple(lexicon.language for lexicon in _LEXICONS)
_UPDATE_LABELS = frozenset(w for lexicon in _LEXICONS for w in lexicon.update_labels)

_AMBIGUOUS_ZONES: Mapping[str, tuple[tzinfo, ...]] = {
    name: tuple(
        timezone(
            (-1 if offset[0] == "-" else 1)
            * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])),
            name,
        )
        for offset in offsets
    )
    for name, offsets in load_data("timestamps_zones.json")["ambiguous"].items()
}

_METADATA_KEYS = load_data("timestamps_metadata.json")
_PUBLISHED_KEYS: tuple[str, ...] = tuple(_METADATA_KEYS["published"])
_UPDATED_KEYS: tuple[str, ...] = tuple(_METADATA_KEYS["updated"])

_EVERY_UTC_OFFSET: tuple[tzinfo, ...] = (
    timezone.utc,
    *(timezone(timedelta(minutes=m)) for m in range(-12 * 60, 14 * 60 + 1, 15) if m),
)
"""UTC first (the zone assumed for the value), then every offset from UTC-12:00 to +14:00."""


def _lexicons_for(languages: Sequence[str]) -> tuple[_Lexicon, ...]:
    """The table's languages, those asked for first (in their order), then the others."""

    def rank(lexicon: _Lexicon) -> int:
        return (
            languages.index(lexicon.language) if lexicon.language in languages else len(languages)
        )

    return tuple(sorted(_LEXICONS, key=rank))


# ---------------------------------------------------------------- reading context


@dataclass(frozen=True)
class _Reading:
    """What every parse of one page shares: its reference moment, languages and zones."""

    reference: datetime
    languages: tuple[str, ...]
    """Languages dateparser tries: those given, else the table's (detecting among all of
    dateparser's languages costs up to 30 ms for each string that is no date)."""
    languages_given: bool
    lexicons: tuple[_Lexicon, ...]
    unprinted_zones: tuple[tzinfo, ...]


def _reading(
    reference: datetime, languages: Sequence[str] | None, default_timezone: tzinfo | None
) -> _Reading:
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=timezone.utc)
    codes = tuple(code.split("-")[0].lower() for code in languages or ())
    return _Reading(
        reference=reference,
        languages=codes or _TABLE_LANGUAGES,
        languages_given=bool(codes),
        lexicons=_lexicons_for(codes),
        unprinted_zones=(default_timezone,) if default_timezone else _EVERY_UTC_OFFSET,
    )


# ---------------------------------------------------------------- relative words


def _count_range(lexicon: _Lexicon, word: str | None, unit_word: str) -> tuple[int, int] | None:
    """(low, high) of the count written before a unit; None when the words make no count."""
    if word is None:
        return (1, 1) if unit_word.lower() in lexicon.bare_units else None
    squashed = _squash(word)
    if squashed.isdigit():
        return int(squashed), int(squashed)
    if squashed in lexicon.one:
        return 1, 1
    if squashed in lexicon.few:
        return _FEW_COUNTS
    return None


def _relative_words(segment: str, reading: _Reading) -> _Found | None:
    """The first relative expression of ``segment``: an age ("3 hours ago"), "just now" or a
    day word ("yesterday"). Compound ages ("1 hour 30 minutes ago") give None: dateparser,
    which sums their parts, reads them instead."""
    reference = reading.reference
    for lexicon in reading.lexicons:
        for match in lexicon.duration.finditer(segment):
            groups = match.groupdict()
            suffix = "1" if groups.get("unit1") is not None else "2"
            unit_word = groups["unit" + suffix]
            counts = _count_range(lexicon, groups["count" + suffix], unit_word)
            if counts is None:
                continue
            if lexicon.is_compound(segment, match):
                return None
            unit = lexicon.unit_of[unit_word.lower()]
            return _duration_found(
                match.start(), match.end(), reference, counts, unit, lexicon.language
            )
        now = lexicon.now.search(segment)
        if now is not None:
            return _Found(
                start=now.start(),
                end=now.end(),
                value=reference,
                earliest=reference - _NOW_OLDEST,
                latest=reference,
                granularity="minute",
                relative=True,
                language=lexicon.language,
            )
        day_word = lexicon.day_word.search(segment)
        if day_word is not None:
            return _day_word(segment, day_word, lexicon, reading)
    return None


def _day_word(segment: str, match: re.Match[str], lexicon: _Lexicon, reading: _Reading) -> _Found:
    """A day word, with the time that follows it when dateparser reads one ("yesterday at
    5:30 PM"); the day alone otherwise."""
    days_back = lexicon.days_back[_squash(match.group())]
    with_time = segment[match.start() :].strip()
    parsed = _dateparse(with_time, reading, (lexicon.language,)) if _has_digit(with_time) else None
    if parsed is not None and parsed.period == "time":
        local, zones = _local_and_zones(parsed.date_obj, reading)
        end = match.start() + len(with_time)
        granularity = _time_granularity(with_time)
        return _calendar_day(
            match.start(),
            end,
            reading.reference,
            days_back,
            local.time(),
            granularity,
            zones,
            lexicon.language,
        )
    return _calendar_day(
        match.start(),
        match.end(),
        reading.reference,
        days_back,
        None,
        "day",
        reading.unprinted_zones,
        lexicon.language,
    )


def _calendar_day(
    start: int,
    end: int,
    reference: datetime,
    days_back: int,
    time_of_day: time | None,
    granularity: Granularity,
    zones: Sequence[tzinfo],
    language: str | None,
) -> _Found:
    """A time on the calendar day ``days_back`` before the reference's local day, per zone."""
    span = _SHORTEST[granularity]
    moments: list[tuple[datetime, datetime]] = []
    for zone in zones:
        day = reference.astimezone(zone).date() - timedelta(days=days_back)
        begin = datetime.combine(day, time_of_day or time(), tzinfo=zone)
        moments.append((begin, begin + span))
    return _Found(
        start=start,
        end=end,
        value=moments[0][0],
        earliest=min(b for b, _ in moments),
        latest=max(e for _, e in moments),
        granularity=granularity,
        relative=True,
        language=language,
    )


# ---------------------------------------------------------------- absolute times

_ISO_8601 = re.compile(
    r"(?<!\w)(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?"
    r"\s?(Z|[+-]\d{2}:?\d{2})?(?!\w)"
)
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)")
_FULL_NUMERIC = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}")
_SECONDS = re.compile(r"\d:\d{2}:\d{2}")
_MINUTES = re.compile(r"\d\s?[:.hH]\s?\d{2}(?!\d)")
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_UTC_OFFSET = re.compile(r"(?:(?<=GMT)|(?<=UTC)|(?<=\s))[+-]\d{1,2}(?::?\d{2})?(?!\d)")
_TRAILING_PUNCTUATION = ",;:|"
_SEPARATOR = re.compile(r"[|·•‧∙⋅●▪｜]|\s[-–—](?=\s)")
_LINE_END_PUNCTUATION = " .,;:"
_BASE_SHIFT = timedelta(days=400, hours=7, minutes=13, seconds=17)
"""How far the second reference is moved to tell relative from absolute dateparser answers."""

_DATEPARSER_SETTINGS = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}


def _utc_naive(moment: datetime) -> datetime:
    """``moment`` as a naive UTC datetime, the form dateparser's RELATIVE_BASE takes."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


@dataclass(frozen=True)
class _Parsed:
    date_obj: datetime
    period: str
    language: str | None


@lru_cache(maxsize=256)
def _date_parser(languages: tuple[str, ...], base: datetime) -> DateDataParser:
    """A dateparser for these languages (the table's, if dateparser knows none of them) and
    this reference."""
    settings = {**_DATEPARSER_SETTINGS, "RELATIVE_BASE": base}
    try:
        return DateDataParser(languages=list(languages), settings=settings)
    except ValueError:
        return DateDataParser(languages=list(_TABLE_LANGUAGES), settings=settings)


def _dateparse(
    candidate: str,
    reading: _Reading,
    languages: tuple[str, ...],
    base_shift: timedelta = timedelta(0),
) -> _Parsed | None:
    """dateparser's reading of a short candidate against the (shifted) reference."""
    if len(candidate) > MAX_CANDIDATE_LENGTH:
        return None
    base = _utc_naive(reading.reference) - base_shift
    return _dateparse_at(candidate, languages, base)


@lru_cache(maxsize=4096)
def _dateparse_at(candidate: str, languages: tuple[str, ...], base: datetime) -> _Parsed | None:
    """:func:`_dateparse` once per candidate, languages and reference: the same strings
    recur on a page (bylines, related-article dates) and the parser keeps no state between
    calls (its languages are given, previous locales are not tried)."""
    data = _date_parser(languages, base).get_date_data(candidate)
    if data.date_obj is None or data.period is None:
        return None
    locale = data.locale.split("-")[0] if data.locale else None
    return _Parsed(data.date_obj, data.period, locale)


def _time_granularity(text: str) -> Granularity:
    if _SECONDS.search(text):
        return "second"
    return "minute" if _MINUTES.search(text) else "hour"


def _local_and_zones(moment: datetime, reading: _Reading) -> tuple[datetime, tuple[tzinfo, ...]]:
    """The wall-clock time printed, and the zones it may be in (printed, ambiguous, unknown)."""
    if moment.tzinfo is None:
        return moment, reading.unprinted_zones
    local = moment.replace(tzinfo=None)
    name = (moment.tzname() or "").upper()
    if name in _AMBIGUOUS_ZONES:
        return local, _AMBIGUOUS_ZONES[name]
    offset = moment.utcoffset() or timedelta(0)
    return local, (timezone(offset) if offset else timezone.utc,)


def _span_start(local: datetime, granularity: Granularity) -> datetime:
    """The first moment of the ``granularity`` span holding ``local`` (its minute, day...)."""
    if granularity == "second":
        return local.replace(microsecond=0)
    if granularity == "minute":
        return local.replace(second=0, microsecond=0)
    if granularity == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    if granularity == "month":
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _span_end(start: datetime, granularity: Granularity) -> datetime:
    """The moment just past the span that begins at ``start``."""
    if granularity == "month":
        return _months_before(start, -1)
    return start + _SHORTEST[granularity]


def _absolute(
    start: int,
    end: int,
    locals_: Sequence[datetime],
    zones: Sequence[tzinfo],
    granularity: Granularity,
    relative: bool,
    language: str | None,
) -> _Found:
    """A wall-clock span (one per reading of the text) in any of ``zones``."""
    firsts = [_span_start(local, granularity) for local in locals_]
    return _Found(
        start=start,
        end=end,
        value=firsts[0].replace(tzinfo=zones[0]),
        earliest=min(first.replace(tzinfo=z) for first in firsts for z in zones),
        latest=max(
            _span_end(first, granularity).replace(tzinfo=z) for first in firsts for z in zones
        ),
        granularity=granularity,
        relative=relative,
        language=language,
    )


def _iso_8601(segment: str, reading: _Reading) -> _Found | None:
    """An ISO 8601 date or date-time in ``segment``, read exactly (no dateparser needed)."""
    match = _ISO_8601.search(segment)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        local = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
        )
    except ValueError:
        return None
    if local.year not in _READABLE_YEARS:
        return None
    granularity: Granularity = "second" if second else "minute" if minute else "day"
    if zone is None:
        zones = reading.unprinted_zones
    elif zone == "Z":
        zones = (timezone.utc,)
    else:
        digits = zone.replace(":", "")
        sign = -1 if digits[0] == "-" else 1
        offset = sign * timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        zones = (timezone(offset) if offset else timezone.utc,)
    return _absolute(match.start(), match.end(), [local], zones, granularity, False, None)


def _duration_between(
    base: datetime, moment: datetime, period: str
) -> tuple[int, Granularity] | None:
    """The (count, unit) that put ``moment`` that far before ``base``, as dateparser would."""
    if moment.tzinfo is not None or moment > base or base - moment > _OLDEST_AGE:
        return None
    if period in ("month", "year"):
        months = (base.year - moment.year) * 12 + base.month - moment.month
        if period == "year" and months % 12 == 0:
            return months // 12, "year"
        return months, "month"
    delta = base - moment
    if period == "week" and delta % _WEEK == timedelta(0):
        return delta // _WEEK, "week"
    for unit, length in _FIXED_UNITS:
        if delta % length == timedelta(0):
            return delta // length, unit
    return None


def _printed_numbers(candidate: str) -> set[str]:
    """The numbers written in a candidate, leaving out UTC offsets ("+05:30", "GMT+2")."""
    return set(_NUMBER.findall(_UTC_OFFSET.sub(" ", candidate)))


def _components(local: datetime) -> set[str]:
    """Every number a printed form of ``local`` may show (padded or not, 12-hour clock,
    two-digit year)."""
    parts = (local.month, local.day, local.hour, local.hour % 12 or 12, local.minute, local.second)
    return {str(local.year), f"{local.year % 100:02d}"} | {
        form for part in parts for form in (str(part), f"{part:02d}")
    }


def _granularity_of(period: str, candidate: str) -> Granularity | None:
    """The precision dateparser's ``period`` and the text show; None when too vague for a
    header (a year alone, a month without its year)."""
    if period == "time":
        return _time_granularity(candidate)
    if period == "day":
        return "day"
    if period == "month" and _YEAR.search(candidate):
        return "month"
    return None


def _from_dateparser(candidate: str, start: int, reading: _Reading) -> _Found | None:
    """Read ``candidate`` with dateparser, classifying the answer by re-reading it against a
    shifted reference: moved by a whole duration means "N units ago", unmoved means absolute,
    moved otherwise means resolved on the calendar: a time today or the same number of days
    back from either reference ("10:15", "gisteren 17:30") is a day word, resolved per offset;
    a weekday or a date without its year is a date found from the reference.

    Every number of a date must show in dateparser's answer, which rejects the dates it makes
    of numbers like "6,000"."""
    if not any(c.isalpha() for c in candidate) and not _FULL_NUMERIC.search(candidate):
        return None
    first = _dateparse(candidate, reading, reading.languages)
    if first is None:
        return None
    second = _dateparse(candidate, reading, reading.languages, _BASE_SHIFT)
    end = start + len(candidate)
    base = _utc_naive(reading.reference)
    duration = _duration_between(base, first.date_obj, first.period)
    if (
        duration is not None
        and second is not None
        and second.date_obj == _nominal_before(base - _BASE_SHIFT, *duration)
    ):
        count, unit = duration
        return _duration_found(start, end, reading.reference, (count, count), unit, first.language)
    granularity = _granularity_of(first.period, candidate)
    local, zones = _local_and_zones(first.date_obj, reading)
    if (
        granularity is None
        or local.year not in _READABLE_YEARS
        or not _printed_numbers(candidate) <= _components(local)
    ):
        return None
    second_local = None if second is None else second.date_obj.replace(tzinfo=None)
    days_back = (base.date() - local.date()).days
    if (
        second_local is not None
        and granularity != "month"
        and days_back >= 0
        and (base - _BASE_SHIFT).date() - second_local.date() == timedelta(days=days_back)
    ):
        time_of_day = local.time() if first.period == "time" else None
        return _calendar_day(
            start,
            end,
            reading.reference,
            days_back,
            time_of_day,
            granularity,
            zones,
            first.language,
        )
    relative = second_local is None or _span_start(second_local, granularity) != _span_start(
        local, granularity
    )
    readings = [local]
    if (
        _NUMERIC_DATE.search(candidate)
        and local.day != local.month
        and max(local.day, local.month) <= 12
    ):
        readings.append(local.replace(day=local.month, month=local.day))
    return _absolute(start, end, readings, zones, granularity, relative, first.language)


def _date_candidates(segment: str, whole_only: bool) -> Iterator[tuple[int, str]]:
    """(offset, text) of the token windows of ``segment`` that may hold a date, longest first:
    a date starts at most three words before its first digit and ends after its last one."""
    tokens = list(_TOKEN.finditer(segment))
    with_digit = [i for i, t in enumerate(tokens) if _has_digit(t.group())]
    if whole_only or not with_digit:
        yield 0, segment
        return
    first, last = with_digit[0], with_digit[-1]
    starts = sorted({0, *range(max(0, first - 3), first + 1)})
    ends = range(len(tokens), max(last, len(tokens) - _MAX_TRIES_PER_SEGMENT), -1)
    windows = sorted(((s, e) for s in starts for e in ends), key=lambda w: w[0] - w[1])
    for s, e in windows[:_MAX_TRIES_PER_SEGMENT]:
        text = segment[tokens[s].start() : tokens[e - 1].end()].rstrip(_TRAILING_PUNCTUATION)
        yield tokens[s].start(), text


def _absolute_in(segment: str, reading: _Reading, whole_only: bool) -> _Found | None:
    """An ISO 8601 stamp or a date dateparser reads inside ``segment``."""
    found = _iso_8601(segment, reading)
    if found is not None:
        return found
    if not _has_digit(segment) and not reading.languages_given:
        return None
    for offset, candidate in _date_candidates(segment, whole_only):
        found = _from_dateparser(candidate, offset, reading)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- lines


def _strip_label(segment: str, reading: _Reading) -> int:
    """Length of the leading label ("Updated:", "Publié le") of ``segment``; 0 when none."""
    for lexicon in reading.lexicons:
        match = lexicon.label.match(segment)
        if match is not None:
            return match.end()
    return 0


def _segments(line: str) -> Iterator[tuple[int, int]]:
    """[start, end) of the parts of a header line between separators ("·", "|", " - "),
    without surrounding whitespace; empty parts are skipped."""
    bounds = [0]
    for separator in _SEPARATOR.finditer(line):
        bounds.extend((separator.start(), separator.end()))
    bounds.append(len(line))
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        part = line[start:end]
        stripped = part.strip()
        if stripped:
            begin = start + part.index(stripped[0])
            yield begin, begin + len(stripped)


def _find_in_line(line: str, reading: _Reading, whole_only: bool) -> _Found | None:
    """The first time expression in a short line; with ``whole_only``, only one that fills a
    whole segment of it (after its label)."""
    normalized = line.replace("\u2019", "'")
    for seg_start, seg_end in _segments(normalized):
        segment = normalized[seg_start:seg_end]
        label = _strip_label(segment, reading)
        body = segment[label:]
        if not body:
            continue
        found = _relative_words(body, reading) or _absolute_in(body, reading, whole_only)
        if found is None:
            continue
        fills_segment = found.start == 0 and found.end >= len(body.rstrip(_LINE_END_PUNCTUATION))
        if whole_only and not fills_segment:
            continue
        return found.shifted(seg_start + label)
    return None


def _to_timestamp(line: str, found: _Found, reading: _Reading, anchor: Anchor) -> Timestamp:
    zone = found.value.tzinfo
    return Timestamp(
        text=line[found.start : found.end],
        value=found.value,
        earliest=found.earliest.astimezone(zone),
        latest=found.latest.astimezone(zone),
        granularity=found.granularity,
        relative=found.relative,
        anchor=anchor,
        reference=reading.reference,
        language=found.language,
    )


def parse_timestamp(
    text: str,
    reference: datetime,
    *,
    anchor: Literal["scraped_at", "now", "published"] = "scraped_at",
    languages: Sequence[str] | None = None,
    default_timezone: tzinfo | None = None,
) -> Timestamp | None:
    """The first time expression in a short text (a header line), with its window.

    Args:
        text: a short line such as "Reuters · 3 hours ago" or "Updated: June 22, 2025".
        reference: the moment relative expressions count back from (naive means UTC).
        anchor: what ``reference`` is, recorded on the Timestamp.
        languages: ISO 639-1 codes of the text's likely languages. Any language dateparser
            knows works when given; without them, dates are read in the languages of
            ``data/timestamps_lexicon.json``.
        default_timezone: the zone of times printed without one; unknown when None, which
            widens their windows to every UTC offset.

    Returns:
        The Timestamp (``text`` is just the time expression), or None when there is none.

    Example:
        >>> from datetime import datetime, timezone
        >>> ts = parse_timestamp("NDTV · a day ago", datetime(2025, 6, 21, 18, tzinfo=timezone.utc))
        >>> ts.text, ts.value.isoformat()
        ('a day ago', '2025-06-20T18:00:00+00:00')
    """
    reading = _reading(reference, languages, default_timezone)
    found = _find_in_line(text, reading, whole_only=False)
    return None if found is None else _to_timestamp(text, found, reading, anchor)


# ================================================================ time expressions in a body
#
# The finder: a token pass picks the words that may start a time expression (month and weekday
# names, unit words, "last", "ago", digits, ...); at each of them one compiled grammar (the
# alternation of the rules below, built from the words of ``data/timestamps_expressions.json``)
# is matched *anchored* at that position, so no regex ever scans the prose and the cost is
# linear in its length. Each match becomes an atom; adjacent atoms that describe one moment
# ("10 p.m." + "Wednesday", "the third quarter" + "of 1984") are merged; then each expression
# is resolved against the anchor (the publication time) into a TIMEX3 value and a window.

_Unit = Literal[
    "second", "minute", "hour", "day", "week", "weekend", "month", "quarter", "half", "year",
    "decade", "century",
]  # fmt: skip

_EXPRESSIONS = load_data("timestamps_expressions.json")
_EXPRESSION_LANGUAGES: tuple[str, ...] = tuple(_EXPRESSIONS["languages"])
_ZONE_NAMES: tuple[str, ...] = tuple(_EXPRESSIONS["zones"])

_INT_CATEGORIES = (
    "months", "months_short", "weekdays", "weekdays_short", "weekdays_plural", "day_words",
    "night_words", "numbers", "ordinals", "shift_before", "shift_after", "anaphoric_before",
    "anaphoric_after", "span_before", "later_after", "decade_words", "time_words",
)  # fmt: skip
_CODE_CATEGORIES = ("day_parts", "seasons", "set_words", "time_suffixes", "holidays")
_LIST_CATEGORIES = (
    "vague_numbers", "ago_before", "ago_after", "hence_before", "present", "past", "future",
    "each", "approximate", "articles", "date_connectors", "year_connectors", "year_prefixes",
    "year_suffixes", "joiners", "century_words", "decade_prefixes", "decade_suffixes",
    "hour_words", "future_cues", "past_cues", "ambiguous_names", "month_cues", "period_nouns",
    "lowercase_only", "number_joiners", "frequency_cues", "frequency_articles", "per",
    "needs_preposition", "age_words", "deadline_words", "later_prepositions", "whole_words",
    "reporting_cues", "fuzzy", "half_words", "count_adjectives", "ending_words",
)  # fmt: skip


@lru_cache(maxsize=8192)
def _key(phrase: str) -> str:
    """The lookup form of a phrase: lower case, one space between words, straight apostrophes
    (computed once per phrase: the same few words are looked up for every expression)."""
    return " ".join(phrase.replace("\u2019", "'").lower().split())


@dataclass(frozen=True)
class _Words:
    """The time words of some languages, merged; the first language listed wins a clash."""

    ints: Mapping[str, Mapping[str, int]]
    codes: Mapping[str, Mapping[str, str]]
    lists: Mapping[str, frozenset[str]]
    unit_of: Mapping[str, _Unit]
    plural_units: frozenset[str]
    capitalized_names: frozenset[str]
    """Month and weekday names of languages that capitalise them (en, de)."""
    lowercase_names: frozenset[str]
    """Month and weekday names of languages that write them in lower case (es, fr, ...)."""
    month_first: bool
    """Whether 03/04/2025 is March 4 (the first language's date order)."""

    def value(self, category: str, phrase: str | None) -> int | None:
        return None if phrase is None else self.ints[category].get(_key(phrase))

    def code(self, category: str, phrase: str | None) -> str | None:
        return None if phrase is None else self.codes[category].get(_key(phrase))

    def has(self, category: str, phrase: str | None) -> bool:
        return phrase is not None and _key(phrase) in self.lists[category]


def _merge_words(languages: tuple[str, ...]) -> _Words:
    entries = [_EXPRESSIONS["languages"][code] for code in languages]
    ints: dict[str, dict[str, int]] = {c: {} for c in _INT_CATEGORIES}
    codes: dict[str, dict[str, str]] = {c: {} for c in _CODE_CATEGORIES}
    lists: dict[str, set[str]] = {c: set() for c in _LIST_CATEGORIES}
    unit_of: dict[str, _Unit] = {}
    plural: set[str] = set()
    capitalized: set[str] = set()
    lowercase: set[str] = set()
    for entry in entries:
        for category in _INT_CATEGORIES:
            for phrase, number in entry[category].items():
                ints[category].setdefault(_key(phrase), number)
        for category in _CODE_CATEGORIES:
            for phrase, code in entry[category].items():
                codes[category].setdefault(_key(phrase), code)
        for category in _LIST_CATEGORIES:
            lists[category].update(_key(phrase) for phrase in entry[category])
        for unit, forms in entry["units"].items():
            for form in forms["singular"]:
                unit_of.setdefault(_key(form), unit)
            for form in forms["plural"]:
                unit_of.setdefault(_key(form), unit)
                plural.add(_key(form))
        names = [
            *entry["months"], *entry["months_short"], *entry["weekdays"], *entry["weekdays_short"],
            *entry["weekdays_plural"],
        ]  # fmt: skip
        (capitalized if entry["name_case"] == "capitalized" else lowercase).update(
            _key(name) for name in names
        )
    return _Words(
        ints=ints,
        codes=codes,
        lists={category: frozenset(phrases) for category, phrases in lists.items()},
        unit_of=unit_of,
        plural_units=frozenset(plural),
        capitalized_names=frozenset(capitalized),
        lowercase_names=frozenset(lowercase),
        month_first=entries[0]["date_order"] == "MDY",
    )


def _words_pattern(phrases: Iterable[str], *, leading_boundary: bool = False) -> str:
    """A regex matching any of the phrases, longest first, built as a trie so that matching
    costs one test per character rather than one per phrase: spaces match any whitespace,
    apostrophes either kind; a phrase ends at a word boundary unless it ends in punctuation
    ("l'", "mid-", "p.m.")."""
    trie: dict[str, Any] = {}
    for phrase in {_key(p) for p in phrases}:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return "(?!)"
    body = _trie_pattern(trie, "")
    return _PHRASE_START + body if leading_boundary else body


_PHRASE_START = r"(?:(?<!\w)(?=\w)|(?=\W))"
"""Where a phrase may start: at the start of a word, or at a mark ("'ll")."""
_TENSE_CUES = ("future_cues", "past_cues", "reporting_cues")


def _first_characters(lists: Mapping[str, frozenset[str]], categories: Iterable[str]) -> str:
    """A look-ahead for the characters the phrases of ``categories`` start with, as
    :func:`_words_pattern` writes them: one test rejects most positions of a scan before
    the trie's branches are tried one by one."""
    firsts = {_key(phrase)[:1] for category in categories for phrase in lists[category]}
    if "'" in firsts:
        firsts.add("\u2019")
    firsts.discard("")
    return f"(?=[{''.join(re.escape(char) for char in sorted(firsts))}])" if firsts else "(?!)"


def _trie_pattern(node: Mapping[str, Any], previous: str) -> str:
    """The regex of a trie node: its continuations first (longer phrases win), then the end of
    a phrase when one ends here."""
    branches = []
    for char in sorted(c for c in node if c):
        piece = r"\s+" if char == " " else "['\u2019]" if char == "'" else re.escape(char)
        branches.append(piece + _trie_pattern(node[char], char))
    if "" in node:
        branches.append(r"(?!\w)" if previous.isalnum() else "")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_DIGIT_SLOTS: Mapping[str, str] = {
    "year": r"[12]\d{3}(?!\d|[.,:]\d)",
    "day": r"(?:3[01]|[12]\d|0?[1-9])(?!\d)",
    "numeric": r"\d{1,2}",
    "numeric_year": r"(?:\d{4}|\d{2})(?![\d/.]\d)",
    "hour": r"(?:2[0-3]|[01]?\d)",
    "minute": r"[0-5]\d(?!\d)",
    "decade_digits": r"(?:[12]\d{2}0|\d0)",
    "code": r"(?-i:[QH])[1-4](?!\w)",
    "roman": r"(?-i:[IVXLC]{1,6})(?:e|er|ème)?(?!\w)",
}
_ORDINAL_DAY = r"(?:st|nd|rd|th|er|re|e|º|ª|°)?"
_COUNT_GAP = r"(?:\s+|-|(?<=['\u2019]))(?:@count_adjective\s+)?"
"""Between a count and its unit: "two days", "two-year", Italian "un'ora", "two more weeks"."""
"""How a day number may be written as an ordinal: 1st, 1er, 1º."""

_RULES: tuple[tuple[str, str, str], ...] = (
    # Numbers first: dates, clock times, day-first dates, decades, counted units.
    ("iso_date", r"@year-@numeric-@numeric2(?!\d)", "digit"),
    ("numeric_date", r"@numeric[/.]@numeric2[/.]@numeric_year", "digit"),
    ("clock", r"@hour(?:[:.]@minute)?\s?@time_suffix(?:\s+@zone)?", "digit"),
    ("clock", r"@hour:@minute(?:\s?@time_suffix)?(?:\s+@zone)?", "digit"),
    ("clock", r"@hour\s?h\s?@minute(?:\s+@zone)?", "digit"),
    (
        "date_dmy",
        rf"@day{_ORDINAL_DAY}\.?(?:\s*[-–—]\s*@day2{_ORDINAL_DAY}\.?)?\s+(?:@date_connector\s+)?"
        r"(?:@month|@month_short\.?)(?:,?\s+(?:@year_connector\s+)?@year(?:\s+@year_suffix)?)?",
        "digit",
    ),
    (
        "decade",
        r"(?:@article\s*)?(?:@decade_prefix\s+)?['\u2019]?@decade_digits@decade_suffix",
        "article decade_prefix digit apostrophe",
    ),
    (
        "decade",
        r"(?:@article\s*)?@decade_prefix\s+['\u2019]?@decade_digits(?!\d)",
        "article decade_prefix",
    ),
    (
        "decade_word",
        r"(?:@article\s*)?(?:@decade_prefix\s+)?@decade_word(?:\s+@unit_plural)?",
        "article decade_prefix decade_word",
    ),
    ("ago", rf"(?:@number|@vague){_COUNT_GAP}@unit\s+@ago_after", "number vague"),
    ("ago", r"@ago_before\s+(?:@number|@vague)\s+@unit", "ago_before"),
    ("later", r"(?:@number|@vague)\s+@unit\s+@later_after", "number vague"),
    ("hence", r"@hence_before\s+(?:@number|@vague)\s+@unit", "hence_before"),
    (
        "span",
        r"(?:@article\s*)?@span_before\s+(?:@number|@vague)\s+@unit_plural",
        "article span_before",
    ),
    ("span_bare", r"(?:@article\s*)?@span_before\s+@unit_plural", "article span_before"),
    (
        "quarter",
        r"(?:@article\s*)?(?:@year_prefix\s+)?(?:@year\s+)?@ordinal(?:\s+|-)@period_part"
        r"(?:\s+(?:@year_connector\s+)?@year2)?",
        "article year_prefix digit ordinal",
    ),
    ("quarter_code", r"@code(?:\s+@year)?|@year[\s-]?@code", "code digit"),
    (
        "duration",
        rf"(?:@article\s*)?(?:@number|@vague){_COUNT_GAP}@unit(?![-\u2010]\w)(?:\s+@half)?",
        "article number vague",
    ),
    (
        "century",
        r"(?:@article\s*)?(?:\d{1,2}" + _ORDINAL_DAY + r"|@ordinal|@roman)\s+@century",
        "article digit ordinal roman",
    ),
    ("century", r"@century\s+(?:\d{1,2}|@roman)", "century"),
    ("year", r"(?:@year_prefix\s+)?@year(?:\s+@year_suffix)?", "year_prefix digit"),
    ("year_words", r"(?:@year_prefix\s+)?@spoken_year", "year_prefix number"),
    # Names of months and weekdays, relative words.
    (
        "date_mdy",
        r"(?:@month|@month_short)\.?\s+@day(?:st|nd|rd|th)?(?!\d|[:/.,]\d)"
        r"(?:\s*[-–—]\s*@day2(?:st|nd|rd|th)?(?!\d))?(?:,?\s+@year(?:\s+@year_suffix)?)?",
        "month month_short",
    ),
    (
        "month_year",
        r"(?:@month|@month_short\.?),?\s+(?:@year_connector\s+)?@year(?:\s+@year_suffix)?",
        "month month_short",
    ),
    (
        "unit_adjective",
        r"(?:@article\s*)?@unit_singular-(?:@ago_after|@later_after)(?:\s+@period)?",
        "article unit",
    ),
    (
        "relative_unit",
        r"(?:@article\s*)?(?:@shift_before|@anaphoric_before)\s+@period"
        r"|(?:@article\s*)?@period2\s+(?:@shift_after|@anaphoric_after)",
        "article shift_before anaphoric_before period",
    ),
    (
        "relative_month",
        r"(?:@shift_before|@anaphoric_before)\s+@month|@month2\s+(?:@shift_after|@anaphoric_after)",
        "shift_before anaphoric_before month",
    ),
    ("month", r"@month", "month"),
    (
        "season",
        r"(?:@article\s*)?(?:(?:@shift_before|@anaphoric_before)\s+)?@season"
        r"(?:\s+(?:@shift_after|@anaphoric_after))?(?:,?\s+(?:@year_connector\s+)?@year)?",
        "article shift_before anaphoric_before season",
    ),
    (
        "weekday",
        r"(?:(?:@shift_before|@anaphoric_before)\s+)?"
        r"(?:@weekday|@weekday_plural|@weekday_short\.?(?=,?\s+(?:@month|@month_short)))"
        r"(?:\s*@part)?(?:\s+(?:@shift_after|@anaphoric_after))?",
        "shift_before anaphoric_before weekday weekday_short weekday_plural",
    ),
    ("night_word", r"@night_word", "night_word"),
    ("day_word", r"@day_word(?:\s+@part)?", "day_word"),
    ("relative_part", r"@shift_before\s+@part", "shift_before"),
    ("holiday", r"@holiday(?:,?\s+@year)?", "holiday"),
    ("reference", r"@present|@past|@future", "present past future"),
    ("frequency", r"@set_word", "set_word"),
    ("frequency", r"@each\s+(?:@unit|@weekday|@month|@part|@season)", "each"),
    ("frequency", r"@per\s+@unit_singular", "per"),
    ("current_unit", r"@article\s*(?:@whole\s+)?@unit_singular(?:-end)?", "article"),
    ("current_unit", r"@unit_singular-end", "unit"),
    ("duration_bare", r"@unit_plural", "unit"),
    ("clock", r"@time_word(?:\s+@zone)?", "time_word"),
)
"""The grammar: (rule, template) in priority order (the first rule matching at a position
wins, so a longer form comes before its prefix). ``@slot`` stands for a word class of
``data/timestamps_expressions.json`` or a digit pattern; a trailing digit tells repeated slots
apart."""

_LEAD_WORDS: Mapping[str, tuple[str, str]] = {
    "month": ("ints", "months"), "month_short": ("ints", "months_short"),
    "weekday": ("ints", "weekdays"), "weekday_short": ("ints", "weekdays_short"),
    "weekday_plural": ("ints", "weekdays_plural"),
    "day_word": ("ints", "day_words"), "night_word": ("ints", "night_words"),
    "number": ("ints", "numbers"), "ordinal": ("ints", "ordinals"),
    "shift_before": ("ints", "shift_before"), "anaphoric_before": ("ints", "anaphoric_before"),
    "span_before": ("ints", "span_before"), "decade_word": ("ints", "decade_words"),
    "time_word": ("ints", "time_words"), "season": ("codes", "seasons"),
    "set_word": ("codes", "set_words"), "holiday": ("codes", "holidays"),
    "fuzzy": ("lists", "fuzzy"), "vague": ("lists", "vague_numbers"),
    "ago_before": ("lists", "ago_before"), "hence_before": ("lists", "hence_before"),
    "present": ("lists", "present"), "past": ("lists", "past"), "future": ("lists", "future"),
    "each": ("lists", "each"), "per": ("lists", "per"), "article": ("lists", "articles"),
    "approx": ("lists", "approximate"), "year_prefix": ("lists", "year_prefixes"),
    "decade_prefix": ("lists", "decade_prefixes"), "century": ("lists", "century_words"),
    "period": ("lists", "period_nouns"),
}  # fmt: skip
"""Where the words of each class a rule (or the prefix) can start with are listed; unit words
start ``unit`` and ``period`` rules too."""
_STANDALONE = (
    "month", "weekday", "weekday_plural", "day_word", "night_word", "present", "past", "future",
    "set_word", "holiday", "time_word", "decade_word", "century",
)  # fmt: skip
"""Classes whose one-word phrases can be a whole expression ("June", "now", "daily"): the
grammar is tried wherever one occurs; words of other classes need a time word after them."""
_CODES = ("q1", "q2", "q3", "q4", "h1", "h2")
_DIGIT_LEAD, _APOSTROPHE_LEAD, _ROMAN_LEAD = "digit", "apostrophe", "roman"
_ROMAN = re.compile(r"[IVXLC]+(?:e|er|ème)?", re.IGNORECASE)

_SLOT = re.compile(r"@([a-z_]+?)(\d?)(?![a-z_])")
_QUARTER_UNITS: tuple[_Unit, ...] = ("quarter", "half")
_CLOCK_UNITS: tuple[_Unit, ...] = ("hour", "minute", "second")
_CURRENT_UNITS: tuple[_Unit, ...] = ("week", "weekend", "month", "quarter", "half", "year")
"""Units whose bare "the <unit>" names a period: this one ("the year", "the week"), or for
quarters and halves the one a results report is about ("the quarter")."""
_BARE_PLURAL_UNITS: tuple[_Unit, ...] = ("day", "week", "month", "year", "decade", "century")
"""Units whose bare plural is a vague duration ("for years" -> PXY)."""


@lru_cache(maxsize=1024)
def _compiled(body: str, flags: int) -> re.Pattern[str]:
    """One compiled regex per distinct rule body, shared by the grammars of every set of
    languages (``re``'s own cache is small and shared with dateparser)."""
    return re.compile(body, flags)


class _LazyPatterns(Mapping[str, "re.Pattern[str]"]):
    """Rule regexes by key, in rule order, each compiled the first time it is used: a set of
    languages compiles only the rules its pages reach (the grammars are large tries)."""

    def __init__(self, bodies: Mapping[str, str], flags: int) -> None:
        self._bodies = bodies
        self._flags = flags
        self._compiled: dict[str, re.Pattern[str]] = {}

    def __getitem__(self, key: str) -> re.Pattern[str]:
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _compiled(self._bodies[key], self._flags)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies)

    def __len__(self) -> int:
        return len(self._bodies)


@dataclass(frozen=True)
class _Grammar:
    """The compiled finder for one set of languages."""

    words: _Words
    prefix: re.Pattern[str]
    """What may come before a rule's words: an approximation ("about", before a number) or a
    modifier ("early", "the end of", "mid-")."""
    rules: Mapping[str, re.Pattern[str]]
    """Each rule alone by its key (its name and index), in priority order."""
    bodies: Mapping[str, str]
    """Each rule's regex, to join the rules a word can start into one alternation."""
    slots: Mapping[str, Mapping[str, tuple[str, ...]]]
    """Per rule key, each slot's capturing group names."""
    rule_names: Mapping[str, str]
    leads_of_word: Mapping[str, frozenset[str]]
    """The word classes each (lower-case) word belongs to, among those rules start with."""
    leads_of_rule: Mapping[str, frozenset[str]]
    standalone: frozenset[str]
    """Words that may be a whole expression ("June", "now", "years"): tried wherever they are."""
    needs_company: frozenset[str]
    """Words that start an expression only before another word of the lexicon or a number
    ("the", "last", "about"): tried only there."""
    company: frozenset[str]
    """The words of the lexicon (lower case) after which a word needing company is tried."""
    number: re.Pattern[str]
    """One number word ("twenty", "a dozen"), to read a count written in words."""
    half: re.Pattern[str]
    """A count's final half: "2 1/2", "two and a half"."""
    cues: re.Pattern[str]
    joiners: Mapping[str, re.Pattern[str]]
    """What may separate two atoms of one expression: "list" (a comma or "on", "at": "10 p.m.
    on Wednesday"), "of" ("the winter of 1994", "June last year"), "possessive" ("'s")."""
    frequency_context: re.Pattern[str]
    dispatch: dict[frozenset[str], tuple[str, ...]] = field(default_factory=dict)
    """Cache: for a word's classes, the rules that can start with it, in rule order."""

    def candidates(self, leads: frozenset[str]) -> tuple[str, ...]:
        """The rules that can start with a word of these classes, in rule order (the first
        rule that matches and whose builder accepts the match wins). Trying each rule's own
        compiled pattern in turn finds what one alternation of them would, without compiling
        an alternation per combination of classes."""
        found = self.dispatch.get(leads)
        if found is None:
            found = tuple(key for key in self.rules if self.leads_of_rule[key] & leads)
            self.dispatch[leads] = found
        return found

    def leads_at(self, text: str, position: int) -> frozenset[str]:
        """The classes of the word at ``position`` (a number, an apostrophe, a Roman numeral,
        or a word of the lexicon)."""
        if position >= len(text):
            return frozenset()
        if text[position] in "'\u2019":
            return _APOSTROPHE_LEADS
        word = _WORD.match(text, position)
        if word is None:
            return frozenset()
        token = word.group()
        if token[0].isdigit():
            return _DIGIT_LEADS
        leads = self.leads_of_word.get(token.lower(), frozenset())
        return leads | _ROMAN_LEADS if _ROMAN.fullmatch(token) else leads


_DIGIT_LEADS = frozenset({_DIGIT_LEAD, "number"})
_APOSTROPHE_LEADS = frozenset({_APOSTROPHE_LEAD})
_ROMAN_LEADS = frozenset({_ROMAN_LEAD})


def _word_classes(words: _Words) -> dict[str, str]:
    """The regex of every word slot."""
    units_by_kind: dict[str, list[str]] = {"singular": [], "plural": [], "part": []}
    for form, unit in words.unit_of.items():
        units_by_kind["plural" if form in words.plural_units else "singular"].append(form)
        if unit in _QUARTER_UNITS:
            units_by_kind["part"].append(form)
    articles = words.lists["frequency_articles"]
    number_word = _words_pattern(w for w in words.ints["numbers"] if _key(w) not in articles)
    joiner = _words_pattern(words.lists["number_joiners"])
    next_number = rf"(?:\s+|-)(?:{joiner}\s+)?{number_word}"
    # "a" counts one only alone: "a two-year term" is two years, "a hundred" has its own entry.
    number_words = rf"(?:{number_word}(?:{next_number}){{0,3}}|{_words_pattern(articles)})"
    classes = {
        "number": rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{number_words})"
        rf"(?:\s*(?:1/2|½)|\s+{_words_pattern(words.lists['half_words'])})?",
        "number_words": number_words,
        "spoken_year": rf"{number_word}(?:{next_number}){{1,3}}",
        "unit": _words_pattern(words.unit_of),
        "unit_singular": _words_pattern(units_by_kind["singular"]),
        "unit_plural": _words_pattern(units_by_kind["plural"]),
        "period_part": _words_pattern(units_by_kind["part"]),
        "period": _words_pattern([*units_by_kind["singular"], *words.lists["period_nouns"]]),
        "zone": r"(?-i:" + "|".join(_ZONE_NAMES) + r")(?!\w)",
        "vague": _words_pattern(words.lists["vague_numbers"]),
        "approx": _words_pattern(words.lists["approximate"]),
        "article": _words_pattern(words.lists["articles"]),
        "century": _words_pattern(words.lists["century_words"]),
        "part": _words_pattern(words.codes["day_parts"]),
        "season": _words_pattern(words.codes["seasons"]),
        "set_word": _words_pattern(words.codes["set_words"]),
        "holiday": _words_pattern(words.codes["holidays"]),
        "time_suffix": _words_pattern(words.codes["time_suffixes"]),
        "fuzzy": _words_pattern(words.lists["fuzzy"]),
        "month": _words_pattern(words.ints["months"]),
        "month_short": _words_pattern(words.ints["months_short"]),
        "weekday": _words_pattern(words.ints["weekdays"]),
        "weekday_short": _words_pattern(words.ints["weekdays_short"]),
        "weekday_plural": _words_pattern(words.ints["weekdays_plural"]),
        "day_word": _words_pattern(words.ints["day_words"]),
        "night_word": _words_pattern(words.ints["night_words"]),
        "ordinal": _words_pattern(words.ints["ordinals"]),
        "shift_before": _words_pattern(words.ints["shift_before"]),
        "shift_after": _words_pattern(words.ints["shift_after"]),
        "anaphoric_before": _words_pattern(words.ints["anaphoric_before"]),
        "anaphoric_after": _words_pattern(words.ints["anaphoric_after"]),
        "span_before": _words_pattern(words.ints["span_before"]),
        "later_after": _words_pattern(words.ints["later_after"]),
        "decade_word": _words_pattern(words.ints["decade_words"]),
        "time_word": _words_pattern(words.ints["time_words"]),
    }
    for slot, category in (
        ("ago_before", "ago_before"), ("ago_after", "ago_after"), ("hence_before", "hence_before"),
        ("present", "present"), ("past", "past"), ("future", "future"), ("each", "each"),
        ("per", "per"),
        ("date_connector", "date_connectors"), ("year_connector", "year_connectors"),
        ("year_prefix", "year_prefixes"), ("year_suffix", "year_suffixes"),
        ("decade_prefix", "decade_prefixes"), ("decade_suffix", "decade_suffixes"),
        ("whole", "whole_words"), ("half", "half_words"), ("count_adjective", "count_adjectives"),
    ):  # fmt: skip
        classes[slot] = _words_pattern(words.lists[category])
    return classes


def _compile_rule(
    key: str, template: str, classes: Mapping[str, str]
) -> tuple[str, dict[str, list[str]]]:
    """A rule's template as a regex with one named group per slot occurrence, and the group
    names of each slot."""
    groups: dict[str, list[str]] = {}

    def expand(slot: re.Match[str]) -> str:
        kind, number = slot.group(1), slot.group(2)
        names = groups.setdefault(kind + number, [])
        group = f"{key}_{kind}{number}_{len(names)}"
        names.append(group)
        body = _DIGIT_SLOTS.get(kind) or classes[kind]
        return f"(?P<{group}>{body})"

    return _SLOT.sub(expand, template), groups


@lru_cache(maxsize=16)
def _grammar(languages: tuple[str, ...]) -> _Grammar:
    words = _merge_words(languages)
    classes = _word_classes(words)
    bodies: dict[str, str] = {}
    slots: dict[str, dict[str, tuple[str, ...]]] = {}
    leads_of_rule: dict[str, frozenset[str]] = {}
    rule_names: dict[str, str] = {}
    for index, (name, template, leads) in enumerate(_RULES):
        key = f"{name}{index}"
        body, groups = _compile_rule(key, template, classes)
        bodies[key] = body
        slots[key] = {kind: tuple(names) for kind, names in groups.items()}
        leads_of_rule[key] = frozenset(leads.split())
        rule_names[key] = name
    leads_of_word: dict[str, set[str]] = {}
    for lead, phrase in _lead_phrases(words):
        first = _WORD.match(phrase)
        if first is not None:
            leads_of_word.setdefault(first.group().lower(), set()).add(lead)
    cue_lists = words.lists
    standalone, needs_company, company = _start_words(words)
    return _Grammar(
        words=words,
        prefix=re.compile(
            rf"(?:(?P<approx>{classes['approx']})\s+(?=\d|{classes['number_words']}))?"
            rf"(?:(?:{classes['article']}\s*)?(?P<fuzzy>{classes['fuzzy']})(?:\s+|(?<=-)))?",
            re.IGNORECASE,
        ),
        rules=_LazyPatterns(bodies, re.IGNORECASE),
        bodies=bodies,
        slots=slots,
        rule_names=rule_names,
        leads_of_word={word: frozenset(leads) for word, leads in leads_of_word.items()},
        leads_of_rule=leads_of_rule,
        standalone=standalone,
        needs_company=needs_company,
        company=company,
        number=re.compile(_words_pattern(words.ints["numbers"]), re.IGNORECASE),
        half=re.compile(
            rf"\s*(?:1/2|½)$|\s+{_words_pattern(words.lists['half_words'])}$", re.IGNORECASE
        ),
        cues=re.compile(  # where a cue may start tested once for the three kinds: faster
            rf"{_PHRASE_START}{_first_characters(cue_lists, _TENSE_CUES)}"
            rf"(?:(?P<future>{_words_pattern(cue_lists['future_cues'])})"
            rf"|(?P<past>{_words_pattern(cue_lists['past_cues'])})"
            rf"|(?P<reported>{_words_pattern(cue_lists['reporting_cues'])}))",
            re.IGNORECASE,
        ),
        joiners={
            "list": re.compile(
                rf"[\s,]*(?:{_words_pattern(cue_lists['joiners'])}\s+)?", re.IGNORECASE
            ),
            "of": re.compile(
                rf"\s+(?:{_words_pattern(cue_lists['year_connectors'])}\s+)?", re.IGNORECASE
            ),
            "possessive": re.compile(r"['\u2019]s\s+"),
        },
        frequency_context=re.compile(
            rf"(?:\d|{_words_pattern(cue_lists['frequency_cues'], leading_boundary=True)})"
            r"[^.;:!?]{0,30}$",
            re.IGNORECASE,
        ),
    )


def _lead_phrases(words: _Words) -> Iterator[tuple[str, str]]:
    """(class, phrase) for every phrase a rule or the prefix can start with."""
    for lead, (kind, category) in _LEAD_WORDS.items():
        source: Iterable[str] = getattr(words, kind)[category]
        for phrase in source:
            yield lead, phrase
    for form in words.unit_of:
        yield "unit", form
        yield "period", form
    for code in _CODES:
        yield "code", code


_WORD = re.compile(r"\w+")


def _start_words(words: _Words) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The ``standalone``, ``needs_company`` and ``company`` word sets of a grammar."""
    firsts: set[str] = set()
    standalone: set[str] = {*words.unit_of, *_CODES}
    for lead, phrase in _lead_phrases(words):
        first = _WORD.match(phrase)
        if first is not None:
            firsts.add(first.group())
        if lead in _STANDALONE and _WORD.fullmatch(phrase):
            standalone.add(phrase)
    vocabulary = {
        token for p in (*_all_phrases(words), *words.unit_of) for token in _WORD.findall(p)
    }
    # "the the the": an article is no company, or every word of such a run would be tried.
    company = vocabulary - words.lists["articles"] - words.lists["frequency_articles"]
    return frozenset(standalone), frozenset(firsts - standalone), frozenset(company)


def _all_phrases(words: _Words) -> Iterator[str]:
    for mapping in (*words.ints.values(), *words.codes.values(), *words.lists.values()):
        yield from mapping


# ---------------------------------------------------------------- atoms: what one match says

Relation = Literal["last", "next", "this"]
"""How a name without a year relates to the anchor: "last Friday", "next June", "this summer"."""


@dataclass
class _Fields:
    """What an expression says about a point in time; anything left None is unsaid."""

    year: int | None = None
    decade: int | None = None
    decade_in_century: int | None = None
    """The decade digit of "the '90s", whose century the anchor decides."""
    century: int | None = None
    half: int | None = None
    quarter: int | None = None
    season: str | None = None
    month: int | None = None
    day: int | None = None
    last_day: int | None = None
    """The range's last day: "July 6-7"."""
    weekday: int | None = None
    weekend: bool = False
    part: str | None = None
    hour: int | None = None
    minute: int | None = None
    holiday: str | None = None
    shift: tuple[_Unit, int] | None = None
    """Units from the anchor: "last year" is (year, -1)."""
    anaphor: tuple[_Unit, int] | None = None
    """Units from the time the text mentioned last: "a year earlier" is (year, -1)."""
    target: _Unit | None = None
    """What an anaphoric expression names ("the year-earlier quarter"); None keeps the
    granularity of the time it moves from."""
    relation: Relation | None = None

    def but(self, **changes: Any) -> _Fields:
        """A copy, with ``changes`` made (cheaper than ``dataclasses.replace``)."""
        return _Fields(**{**self.__dict__, **changes})

    def merged(self, other: _Fields) -> _Fields | None:
        """Both sets of fields in one, or None when both say something of the same field:
        "June 15" and "2025" make one date; "June 15" twice are two mentions."""
        combined = _Fields()
        for name in _FIELD_NAMES:
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine not in (None, False) and theirs not in (None, False):
                return None
            setattr(combined, name, theirs if mine in (None, False) else mine)
        return combined


_FIELD_NAMES = tuple(_Fields.__dataclass_fields__)


@dataclass
class _Atom:
    """One match of the grammar: its span and what it means."""

    start: int
    end: int
    shape: str
    """What merging needs to know: clock, day, month, year, period or other."""
    fields: _Fields | None = None
    duration: tuple[float | None, _Unit] | None = None
    span_side: int | None = None
    """For "the past two months" (-1), "the next two weeks" (1), "the first nine months" (0)."""
    reference: str | None = None
    frequency: str | None = None


class _Slots:
    """The words a rule's match captured, by slot name, and what preceded the rule's words:
    an approximation ("about") or a modifier ("early"), which the expression starts with."""

    def __init__(
        self,
        match: re.Match[str],
        groups: Mapping[str, tuple[str, ...]],
        begin: int,
        prefix: re.Match[str] | None,
    ) -> None:
        self.match = match
        self.groups = groups
        self.begin = begin
        self.end = match.end()
        self.fuzzy = prefix is not None and prefix.group("fuzzy") is not None
        self.approximate = prefix is not None and prefix.group("approx") is not None

    def atom(self, shape: str, **meaning: Any) -> _Atom:
        """The atom spanning the prefix and the match."""
        return _Atom(self.begin, self.end, shape, **meaning)

    def __getitem__(self, slot: str) -> str | None:
        for group in self.groups.get(slot, ()):
            found = self.match.group(group)
            if found is not None:
                return found
        return None

    def start(self, slot: str) -> int:
        """Where the slot's words start (-1 when the slot is empty)."""
        for group in self.groups.get(slot, ()):
            if self.match.group(group) is not None:
                return self.match.start(group)
        return -1


@dataclass(frozen=True)
class _Scan:
    """The text being scanned and the grammar scanning it."""

    text: str
    grammar: _Grammar
    previous_words: dict[int, str] = field(default_factory=dict, compare=False, repr=False)
    """Memo of :meth:`previous_word` by position."""

    @property
    def words(self) -> _Words:
        return self.grammar.words

    def previous_word(self, position: int) -> str:
        """The word just before ``position`` (lower case), punctuation skipped: what
        ``(\\w+['’]?)[^\\w]{0,3}$`` finds in the 40 characters before it, read backwards
        rather than searched for (a search tries each of the 40 starts); asked once per
        position (a builder and the tense both ask it)."""
        found = self.previous_words.get(position)
        if found is None:
            found = self.previous_words[position] = self._previous_word(position)
        return found

    def _previous_word(self, position: int) -> str:
        text, low = self.text, max(0, position - 40)
        end = position  # just after the word's last letter (a letter: what \w matches)
        while end > low and not ((char := text[end - 1]).isalnum() or char == "_"):
            if position - end == 5:
                return ""  # more marks than an apostrophe, three and a final line break
            end -= 1
        if end == low:
            return ""
        gap = position - end
        # "$" also matches before a final line break, which leaves one mark more to skip.
        reach = 4 if text[position - 1] == "\n" else 3
        if gap and text[end] in "'\u2019" and gap - 1 <= reach:
            word_end = end + 1  # the apostrophe belongs to the word
        elif gap <= reach:
            word_end = end
        else:
            return ""
        start = end - 1
        while start > low and ((char := text[start - 1]).isalnum() or char == "_"):
            start -= 1
        return _key(text[start:word_end])

    @cached_property
    def clause_ends(self) -> list[int]:
        """Where each clause end of the text starts (:data:`_CLAUSE_END`), found once."""
        return [match.start() for match in _CLAUSE_END.finditer(self.text)]

    def clause_around(self, start: int, end: int, reach: int) -> tuple[int, int]:
        """``[low, high)``: at most ``reach`` characters each side of ``text[start:end]``,
        after the last clause end wholly before it and up to the first wholly after it."""
        text, ends = self.text, self.clause_ends
        low, high = max(0, start - reach), min(len(text), end + reach)
        before = bisect_left(ends, start) - 1
        if before >= 0 and ends[before] + _clause_end_length(text, ends[before]) > start:
            before -= 1  # ". " straddling ``start``: the end before it is wholly before
        if before >= 0 and ends[before] >= low:
            low = ends[before] + 1
        after = bisect_left(ends, end)
        if after < len(ends) and ends[after] + _clause_end_length(text, ends[after]) <= high:
            high = ends[after]
        return low, high

    def next_word(self, position: int) -> str:
        """The word just after ``position`` as written, punctuation skipped."""
        found = _NEXT_WORD.match(self.text, position)
        return found.group(1) if found else ""

    def sentence_initial(self, position: int) -> bool:
        """Whether ``position`` starts a sentence (or the text)."""
        index = position - 1
        while index >= 0 and self.text[index] in _OPENING_MARKS:
            index -= 1
        return index < 0 or self.text[index] in _SENTENCE_ENDS

    def name_case_ok(self, name: str, position: int) -> bool:
        """Whether a month or weekday name is written as its language writes names: "May"
        but not "may" in English; "mayo" (or a sentence-initial "Mayo") in Spanish."""
        key = _key(name).rstrip(".")
        if len(name) > 1 and name.isupper():
            return True
        capital = name[0].isupper()
        if key in self.words.capitalized_names and capital:
            return True
        return key in self.words.lowercase_names and (
            not capital or self.sentence_initial(position)
        )


_SPACE_THEN_WORD = re.compile(r"[ \t]+(\w)")
_NEXT_WORD = re.compile(r"[^\w\n]{0,3}(\w+)")
_OPENING_MARKS = " \t\"'“‘«(—–-*•"
_SENTENCE_ENDS = ".!?:;\n"


def _number(text: str, grammar: _Grammar) -> float | None:
    """The value of a count written in digits ("1,500", "2 1/2") or words ("twenty-four",
    "two and a half")."""
    key = _key(text)
    whole, half = grammar.half.subn("", key)
    if half:
        counted = _number(whole.strip(), grammar)
        return None if counted is None else counted + 0.5
    if key[0].isdigit():
        return float(key.replace(",", ""))
    values = [grammar.words.ints["numbers"][_key(m.group())] for m in grammar.number.finditer(key)]
    total = current = 0
    for value in values:
        if value == 100:
            current = max(current, 1) * 100
        elif value >= 1000:
            total, current = total + max(current, 1) * value, 0
        else:
            current += value
    return float(total + current) if values else None


def _spoken_year(text: str, grammar: _Grammar) -> int | None:
    """A year said in words: "nineteen ninety-six" (19 and 96), "twenty twelve"; None for
    other counts."""
    values = [
        grammar.words.ints["numbers"][_key(m.group())] for m in grammar.number.finditer(_key(text))
    ]
    if len(values) >= 2 and values[0] in (19, 20):
        rest = sum(values[1:])
        if 10 <= rest <= 99 and all(v < 100 for v in values[1:]):
            return values[0] * 100 + rest
    return None


def _count(slots: _Slots, scan: _Scan) -> tuple[float | None, bool]:
    """(count, is vague) of the number slot: ("two days") 2.0, ("several days") None."""
    written = slots["number"]
    if written is None:
        return None, slots["vague"] is not None
    return _number(written, scan.grammar), False


def _unit(slots: _Slots, scan: _Scan, slot: str = "unit") -> _Unit | None:
    word = slots[slot]
    return None if word is None else scan.words.unit_of.get(_key(word))


def _shift_words(slots: _Slots, scan: _Scan) -> tuple[int, bool] | None:
    """(offset, anaphoric) of the relative word before or after a unit or name."""
    words = scan.words
    for slot, category, anaphoric in (
        ("shift_before", "shift_before", False),
        ("shift_after", "shift_after", False),
        ("anaphoric_before", "anaphoric_before", True),
        ("anaphoric_after", "anaphoric_after", True),
    ):
        offset = words.value(category, slots[slot])
        if offset is not None:
            if (
                words.has("needs_preposition", slots[slot])
                and not slots.fuzzy
                and scan.previous_word(slots.start(slot)) not in words.lists["month_cues"]
            ):
                return None  # "that year" after "in", "later"; not "said that day traders"
            return offset, anaphoric
    return None


def _relation(offset: int) -> Relation:
    return "last" if offset < 0 else "next" if offset > 0 else "this"


def _followed_by_connector(scan: _Scan, end: int) -> bool:
    """Whether "of", "de" or an article follows, making the word before it a preposition:
    Spanish "dos días después de la votación" is two days after the vote, not two days
    later."""
    following = _key(scan.next_word(end))
    lists = scan.words.lists
    return any(following in lists[category] for category in _CONNECTORS)


_CONNECTORS = ("date_connectors", "year_connectors", "articles")


# ---------------------------------------------------------------- builders, one per rule


def _build_iso_date(slots: _Slots, scan: _Scan) -> _Atom | None:
    return _calendar_date(slots, int(slots["year"] or 0), slots["numeric"], slots["numeric2"])


def _build_numeric_date(slots: _Slots, scan: _Scan) -> _Atom | None:
    first, second, year_text = slots["numeric"], slots["numeric2"], slots["numeric_year"] or ""
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 50 else 1900
    if not scan.words.month_first:
        first, second = second, first
    if int(first or 0) > 12:
        first, second = second, first
    return _calendar_date(slots, year, first, second)


def _calendar_date(slots: _Slots, year: int, month: str | None, day: str | None) -> _Atom | None:
    try:
        moment = date(year, int(month or 0), int(day or 0))
    except ValueError:
        return None
    return _point(slots, "day", _Fields(year=moment.year, month=moment.month, day=moment.day))


def _point(slots: _Slots, shape: str, fields: _Fields) -> _Atom:
    return slots.atom(shape, fields=fields)


def _build_clock(slots: _Slots, scan: _Scan) -> _Atom | None:
    words = scan.words
    named = words.value("time_words", slots["time_word"])
    if named is not None:
        return _point(slots, "clock", _Fields(hour=named, minute=0))
    if slots.approximate:
        return None  # "about 10:35 a.m.": the time is 10:35 a.m.
    hour, minute = int(slots["hour"] or 0), slots["minute"]
    suffix = words.code("time_suffixes", slots["time_suffix"])
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif suffix == "h" and minute is None and len(_key(slots["time_suffix"] or "")) == 1:
        return None  # "5 h" is as often five hours as five o'clock
    elif suffix == "hours" and not words.has("hour_words", scan.previous_word(slots.begin)):
        return None  # "15 heures" is a time after "à", a duration otherwise
    return _point(slots, "clock", _Fields(hour=hour, minute=int(minute) if minute else None))


def _month_number(slots: _Slots, scan: _Scan) -> int | None:
    """The month the name slot holds, if written as its language writes it."""
    for slot, category in (
        ("month", "months"),
        ("month2", "months"),
        ("month_short", "months_short"),
    ):
        name = slots[slot]
        if name is not None:
            number = scan.words.value(category, name)
            return number if scan.name_case_ok(name, slots.start(slot)) else None
    return None


def _year_of(slots: _Slots, slot: str = "year") -> int | None:
    written = slots[slot]
    return None if written is None else int(written)


def _build_date_dmy(slots: _Slots, scan: _Scan) -> _Atom | None:
    month = _month_number(slots, scan)
    year = _year_of(slots)
    short = slots["month_short"]
    if month is None or (
        short is not None and year is None and not scan.text.startswith(".", slots.end - 1)
    ):
        return None  # "15 out" is no date; "15 Aug." and "15 Aug 2025" are
    return _day_atom(slots, year, month, slots["day"], slots["day2"])


def _build_date_mdy(slots: _Slots, scan: _Scan) -> _Atom | None:
    month = _month_number(slots, scan)
    if month is None:
        return None
    return _day_atom(slots, _year_of(slots), month, slots["day"], slots["day2"])


def _day_atom(
    slots: _Slots, year: int | None, month: int, day: str | None, last_day: str | None
) -> _Atom | None:
    first = int(day or 0)
    last = int(last_day) if last_day else None
    try:
        date(year or 2000, month, first)  # 2000: a leap year, so February 29 stays possible
    except ValueError:
        return None
    if last is not None and not first < last <= 31:
        return None
    fields = _Fields(year=year, month=month, day=first, last_day=last)
    return _point(slots, "day" if year is None else "dated", fields)


def _build_month_year(slots: _Slots, scan: _Scan) -> _Atom | None:
    month = _month_number(slots, scan)
    if month is None:
        return None
    return _point(slots, "dated", _Fields(year=_year_of(slots), month=month))


def _build_decade(slots: _Slots, scan: _Scan) -> _Atom | None:
    digits = slots["decade_digits"] or ""
    written = slots.match.group()
    if len(digits) == 4:
        return _point(slots, "other", _Fields(decade=int(digits) // 10))
    marked = "'" in written or "\u2019" in written or _key(slots["decade_suffix"] or "") != "s"
    if not (slots["article"] or slots["decade_prefix"] or marked):
        return None  # "temperatures in the 90s"; but "the '90s", "die 90er", "90-х годах"
    return _point(slots, "other", _Fields(decade_in_century=int(digits) // 10))


def _build_decade_word(slots: _Slots, scan: _Scan) -> _Atom | None:
    word = slots["decade_word"]
    digit = scan.words.value("decade_words", word)
    if digit is None or not (slots["article"] or slots["decade_prefix"]):
        return None
    if scan.words.value("numbers", word) is not None and not slots["decade_prefix"]:
        return None  # Spanish "noventa" alone is ninety
    return _point(slots, "other", _Fields(decade_in_century=digit))


def _build_century(slots: _Slots, scan: _Scan) -> _Atom | None:
    written = slots.match.group()
    roman = slots["roman"]
    if roman is not None:
        number = _roman(roman.rstrip("eèmr"))
    elif slots["ordinal"] is not None:
        number = scan.words.value("ordinals", slots["ordinal"])
    else:
        digits = _NUMBER.search(written)
        number = int(digits.group()) if digits else None
    if number is None or not 1 <= number <= 30:
        return None
    return _point(slots, "other", _Fields(century=number - 1))


def _roman(numeral: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for index, letter in enumerate(numeral):
        value = values.get(letter)
        if value is None:
            return None
        following = values.get(numeral[index + 1]) if index + 1 < len(numeral) else None
        total += -value if following is not None and following > value else value
    return total or None


def _build_ago(slots: _Slots, scan: _Scan) -> _Atom | None:
    count, vague = _count(slots, scan)
    unit = _unit(slots, scan)
    if unit is None:
        return None
    if vague:
        return slots.atom("other", reference="PAST_REF")
    if count is None or count != int(count):
        return None
    return _point(slots, "other", _Fields(shift=(unit, -int(count)), target=unit))


def _build_later(slots: _Slots, scan: _Scan) -> _Atom | None:
    count, _ = _count(slots, scan)
    unit = _unit(slots, scan)
    direction = scan.words.value("later_after", slots["later_after"])
    if (
        unit is None
        or direction is None
        or count is None
        or count != int(count)
        or (
            scan.words.has("later_prepositions", slots["later_after"])
            and _followed_by_connector(scan, slots.end)
        )
    ):
        return None
    if unit in _CLOCK_UNITS:
        return slots.atom("other", duration=(count, unit))  # "an hour later": from an event
    return _point(slots, "other", _Fields(anaphor=(unit, direction * int(count))))


def _build_hence(slots: _Slots, scan: _Scan) -> _Atom | None:
    count, _ = _count(slots, scan)
    unit = _unit(slots, scan)
    if (
        unit is None
        or count is None
        or count != int(count)
        or _followed_by_connector(scan, slots.end)
    ):
        return None
    return _point(slots, "other", _Fields(shift=(unit, int(count)), target=unit))


def _build_span(slots: _Slots, scan: _Scan) -> _Atom | None:
    side = scan.words.value("span_before", slots["span_before"])
    count, vague = _count(slots, scan)
    unit = _unit(slots, scan, "unit_plural")
    if side is None or unit is None or (count is None and not vague):
        return None
    return slots.atom("other", duration=(count, unit), span_side=side)


def _build_span_bare(slots: _Slots, scan: _Scan) -> _Atom | None:
    """ "recent years", "the coming months": a stretch of unsaid length before or after the
    anchor (PXY, PXM)."""
    side = scan.words.value("span_before", slots["span_before"])
    unit = _unit(slots, scan, "unit_plural")
    if not side or unit is None:
        return None
    return slots.atom("other", duration=(None, unit), span_side=side)


def _build_quarter(slots: _Slots, scan: _Scan) -> _Atom | None:
    ordinal = scan.words.value("ordinals", slots["ordinal"])
    unit = _unit(slots, scan, "period_part")
    year = _year_of(slots) or _year_of(slots, "year2")
    if ordinal is None or unit is None:
        return None
    parts = 4 if unit == "quarter" else 2
    if ordinal < 0:
        if not (slots["article"] or year):
            return None  # "last quarter" is the one before this; "the last quarter" the fourth
        ordinal = parts
    if not 1 <= ordinal <= parts:
        return None
    fields = _Fields(year=year, quarter=ordinal if unit == "quarter" else None)
    if unit == "half":
        fields.half = ordinal
    return _point(slots, "period" if year is None else "dated", fields)


def _build_quarter_code(slots: _Slots, scan: _Scan) -> _Atom | None:
    code = (slots["code"] or "").upper()
    year = _year_of(slots)
    number = int(code[1])
    fields = (
        _Fields(year=year, quarter=number) if code[0] == "Q" else _Fields(year=year, half=number)
    )
    if fields.half is not None and fields.half > 2:
        return None
    return _point(slots, "period" if year is None else "dated", fields)


def _build_duration(slots: _Slots, scan: _Scan) -> _Atom | None:
    count, vague = _count(slots, scan)
    unit = _unit(slots, scan)
    written = _key(slots["number"] or "")
    if unit is None or (count is None and not vague) or _is_age(scan, slots.end):
        return None
    if count is not None and slots["half"] is not None:
        count += 0.5  # "a minute and a half"
    if _is_year(written) and _key(slots["unit"] or "") not in scan.words.plural_units:
        return None  # "the 1988 quarter", Russian "2020 года" (of the year 2020): a year
    if unit in _QUARTER_UNITS and (
        written in scan.words.lists["frequency_articles"] or "-" in slots.match.group()
    ):
        return None  # "a quarter of", "three-quarters", "a half": fractions
    if written in scan.words.lists["frequency_articles"]:
        if unit == "second":
            return None  # "a second" round is no duration
        before = scan.text[max(0, slots.begin - 40) : slots.begin]
        if scan.grammar.frequency_context.search(before):
            return slots.atom("other", frequency=_duration_value(1, unit))
    return slots.atom("other", duration=(count, unit))


def _is_year(written: str) -> bool:
    return len(written) == 4 and written.isdigit() and 1000 <= int(written) <= 2999


def _is_age(scan: _Scan, end: int) -> bool:
    """Whether a count of units is someone's age ("a 6-year-old", "52 years old"): no time."""
    following = _NEXT_TWO_WORDS.match(scan.text, end)
    if following is None:
        return False
    first, second = following.groups()
    ages = scan.words.lists["age_words"]
    return _key(first) in ages or (second is not None and _key(f"{first} {second}") in ages)


_NEXT_TWO_WORDS = re.compile(r"[-\s]+(\w+['\u2019]?)(?:\s+(\w+))?")


def _build_year(slots: _Slots, scan: _Scan) -> _Atom | None:
    year = _year_of(slots) or 0
    start = slots.begin
    prefixed = slots["year_prefix"] is not None or slots["year_suffix"] is not None
    if not prefixed:
        before = scan.text[max(0, start - 2) : start]
        after = scan.text[slots.end : slots.end + 2]
        if not _PLAUSIBLE_BARE_YEARS[0] <= year <= _PLAUSIBLE_BARE_YEARS[1]:
            return None
        if any(mark in before for mark in _MONEY_MARKS) or after.lstrip().startswith(_AMOUNT_ENDS):
            return None
    return _point(slots, "year", _Fields(year=year))


_PLAUSIBLE_BARE_YEARS = (1800, 2100)
"""A bare four-digit number outside these years is more likely a count than a year."""
_MONEY_MARKS = ("$", "£", "€", "¥", "#", "№")
_AMOUNT_ENDS = ("%", "percent", "per cent")


def _build_year_words(slots: _Slots, scan: _Scan) -> _Atom | None:
    written = slots["spoken_year"] or ""
    year = _spoken_year(written, scan.grammar)
    if year is None and slots["year_prefix"]:
        number = _number(written, scan.grammar)
        year = int(number) if number and 1000 <= number <= 2999 else None
    return None if year is None else _point(slots, "year", _Fields(year=year))


def _build_unit_adjective(slots: _Slots, scan: _Scan) -> _Atom | None:
    unit = _unit(slots, scan, "unit_singular")
    words = scan.words
    back = -1 if slots["ago_after"] else words.value("later_after", slots["later_after"])
    if unit is None or back is None:
        return None
    noun = slots["period"]
    target = None if noun is None else words.unit_of.get(_key(noun))
    # "the year-ago quarter" is a year before the anchor's, or before the quarter reported.
    return _point(slots, "other", _Fields(shift=(unit, back), target=target or unit))


def _build_relative_unit(slots: _Slots, scan: _Scan) -> _Atom | None:
    shift = _shift_words(slots, scan)
    noun = slots["period"] or slots["period2"]
    unit = None if noun is None else scan.words.unit_of.get(_key(noun))
    if shift is None or unit in ("second", "minute", "hour"):
        return None
    offset, anaphoric = shift
    if unit is None:  # a period noun: "the same period", "the latest period"
        if not anaphoric:
            return None
        return _point(slots, "other", _Fields(anaphor=("year", 0)))  # any period: no move
    if unit == "weekend":
        fields = _Fields(weekend=True, relation=_relation(offset))
    elif anaphoric:
        fields = _Fields(anaphor=(unit, offset), target=unit)
    else:
        fields = _Fields(shift=(unit, offset))
    return _point(slots, "year" if unit == "year" else "other", fields)


def _build_relative_month(slots: _Slots, scan: _Scan) -> _Atom | None:
    shift = _shift_words(slots, scan)
    month = _month_number(slots, scan)
    if shift is None or month is None:
        return None
    return _point(slots, "month", _Fields(month=month, relation=_relation(shift[0])))


def _build_month(slots: _Slots, scan: _Scan) -> _Atom | None:
    name = slots["month"] or ""
    start = slots.start("month")
    month = _month_number(slots, scan)
    if month is None:
        return None
    words = scan.words
    key = _key(name)
    cued = slots.fuzzy or (scan.previous_word(start) in words.lists["month_cues"])
    capitalized = name[:1].isupper() and key in words.capitalized_names
    if not cued and (not capitalized or key in words.lists["ambiguous_names"]):
        return None  # lower-case languages: "mai" may be Italian "never"; "May" a modal
    surname = _SPACE_THEN_WORD.match(scan.text, slots.end)
    if not slots.fuzzy and surname is not None and surname.group(1).isupper():
        return None  # "June Carter", "April Smith": a first name (but "In June, Congress")
    return _point(slots, "month", _Fields(month=month))


def _build_season(slots: _Slots, scan: _Scan) -> _Atom | None:
    code = scan.words.code("seasons", slots["season"])
    shift = _shift_words(slots, scan)
    year = _year_of(slots)
    if code is None or not (shift or year or slots["article"] or slots.fuzzy):
        return None
    if year is None and _followed_by_noun_phrase(scan, slots.end):
        return None  # "the fall of the Wall" is no season; "the winter of 1994" is
    fields = _Fields(season=code, year=year)
    if shift is not None:
        fields.relation = _relation(shift[0])
    return _point(slots, "period" if year is None else "dated", fields)


def _followed_by_noun_phrase(scan: _Scan, end: int) -> bool:
    """Whether "of the ..." (or "de la ...") follows: a season or period of something."""
    lists = scan.words.lists
    found = _OF_THE.match(scan.text, end)
    return found is not None and (
        _key(found.group(1)) in lists["year_connectors"]
        and _key(found.group(2)) in lists["articles"]
    )


_OF_THE = re.compile(r"\s+(\w+)\s+(\w+['\u2019]?)")


def _build_weekday(slots: _Slots, scan: _Scan) -> _Atom | None:
    words = scan.words
    slot = next(s for s in _WEEKDAY_CATEGORIES if slots[s])
    name, start = slots[slot] or "", slots.start(slot)
    number = words.value(_WEEKDAY_CATEGORIES[slot], name)
    if number is None or not scan.name_case_ok(name, start):
        return None
    following = scan.next_word(slots.end)
    if scan.previous_word(start) in words.lists["articles"] and following[:1].isupper():
        return None  # "The Sunday Times"
    part = words.code("day_parts", slots["part"])
    part_word = _key(slots["part"] or "")
    plural_part = part_word.endswith("s") and part_word[:-1] in words.codes["day_parts"]
    if slot == "weekday_plural" or plural_part:  # "Mondays", "Tuesday nights": each of them
        value = f"XXXX-WXX-{number}" + (f"T{part}" if part else "")
        return slots.atom("other", frequency=value)
    shift = _shift_words(slots, scan)
    fields = _Fields(weekday=number, part=part)
    if shift is not None:
        fields.relation = _relation(shift[0])
    return _point(slots, "day", fields)


_WEEKDAY_CATEGORIES = {
    "weekday": "weekdays",
    "weekday_plural": "weekdays_plural",
    "weekday_short": "weekdays_short",
}


def _build_day_word(slots: _Slots, scan: _Scan) -> _Atom | None:
    words = scan.words
    word = slots["day_word"] or ""
    start = slots.start("day_word")
    offset = words.value("day_words", word)
    if offset is None:
        return None
    if words.has("lowercase_only", word) and word[0].isupper() and not scan.sentence_initial(start):
        return None  # German "Morgen" (morning) is not "morgen" (tomorrow)
    if (
        _key(word) in words.codes["day_parts"]
        and scan.previous_word(start) in words.lists["articles"]
    ):
        return None  # Spanish "la mañana" is the morning, "mañana" tomorrow
    part = words.code("day_parts", slots["part"])
    return _point(slots, "day", _Fields(shift=("day", offset), part=part))


def _build_night_word(slots: _Slots, scan: _Scan) -> _Atom | None:
    offset = scan.words.value("night_words", slots["night_word"])
    if offset is None:
        return None
    return _point(slots, "day", _Fields(shift=("day", offset), part="NI"))


def _build_relative_part(slots: _Slots, scan: _Scan) -> _Atom | None:
    offset = scan.words.value("shift_before", slots["shift_before"])
    part = scan.words.code("day_parts", slots["part"])
    if offset is None or part is None:
        return None
    if offset < 0 and part != "NI":
        return None  # "last morning" is not said; "last night" is
    return _point(
        slots, "day", _Fields(shift=("day", min(offset, 0) if part == "NI" else offset), part=part)
    )


def _build_holiday(slots: _Slots, scan: _Scan) -> _Atom | None:
    code = scan.words.code("holidays", slots["holiday"])
    if code is None:
        return None
    year = _year_of(slots)
    return _point(slots, "day" if year is None else "dated", _Fields(holiday=code, year=year))


def _build_reference(slots: _Slots, scan: _Scan) -> _Atom | None:
    if slots.approximate or slots.fuzzy:
        return None
    kind = "PRESENT_REF" if slots["present"] else "PAST_REF" if slots["past"] else "FUTURE_REF"
    return slots.atom("other", reference=kind)


def _build_frequency(slots: _Slots, scan: _Scan) -> _Atom | None:
    words = scan.words
    value = words.code("set_words", slots["set_word"])
    unit = _unit(slots, scan) or _unit(slots, scan, "unit_singular")
    month = words.value("months", slots["month"])
    weekday = words.value("weekdays", slots["weekday"])
    part = words.code("day_parts", slots["part"])
    season = words.code("seasons", slots["season"])
    if value is None:
        if unit is not None:
            value = _duration_value(1, unit)
        elif weekday is not None:
            value = f"XXXX-WXX-{weekday}"
        elif month is not None:
            value = f"XXXX-{month:02d}"
        elif part is not None:
            value = f"XXXX-XX-XXT{part}"
        elif season is not None:
            value = f"XXXX-{season}"
    return None if value is None else slots.atom("other", frequency=value)


def _build_current_unit(slots: _Slots, scan: _Scan) -> _Atom | None:
    unit = _unit(slots, scan, "unit_singular")
    if unit not in _CURRENT_UNITS:
        return None
    if unit == "weekend":
        return _point(slots, "other", _Fields(weekend=True))
    if unit == "year" and scan.words.has("ending_words", scan.next_word(slots.end)):
        # "the year ended March 31" is a fiscal year: twelve months, no calendar year
        return slots.atom("other", duration=(1, unit))
    if unit in _REPORTED_UNITS:  # "the quarter": the one the report is about
        return _point(slots, "other", _Fields(anaphor=(unit, 0), target=unit))
    return _point(slots, "other", _Fields(shift=(unit, 0)))  # "the year", "the week": this one


def _build_duration_bare(slots: _Slots, scan: _Scan) -> _Atom | None:
    unit = _unit(slots, scan, "unit_plural")
    if unit not in _BARE_PLURAL_UNITS or _is_age(scan, slots.end):
        return None
    return slots.atom("other", duration=(None, unit))


_Builder = Callable[[_Slots, _Scan], "_Atom | None"]
_BUILDERS: Mapping[str, _Builder] = {
    "iso_date": _build_iso_date,
    "numeric_date": _build_numeric_date,
    "clock": _build_clock,
    "date_dmy": _build_date_dmy,
    "decade": _build_decade,
    "decade_word": _build_decade_word,
    "ago": _build_ago,
    "later": _build_later,
    "hence": _build_hence,
    "span": _build_span,
    "span_bare": _build_span_bare,
    "quarter": _build_quarter,
    "quarter_code": _build_quarter_code,
    "duration": _build_duration,
    "century": _build_century,
    "year": _build_year,
    "year_words": _build_year_words,
    "date_mdy": _build_date_mdy,
    "month_year": _build_month_year,
    "unit_adjective": _build_unit_adjective,
    "relative_unit": _build_relative_unit,
    "relative_month": _build_relative_month,
    "month": _build_month,
    "season": _build_season,
    "weekday": _build_weekday,
    "day_word": _build_day_word,
    "night_word": _build_night_word,
    "relative_part": _build_relative_part,
    "holiday": _build_holiday,
    "reference": _build_reference,
    "frequency": _build_frequency,
    "current_unit": _build_current_unit,
    "duration_bare": _build_duration_bare,
}


# ---------------------------------------------------------------- scanning and merging


def _atom_at(scan: _Scan, position: int) -> _Atom | None:
    """The expression starting at ``position``: after an optional prefix ("about", "early"),
    the first rule that matches and whose builder accepts the match; without the prefix if
    nothing follows it."""
    prefix = scan.grammar.prefix.match(scan.text, position)
    if prefix is not None and prefix.end() > position:
        atom = _rule_at(scan, position, prefix.end(), prefix)
        if atom is not None:
            return atom
    return _rule_at(scan, position, position, None)


def _rule_at(scan: _Scan, begin: int, position: int, prefix: re.Match[str] | None) -> _Atom | None:
    grammar = scan.grammar
    text, rules = scan.text, grammar.rules
    for key in grammar.candidates(grammar.leads_at(text, position)):
        found = rules[key].match(text, position)
        if found is None:
            continue
        slots = _Slots(found, grammar.slots[key], begin, prefix)
        atom = _BUILDERS[grammar.rule_names[key]](slots, scan)
        if atom is not None:
            return atom
    return None


def _starts(text: str, grammar: _Grammar) -> Iterator[int]:
    """The positions where an expression may start, in order: a number (or the apostrophe of
    "'90s"), a standalone time word, or a word needing company when a lexicon word or a number
    follows it. One pass over the words with set lookups: cheaper than any regex scan."""
    pending = -1
    pending_end = 0
    standalone, needs_company, company = grammar.standalone, grammar.needs_company, grammar.company
    for word in _WORD.finditer(text):
        token, start = word.group(), word.start()
        number = token[0].isdigit()
        lower = "" if number else token.lower()
        if pending >= 0:
            if (number or lower in company) and not text[pending_end:start].strip(_COMPANY_GAP):
                yield pending
            pending = -1
        if number:
            yield start - 1 if start and text[start - 1] in "'\u2019" else start
        elif lower in standalone:
            yield start
        elif lower in needs_company or (token[0] in "IVXLC" and _ROMAN.fullmatch(token)):
            pending, pending_end = start, word.end()  # "XXe siècle": a Roman numeral too


_COMPANY_GAP = " \t\n-'\u2019.,"
"""What may separate a word needing company from the word after it ("mid-1996", "Sept. 30")."""


def _atoms(scan: _Scan) -> list[_Atom]:
    """Every expression the grammar finds, left to right, none overlapping."""
    atoms: list[_Atom] = []
    cursor = 0
    for position in _starts(scan.text, scan.grammar):
        if position < cursor:
            continue
        atom = _atom_at(scan, position)
        if atom is not None:
            atoms.append(atom)
            cursor = atom.end
    return [_without_full_stop(atom, scan.text) for atom in _merged(atoms, scan)]


def _without_full_stop(atom: _Atom, text: str) -> _Atom:
    """The atom without a final "." that also ends its sentence ("at 10 p.m. The ...")."""
    end = atom.end
    if text[end - 1] == "." and (end == len(text) or _SENTENCE_GOES_ON.match(text, end) is None):
        atom.end = end - 1
    return atom


_SENTENCE_GOES_ON = re.compile(r"[ \t]*[a-z0-9,;:)(\-]")
"""After an abbreviation's full stop, what shows that the sentence did not end there."""


_MERGES: Mapping[tuple[str, str], str] = {
    ("clock", "day"): "list", ("clock", "dated"): "list", ("day", "clock"): "list",
    ("dated", "clock"): "list", ("day", "day"): "list", ("day", "dated"): "list",
    ("month", "year"): "of", ("day", "year"): "of", ("period", "year"): "of",
    ("year", "period"): "possessive", ("year", "month"): "possessive",
}  # fmt: skip
"""Which shapes, in this order, make one expression, and what may separate them (see
``_Grammar.joiners``): "10 p.m. Wednesday", "Saturday, April 25", "June last year", "the
third quarter of 1984", "this year's third quarter"."""


def _merged(atoms: list[_Atom], scan: _Scan) -> list[_Atom]:
    merged: list[_Atom] = []
    for atom in atoms:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.fields is not None
            and atom.fields is not None
            and (previous.shape, atom.shape) in _MERGES
            and atom.start - previous.end <= _LONGEST_JOINER
            and scan.grammar.joiners[_MERGES[previous.shape, atom.shape]].fullmatch(
                scan.text, previous.end, atom.start
            )
        ):
            fields = previous.fields.merged(atom.fields)
            if fields is not None and _weekday_agrees(fields):
                shape = "dated" if fields.year is not None else previous.shape
                merged[-1] = _Atom(previous.start, atom.end, shape, fields=fields)
                continue
        merged.append(atom)
    return merged


_LONGEST_JOINER = 12


def _weekday_agrees(fields: _Fields) -> bool:
    """False when a weekday and a full date name different days: "Friday, June 15, 2025"
    are two expressions (June 15, 2025 is a Sunday)."""
    if fields.weekday is None or None in (fields.year, fields.month, fields.day):
        return True
    try:
        return date(fields.year or 0, fields.month or 0, fields.day or 0).isoweekday() == (
            fields.weekday
        )
    except ValueError:
        return False


# ---------------------------------------------------------------- resolving: values and windows

_UNIT_GRANULARITY: Mapping[_Unit, TimeGranularity] = {
    "second": "second", "minute": "minute", "hour": "hour", "day": "day", "week": "week",
    "weekend": "weekend", "month": "month", "quarter": "quarter", "half": "half", "year": "year",
    "decade": "decade", "century": "century",
}  # fmt: skip
_COARSE_TO_FINE: tuple[TimeGranularity, ...] = (
    "century", "decade", "year", "half", "quarter", "season", "month", "week", "weekend", "day",
    "part_of_day", "hour", "minute", "second",
)  # fmt: skip
_RANK: Mapping[TimeGranularity, int] = {g: rank for rank, g in enumerate(_COARSE_TO_FINE)}
"""Coarse to fine: a time can be moved by a unit only if it is at least that precise."""

_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_PART_HOURS = {"MO": (5, 12), "AF": (12, 18), "EV": (17, 24), "NI": (20, 30)}
"""The hours each part of the day may cover (night runs to 6 a.m. the next day)."""
_DURATION_CODES: Mapping[_Unit, tuple[str, str, int]] = {
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1),
    "day": ("", "D", 1), "week": ("", "W", 1), "weekend": ("", "WE", 1), "month": ("", "M", 1),
    "quarter": ("", "Q", 1), "half": ("", "M", 6), "year": ("", "Y", 1), "decade": ("", "Y", 10),
    "century": ("", "Y", 100),
}  # fmt: skip
"""TIMEX3 duration letters per unit, and how many of them one unit is (a quarter is P3M)."""
_FRACTION_UNITS: Mapping[_Unit, tuple[_Unit, int]] = {
    "year": ("month", 12), "month": ("day", 30), "week": ("day", 7), "day": ("hour", 24),
    "hour": ("minute", 60), "minute": ("second", 60),
}  # fmt: skip
_TENSE_REACH = 90
"""Characters either side of an expression searched for a tense cue ("will", "said")."""

Tense = Literal["past", "reported", "future"] | None
"""The tense cue nearest to an expression: "past" ("fell", "was"), "reported" (a reporting
verb, "said": past, but what it reports may lie ahead), "future" ("will"), or None."""


@dataclass(frozen=True)
class _Span:
    """A resolved stretch of the calendar (naive wall-clock times) at some granularity."""

    granularity: TimeGranularity
    start: datetime
    end: datetime
    code: str | None = None
    """The season (SP, SU, FA, WI) or part of day (MO, AF, EV, NI)."""

    @property
    def timex(self) -> str:
        """The TIMEX3 value: "2025", "2025-Q2", "2024-FA", "2025-W25", "2025-06-15TEV", ..."""
        start, granularity = self.start, self.granularity
        day = start.date().isoformat()
        iso_year, iso_week, _ = start.isocalendar()
        formats: Mapping[TimeGranularity, str] = {
            "century": f"{start.year // 100:02d}",
            "decade": f"{start.year // 10:03d}",
            "year": f"{start.year:04d}",
            "half": f"{start.year:04d}-H{1 if start.month < 7 else 2}",
            "quarter": f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}",
            "season": f"{start.year:04d}-{self.code}",
            "month": f"{start.year:04d}-{start.month:02d}",
            "week": f"{iso_year:04d}-W{iso_week:02d}",
            "weekend": f"{iso_year:04d}-W{iso_week:02d}-WE",
            "day": day,
            "part_of_day": f"{day}T{self.code}",
            "hour": f"{day}T{start.hour:02d}:00",
            "minute": f"{day}T{start.hour:02d}:{start.minute:02d}",
            "second": f"{day}T{start:%H:%M:%S}",
        }
        return formats[granularity]


def _span_of(
    granularity: TimeGranularity, moment: datetime, code: str | None = None, days: int = 1
) -> _Span | None:
    """The ``granularity`` span holding ``moment`` (a span of ``days`` days for day ranges);
    None outside datetime's years."""
    if not 1 <= moment.year <= 9998:
        return None
    midnight = datetime.combine(moment.date(), time())
    if granularity in ("century", "decade", "year"):
        size = {"century": 100, "decade": 10, "year": 1}[granularity]
        first = max(1, moment.year // size * size)
        start, end = datetime(first, 1, 1), datetime(min(first + size, 9999), 1, 1)
    elif granularity in ("half", "quarter", "month"):
        months = {"half": 6, "quarter": 3, "month": 1}[granularity]
        start = datetime(moment.year, (moment.month - 1) // months * months + 1, 1)
        end = _months_before(start, -months)
    elif granularity == "season":
        start = datetime(moment.year, _SEASON_START[code or "SP"], 1)
        end = _months_before(start, -3)
    elif granularity in ("week", "weekend"):
        monday = midnight - timedelta(days=moment.weekday())
        start = monday + timedelta(days=5) if granularity == "weekend" else monday
        end = monday + _WEEK
    elif granularity == "day":
        start, end = midnight, midnight + timedelta(days=days)
    elif granularity == "part_of_day":
        first_hour, last_hour = _PART_HOURS[code or "MO"]
        start, end = midnight + first_hour * _HOUR, midnight + last_hour * _HOUR
    else:
        start = moment.replace(microsecond=0)
        if granularity in ("hour", "minute"):
            start = start.replace(second=0)
        if granularity == "hour":
            start = start.replace(minute=0)
        end = start + {"hour": _HOUR, "minute": _MINUTE}.get(granularity, _SECOND)
    return _Span(granularity, start, end, code)


def _moved(moment: datetime, unit: _Unit, count: int) -> datetime | None:
    """``moment`` moved by ``count`` units on the calendar; None out of datetime's range."""
    try:
        if unit in _MONTHS_IN:
            return _months_before(moment, -count * _MONTHS_IN[unit])
        return moment + count * _LENGTH[unit]
    except (ValueError, OverflowError):
        return None


_MONTHS_IN: Mapping[_Unit, int] = {
    "month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200,
}  # fmt: skip
_LENGTH: Mapping[_Unit, timedelta] = {
    "second": _SECOND, "minute": _MINUTE, "hour": _HOUR, "day": _DAY, "week": _WEEK,
    "weekend": _WEEK,
}  # fmt: skip


def _year_for(
    today: date,
    span_in: Callable[[int], tuple[date, date]],
    year: int,
    relation: Relation | None,
    tense: Tense,
    *,
    bare: bool = False,
) -> int:
    """The year of a name without one ("June 15", "the third quarter", "January");
    ``span_in(y)`` is the name's [first day, day after the last) in year y, ``year`` the
    year the anchor's own cycle counts as current.

    "last", "next" and "this" say which. A ``bare`` name (a month alone) is the latest one up
    to the anchor, or the next one from it when the nearest tense cue is a future one.
    Otherwise the occurrence nearest to the anchor wins, a future one counting
    :data:`_FUTURE_LEAN` days further (news reports the past) and one against the nearest
    tense cue further still (:data:`_AGAINST_TENSE`, :data:`_AGAINST_PAST`): "payable Nov. 16"
    written on October 30 is this November, "was elected Dec. 1" written in June last
    December, "third-quarter profit rose" written in June last year's quarter."""
    if relation == "this":
        return year
    best_year, best_cost = year, float("inf")
    for candidate in (year - 1, year, year + 1):
        first, after = span_in(candidate)
        if (relation == "last" and after > today) or (relation == "next" and first <= today):
            continue
        if first <= today < after:
            cost = 0.0
        elif after <= today:
            cost = (today - after).days + 1 + (_AGAINST_TENSE if tense == "future" else 0)
        else:
            against = 0
            if tense in ("past", "reported"):  # a day ahead may be a target: "extended to"
                against = _AGAINST_PAST[tense] if (after - first).days > 1 else _AGAINST_TENSE
            cost = (first - today).days + _FUTURE_LEAN + against
        if bare and relation is None and cost and (first > today) != (tense == "future"):
            continue
        if cost < best_cost:
            best_year, best_cost = candidate, cost
    return best_year


_FUTURE_LEAN = 60
_AGAINST_TENSE = 180
_AGAINST_PAST: Mapping[Tense, int] = {"past": 2 * 366, "reported": _AGAINST_TENSE}
"""Days a future period counts further against a past tense: a verb of what happened in it
("profit fell in the third quarter") rules the future out; a reporting verb ("said") only
leans, and so does any verb before a single day ("the offer was extended to Nov. 16")."""


def _weekday_date(today: date, weekday: int, relation: Relation | None, tense: Tense) -> date:
    """The date of a weekday named without one: the latest such day up to the anchor for news
    in the past tense, the next one for the future; "last"/"next" exclude the anchor's day."""
    current = today.isoweekday()
    if relation == "this":
        return today + timedelta(days=weekday - current)
    if relation == "last":
        return today - timedelta(days=(current - weekday - 1) % 7 + 1)
    if relation == "next":
        return today + timedelta(days=(weekday - current - 1) % 7 + 1)
    if tense == "future":
        return today + timedelta(days=(weekday - current) % 7)
    return today - timedelta(days=(current - weekday) % 7)  # news reports the past


def _holiday_date(code: str, year: int) -> date:
    """The date of a holiday in ``year``: "12-25" is fixed; "11-TH4" is November's fourth
    Thursday; "05-MOL" May's last Monday."""
    month_text, day_text = code.split("-")
    month = int(month_text)
    if day_text.isdigit():
        return date(year, month, int(day_text))
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(day_text[:2])
    first = date(year, month, 1)
    first_match = first + timedelta(days=(weekday - first.weekday()) % 7)
    if day_text[2] == "L":
        following = _months_before(datetime.combine(first, time()), -1).date()
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    return first_match + timedelta(weeks=int(day_text[2]) - 1)


def _shifted(now: datetime, unit: _Unit, count: int) -> tuple[_Fields, date | None]:
    """The fields of the unit ``count`` units from the anchor's ("last month": its year and
    month; "two hours ago": its day, hour and minute), and the Monday of a moved week."""
    today = now.date()
    monday = today - timedelta(days=today.weekday())
    if unit in ("hour", "minute", "second"):
        moved_time = now + count * _LENGTH[unit]
        minute = None if unit == "hour" else moved_time.minute
        fields = _Fields(year=moved_time.year, month=moved_time.month, day=moved_time.day)
        fields.hour, fields.minute = moved_time.hour, minute
        return fields, None
    if unit == "day":
        moved = today + timedelta(days=count)
        return _Fields(year=moved.year, month=moved.month, day=moved.day), None
    if unit in ("week", "weekend"):
        return _Fields(weekend=unit == "weekend"), monday + timedelta(weeks=count)
    if unit in ("month", "quarter", "half"):
        size = {"month": 1, "quarter": 3, "half": 6}[unit]
        index = today.year * (12 // size) + (today.month - 1) // size + count
        year, part = divmod(index, 12 // size)
        fields = _Fields(year=year)
        setattr(fields, unit, part + 1)
        return fields, None
    if unit == "year":
        return _Fields(year=today.year + count), None
    if unit == "decade":
        return _Fields(decade=today.year // 10 + count), None
    return _Fields(century=today.year // 100 + count), None


def _from_last(fields: _Fields, last: _Span | None) -> _Span | None:
    """An anaphoric expression resolved against the time mentioned last ("a year earlier",
    "the following year", "the same period"); None when that time is not precise enough."""
    if last is None or fields.anaphor is None:
        return None
    unit, count = fields.anaphor
    if _RANK[last.granularity] < _RANK[_UNIT_GRANULARITY[unit]]:
        return None
    granularity = last.granularity if fields.target is None else _UNIT_GRANULARITY[fields.target]
    if _RANK[granularity] > _RANK["day"]:
        granularity = "day"  # "a year earlier" than "this morning" is a day, not a morning
    if _RANK[granularity] > _RANK[last.granularity] or (
        count == 0 and granularity != last.granularity
    ):
        return None
    moved = _moved(last.start, unit, count)
    if moved is None:
        return None
    return _span_of(granularity, moved, last.code if granularity == last.granularity else None)


def _resolve_point(
    fields: _Fields, now: datetime | None, last: _Span | None, tense: Tense
) -> _Span | None:
    """The calendar span an expression names, read from the anchor's local wall-clock time
    ``now`` (None: no anchor, so only what the text fixes itself) and the time mentioned
    last."""
    found = _from_last(fields, last)
    if found is not None:
        return found
    resolved = fields.but()
    week_start: date | None = None
    shift = fields.shift
    if shift is None and fields.anaphor is not None:
        unit, count = fields.anaphor
        # With nothing mentioned before, "the quarter" is the last one reported, not this one.
        shift = (unit, -1) if count == 0 and unit in _REPORTED_UNITS else fields.anaphor
    if shift is not None:
        if now is None:
            return None
        shifted, week_start = _shifted(now, *shift)
        for name in _FIELD_NAMES:
            if getattr(resolved, name) in (None, False):
                setattr(resolved, name, getattr(shifted, name))
    if now is not None:
        week_start = _place_names(resolved, now.date(), week_start, tense)
    return _span_from_fields(resolved, week_start)


_REPORTED_UNITS: tuple[_Unit, ...] = ("quarter", "half")
_ACCOUNTING_PERIODS: tuple[TimeGranularity, ...] = ("quarter", "half")


def _place_names(
    fields: _Fields, today: date, week_start: date | None, tense: Tense
) -> date | None:
    """Give year-less names their year (or weekday its date) from the anchor; returns the
    Monday of a weekend or week."""
    relation = fields.relation
    if fields.weekend and week_start is None:
        monday = today - timedelta(days=today.weekday())
        on_weekend = today.weekday() >= 5
        if relation == "last" or (relation is None and tense != "future" and not on_weekend):
            monday -= _WEEK
        elif relation == "next" and on_weekend:
            monday += _WEEK
        week_start = monday
    if fields.decade is None and fields.decade_in_century is not None:
        latest = today.year // 10
        decade = latest // 10 * 10 + fields.decade_in_century
        fields.decade = decade if decade <= latest else decade - 10
    if fields.year is None:
        if fields.holiday is not None:
            holiday = fields.holiday
            fields.year = _year_for(
                today, lambda y: _day_range(_holiday_date(holiday, y)), today.year, relation, tense
            )
            observed = _holiday_date(holiday, fields.year)
            fields.month, fields.day = observed.month, observed.day
        elif fields.month is not None:
            month, day = fields.month, fields.day
            fields.year = _year_for(
                today,
                lambda y: _name_range(y, month, day),
                today.year,
                relation,
                tense,
                bare=day is None,
            )
        elif fields.quarter is not None or fields.half is not None:
            size, number = (3, fields.quarter) if fields.quarter is not None else (6, fields.half)
            first_month = (number or 1) * size - size + 1
            fields.year = _year_for(
                today, lambda y: _months_range(y, first_month, size), today.year, relation, tense
            )
        elif fields.season is not None:
            first_month = _SEASON_START[fields.season]
            season_year = today.year - (1 if today.month < 3 else 0)  # winter spans New Year
            fields.year = _year_for(
                today, lambda y: _months_range(y, first_month, 3), season_year, relation, tense
            )
        elif fields.weekday is not None and fields.day is None and week_start is None:
            found = _weekday_date(today, fields.weekday, relation, tense)
            fields.year, fields.month, fields.day = found.year, found.month, found.day
    timed = fields.hour is not None or fields.part is not None
    if timed and fields.day is None and fields.month is None and week_start is None:
        fields.year, fields.month, fields.day = today.year, today.month, today.day  # "at 10 p.m."
    return week_start


def _day_range(day: date) -> tuple[date, date]:
    return day, day + _DAY


def _name_range(year: int, month: int, day: int | None) -> tuple[date, date]:
    """[first day, day after the last) of a month, or of a day of it, in ``year``."""
    if day is None:
        return _months_range(year, month, 1)
    try:
        return _day_range(date(year, month, day))
    except ValueError:  # February 29 in a common year
        return _day_range(date(year, month, 28))


def _months_range(year: int, first_month: int, months: int) -> tuple[date, date]:
    start = date(year, first_month, 1)
    return start, _months_before(datetime.combine(start, time()), -months).date()


def _span_from_fields(fields: _Fields, week_start: date | None) -> _Span | None:
    """The span of fully placed fields, at their finest granularity; None while a needed year
    (or date) is missing."""
    year, month, day = fields.year, fields.month, fields.day
    if day is not None and month is not None and year is not None:
        try:
            moment = datetime(year, month, day)
        except ValueError:
            return None
        if fields.hour is not None:
            moment = moment.replace(hour=fields.hour, minute=fields.minute or 0)
            return _span_of("minute" if fields.minute is not None else "hour", moment)
        if fields.part is not None:
            return _span_of("part_of_day", moment, fields.part)
        days = (fields.last_day - day + 1) if fields.last_day else 1
        return _span_of("day", moment, days=days)
    if week_start is not None:
        return _span_of(
            "weekend" if fields.weekend else "week", datetime.combine(week_start, time())
        )
    if year is not None:
        if not 1 <= year <= 9998:
            return None
        if month is not None:
            return _span_of("month", datetime(year, month, 1))
        if fields.season is not None:
            return _span_of(
                "season", datetime(year, _SEASON_START[fields.season], 1), fields.season
            )
        if fields.quarter is not None:
            return _span_of("quarter", datetime(year, fields.quarter * 3 - 2, 1))
        if fields.half is not None:
            return _span_of("half", datetime(year, fields.half * 6 - 5, 1))
        return _span_of("year", datetime(year, 1, 1))
    if fields.decade is not None:
        return _span_of("decade", datetime(max(1, fields.decade * 10), 1, 1))
    if fields.century is not None:
        return _span_of("century", datetime(max(1, fields.century * 100), 1, 1))
    return None


def _underspecified(fields: _Fields) -> str | None:
    """The TIMEX3 value of a point that no anchor placed, its unknown digits as X: "June 15"
    is "XXXX-06-15", "Friday" "XXXX-WXX-5"; None when nothing of it is fixed ("last year")."""
    if fields.shift is not None or fields.anaphor is not None:
        return None
    year = "XXXX" if fields.year is None else f"{fields.year:04d}"
    clock = (
        f"T{fields.hour:02d}:{fields.minute or 0:02d}"
        if fields.hour is not None
        else f"T{fields.part}"
        if fields.part
        else ""
    )
    if fields.month is not None and fields.day is not None:
        return f"{year}-{fields.month:02d}-{fields.day:02d}{clock}"
    if fields.weekday is not None:
        return f"XXXX-WXX-{fields.weekday}{clock}"
    if fields.holiday is not None and fields.holiday[3:].isdigit():
        return f"{year}-{fields.holiday}{clock}"
    if fields.month is not None:
        return f"{year}-{fields.month:02d}"
    if fields.season is not None:
        return f"{year}-{fields.season}"
    if fields.quarter is not None:
        return f"{year}-Q{fields.quarter}"
    if fields.half is not None:
        return f"{year}-H{fields.half}"
    if fields.decade_in_century is not None:
        return f"XX{fields.decade_in_century}"
    if clock:
        return f"XXXX-XX-XX{clock}"
    return None


def _duration_value(count: float | None, unit: _Unit) -> str:
    """The TIMEX3 duration: "P3D", "PT4H", "P2Y6M" for 2.5 years, "PXY" for "years"."""
    time_mark, letter, size = _DURATION_CODES[unit]
    if count is None:
        return f"P{time_mark}X{letter}"
    whole = int(count)
    if whole == count or unit not in _FRACTION_UNITS:
        return f"P{time_mark}{round(count * size)}{letter}"
    smaller, factor = _FRACTION_UNITS[unit]
    rest = round((count - whole) * factor)
    small_mark, small_letter, _ = _DURATION_CODES[smaller]
    joint = "T" if small_mark and not time_mark else ""
    return f"P{time_mark}{whole}{letter}{joint}{rest}{small_letter}"


def _tense(scan: _Scan, atom: _Atom) -> Tense:
    """Whether the tense cue nearest to the expression in its sentence speaks of the future
    ("will", "next", "expected") or the past ("said", "was"); None when there is none."""
    text = scan.text
    low, high = scan.clause_around(atom.start, atom.end, _TENSE_REACH)
    if scan.words.has("deadline_words", scan.previous_word(atom.start)):
        return "future"  # "by Jan. 14", "bis März": a deadline lies ahead
    nearest: tuple[int, Tense] | None = None
    for match in scan.grammar.cues.finditer(text, low, atom.start):
        nearest = (atom.start - match.end(), _cue_tense(match))
    following = scan.grammar.cues.search(text, atom.end, high)
    if following is not None and (nearest is None or following.start() - atom.end < nearest[0]):
        nearest = (following.start() - atom.end, _cue_tense(following))
    return None if nearest is None else nearest[1]


def _cue_tense(cue: re.Match[str]) -> Tense:
    return "future" if cue.group("future") else "past" if cue.group("past") else "reported"


_CLAUSE_END = re.compile(r"[.!?;] |\n")
"""What ends the clause a tense cue is looked for in (no two of them overlap)."""


def _clause_end_length(text: str, start: int) -> int:
    """The length of the clause end (:data:`_CLAUSE_END`) starting at ``start``."""
    return 1 if text[start] == "\n" else 2


def _needs_tense(fields: _Fields) -> bool:
    return (
        fields.year is None
        and fields.relation is None
        and fields.shift is None
        and fields.anaphor is None
        and (
            fields.month is not None
            or fields.weekday is not None
            or fields.quarter is not None
            or fields.half is not None
            or fields.season is not None
            or fields.holiday is not None
            or fields.weekend
        )
    )


# ---------------------------------------------------------------- expressions of a text


@dataclass(frozen=True)
class _AnchorTime:
    """The moment a body's relative expressions count from, and the window it is known to."""

    value: datetime
    earliest: datetime
    latest: datetime
    kind: Anchor


_EXTREME_OFFSETS: tuple[tzinfo, ...] = (
    timezone(timedelta(hours=-12)),
    timezone(timedelta(hours=14)),
)
"""The zones furthest behind and ahead of UTC: a calendar day printed without a zone lies
between its start at UTC+14:00 and its end at UTC-12:00."""


def _point_window(
    fields: _Fields,
    span: _Span,
    anchor: _AnchorTime | None,
    zones: tuple[tzinfo, ...],
    last: _Span | None,
    tense: Tense,
) -> tuple[datetime, datetime]:
    """The earliest and latest moment of a resolved point: its span read in every zone the page
    may be in and, when it depends on the anchor, from every end of the anchor's window."""
    moments = [None] if anchor is None else sorted({anchor.earliest, anchor.value, anchor.latest})
    by_clock = fields.shift is not None and fields.shift[0] in _CLOCK_UNITS
    spans: dict[date | datetime | None, _Span | None] = {}
    earliest: datetime | None = None
    latest: datetime | None = None
    for moment in moments:
        for zone in zones:
            now = None if moment is None else moment.astimezone(zone).replace(tzinfo=None)
            reading = now if now is None or by_clock else now.date()  # same day, same span
            if reading not in spans:
                spans[reading] = span if now is None else _resolve_point(fields, now, last, tense)
            found = spans[reading] or span
            start, end = found.start.replace(tzinfo=zone), found.end.replace(tzinfo=zone)
            earliest = start if earliest is None else min(earliest, start)
            latest = end if latest is None else max(latest, end)
    assert earliest is not None and latest is not None  # at least one moment and one zone
    return earliest, latest


def _expression(
    atom: _Atom,
    scan: _Scan,
    anchor: _AnchorTime | None,
    zones: tuple[tzinfo, ...],
    mentioned: _Mentioned,
) -> tuple[TimeExpression, _Span | None]:
    """The public form of an atom, and the span it resolved to when later expressions may
    count from it ("a year earlier"): not when it counts from another one itself."""
    text = scan.text[atom.start : atom.end]
    common = {"start": atom.start, "end": atom.end, "text": text}
    kind = None if anchor is None else anchor.kind
    if atom.frequency is not None:
        return TimeExpression(**common, value=atom.frequency, type="SET"), None
    if atom.reference is not None:
        earliest = None if anchor is None or atom.reference == "PAST_REF" else anchor.earliest
        latest = None if anchor is None or atom.reference == "FUTURE_REF" else anchor.latest
        expression = TimeExpression(
            **common,
            value=atom.reference,
            type="DATE",
            earliest=earliest,
            latest=latest,
            anchor=kind,
        )
        return expression, None
    if atom.duration is not None:
        return _duration_expression(atom, common, anchor), None
    assert atom.fields is not None  # an atom is a point when it is nothing else
    return _point_expression(atom, atom.fields, scan, common, anchor, zones, mentioned)


def _duration_expression(
    atom: _Atom, common: Mapping[str, Any], anchor: _AnchorTime | None
) -> TimeExpression:
    """A duration; "the past two months" and "the next two weeks" also get the stretch they
    name, ending or starting at the anchor."""
    assert atom.duration is not None
    count, unit = atom.duration
    earliest = latest = None
    if anchor is not None and count is not None and count == int(count) and atom.span_side:
        if atom.span_side < 0:
            earliest, latest = _moved(anchor.earliest, unit, -int(count)), anchor.latest
        else:
            earliest, latest = anchor.earliest, _moved(anchor.latest, unit, int(count))
        if earliest is None or latest is None:
            earliest = latest = None
    return TimeExpression(
        **common,
        value=_duration_value(count, unit),
        type="DURATION",
        granularity=_UNIT_GRANULARITY[unit],
        earliest=earliest,
        latest=latest,
        anchor=None if earliest is None or anchor is None else anchor.kind,
    )


def _point_expression(
    atom: _Atom,
    fields: _Fields,
    scan: _Scan,
    common: Mapping[str, Any],
    anchor: _AnchorTime | None,
    zones: tuple[tzinfo, ...],
    mentioned: _Mentioned,
) -> tuple[TimeExpression, _Span | None]:
    last = mentioned.last
    if _compares_with_period(fields, mentioned.period):
        fields = fields.but(shift=None, anaphor=fields.shift, target=None)
        last = mentioned.period
    elif fields.anaphor is not None and fields.anaphor[1] == 0 and fields.target is None:
        last = mentioned.period or last  # "the latest period", "the same period"
    if _is_bare_clock(fields) and last is not None and _RANK[last.granularity] >= _RANK["day"]:
        day = last.start  # "10:35 a.m." is on the day the text speaks of
        fields = fields.but(year=day.year, month=day.month, day=day.day)
    derived = fields.anaphor is not None and fields.anaphor[1] != 0
    tense = _tense(scan, atom) if _needs_tense(fields) else None
    timex_type: TimeType = "TIME" if fields.hour is not None or fields.part else "DATE"
    fixed = _resolve_point(fields, None, last, tense)
    span = fixed
    if span is None and anchor is not None:
        now = anchor.value.astimezone(zones[0]).replace(tzinfo=None)
        span = _resolve_point(fields, now, last, tense)
    if span is None:
        expression = TimeExpression(**common, value=_underspecified(fields), type=timex_type)
        return expression, None
    relative = fixed is None and anchor is not None
    earliest, latest = _point_window(fields, span, anchor if relative else None, zones, last, tense)
    expression = TimeExpression(
        **common,
        value=span.timex,
        type="TIME" if _RANK[span.granularity] >= _RANK["part_of_day"] else "DATE",
        granularity=span.granularity,
        earliest=earliest,
        latest=latest,
        anchor=anchor.kind if relative and anchor is not None else None,
    )
    return expression, None if derived else span


def _is_bare_clock(fields: _Fields) -> bool:
    """A time of day with no day of its own: "at 10 p.m.", "this morning" is not."""
    return (
        fields.hour is not None
        and fields.day is None
        and fields.weekday is None
        and fields.shift is None
        and fields.holiday is None
    )


@dataclass
class _Mentioned:
    """The times the text has mentioned so far that later expressions may count from."""

    last: _Span | None = None
    """The time mentioned last: "a year earlier", "the following year" count from it."""
    period: _Span | None = None
    """The period of accounts (quarter, half) mentioned last: in a results report, "a year
    ago" and "the latest period" refer to it."""

    def note(self, span: _Span) -> None:
        self.last = span
        if span.granularity in _ACCOUNTING_PERIODS:
            self.period = span


def _compares_with_period(fields: _Fields, period: _Span | None) -> bool:
    """Whether "a year ago" compares with the period of accounts named before
    ("third-quarter profit rose to $3 million from $2 million a year ago"): it then names that
    quarter a year before, not the year before the anchor."""
    if fields.shift is None or fields.target is None or period is None:
        return False
    unit, count = fields.shift
    return count < 0 and _RANK[period.granularity] > _RANK[_UNIT_GRANULARITY[unit]]


def _languages_of(languages: Sequence[str] | None) -> tuple[str, ...]:
    """The table's languages among ``languages`` (ISO 639-1, "pt-BR" counts as "pt"), in their
    order; all of them when none is given or none is in the table."""
    codes = [code.split("-")[0].lower() for code in languages or ()]
    known = tuple(dict.fromkeys(code for code in codes if code in _EXPRESSION_LANGUAGES))
    return known or _EXPRESSION_LANGUAGES


def _find_times(
    text: str,
    anchor: _AnchorTime | None,
    languages: Sequence[str] | None,
    default_timezone: tzinfo | None,
) -> list[TimeExpression]:
    """Every time expression of ``text``, resolved against ``anchor`` (the stage's entry)."""
    scan = _Scan(text, _grammar(_languages_of(languages)))
    if default_timezone is not None:
        zones: tuple[tzinfo, ...] = (default_timezone,)
    else:
        own = anchor.value.tzinfo if anchor is not None else None
        zones = (own or timezone.utc, *_EXTREME_OFFSETS)
    found: list[TimeExpression] = []
    mentioned = _Mentioned()
    for atom in _atoms(scan):
        expression, span = _expression(atom, scan, anchor, zones, mentioned)
        found.append(expression)
        if span is not None:
            mentioned.note(span)
    return found


def extract_times(
    text: str,
    reference: datetime | None = None,
    *,
    languages: Sequence[str] | None = None,
    anchor: Anchor = "published",
    default_timezone: tzinfo | None = None,
) -> list[TimeExpression]:
    """Every temporal expression of a text, with its TIMEX3 value and window.

    A fast finder (a word pass, then a grammar matched only where a time word starts; no
    dateparser on prose) finds dates, times, durations, frequencies and the PRESENT_REF /
    PAST_REF / FUTURE_REF words. Relative ones ("on Saturday", "last January", "a year ago")
    are resolved against ``reference``; "a year earlier" and "the following year" against the
    time mentioned last. Names without a year ("June 15", "Friday") take the latest such date
    up to the reference, or the next one when the sentence speaks of the future ("will").

    Args:
        text: prose, e.g. an article body.
        reference: the moment relative expressions count from, usually the publication time
            (naive means UTC). Without it they keep an underspecified value ("XXXX-06-15") or
            None, never a guessed one.
        languages: ISO 639-1 codes of the text's language(s); the table's languages
            (en, es, fr, de, pt, it, ru) when None. Giving it is faster and more precise.
        anchor: what ``reference`` is, recorded on relative expressions.
        default_timezone: the zone the text's times are in; unknown when None, which widens
            windows to every UTC offset.

    Returns:
        The expressions in text order; ``text[e.start:e.end] == e.text`` for each.

    Example:
        >>> from datetime import datetime, timezone
        >>> [(t.text, t.value) for t in extract_times(
        ...     "The summit met on Saturday, two days after June 12.",
        ...     datetime(2025, 6, 16, tzinfo=timezone.utc), languages=["en"])]
        [('Saturday', '2025-06-14'), ('two days', 'P2D'), ('June 12', '2025-06-12')]
    """
    moment = None
    if reference is not None:
        moment = reference if reference.tzinfo else reference.replace(tzinfo=timezone.utc)
    window = None if moment is None else _AnchorTime(moment, moment, moment, anchor)
    return _find_times(text, window, languages, default_timezone)


# ---------------------------------------------------------------- the stage


def reset_caches() -> None:
    """Forget every memo of this module (dateparser readings and parsers, grammars, compiled
    rules, word keys): each is a pure lookup, bounded in size, rebuilt on next use."""
    for cache in (_date_parser, _dateparse_at, _key, _compiled, _grammar):
        cache.cache_clear()


def _label_rank(block: Block) -> int:
    """0 for a publication (or plain time) label, 1 for an update label."""
    return 1 if _squash(block.label or "") in _UPDATE_LABELS else 0


def _without_glued_label(block: Block) -> str:
    """The block's kept text without its label, should the label still lead it ("timean hour
    ago" labelled "time")."""
    text = block.kept_text()
    label = block.label or ""
    return text[len(label) :] if label and text.lower().startswith(label.lower()) else text


class TimestampStage:
    """Stage "timestamps": sets ``draft.published`` for every article of the page, then
    ``draft.times``: every time expression of the article's body, resolved against that
    publication time (unresolved, never guessed, when it is unknown).

    Args:
        default_timezone: the zone of times the page prints without one (None: unknown, and
            their windows cover every UTC offset).
        future_slack: how far after the reference a header time may fall.
        oldest_plausible: header times wholly before this are rejected.
        body_lines: how many leading body paragraphs may hold the time.
        max_body_line_length: longest body paragraph read as a possible time line.
        max_chars: body characters read for time expressions per page, all its articles
            together, main article first (a longer body is read up to a paragraph break, with
            a warning; the bodies after it are not read): the stage's time stays bounded on
            any input. ``None`` reads every body in full.

    Raises:
        PipelineError: ``max_chars`` is below 1.
    """

    name = "timestamps"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = ("published", "times")

    def __init__(
        self,
        *,
        default_timezone: tzinfo | None = None,
        future_slack: timedelta = _FUTURE_SLACK,
        oldest_plausible: datetime = _OLDEST_PLAUSIBLE,
        body_lines: int = 3,
        max_body_line_length: int = MAX_CANDIDATE_LENGTH,
        max_chars: int | None = 1_000_000,
    ) -> None:
        if max_chars is not None and max_chars < 1:
            raise PipelineError(f"max_chars must be at least 1 or None, not {max_chars}")
        self.default_timezone = default_timezone
        self.future_slack = future_slack
        self.oldest_plausible = oldest_plausible
        self.body_lines = body_lines
        self.max_body_line_length = max_body_line_length
        self.max_chars = max_chars

    def __call__(self, page: Page) -> Page:
        anchor: Anchor = "scraped_at" if page.scraped_at is not None else "now"
        reference = page.scraped_at or page.reference or datetime.now(timezone.utc)
        main = next((d for d in page.articles if d.is_main), None)
        bodies = [page.body_of(draft) for draft in page.articles]  # assembled once each
        limits = read_limits(page.articles, [body.text for body in bodies], self.max_chars)
        for index, (draft, body) in enumerate(zip(page.articles, bodies, strict=True)):
            is_main = draft is main or (main is None and index == 0)
            language = draft.language or page.language
            reading = _reading(reference, [language] if language else None, self.default_timezone)
            draft.published = self._published(page, draft, body, reading, anchor, is_main)
            if draft.published is None:
                draft.warnings.append(
                    "timestamps: no publication time in the metadata, header or first lines"
                )
            if self.max_chars is not None and limits[index] < len(body.text):
                draft.warnings.append(
                    unread_warning(
                        "timestamps: time expressions",
                        "TimestampStage(max_chars=...)",
                        limits[index],
                        len(body.text),
                        self.max_chars,
                    )
                )
            draft.times = self._times(draft, body.text[: limits[index]], language)
        return page

    def _times(self, draft: ArticleDraft, text: str, language: str | None) -> list[TimeExpression]:
        """The time expressions of ``text`` (the body, or what the budget lets be read of it),
        anchored on the publication time and its window."""
        published = draft.published
        anchor = (
            None
            if published is None
            else _AnchorTime(published.value, published.earliest, published.latest, "published")
        )
        languages = [language] if language else None
        return _find_times(text, anchor, languages, self.default_timezone)

    def _published(
        self,
        page: Page,
        draft: ArticleDraft,
        body: Body,
        reading: _Reading,
        anchor: Anchor,
        is_main: bool,
    ) -> Timestamp | None:
        for line, whole_only in self._evidence(page, draft, body, is_main):
            found = _find_in_line(line, reading, whole_only)
            if found is None:
                continue
            plausible = self._plausible(found, reading.reference)
            if plausible is not None:
                return _to_timestamp(line, plausible, reading, anchor)
        return None

    def _evidence(
        self, page: Page, draft: ArticleDraft, body: Body, is_main: bool
    ) -> Iterator[tuple[str, bool]]:
        """(line, must the time fill a whole segment) in the cascade's order."""
        if is_main:
            for key in (*_PUBLISHED_KEYS, *_UPDATED_KEYS):
                value = page.metadata.get(key)
                if value:
                    yield value, False
        header = [b for b in page.blocks_of(draft, "meta") if b.kept_text()]
        for block in sorted((b for b in header if b.label), key=_label_rank):
            yield _without_glued_label(block), False
        for block in header:
            if not block.label:
                yield block.kept_text(), False
        for start, end in body.spans[: self.body_lines]:
            if end - start <= self.max_body_line_length:
                yield body.text[start:end], True

    def _plausible(self, found: _Found, reference: datetime) -> _Found | None:
        """``found`` clipped to [oldest plausible, reference + slack]; None if outside it."""
        newest = reference + self.future_slack
        if found.earliest > newest or found.latest < self.oldest_plausible:
            return None
        earliest = max(found.earliest, self.oldest_plausible)
        latest = min(found.latest, newest)
        value = min(max(found.value, earliest), latest, max(earliest, reference))
        zone = found.value.tzinfo
        return replace(found, earliest=earliest, latest=latest, value=value.astimezone(zone))
