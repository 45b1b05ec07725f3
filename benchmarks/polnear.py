"""newsledger's quotes against PolNeAR's attributions (dev split), in one run.

    python benchmarks/polnear.py [--limit N] [--split dev] [--details]

PolNeAR (../shared/gold/external/polnear/, see its README.upstream.md and
benchmarks/POLNEAR.md) annotates *attributions* in US election news: a Source,
a Cue and a Content span (brat standoff, discontiguous spans joined by ";").
It counts more than SPEC section 3 calls a quote: beliefs, intentions,
knowledge and findings ("polls show", "she believes"), and attributions with
no source. So recall is reported both over every attribution and over the
*speech* ones, those SPEC would count: content of four words or more mostly
inside quotation marks, or a clause (three words or more, with a verb)
reported by a verb of newsledger's own cue table or by "according to".

Matching follows SPEC section 7: a predicted quote matches an attribution
when the token-overlap F1 of the contents is >= 0.5 (our `content_full`
for split quotes; PolNeAR's content pieces joined), one-to-one, best first.
Precision counts a prediction as right when it matches any attribution, speech
or not. Source accuracy, on matched pairs whose attribution has a source:

- ``source_as_written``: our speaker as written near the cue ("he", "the
  source", "Trump") names the annotated source span (SPEC's name rule:
  normalised, one contains the other);
- ``source``: that, or our *resolved* speaker names it ("Trump" -> "Donald
  Trump" still names the span "Trump"). PolNeAR does not resolve pronouns, so
  a resolved "he" is judged as written.

An article annotated by several annotators is scored against one of them (the
first file in name order). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsledger.evaluation.scoring import names_match, token_f1
from newsledger.models import Quote
from newsledger.nlp.pipeline import load_pipeline
from newsledger.nlp.rules import load_rules

POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "external" / "polnear"
MATCH = 0.5  # SPEC section 7: content token-overlap F1
_QUOTE_MARKS = "\"“”„«»‘’'"


@dataclass
class Attribution:
    content: str
    content_spans: list[tuple[int, int]]
    source: str | None = None
    cue: str | None = None
    cue_spans: list[tuple[int, int]] = field(default_factory=list)
    speech: bool = False
    direct: bool = False


def _spans(offsets: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))]


def read_attributions(ann: Path, text: str) -> list[Attribution]:
    """The attributions of one brat standoff file, with their text taken from ``text``."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(offsets))
        elif line.startswith("E") and len(parts) >= 2:
            events.append([tuple(arg.split(":", 1)) for arg in parts[1].split()])
    found = []
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = {}
        for role, ref in args:
            role = re.sub(r"\d+$", "", role)  # Content2 is more of the content
            if ref in spans:
                roles.setdefault(role, []).extend(spans[ref][1])
        pieces = sorted(roles.get("Content", []))
        if not pieces:
            continue

        def text_of(role: str) -> str | None:
            chosen = sorted(roles.get(role, []))
            return " ".join(text[a:b] for a, b in chosen) if chosen else None

        found.append(
            Attribution(
                content=" ".join(text[a:b] for a, b in pieces),
                content_spans=pieces,
                source=text_of("Source"),
                cue=text_of("Cue"),
                cue_spans=sorted(roles.get("Cue", [])),
            )
        )
    return found


def _quoted_share(text: str, spans: list[tuple[int, int]], inside: list[tuple[int, int]]) -> float:
    """Share of the content's characters that lie inside quotation marks."""
    total = sum(b - a for a, b in spans)
    covered = sum(max(0, min(b, qb) - max(a, qa)) for a, b in spans for qa, qb in inside)
    return covered / total if total else 0.0


def _classify(doc, attributions: list[Attribution]) -> None:
    """Mark each attribution direct (mostly inside marks) and speech (what SPEC counts as a quote)."""
    from newsledger.nlp.quote_marks import find_passages

    cues = load_rules("quote_cues")
    speech = set(cues["speech"]) | set(cues["request"])
    inside = [(p.start, p.end) for p in find_passages(doc.text)]
    for attribution in attributions:
        words = len(re.findall(r"\w+", attribution.content))
        attribution.direct = words >= 4 and _quoted_share(doc.text, attribution.content_spans, inside) >= 0.5
        lemmas, clause = set(), False
        for a, b in attribution.cue_spans:
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is not None:
                lemmas |= {t.lemma_.lower() for t in span} | {t.lower_ for t in span}
        for a, b in attribution.content_spans:
            span = doc.char_span(a, b, alignment_mode="expand")
            clause |= span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)
        # SPEC counts reported clauses, not reported noun phrases ("called for the repeal of Obamacare")
        attribution.speech = attribution.direct or (bool(lemmas & (speech | {"according"})) and clause and words >= 3)


def _content(quote: Quote) -> str:
    return quote.content_full or quote.content


