"""newsledger's commands. Each parses its options, calls one library function and prints."""

from __future__ import annotations

import enum
import json
import signal
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

import newsledger
from newsledger import settings, vocabulary
from newsledger.cli.render import console, err_console, print_json, print_table
from newsledger.jsonable import to_jsonable
from newsledger.errors import NewsledgerError

app = typer.Typer(
    help="newsledger: turn conflict news into a sourced record of figures, quotes, dates, events and entities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Db = Annotated[
    str,
    typer.Option(
        "--db", envvar=settings.SETTINGS["db"].env, help=settings.SETTINGS["db"].help, show_default=True
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
Limit = Annotated[int, typer.Option("--limit", "-n", help="Show at most this many rows.")]
Since = Annotated[Optional[str], typer.Option("--since", help="Only on or after this ISO date.")]
Until = Annotated[Optional[str], typer.Option("--until", help="Only on or before this ISO date.")]
FetchSeconds = Annotated[
    int,
    typer.Option(
        "--fetch-seconds", min=1, envvar=settings.SETTINGS["fetch_seconds"].env,
        help=settings.SETTINGS["fetch_seconds"].help,
    ),
]
DEFAULT_DB = str(settings.get("db"))


class Format(str, enum.Enum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    csv = "csv"
    html = "html"
    rss = "rss"


class ExportFormat(str, enum.Enum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"


class ExportTable(str, enum.Enum):
    articles = "articles"
    figures = "figures"
    quotes = "quotes"
    timexes = "timexes"
    events = "events"


def _fail(message: str, code: int = 1) -> None:
    err_console.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def _ledger(db: str) -> newsledger.Ledger:
    try:
        return newsledger.open(db)
    except NewsledgerError as exc:
        _fail(str(exc))


def _outlet_of(ledger: newsledger.Ledger, records) -> dict:
    return ledger.outlets(r.article_id for r in records)


def _run_ingest(paths: list[str], db: str, options, model, workers, batch_size, quiet: bool = False, dask=None):
    """Ingest with a progress bar; rejections are printed as they happen."""
    counts = {"ingested": 0, "duplicate": 0, "rejected": 0}
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True, disable=quiet) as progress:
        task = progress.add_task("reading", total=None)

        def on_progress(event: str, item) -> None:
            counts[event] += 1
            if event == "rejected":
                progress.console.print(f"[yellow]rejected[/yellow] {escape(item.item)}: {escape(item.reason)}")
            progress.update(
                task,
                description=f"ingested {counts['ingested']}, duplicates {counts['duplicate']}, "
                f"rejected {counts['rejected']}",
            )

        return newsledger.ingest(
            paths, db=db, options=options, model=model, workers=workers, batch_size=batch_size,
            on_progress=on_progress, dask=dask,
        )


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (walked) or feed URLs to read.")],
    db: Db = DEFAULT_DB,
    format: Annotated[Format, typer.Option("--format", help="Input format; auto sniffs each file.")] = Format.auto,
    workers: Annotated[
        Optional[int], typer.Option("--workers", help=settings.SETTINGS["workers"].help + " (default: the workers setting)")
    ] = None,
    dask: Annotated[
        Optional[str],
        typer.Option(
            "--dask",
            help="Run the pipeline on Dask instead of --workers: local:N starts a LocalCluster of N processes, "
            "tcp://host:8786 uses a running scheduler (its workers need newsledger installed).",
        ),
    ] = None,
    model: Annotated[Optional[str], typer.Option("--model", help=settings.SETTINGS["model"].help)] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help=settings.SETTINGS["batch_size"].help)] = int(
        settings.get("batch_size")
    ),
    text_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the article text.")] = "text",
    date_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the publication date.")] = "date",
    title_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the title.")] = "title",
    url_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the URL.")] = "url",
    source_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the outlet.")] = "source",
    max_bytes: Annotated[int, typer.Option(help=settings.SETTINGS["max_bytes"].help)] = int(settings.get("max_bytes")),
    fetch_seconds: FetchSeconds = int(settings.SETTINGS["fetch_seconds"].default),
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any item was rejected.")] = False,
    as_json: AsJson = False,
) -> None:
    """Read articles, extract figures, quotes, dates, events and entities, and store them."""
    from newsledger.readers import ReadOptions

    options = ReadOptions(
        format=format.value, text_field=text_field, date_field=date_field, title_field=title_field,
        url_field=url_field, source_field=source_field, max_bytes=max_bytes, fetch_seconds=fetch_seconds,
    )
    try:
        report = _run_ingest(paths, db, options, model, workers, batch_size, quiet=as_json, dask=dask)
    except NewsledgerError as exc:
        _fail(str(exc))
    if as_json:
        print_json(report)
    else:
        console.print(report.summary())
    if strict and report.rejected:
        raise typer.Exit(1)


