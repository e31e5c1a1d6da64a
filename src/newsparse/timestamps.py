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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, Literal

from dateparser.date import DateDataParser

from newsparse.document import ArticleDraft, Block, Page
from newsparse.lexicon import load_data
from newsparse.models import Anchor, Granularity, Timestamp

__all__ = ["MAX_CANDIDATE_LENGTH", "TimestampStage", "parse_timestamp"]

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


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any whitespace."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


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
    unit_words = _alternation(unit_of)
    count = rf"\d{{1,4}}\s*|{_number_words([*entry['one'], *entry['few']])}"
    alternatives = []
    if entry["ago_before"]:
        alternatives.append(
            rf"(?<!\w)(?:{_alternation(entry['ago_before'])})\s+"
            rf"(?P<count1>{count})?(?P<unit1>{unit_words})(?!\w)\.?"
        )
    if entry["ago_after"]:
        alternatives.append(
            rf"(?<![\w.,:'])(?P<count2>{count})?(?P<unit2>{unit_words})(?!\w)\.?"
            rf"\s*(?:{_alternation(entry['ago_after'])})(?!\w)"
        )
    labels: Mapping[str, list[str]] = entry["labels"]
    count_and_unit = rf"(?:{count})(?:{unit_words})(?!\w)\.?"
    joiner = rf"[\s,]*(?:(?:{_alternation(entry['and'])})\s+)?"
    return _Lexicon(
        language=language,
        duration=re.compile("|".join(alternatives), re.IGNORECASE),
        unit_of=unit_of,
        bare_units=frozenset(w.lower() for w in entry["bare_units"]),
        one=frozenset(_squash(w) for w in entry["one"]),
        few=frozenset(_squash(w) for w in entry["few"]),
        now=re.compile(rf"(?<!\w)(?:{_alternation(entry['now'])})(?!\w)", re.IGNORECASE),
        day_word=re.compile(rf"(?<!\w)(?:{_alternation(entry['days_back'])})(?!\w)", re.IGNORECASE),
        days_back={_squash(w): n for w, n in entry["days_back"].items()},
        label=re.compile(
            rf"(?:{_alternation([*labels['published'], *labels['updated']])})(?!\w)"
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


# ---------------------------------------------------------------- the stage


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
    """Stage "timestamps": sets ``draft.published`` for every article of the page.

    Args:
        default_timezone: the zone of times the page prints without one (None: unknown, and
            their windows cover every UTC offset).
        future_slack: how far after the reference a header time may fall.
        oldest_plausible: header times wholly before this are rejected.
        body_lines: how many leading body paragraphs may hold the time.
        max_body_line_length: longest body paragraph read as a possible time line.
    """

    name = "timestamps"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = ("published",)

    def __init__(
        self,
        *,
        default_timezone: tzinfo | None = None,
        future_slack: timedelta = _FUTURE_SLACK,
        oldest_plausible: datetime = _OLDEST_PLAUSIBLE,
        body_lines: int = 3,
        max_body_line_length: int = MAX_CANDIDATE_LENGTH,
    ) -> None:
        self.default_timezone = default_timezone
        self.future_slack = future_slack
        self.oldest_plausible = oldest_plausible
        self.body_lines = body_lines
        self.max_body_line_length = max_body_line_length

    def __call__(self, page: Page) -> Page:
        anchor: Anchor = "scraped_at" if page.scraped_at is not None else "now"
        reference = page.scraped_at or page.reference or datetime.now(timezone.utc)
        main = next((d for d in page.articles if d.is_main), None)
        for index, draft in enumerate(page.articles):
            is_main = draft is main or (main is None and index == 0)
            language = draft.language or page.language
            reading = _reading(reference, [language] if language else None, self.default_timezone)
            draft.published = self._published(page, draft, reading, anchor, is_main)
            if draft.published is None:
                draft.warnings.append(
                    "timestamps: no publication time in the metadata, header or first lines"
                )
        return page

    def _published(
        self, page: Page, draft: ArticleDraft, reading: _Reading, anchor: Anchor, is_main: bool
    ) -> Timestamp | None:
        for line, whole_only in self._evidence(page, draft, is_main):
            found = _find_in_line(line, reading, whole_only)
            if found is None:
                continue
            plausible = self._plausible(found, reading.reference)
            if plausible is not None:
                return _to_timestamp(line, plausible, reading, anchor)
        return None

    def _evidence(
        self, page: Page, draft: ArticleDraft, is_main: bool
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
        for paragraph in page.body_of(draft).paragraphs[: self.body_lines]:
            if len(paragraph.text) <= self.max_body_line_length:
                yield paragraph.text, True

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
