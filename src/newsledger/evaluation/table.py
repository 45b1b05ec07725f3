"""The evaluation report as a plain-text table, for people."""

from __future__ import annotations

__all__ = ["format_table"]

_LAYERS = ("figures", "quotes", "timexes", "events")
_ATTRIBUTES = {
    "figures": ("metric", "qualifier", "as_of", "side", "claimant"),
    "quotes": ("speaker",),
    "timexes": ("value",),
    "events": ("date",),
}
_TEXT_FIELDS = {"figures": "quote", "quotes": "content", "timexes": "text", "events": "evidence"}
_CLIP = 90


def format_table(report: dict) -> str:
    """A readable rendering of ``score``'s report (and of its details, if any)."""
    lines = [f"articles: {report['articles']}", ""]
    lines.append(f"{'layer':<16}{'P':>8}{'R':>8}{'F1':>8}   attribute accuracy (on matches)")
    lines.append("-" * 78)
    for layer in _LAYERS:
        block = report[layer]
        attributes = "  ".join(f"{name} {block[name]:.3f}" for name in _ATTRIBUTES[layer])
        lines.append(f"{layer:<16}{block['precision']:>8.3f}{block['recall']:>8.3f}{block['f1']:>8.3f}   {attributes}")
        if layer == "quotes":
            for kind in ("direct", "indirect"):
                sub = block[kind]
                lines.append(f"{'  ' + kind:<16}{sub['precision']:>8.3f}{sub['recall']:>8.3f}{sub['f1']:>8.3f}")
    figures = report["figures"]
    lines.append("-" * 78)
    lines.append(f"figures: {figures['gold']} gold, {figures['predicted']} predicted, {figures['matched']} matched")
    published = report["published"]
    lines.append(
        f"published date inferred in window: {published['accuracy']:.3f} over {published['articles']} undated article(s)"
    )
    for entry in report.get("details", ()):
        lines.extend(_article_details(entry))
    return "\n".join(lines) + "\n"


def _article_details(entry: dict) -> list[str]:
    out = ["", f"== {entry['id']}"]
    if "published" in entry:
        p = entry["published"]
        mark = "ok" if p["correct"] else "WRONG"
        out.append(f"  published: inferred {p['inferred']} window {p['window'][0]}..{p['window'][1]} {mark}")
    for layer in _LAYERS:
        if layer not in entry:
            continue
        found = entry[layer]
        field = _TEXT_FIELDS[layer]
        for item in found["misses"]:
            out.append(f"  {layer + ' miss:':<22}{_clip(item.get(field))}  {_summary(layer, item)}")
        for item in found["false_alarms"]:
            out.append(f"  {layer + ' false alarm:':<22}{_clip(item.get(field))}  {_summary(layer, item)}")
        for pair in found["wrong"]:
            for name in pair["fields"]:
                out.append(
                    f"  {layer + ' wrong ' + name + ':':<22}{_clip(pair['gold'].get(field), 50)}"
                    f"  gold {pair['gold'].get(name)!r} predicted {pair['predicted'].get(name)!r}"
                )
    return out


def _summary(layer: str, item: dict) -> str:
    keys = {"figures": ("value", "metric"), "quotes": ("kind", "speaker"), "timexes": ("value",), "events": ("type", "date")}
    return " ".join(f"{k}={item.get(k)!r}" for k in keys[layer])


def _clip(text: object, width: int = _CLIP) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
