"""Sources, citations and quotes: newsparse beside ``peer:regex``, with the shared scorer.

Runs ``shared/bench/sources.py`` (publisher accuracy; citation precision/recall/F1 and kind
accuracy; quote span precision/recall/F1; speaker accuracy) on the shared development gold
(``shared/data/sources-dev``: twelve AEB articles and the seed page's four articles),
``shared`` being found beside the repository root unless ``--shared`` says where. newsparse
runs as the scorer's extractor:

- on an article body (citations, quotes, speakers; the publisher for ``body``): the
  ``sources`` stage on a one-article page whose paragraphs are the body's lines, with the
  page URL, so the body's wire credits and the URL's domain are the publisher evidence;
- on a page (the publisher for ``html`` and ``text``): the default pipeline without
  ``entities``, the main article's publisher.

The publisher is scored from each input (``html``, ``text``: the html-text dump, ``body``);
citations and quotes do not depend on it. For the seed, whose articles are single-quoted
Indian copy, it also counts the single-mark gold quotations found. The development data is
for measuring only: rules must generalise (the judged figures come from held-out articles
annotated the same way), so read the misses for patterns, never for one article's wording.

    python benchmarks/sources.py                 # the table
    python benchmarks/sources.py --misses        # plus newsparse's quote and citation misses
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from newsparse.document import ArticleDraft, Block, Page
from newsparse.pipeline import default_pipeline
from newsparse.sources import SourceStage

ROOT = Path(__file__).resolve().parent.parent
PUBLISHER_INPUTS = ("html", "text", "body")
Extractor = Callable[[str, str | None], dict[str, Any]]


def _body_page(text: str, url: str | None) -> Page:
    """A one-article page whose body blocks are the lines of ``text``."""
    page = Page(raw_input=text, url=url, raw=text, format="text")
    page.blocks = [
        Block(m.group(), m.start(), m.end(), role="body", article=0)
        for m in re.finditer(r"[^\n]+", text)
        if m.group().strip()
    ]
    page.articles = [ArticleDraft(blocks=list(range(len(page.blocks))), is_main=True)]
    return page


def newsparse_extractor(bodies: set[str]) -> Extractor:
    """The scorer's ``FUNC(text, url)``: a known article body goes through the sources stage,
    anything else is a page for the pipeline (its publisher only)."""
    stage = SourceStage()
    pipeline = default_pipeline()
    pipeline.remove("entities")

    def extract(text: str, url: str | None = None) -> dict[str, Any]:
        if text not in bodies:
            page = pipeline.new_page(text, url=url, format="html" if _is_html(text) else "text")
            drafts = pipeline.run(page).articles
            main = next((d for d in drafts if d.is_main), drafts[0] if drafts else None)
            publisher = main.source if main is not None else None
            return {"publisher": publisher.normalized if publisher else None}
        draft = stage(_body_page(text, url)).articles[0]
        return {
            "publisher": draft.source.normalized if draft.source else None,
            "citations": [
                {"name": c.source.normalized, "kind": c.source.kind} for c in draft.citations
            ],
            "quotes": [
                {"start": q.start, "end": q.end, "speaker": q.speaker} for q in draft.quotes
            ],
        }

    return extract


def _is_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def _scorer(shared: Path) -> ModuleType:
    """The shared scorer module."""
    path = shared / "bench" / "sources.py"
    spec = importlib.util.spec_from_file_location("shared_sources_scorer", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{100 * value:5.1f}"


def _single_marked(scorer: ModuleType, records: list[dict[str, Any]], extract: Extractor) -> str:
    """How many single-mark gold quotations the extractor finds ("found/gold")."""
    found = gold = 0
    for record in records:
        body = record["_body"]
        single = [q for q in record.get("quotes", []) if body[q["start"]] in "'\u2018"]
        predicted = (extract(body, record["_url"]) or {}).get("quotes", [])
        found += len(scorer.match_quotes(single, predicted))
        gold += len(single)
    return f"{found}/{gold}"


def _misses(scorer: ModuleType, records: list[dict[str, Any]], extract: Extractor) -> None:
    """Print newsparse's missed and wrong citations and quotes, to read for patterns."""
    for record in records:
        body = record["_body"]
        out = extract(body, record["_url"])
        gold_c = record.get("citations", [])
        by_norm = {scorer.norm(c["name"]): c for c in reversed(out.get("citations", []))}
        pred_c = list(reversed(by_norm.values()))  # deduplicated as the scorer does
        matched = scorer.match_citations(gold_c, pred_c)
        print(f"== {record['id'][:12]}")
        for gi in sorted(set(range(len(gold_c))) - {g for g, _ in matched}):
            print("   missed citation:", gold_c[gi]["name"], gold_c[gi]["kind"])
        for pi in sorted(set(range(len(pred_c))) - {p for _, p in matched}):
            print("   extra citation: ", pred_c[pi]["name"], pred_c[pi]["kind"])
        for g, p in matched:
            if pred_c[p]["kind"] != gold_c[g]["kind"]:
                print("   kind:", pred_c[p]["name"], pred_c[p]["kind"], "gold", gold_c[g]["kind"])
        gold_q, pred_q = record.get("quotes", []), out.get("quotes", [])
        pairs = scorer.match_quotes(gold_q, pred_q)
        for gi in sorted(set(range(len(gold_q))) - {g for g, _ in pairs}):
            quote = gold_q[gi]
            print("   missed quote:   ", body[quote["start"] : quote["end"]][:70])
        for pi in sorted(set(range(len(pred_q))) - {p for _, p in pairs}):
            quote = pred_q[pi]
            print("   extra quote:    ", body[quote["start"] : quote["end"]][:70])
        for g, p in pairs:
            speaker = gold_q[g].get("speaker")
            if speaker and not scorer.speaker_ok(pred_q[p].get("speaker"), speaker, gold_c):
                excerpt = body[gold_q[g]["start"] : gold_q[g]["end"]][:50]
                print(f"   speaker: {pred_q[p].get('speaker')!r} for {speaker!r}: {excerpt}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder"
    )
    parser.add_argument("--misses", action="store_true", help="list newsparse's misses")
    args = parser.parse_args(argv)
    scorer = _scorer(args.shared)
    data_dir = args.shared / "data"
    gold = data_dir / "sources-dev"
    data = scorer.load_data([str(data_dir / "aeb-dev")])
    sets = {
        "aeb-dev": scorer.load_annotations(str(gold / "annotations.jsonl"), data),
        "seed": scorer.load_annotations(str(gold / "seed.json"), data),
    }
    bodies = {record["_body"] for records in sets.values() for record in records}
    extractors: dict[str, Extractor] = {
        "newsparse": newsparse_extractor(bodies),
        "peer:regex": scorer.regex_extractor,
    }
    header = (
        f"{'extractor':<11} {'data':<8} {'art':>3} | publisher html  text  body"
        " | cit P     R    F1  kind | quote P   R    F1 | speaker  e2e | single-mark"
    )
    print(header)
    print("-" * len(header))
    for set_name, records in sets.items():
        for name, extract in extractors.items():
            inputs = PUBLISHER_INPUTS if records[0]["_dir"] is not None else ("body",)
            scores = {mode: scorer.score(records, extract, mode) for mode in inputs}
            main_scores = next(iter(scores.values()))
            publisher = [
                _pct(scores[mode]["publisher_accuracy"]) if mode in scores else "    -"
                for mode in PUBLISHER_INPUTS
            ]
            cit, quote = main_scores["citations"], main_scores["quotes"]
            print(
                f"{name:<11} {set_name:<8} {main_scores['articles']:>3} |"
                f"          {' '.join(publisher)}"
                f" | {_pct(cit['precision'])} {_pct(cit['recall'])} {_pct(cit['f1'])}"
                f" {_pct(main_scores['kind_accuracy'])}"
                f" | {_pct(quote['precision'])} {_pct(quote['recall'])} {_pct(quote['f1'])}"
                f" | {_pct(main_scores['speaker_accuracy'])} {_pct(main_scores['speaker_end2end'])}"
                f" | {_single_marked(scorer, records, extract):>6}"
            )
    if args.misses:
        for records in sets.values():
            _misses(scorer, records, extractors["newsparse"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
