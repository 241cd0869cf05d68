"""Thin click commands over the build and search services; errors become one clear line."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import click

from .config import Settings, load_settings
from .errors import IndexMissingError, PolyfindError
from .limits import MAX_PAGE, MAX_PER_PAGE

CONFIG = click.option("--config", "config_path", type=click.Path(path_type=Path),
                      help="Settings file (default: ./config.toml).")
LOG_LEVELS = ("debug", "info", "warning", "error")
# Skipped items listed one a line after a build; a feed with thousands of bad lines is cut.
SKIPPED_SHOWN = 200
INDEX = click.option("--index", "index_dir", type=click.Path(path_type=Path),
                     help="Index folder (overrides index.path).")


def settings_from(config_path: Path | None, index_dir: Path | None = None,
                  corpus_dir: Path | None = None) -> Settings:
    settings = load_settings(config_path)
    if index_dir is not None:
        settings = replace(settings, index=replace(settings.index, path=index_dir.resolve()))
    if corpus_dir is not None:
        settings = replace(settings, corpus=replace(settings.corpus, path=corpus_dir.resolve()))
    return settings


@click.group()
@click.version_option(package_name="polyfind")
@click.option("--log-level", type=click.Choice(LOG_LEVELS, case_sensitive=False),
              default="warning", show_default=True,
              help="What polyfind logs to stderr (info: builds, generation switches, "
                   "partial answers, worker exits).")
def cli(log_level: str) -> None:
    """polyfind: search for Georgian, Hebrew, Kazakh, Polish and Afrikaans."""
    logging.basicConfig(level=log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@cli.command()
@CONFIG
@INDEX
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path),
              help="Corpus folder (overrides corpus.path).")
@click.option("--site", "site_dir", type=click.Path(path_type=Path),
              help="A built static site's output folder to index instead (corpus.site).")
@click.option("--base-url", help="Where that site is published, e.g. https://example.org "
              "(corpus.base_url): result links point there.")
@click.option("--rebuild", is_flag=True, help="Rebuild everything instead of only what changed.")
def index(config_path: Path | None, index_dir: Path | None, corpus_dir: Path | None,
          site_dir: Path | None, base_url: str | None, rebuild: bool) -> None:
    """Build or update the index from the corpus or a built site (switched in atomically)."""
    if corpus_dir is not None and site_dir is not None:
        raise click.UsageError("give --corpus or --site, not both")
    settings = settings_from(config_path, index_dir, corpus_dir)
    if site_dir is not None or base_url is not None:
        settings = with_site(settings, site_dir, base_url)
    click.echo(format_summary(build_with_progress(settings, rebuild), settings))


def with_site(settings: Settings, site_dir: Path | None, base_url: str | None) -> Settings:
    """The settings with the site folder and its address from the command line."""
    from .config import check_base_url

    site = site_dir.resolve() if site_dir is not None else settings.corpus.site
    if site is None:
        raise click.UsageError("--base-url goes with --site (or corpus.site in config.toml)")
    base = settings.corpus.base_url if base_url is None else base_url
    check_base_url(None, base)
    return replace(settings, corpus=replace(settings.corpus, site=site, base_url=base))


def build_with_progress(settings: Settings, rebuild: bool = False):
    """Build the index, counting the documents written on stderr when it is a terminal
    (the corpus is streamed: how many there are is known only at the end)."""
    from .build import build_index

    if not sys.stderr.isatty():
        return build_index(settings, rebuild=rebuild)
    shown_at, written = 0.0, 0

    def show() -> None:
        click.echo(f"\rIndexing: {written:,} documents written", nl=False, err=True)

    def progress(done: int) -> None:
        nonlocal shown_at, written
        written = done
        if time.monotonic() - shown_at >= 0.25:
            shown_at = time.monotonic()
            show()

    try:
        return build_index(settings, rebuild=rebuild, progress=progress)
    finally:
        if written:
            show()
            click.echo(err=True)


def format_summary(summary, settings: Settings) -> str:
    if not summary.changed:
        return (f"nothing changed: generation {summary.generation} stays live "
                f"({summary.documents} documents checked in {summary.seconds:.1f} s, "
                f"index at {settings.index.path})")
    lines = [(f"{summary.mode} build, generation {summary.generation}: {summary.documents} "
              f"documents in {summary.seconds:.1f} s, index {summary.size_bytes / 1e6:.1f} MB "
              f"at {settings.index.path}")]
    if summary.resumed:
        lines.append(f"  continued a killed build that had written {summary.resumed} documents "
                     "(counted as unchanged below)")
    lines.append(f"  {'lang':<5} {'added':>6} {'updated':>8} {'deleted':>8} {'unchanged':>10}")
    for lang, c in sorted(summary.per_language.items()):
        lines.append(f"  {lang:<5} {c.added:>6} {c.updated:>8} {c.deleted:>8} {c.unchanged:>10}")
    for lang, count in sorted(summary.generic_languages.items()):
        lines.append(f"  note: {count} document(s) in '{lang}' indexed with the generic analyzer"
                     " (no language module for it)")
    for path, reason in summary.skipped[:SKIPPED_SHOWN]:
        lines.append(f"  skipped {path}: {reason}")
    if len(summary.skipped) > SKIPPED_SHOWN:
        lines.append(f"  ... and {len(summary.skipped) - SKIPPED_SHOWN} more not shown")
    if summary.skipped:
        lines.append(f"  {len(summary.skipped)} item(s) skipped (files, .jsonl lines or "
                     "duplicate articles); the rest was indexed")
    return "\n".join(lines)


@cli.command()
@click.argument("query")
@CONFIG
@INDEX
@click.option("--lang", help="Only results in this language (ka, he, kk, pl, af, ...).")
@click.option("--limit", type=click.IntRange(1, MAX_PER_PAGE), default=None,
              help="Results per page  [default: search.per_page in the config]")
@click.option("--page", type=click.IntRange(1, MAX_PAGE), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the web API's JSON structure.")
@click.option("--prefix", is_flag=True,
              help="Match the last word as a beginning too (sprzed finds sprzedaż).")
@click.option("--explain", is_flag=True,
              help="Show how each hit's score is made: every term's part, the words matched.")
def search(query: str, config_path: Path | None, index_dir: Path | None, lang: str | None,
           limit: int | None, page: int, as_json: bool, prefix: bool, explain: bool) -> None:
    """Search the index."""
    from .search import SearchService

    service = SearchService(settings_from(config_path, index_dir))
    response = service.search(query, lang=lang, page=page, per_page=limit,
                              prefix="on" if prefix else "off", explain=explain)
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(format_response(response, color=sys.stdout.isatty()))


MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def terminal_text(html_text: str, color: bool) -> str:
    """Snippet HTML for a terminal: marks in bold reverse video (or [brackets] without color)."""
    import html

    marked = MARK.sub(lambda m: f"\x1b[1;7m{m.group(1)}\x1b[0m" if color else f"[{m.group(1)}]",
                      html_text)
    return html.unescape(marked)


def format_response(response, color: bool) -> str:
    facets = ", ".join(f"{k} {v}" for k, v in sorted(response.facets["lang"].items()))
    lines = [f"{response.total} result(s) for {response.query!r}"
             + (f" ({facets})" if facets else "") + f" in {response.took_ms:.0f} ms"]
    if response.partial:
        lines.append("Partial results: the search ran out of time (or the query has too many "
                     "words); some hits may be missing. Try fewer words.")
    if response.suggestion:
        lines.append(f"Did you mean: {response.suggestion}")
    first = (response.page - 1) * response.per_page
    for n, hit in enumerate(response.results, start=first + 1):
        lines.append("")
        lines.append(f"{n}. [{hit.lang}] {terminal_text(hit.title_html, color)}   ({hit.id}, "
                     f"score {hit.score:.2f})")
        lines.append(f"   {terminal_text(hit.snippet, color)}")
        if hit.translations:
            lines.append("   also in: " + ", ".join(f"{t.lang} {t.id}" for t in hit.translations))
        if hit.explain is not None:
            from .search.explain import format_explanation

            lines.extend(format_explanation(hit.explain))
    if not response.results:
        lines.append("No results. Try fewer or other words, check the spelling, or drop --lang.")
    return "\n".join(lines)


@cli.command()
@CONFIG
@INDEX
@click.option("--json", "as_json", is_flag=True)
def info(config_path: Path | None, index_dir: Path | None, as_json: bool) -> None:
    """What is indexed: documents per language, generation, size, when and from what."""
    from .resume import committed
    from .search import SearchService

    settings = settings_from(config_path, index_dir)
    unfinished = committed(settings.index.path)
    try:
        data = SearchService(settings).info()
    except IndexMissingError as exc:
        if not unfinished:
            raise
        folder, documents = next(iter(unfinished.items()))
        raise IndexMissingError(f"{exc}; {folder} holds the {documents} documents a killed first "
                                "build committed, which `polyfind index` continues") from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"index      {data['path']}")
    click.echo(f"generation {data['generation']}, built {data['built_at']}")
    click.echo(f"corpus     {data['corpus']}")
    click.echo(f"size       {data['size_bytes'] / 1e6:.1f} MB")
    click.echo(f"documents  {data['documents']}")
    for lang, count in sorted(data["languages"].items()):
        click.echo(f"  {lang}: {count}")
    for folder, documents in unfinished.items():
        click.echo(f"unfinished {folder}: {documents} documents committed (a build under way, "
                   "or a killed one that `polyfind index` continues)")


@cli.command()
@click.argument("text")
@click.option("--lang", required=True, help="Language code whose rules to apply.")
def analyze(text: str, lang: str) -> None:
    """Show each token of TEXT: surface, normalized, stems, folded, offsets."""
    from .analysis import get_language, registry
    from .analysis.pipeline import analyze as run

    language = get_language(lang)
    if lang not in registry():
        click.echo(f"note: no analyzer for '{lang}', using generic rules", err=True)
    click.echo(f"{'surface':<20} {'normalized':<20} {'stems':<28} {'folded':<24} offsets")
    for t in run(lang, text):
        flag = " (compound)" if t.compound else (" (stopword)" if t.stopword else "")
        click.echo(f"{t.surface:<20} {t.normalized:<20} {'|'.join(t.stems):<28} "
                   f"{'|'.join(t.folded):<24} {t.start}-{t.end}{flag}")
    if language.transliterate and text.isascii():
        click.echo(f"transliterated: {language.transliterate(text)}")


def main() -> None:
    """Entry point: run the CLI; user errors are one line on stderr and exit code 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("polyfind: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PolyfindError as exc:
        click.echo(f"polyfind: error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("polyfind: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # never a traceback for users; POLYFIND_DEBUG=1 shows it
        if os.environ.get("POLYFIND_DEBUG"):
            raise
        click.echo(f"polyfind: internal error: {exc.__class__.__name__}: {exc} "
                   "(run with POLYFIND_DEBUG=1 for details)", err=True)
        sys.exit(70)


@cli.command(name="eval")
@CONFIG
@click.option("--sets", "sets_dir", type=click.Path(path_type=Path),
              default=Path("tests/relevance"), show_default=True,
              help="Folder of relevance sets (<lang>.jsonl).")
@click.option("--ud", "ud_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="Instead of the relevance sets: Universal Dependencies treebanks "
                   "(<lang>_<treebank>-ud-<part>.conllu files, searched recursively).")
@click.option("--split", type=click.Choice(["tune", "report", "both"]), default="both",
              show_default=True,
              help="With --ud: tune = dev/train files (tune on these), report = test files "
                   "(Kazakh: its test file halved by document).")
@click.option("--lang", "langs", multiple=True, help="With --ud: only this language (repeatable).")
@click.option("--only", type=click.Choice(["conflation", "retrieval"]),
              help="With --ud: only this measurement (conflation takes seconds).")
@click.option("--distractors", type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="Without --ud: a folder of documents indexed with the corpus, so that the "
                   "judged articles compete with many others (e.g. `python bench/corpus.py "
                   "7500 --vocab real --out DIR`).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_command(config_path: Path | None, sets_dir: Path, ud_dir: Path | None, split: str,
                 langs: tuple[str, ...], only: str | None, distractors: Path | None,
                 as_json: bool) -> None:
    """Relevance against plain-Whoosh baselines built in the same run.

    Without --ud: the shipped relevance sets, per language and kind of query (MRR@10, nDCG@10,
    S@1). With --ud DIR: on real treebank text, per language, (1) how well each system's
    stems group a lemma's written forms (precision/recall/F1 of form pairs against gold
    lemmas) and (2) known-item search for UD documents by 2-3 of their rarer words typed in
    another inflected form, and typed verbatim as a control (MRR@10, S@1). Baselines: plain
    Whoosh, Whoosh with words cut to 5 letters, Whoosh with Snowball (Polish; Dutch for
    Afrikaans), and for conflation Hunspell's dictionaries where installed. Queries are
    sampled with a fixed seed: the same files give the same queries.

    Treebanks: https://github.com/UniversalDependencies (e.g. UD_Polish-PDB, UD_Hebrew-HTB,
    UD_Kazakh-KTB, UD_Afrikaans-AfriBooms, UD_Georgian-GLC); keep them out of the repository.
    """
    settings = settings_from(config_path)
    if ud_dir is not None:
        if distractors is not None:
            raise click.UsageError("--distractors goes with the relevance sets, not --ud")
        from .evaluation.suite import evaluate_ud, format_ud

        splits = ("tune", "report") if split == "both" else (split,)
        measures = (only,) if only else ("conflation", "retrieval")
        results = evaluate_ud(settings, ud_dir, splits, set(langs) or None, measures)
        click.echo(json.dumps(results, indent=2) if as_json else format_ud(results))
        return
    from .evaluate import evaluate, format_report

    report = evaluate(settings, sets_dir, distractors)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else format_report(report))


@cli.command()
@CONFIG
@INDEX
@click.option("--host", help="Address to listen on (default: serve.host).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: serve.port).")
def serve(config_path: Path | None, index_dir: Path | None, host: str | None,
          port: int | None) -> None:
    """Serve the search page, JSON API and widget (builds the index first if missing)."""
    from search_web.server import bind
    from search_web.server import serve as serve_forever

    from .layout import current_dir

    settings = settings_from(config_path, index_dir)
    host = host or settings.serve.host
    port = port or settings.serve.port
    listener = bind(host, port)  # a busy port is said at once, not after a build
    try:
        current_dir(settings.index.path)
    except IndexMissingError:
        click.echo(f"No index at {settings.index.path} yet: building it first.", err=True)
        click.echo(format_summary(build_with_progress(settings), settings), err=True)
    workers = settings.serve.workers or os.cpu_count() or 1
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL

    def ready() -> None:  # gunicorn has the port: only now say so
        click.echo(f"polyfind: serving http://{shown}:{port}/ with {workers} worker "
                   "process(es) (Ctrl+C to stop, SIGHUP to restart workers gracefully)",
                   err=True)

    serve_forever(settings, listener, workers, ready)