def _pair(predicted: list[Quote], gold: list[Attribution]) -> list[tuple[int, int, float]]:
    """One-to-one matches (prediction index, attribution index, overlap), best overlap first."""
    candidates = sorted(
        (
            (token_f1(_content(p), g.content), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_p, used_g, pairs = set(), set(), []
    for overlap, i, j in candidates:
        if overlap < MATCH:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j, overlap))
    return pairs


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _prf(matched_p: int, predicted: int, matched_g: int, gold: int) -> dict:
    p, r = _ratio(matched_p, predicted), _ratio(matched_g, gold)
    return {"precision": p, "recall": r, "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def articles(split: str) -> list[tuple[Path, Path]]:
    """(text file, annotation file) per article of ``split``, one annotator per article."""
    chosen: dict[str, Path] = {}
    for ann in sorted((POLNEAR / split / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]  # the suffix names the annotator
        chosen.setdefault(stem, ann)
    return [(POLNEAR / split / "text" / f"{stem}.txt", ann) for stem, ann in sorted(chosen.items())]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--details", action="store_true", help="add per-article misses and false alarms")
    args = parser.parse_args(argv)

    pairs_of_files = articles(args.split)[: args.limit]
    texts = [path.read_text(encoding="utf-8") for path, _ in pairs_of_files]
    nlp = load_pipeline()
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=8))
    seconds = time.perf_counter() - started

    tally = {
        "gold": 0, "gold_speech": 0, "gold_direct": 0, "matched_gold": 0, "matched_speech": 0,
        "matched_direct": 0, "predicted": 0, "matched_predicted": 0,
        "predicted_direct": 0, "matched_predicted_direct": 0, "predicted_indirect": 0,
        "matched_predicted_indirect": 0, "with_source": 0, "source_as_written": 0, "source": 0,
        "no_source": 0,
    }
    details = []
    for (path, ann), doc in zip(pairs_of_files, docs):
        gold = read_attributions(ann, doc.text)
        _classify(doc, gold)
        predicted = list(doc._.quotes)
        pairs = _pair(predicted, gold)
        matched_g = {j for _, j, _ in pairs}
        matched_p = {i for i, _, _ in pairs}
        tally["gold"] += len(gold)
        tally["gold_speech"] += sum(g.speech for g in gold)
        tally["gold_direct"] += sum(g.direct for g in gold)
        tally["no_source"] += sum(g.source is None for g in gold)
        tally["matched_gold"] += len(matched_g)
        tally["matched_speech"] += sum(gold[j].speech for j in matched_g)
        tally["matched_direct"] += sum(gold[j].direct for j in matched_g)
        tally["predicted"] += len(predicted)
        tally["matched_predicted"] += len(matched_p)
        for kind in ("direct", "indirect"):
            tally[f"predicted_{kind}"] += sum(p.kind == kind for p in predicted)
            tally[f"matched_predicted_{kind}"] += sum(predicted[i].kind == kind for i in matched_p)
        wrong_source = []
        for i, j, _ in pairs:
            source = gold[j].source
            if source is None:
                continue
            p = predicted[i]
            as_written = names_match(p.speaker_text, source)
            resolved = as_written or names_match(p.speaker, source)
            tally["with_source"] += 1
            tally["source_as_written"] += as_written
            tally["source"] += resolved
            if not resolved:
                wrong_source.append({"content": _content(p)[:80], "ours": p.speaker, "written": p.speaker_text, "polnear": source})
        if args.details:
            details.append({
                "article": path.stem,
                "missed_speech": [g.content[:100] for j, g in enumerate(gold) if g.speech and j not in matched_g],
                "false_alarms": [f"[{p.kind}] {p.speaker}: {_content(p)[:100]}" for i, p in enumerate(predicted) if i not in matched_p],
                "wrong_source": wrong_source,
            })

    t = tally
    result = {
        "split": args.split,
        "articles": len(docs),
        "attributions": t["gold"],
        "speech_attributions": t["gold_speech"],
        "direct_attributions": t["gold_direct"],
        "attributions_without_source": t["no_source"],
        "predicted": {"direct": t["predicted_direct"], "indirect": t["predicted_indirect"]},
        "all": _prf(t["matched_predicted"], t["predicted"], t["matched_gold"], t["gold"]),
        "speech": _prf(t["matched_predicted"], t["predicted"], t["matched_speech"], t["gold_speech"]),
        "direct": _prf(t["matched_predicted_direct"], t["predicted_direct"], t["matched_direct"], t["gold_direct"]),
        "indirect_precision": _ratio(t["matched_predicted_indirect"], t["predicted_indirect"]),
        "source_as_written": _ratio(t["source_as_written"], t["with_source"]),
        "source": _ratio(t["source"], t["with_source"]),
        "matched_with_source": t["with_source"],
        "seconds": round(seconds, 1),
    }
    if args.details:
        result["details"] = details
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