_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600}
_EVENT_TYPE_HELP = "One of " + ", ".join(vocabulary.event_types()) + " (nlp/data/event_triggers.json)."
_METRIC_HELP = "One of " + ", ".join(vocabulary.metric_names()) + " (nlp/data/metrics.json, or the metrics_table setting)."


def _seconds(text: str) -> float:
    """ "90", "90s", "5m", "1h" as seconds."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in _DURATION_UNITS and not value[-1:].isdigit() else ""
    try:
        seconds = float(value[: len(value) - len(unit)]) * _DURATION_UNITS[unit]
    except ValueError:
        raise typer.BadParameter(f"{text!r}: expected seconds, or a number with s, m or h (60s, 5m, 1h)") from None
    if seconds <= 0:
        raise typer.BadParameter(f"{text!r}: the interval must be more than 0")
    return seconds


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="Feed URLs, files and folders to poll.")],
    db: Db = DEFAULT_DB,
    every: Annotated[str, typer.Option("--every", help="Time between cycles: 60, 60s, 5m, 1h.")] = "60s",
    cycles: Annotated[int, typer.Option("--cycles", help="Stop after this many cycles (0: run until Ctrl-C).")] = 0,
    workers: Annotated[
        Optional[int], typer.Option("--workers", help=settings.SETTINGS["workers"].help + " (default: the workers setting)")
    ] = None,
    model: Annotated[Optional[str], typer.Option("--model", help=settings.SETTINGS["model"].help)] = None,
    max_bytes: Annotated[int, typer.Option(help=settings.SETTINGS["max_bytes"].help)] = int(settings.get("max_bytes")),
    fetch_seconds: FetchSeconds = int(settings.SETTINGS["fetch_seconds"].default),
    alerts: Annotated[
        Optional[Path], typer.Option("--alerts", help="TOML file of alert rules (see `newsledger alerts --help`).")
    ] = None,
) -> None:
    """Poll feeds, files and folders; ingest only what is new; print one line per cycle (Ctrl-C stops).

    An unchanged feed costs one conditional request (ETag, Last-Modified), an
    unchanged file one stat; what was seen is kept in the store, so a restart
    goes on where the last run stopped. Feeds are fetched side by side, each
    within --fetch-seconds; a failing or slow source is retried with a
    growing delay and never stops the others."""
    from newsledger.alerts import load_rules
    from newsledger.readers import ReadOptions
    from newsledger.watch import Watcher

    interval = _seconds(every)
    try:
        rules = load_rules(alerts) if alerts else None
        options = ReadOptions(max_bytes=max_bytes, fetch_seconds=fetch_seconds)
        watcher = Watcher(sources, db=db, options=options, every=interval, model=model, workers=workers, rules=rules)
    except NewsledgerError as exc:
        _fail(str(exc))

    def report(cycle) -> None:
        typer.echo(cycle.line())  # a plain log line, never wrapped
        for item in cycle.rejected:
            err_console.print(f"[yellow]rejected[/yellow] {escape(item.item)}: {escape(item.reason)}")
        for alert in cycle.alerts:
            typer.echo(f"alert [{alert.rule}] {alert.message} (article {alert.article_id[:12]})")

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a service manager's stop is a Ctrl-C
    try:
        watcher.run(cycles, on_cycle=report)
    except KeyboardInterrupt:
        console.print(f"stopped after {watcher.cycles} cycles; the next run goes on from here")


@app.command("alerts")
def list_alerts(
    db: Db = DEFAULT_DB,
    rule: Annotated[Optional[str], typer.Option(help="Rule name (contains).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Raised on or after this ISO date or time.")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """Alerts raised by `newsledger watch --alerts RULES.toml`, newest first.

    A rules file (TOML) holds an array of tables named rule, each with a kind: new_figure (filters
    metric, place, population, claimant), series_crosses (value), series_moves
    (percent), new_conflict (metric, flag) or quote (speaker); and optionally
    webhook = "https://..." to POST each new alert as JSON. See the README."""
    rows = _ledger(db).alerts(rule=rule, since=since, limit=limit)
    if as_json:
        return print_json(rows)
    print_table("Alerts", ["raised", "rule", "alert", "article"],
                [[f"{a.created_at:%Y-%m-%d %H:%M}", a.rule, a.message, a.article_id[:12]] for a in rows],
                wrap=("alert",))


@app.command()
def demo(db: Db = DEFAULT_DB) -> None:
    """Ingest the example articles shipped with newsledger and summarise what was found."""
    from newsledger.readers import ReadOptions

    try:
        report = _run_ingest([str(newsledger.examples_path())], db, ReadOptions(), None, 1, None)
    except NewsledgerError as exc:
        _fail(str(exc))
    ledger = _ledger(db)
    counts = ledger.counts()
    console.print(f"[bold]newsledger[/bold] — example articles into {escape(db)}: {report.summary()}")
    console.print(
        f"The store holds {counts['articles']} articles, {counts['figures']} figures, {counts['quotes']} quotes, "
        f"{counts['timexes']} dates, {counts['events']} events and {counts['entities']} entities."
    )
    figures = ledger.figures(limit=5)
    print_table(
        "Figures",
        ["value", "qualifier", "metric", "population", "as of", "claimant", "quote"],
        [[f"{f.value:,}", f.qualifier, f.metric, f.population, f.as_of, f.claimant, f.quote] for f in figures],
        wrap=("quote",),
    )
    console.print(
        "Look further: [cyan]newsledger figures[/cyan], [cyan]newsledger quotes[/cyan], "
        "[cyan]newsledger timeline[/cyan], [cyan]newsledger entities[/cyan], [cyan]newsledger articles[/cyan], "
        "[cyan]newsledger show ID[/cyan], [cyan]newsledger search WORDS[/cyan] (add --json for machines)."
    )


@app.command()
def articles(
    db: Db = DEFAULT_DB,
    source: Annotated[Optional[str], typer.Option(help="Only outlets whose name contains this.")] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """List stored articles, newest first, with how much was extracted from each."""
    rows = _ledger(db).articles(source=source, since=since, until=until, limit=limit)
    if as_json:
        return print_json(rows)

    def day(a) -> str:
        if a.published:
            return a.published.isoformat()
        return f"~{a.published_inferred.date.isoformat()} (inferred)" if a.published_inferred else "—"

    print_table(
        "Articles",
        ["id", "published", "source", "title", "figures", "quotes", "dates", "events"],
        [[a.id[:12], day(a), a.source, a.title or a.origin, a.figures, a.quotes, a.timexes, a.events] for a in rows],
    )


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (a unique prefix is enough).")],
    db: Db = DEFAULT_DB,
    as_json: AsJson = False,
) -> None:
    """Show one article with everything extracted from it."""
    ledger = _ledger(db)
    extraction = ledger.article(article_id)
    if extraction is None:
        _fail(f"no article with id {article_id!r} (or the prefix is not unique)")
    place_texts = [e.canonical for e in extraction.entities if e.label == "place"]
    place_texts += [f.place for f in extraction.figures] + [e.place for e in extraction.events]
    resolved = ledger.resolve_places(place_texts)
    if as_json:
        return print_json({**to_jsonable(extraction), "places": to_jsonable(list(resolved.values()))})
    a = extraction.article
    inferred = extraction.published_inferred
    published = a.published or (
        f"~{inferred.date} inferred, between {inferred.first} and {inferred.last}" if inferred else "unknown"
    )
    console.print(f"[bold]{escape(a.title or a.id)}[/bold]\n{escape(a.source or '')} {escape(a.url or '')}")
    console.print(f"id {a.id} · published {published} · from {escape(a.origin or '—')}\n")
    console.print(escape(a.text), highlight=False)
    print_table(
        "Figures", ["span", "value", "qualifier", "metric", "population", "place", "as of", "claimant", "quote"],
        [[f"{f.start}-{f.end}", f"{f.value:,}", f.qualifier, f.metric, f.population, f.place, f.as_of,
          f.claimant, f.quote] for f in extraction.figures], wrap=("quote",),
    )
    print_table(
        "Quotes", ["span", "kind", "speaker", "cue", "content"],
        [[f"{q.start}-{q.end}", q.kind, q.speaker, q.cue, q.content_full or q.content] for q in extraction.quotes],
        wrap=("content",),
    )
    print_table("Dates", ["span", "text", "value"], [[f"{t.start}-{t.end}", t.text, t.value] for t in extraction.timexes])
    print_table(
        "Events", ["span", "type", "date", "place", "actors", "evidence"],
        [[f"{e.start}-{e.end}", e.type, e.date, e.place, e.actors, e.evidence] for e in extraction.events],
        wrap=("evidence",),
    )
    print_table(
        "Entities", ["span", "text", "type", "canonical"],
        [[f"{e.start}-{e.end}", e.text, e.label, e.canonical] for e in extraction.entities],
    )
    print_table(
        "Places", ["text", "resolved", "country", "region", "lat", "lon", "relation"],
        [[p.text, p.name or f"unresolved: {p.reason}", p.country_code, p.admin1,
          f"{p.latitude:.4f}" if p.latitude is not None else None,
          f"{p.longitude:.4f}" if p.longitude is not None else None, p.relation] for p in resolved.values()],
    )


@app.command()
def figures(
    db: Db = DEFAULT_DB,
    metric: Annotated[Optional[str], typer.Option(help=_METRIC_HELP)] = None,
    population: Annotated[Optional[str], typer.Option(help="Who or what is counted (contains).")] = None,
    side: Annotated[Optional[str], typer.Option(help="russian or ukrainian.")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place (contains).")] = None,
    claimant: Annotated[Optional[str], typer.Option(help="Claimant (contains).")] = None,
    since: Since = None,
    until: Until = None,
    article: Annotated[Optional[str], typer.Option(help="Only this article (id or prefix).")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """The figures ledger: every number with its metric, qualifier, place, date and claimant."""
    ledger = _ledger(db)
    rows = ledger.figures(
        metric=metric, population=population, side=side, place=place, claimant=claimant, since=since,
        until=until, article=article, limit=limit,
    )
    if as_json:
        return print_json(rows)
    outlets = _outlet_of(ledger, rows)
    sentences = ledger.sentences(rows)
    print_table(
        "Figures",
        ["value", "qualifier", "metric", "population", "side", "place", "as of", "claimant", "outlet", "article",
         "sentence"],
        [[f"{f.value:,}", f.qualifier, f.metric, f.population, f.side, f.place, f.as_of, f.claimant,
          outlets.get(f.article_id), f.article_id[:12], sentence] for f, sentence in zip(rows, sentences)],
        wrap=("sentence",),
    )


@app.command()
def quotes(
    db: Db = DEFAULT_DB,
    speaker: Annotated[Optional[str], typer.Option(help="Speaker name (contains).")] = None,
    search: Annotated[Optional[str], typer.Option(help="Words in the quote (contains).")] = None,
    kind: Annotated[Optional[str], typer.Option(help="direct or indirect.")] = None,
    since: Since = None,
    until: Until = None,
    article: Annotated[Optional[str], typer.Option(help="Only this article (id or prefix).")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """Quotes, direct and indirect, with their speakers."""
    ledger = _ledger(db)
    rows = ledger.quotes(speaker=speaker, search=search, kind=kind, since=since, until=until, article=article, limit=limit)
    if as_json:
        return print_json(rows)
    outlets = _outlet_of(ledger, rows)
    print_table(
        "Quotes", ["speaker", "cue", "kind", "outlet", "article", "content"],
        [[q.speaker, q.cue, q.kind, outlets.get(q.article_id), q.article_id[:12], q.content_full or q.content]
         for q in rows],
        wrap=("content",),
    )


@app.command()
def speakers(
    db: Db = DEFAULT_DB,
    search: Annotated[Optional[str], typer.Option(help="Speaker name (contains).")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """Who is quoted most, in how many articles and outlets."""
    rows = _ledger(db).speakers(search=search, limit=limit)
    if as_json:
        return print_json(rows)
    print_table("Speakers", ["speaker", "quotes", "articles", "outlets"],
                [[s.speaker, s.quotes, s.articles, s.outlets] for s in rows])


@app.command()
def timeline(
    db: Db = DEFAULT_DB,
    type: Annotated[Optional[str], typer.Option("--type", help=_EVENT_TYPE_HELP)] = None,
    place: Annotated[Optional[str], typer.Option(help="Place (contains).")] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 100,
    as_json: AsJson = False,
) -> None:
    """Dated events, oldest first, each with the outlets that reported it and their sentences."""
    rows = _ledger(db).timeline(type=type, place=place, since=since, until=until, limit=limit)
    if as_json:
        return print_json(rows)
    print_table(
        "Timeline", ["date", "type", "place", "actors", "reports", "outlets", "evidence"],
        [[t.event.date, t.event.type, t.event.place, t.event.actors, len(t.reports), t.outlets,
          "\n".join(f"{r.outlet or '—'}: {r.text}" for r in t.reports[:3])
          + (f"\n(+{len(t.reports) - 3} more)" if len(t.reports) > 3 else "")] for t in rows],
        wrap=("evidence",),
    )


@app.command()
def statements(
    db: Db = DEFAULT_DB,
    speaker: Annotated[Optional[str], typer.Option(help="Speaker name (contains).")] = None,
    search: Annotated[Optional[str], typer.Option(help="Words in the quote (contains).")] = None,
    min_outlets: Annotated[int, typer.Option(help="Only statements reported by at least this many outlets.")] = 1,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """Quotes grouped across articles: one statement, every outlet that reported it."""
    rows = _ledger(db).statements(speaker=speaker, search=search, min_outlets=min_outlets, limit=limit)
    if as_json:
        return print_json(rows)
    print_table(
        "Statements", ["speaker", "reports", "outlets", "independent", "quote"],
        [[s.quote.speaker, len(s.reports), s.outlets, s.independent, s.quote.content_full or s.quote.content]
         for s in rows],
        wrap=("quote",),
    )


def _series_json(s) -> dict:
    return {**to_jsonable(s), "latest_range": s.latest_range,
            "lines": [{**to_jsonable(line), "days": to_jsonable(line.days),
                       "points": [{**to_jsonable(p), "reported": p.reported} for p in line.points]}
                      for line in s.lines]}


@app.command()
def series(
    metric: Annotated[str, typer.Argument(help=_METRIC_HELP)],
    db: Db = DEFAULT_DB,
    population: Annotated[Optional[str], typer.Option(help="Population (contains): civilians, soldiers, children ...")] = None,
    side: Annotated[Optional[str], typer.Option(help="russian or ukrainian.")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place (contains); a figure naming none counts in Ukraine.")] = None,
    claimant: Annotated[Optional[str], typer.Option(
        help="The source: any spelling the claimant table knows ('the UN refugee agency', 'Grandi'), "
             "or words of its name ('refugee', 'human rights'). Without it, the sources found are listed.")] = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also draw the series to this PNG file.")] = None,
    limit: Limit = 5,
    as_json: AsJson = False,
) -> None:
    """Figure series: one line per source over as-of dates, each point with the day it was first reported.

    Without --claimant, lists the sources found for the metric with their point counts.
    """
    ledger = _ledger(db)
    rows = ledger.series(metric, population=population, side=side, place=place, claimant=claimant)[:limit]
    if plot:
        from newsledger.crossdoc.plot import plot_series

        plot_series(rows, plot)
        err_console.print(f"wrote {plot}")
    if claimant is None:
        found = ledger.series_claimants(metric, population=population, side=side, place=place)
        if as_json:
            return print_json([to_jsonable(c) for c in found[:limit]])
        print_table(
            f"Sources of {metric} figures (show one with --claimant NAME)",
            ["claimant", "series", "days", "points", "reports", "outlets", "first", "last", "written as"],
            [[c.claimant, c.series, c.days, c.points, c.reports, c.outlets, c.first, c.last,
              "; ".join(name for name, _ in c.names[:4])] for c in found[:limit]],
            wrap=("written as",),
        )
        return
    if as_json:
        return print_json([_series_json(s) for s in rows])
    for s in rows:
        low, high = s.latest_range
        for line in s.lines:
            print_table(
                f"{s.key}: {line.claimant}, {len(line.days)} days (latest figures range {low:,} – {high:,})",
                ["as of", "reported", "value", "qualifier", "reports", "outlets", "sentence"],
                [[p.as_of, p.reported, f"{p.value:,}", p.qualifier, len(p.reports),
                  ", ".join(sorted({r.outlet for r in p.reports if r.outlet})), p.reports[0].sentence]
                 for p in line.points],
                wrap=("sentence",),
            )
            console.print("written as: " + escape("; ".join(f"{name} ({n})" for name, n in line.names)))
    if not rows:
        console.print("(no series)")


@app.command()
def conflicts(
    db: Db = DEFAULT_DB,
    metric: Annotated[Optional[str], typer.Option(help="Only series of this metric.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="drop, far_apart, single_outlet or unnamed.")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """Flagged figures, each shown beside the figure it disagrees with."""
    rows = _ledger(db).conflicts(metric=metric, kind=kind, limit=limit)
    if as_json:
        return print_json(rows)

    def side(e) -> str:
        if e is None:
            return "—"
        f = e.figure
        return f"{f.value:,} ({f.qualifier}) as of {f.as_of or '?'}, {f.claimant or 'no claimant'} — {e.outlet or '?'} {f.article_id[:10]}: {e.sentence}"

    print_table("Conflicts", ["kind", "series", "detail", "figure", "against"],
                [[c.kind, c.series, c.detail, side(c.figure), side(c.other)] for c in rows], wrap=("figure", "against"))


@app.command()
def duplicates(db: Db = DEFAULT_DB, as_json: AsJson = False) -> None:
    """Clusters of near-identical articles (syndicated or lightly edited copies)."""
    rows = _ledger(db).duplicates()
    if as_json:
        return print_json(rows)
    print_table(
        "Duplicates", ["original", "outlet", "title", "copies"],
        [[c.original.article_id[:12], c.original.source, c.original.title,
          "\n".join(f"{x.article_id[:12]} {x.source} ({x.similarity:.2f})" for x in c.copies)] for c in rows],
        wrap=("copies",),
    )


@app.command("crossdoc")
def crossdoc_command(
    db: Db = DEFAULT_DB,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute everything instead of only what is new.")] = False,
) -> None:
    """Bring duplicates, statements, event clusters and figure flags up to date (ingest does this itself)."""
    from newsledger import crossdoc
    from newsledger.store import open_engine

    engine = open_engine(db)
    report = crossdoc.rebuild(engine) if rebuild else crossdoc.update(engine)
    console.print(
        f"processed {report.articles} articles: {report.duplicate_clusters} duplicate clusters, "
        f"{report.quote_groups} statements, {report.event_clusters} event clusters, {report.flags} flags changed"
    )


@app.command()
def entities(
    db: Db = DEFAULT_DB,
    type: Annotated[Optional[str], typer.Option("--type", help="person, organisation, government, place or group.")] = None,
    search: Annotated[Optional[str], typer.Option(help="Name (contains).")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """People, bodies and places, by canonical name, most mentioned first."""
    rows = _ledger(db).entities(label=type, search=search, limit=limit)
    if as_json:
        return print_json(rows)
    print_table("Entities", ["name", "type", "mentions", "articles", "outlets"],
                [[e.canonical, e.label, e.mentions, e.articles, e.outlets] for e in rows])


@app.command()
def places(
    db: Db = DEFAULT_DB,
    search: Annotated[Optional[str], typer.Option(help="Place name (contains).")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """Places named in the articles, resolved offline to GeoNames records with coordinates."""
    rows = _ledger(db).places(search=search, limit=limit)
    if as_json:
        return print_json(rows)
    print_table(
        "Places", ["name", "country", "region", "lat", "lon", "geonames", "mentions", "figures", "events"],
        [[p.name, p.country_code, p.admin1, f"{p.latitude:.4f}", f"{p.longitude:.4f}", p.geonames_id, p.mentions,
          p.figures, p.events] for p in rows],
    )


@app.command()
def geocode(
    texts: Annotated[Optional[list[str]], typer.Argument(help="Place texts, e.g. 'Chuhuiv, south of Kharkiv'.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="Read place texts from this file, one a line.")] = None,
) -> None:
    """Resolve place texts offline; prints one JSON object a line (null fields and a reason when unresolved)."""
    from newsledger.places import geocode_many

    items = list(texts or [])
    if file:
        items += [line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not items:
        _fail("give place texts as arguments or with --file", code=2)
    for text, result in zip(items, geocode_many(items)):
        place = result.place
        print(json.dumps({
            "input": text,
            "name": place.name if place else None,
            "country_code": place.country_code if place else None,
            "admin1": place.admin1 if place else None,
            "latitude": place.latitude if place else None,
            "longitude": place.longitude if place else None,
            "geonames_id": place.geonames_id if place else None,
            "relation": place.relation if place else None,
            "reason": result.reason,
        }, ensure_ascii=False))


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find (all of them).")],
    db: Db = DEFAULT_DB,
    limit: Limit = 20,
    as_json: AsJson = False,
) -> None:
    """Full-text search over article titles and texts."""
    rows = _ledger(db).search(text, limit=limit)
    if as_json:
        return print_json(rows)
    print_table(
        f"Search: {text}", ["article", "published", "source", "title", "snippet"],
        [[h.article_id[:12], h.published, h.source, h.title, h.snippet] for h in rows],
        wrap=("snippet",),
    )


@app.command()
def export(
    db: Db = DEFAULT_DB,
    format: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl, csv, or geojson (places with their figures and events).")
    ] = ExportFormat.jsonl,
    what: Annotated[
        ExportTable,
        typer.Option("--what", help="articles (JSONL: each article with all its extractions) or one record table."),
    ] = ExportTable.articles,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Export the store as JSON lines or CSV."""
    from newsledger.export import export_records

    stream = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        count = export_records(_ledger(db), stream, what=what.value, format=format.value)
    except ValueError as exc:
        _fail(str(exc), code=2)
    finally:
        if out:
            stream.close()
    err_console.print(f"exported {count} {'places' if format is ExportFormat.geojson else what.value}")


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL file (SPEC section 6).", exists=True, dir_okay=False)],
    table: Annotated[bool, typer.Option("--table", help="Print a readable table instead of JSON.")] = False,
    details: Annotated[bool, typer.Option("--details", help="Add per-article misses and false alarms.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help=settings.SETTINGS["model"].help)] = None,
) -> None:
    """Score the pipeline against a gold file as SPEC.md section 7 says."""
    from newsledger.evaluation import evaluate as run_evaluation
    from newsledger.evaluation import format_table

    try:
        report = run_evaluation(gold, model=model, details=details)
    except NewsledgerError as exc:
        _fail(str(exc))
    if table:
        print(format_table(report))
    else:
        print(json.dumps(report, ensure_ascii=False, indent=None if not details else 2))


@app.command()
def serve(
    db: Db = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1 keeps it local).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        Optional[str], typer.Option(envvar=settings.SETTINGS["token"].env, help=settings.SETTINGS["token"].help)
    ] = None,
) -> None:
    """Serve the web app and its JSON API over the store (read-only unless a token is given)."""
    import uvicorn

    from newsledger.api import create_app

    try:
        web_app = create_app(db, token=token or None)
    except NewsledgerError as exc:
        _fail(str(exc))
    mode = "accepting POST /api/articles with the token" if token else "read-only"
    err_console.print(f"serving {escape(db)} on http://{host}:{port}/ ({mode})")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


def main() -> None:
    app()
