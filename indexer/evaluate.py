"""`polyfind eval`: relevance figures of the product against two baselines built in the same run.

Baselines: plain Whoosh (StandardAnalyzer, title and body, OR query) and the same with every
token cut to its first 5 characters (crude stemming that is strong on inflected languages).
Metrics per language and per kind of query: MRR@10, nDCG@10 (graded gains) and success@1,
plus the subset of queries where no query word appears in the answer as typed ("unseen"),
every query with its last word cut in half, searched as typed ("truncated", not in "all"), and
every query whole as the page and widget send it, its last word also a beginning ("as-typed").
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import Stemmer
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.analysis import Filter, StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import Term

from .analysis.normalize import normalize
from .analysis.tokenize import tokenize
from .build import build_index
from .config import Settings
from .corpus import Document, read_corpus
from .errors import CorpusError, PolyfindError, QueryError
from .query import QUOTES
from .search import SearchService

K = 10
SYSTEMS = ("polyfind", "whoosh", "prefix5")
# Shortest last word a truncated query is made from (shorter halves say too little).
TRUNCATE_FROM = 4


@dataclass(frozen=True)
class Judged:
    """One query of a relevance set with its graded relevant documents."""

    id: str
    lang: str
    query: str
    kind: str
    relevant: dict[str, int]
    prefix: str = "off"  # the search's prefix mode (indexer.query.prefix_mode)


@dataclass
class Scores:
    mrr: float = 0.0
    ndcg: float = 0.0
    success1: float = 0.0
    n: int = 0

    def add(self, ranked: list[str], relevant: dict[str, int]) -> None:
        self.n += 1
        rank = next((i for i, d in enumerate(ranked[:K], 1) if relevant.get(d, 0) > 0), None)
        self.mrr += 1 / rank if rank else 0.0
        self.success1 += 1.0 if rank == 1 else 0.0
        dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 1)
                  for i, d in enumerate(ranked[:K], 1))
        ideal = sorted(relevant.values(), reverse=True)[:K]
        idcg = sum((2 ** g - 1) / math.log2(i + 1) for i, g in enumerate(ideal, 1))
        self.ndcg += dcg / idcg if idcg else 0.0

    def mean(self) -> dict[str, float]:
        n = self.n or 1
        return {"mrr": round(self.mrr / n, 4), "ndcg": round(self.ndcg / n, 4),
                "success@1": round(self.success1 / n, 4), "n": self.n}


@dataclass
class Report:
    """(language, kind) → system → mean scores; kind 'all' and 'unseen' included."""

    table: dict[tuple[str, str], dict[str, dict[str, float]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {f"{lang}/{kind}": systems for (lang, kind), systems in sorted(self.table.items())}


def load_relevance(folder: Path) -> list[Judged]:
    judged = []
    for path in sorted(folder.glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                judged.append(Judged(row["id"], path.stem, row["query"], row["kind"],
                                     {k: int(v) for k, v in row["relevant"].items()}))
            except (ValueError, KeyError, TypeError) as exc:
                raise PolyfindError(f"{path}:{lineno}: bad relevance row ({exc})") from None
    if not judged:
        raise PolyfindError(f"no relevance sets (*.jsonl) in {folder}")
    return judged


class PrefixFilter(Filter):
    """Cuts every token to its first 5 characters (the crude baseline's only 'stemming')."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = token.text[:5]
            yield token


class SnowballFilter(Filter):
    """Stems every token with a Snowball stemmer (PyStemmer), made on first use: the
    analyzer is pickled into the index, a stemmer object cannot be."""

    def __init__(self, algorithm: str):
        self.algorithm = algorithm
        self._stemmer = None

    def __getstate__(self) -> dict:
        return {"algorithm": self.algorithm, "_stemmer": None}

    def __call__(self, tokens):
        if self._stemmer is None:
            self._stemmer = Stemmer.Stemmer(self.algorithm)
        for token in tokens:
            token.text = self._stemmer.stemWord(token.text)
            yield token


def baseline_analyzer(prefix: bool = False, snowball: str | None = None):
    """Whoosh's StandardAnalyzer, with every token cut to 5 characters when `prefix`, or
    stemmed by the Snowball stemmer named `snowball`."""
    if prefix:
        return StandardAnalyzer() | PrefixFilter()
    if snowball:
        return StandardAnalyzer() | SnowballFilter(snowball)
    return StandardAnalyzer()


def baseline_index(folder: Path, docs: list[Document], analyzer):
    """A plain Whoosh index of `docs` (title and body through `analyzer`) in `folder`."""
    schema = Schema(id=ID(stored=True, unique=True), lang=ID(stored=True),
                    title=TEXT(analyzer=analyzer, field_boost=2.0), body=TEXT(analyzer=analyzer))
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(id=doc.id, lang=doc.lang, title=doc.title, body=doc.body)
    return ix


def baseline_search(ix) -> Callable[[Judged], list[str]]:
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)

    def search(item: Judged) -> list[str]:
        with ix.searcher(weighting=scoring.BM25F()) as searcher:
            try:
                query = parser.parse(item.query)
            except Exception:  # noqa: BLE001 - a query plain Whoosh cannot parse finds nothing
                return []
            hits = searcher.search(query, limit=K, filter=Term("lang", item.lang))
            return [hit["id"] for hit in hits]
    return search


def product_search(service: SearchService) -> Callable[[Judged], list[str]]:
    def search(item: Judged) -> list[str]:
        try:
            response = service.search(item.query, lang=item.lang, per_page=K,
                                      prefix=item.prefix)
        except QueryError:
            return []
        return [hit.id for hit in response.results]
    return search


def truncated(item: Judged) -> Judged | None:
    """The query with its last word cut in half (at least 2 letters kept), searched as typed
    in a search-as-you-type box (prefix=auto): kind `truncated`. None for phrases, an
    excluded last word, or a last word of fewer than TRUNCATE_FROM letters."""
    words = item.query.split()
    last = words[-1] if words else ""
    if item.kind == "phrase" or last.startswith("-") or any(q in item.query for q in QUOTES) \
            or len(last) < TRUNCATE_FROM or not last.isalpha():
        return None
    cut = " ".join([*words[:-1], last[:max(2, (len(last) + 1) // 2)]])
    return replace(item, id=f"{item.id}-truncated", query=cut, kind="truncated", prefix="auto")


def as_typed(item: Judged) -> Judged:
    """The whole query as the search page and widget send it while it is typed and after
    (prefix=auto: its last word is also a beginning): kind `as-typed`, not in "all"."""
    return replace(item, id=f"{item.id}-as-typed", kind="as-typed", prefix="auto")


def is_unseen(item: Judged, docs: dict[str, Document]) -> bool:
    """No word of the query stands as typed in any grade-2 answer."""
    answers = [docs[d] for d, g in item.relevant.items() if g >= 2 and d in docs]
    words = {normalize(t.text) for t in tokenize(item.query)}
    texts = [{normalize(t.text) for t in tokenize(f"{d.title} {d.body}")} for d in answers]
    return bool(texts) and all(not (words & text) for text in texts)


def evaluate(settings: Settings, relevance_dir: Path, distractors: Path | None = None
             ) -> Report:
    """Every system's figures on the relevance sets; with `distractors` (a folder of
    documents, e.g. bench/corpus.py's), those are indexed with the corpus, as the other
    articles of a big site would be."""
    judged = load_relevance(relevance_dir)
    with tempfile.TemporaryDirectory(prefix="polyfind-eval-") as tmp:
        root = Path(tmp)
        if distractors is not None:
            settings = with_distractors(settings, distractors, root / "corpus")
        docs = read_corpus(settings.corpus).documents
        by_id = {d.id: d for d in docs}
        product = replace(settings, index=replace(settings.index, path=root / "polyfind"))
        build_index(product, rebuild=True)
        (root / "whoosh").mkdir()
        (root / "prefix5").mkdir()
        systems = {
            "polyfind": product_search(SearchService(product)),
            "whoosh": baseline_search(baseline_index(root / "whoosh", docs, baseline_analyzer())),
            "prefix5": baseline_search(baseline_index(root / "prefix5", docs,
                                                      baseline_analyzer(prefix=True))),
        }
        scores: dict[tuple[str, str], dict[str, Scores]] = defaultdict(
            lambda: {name: Scores() for name in SYSTEMS})
        cut = [t for t in map(truncated, judged) if t is not None]
        for item in [*judged, *cut, *map(as_typed, judged)]:
            kinds = [item.kind] if item.prefix != "off" else \
                ["all", item.kind] + (["unseen"] if is_unseen(item, by_id) else [])
            for name, search in systems.items():
                ranked = search(item)
                for kind in kinds:
                    scores[(item.lang, kind)][name].add(ranked, item.relevant)
                    scores[("ALL", kind)][name].add(ranked, item.relevant)
    return Report({key: {name: s.mean() for name, s in value.items()}
                   for key, value in scores.items()})


def with_distractors(settings: Settings, distractors: Path, folder: Path) -> Settings:
    """Settings whose corpus is a copy of the configured corpus with the distractor
    documents beside it (in `folder`/distractors), the corpus's own paths unchanged so that
    its per-file languages still apply."""
    if settings.corpus.site is not None:
        raise CorpusError("--distractors needs a corpus folder: corpus.site is set in the "
                          "settings; remove it to evaluate on the corpus")
    if not settings.corpus.path.is_dir():
        raise CorpusError(f"corpus folder {settings.corpus.path} does not exist: set "
                          "corpus.path in config.toml")
    if not distractors.is_dir():
        raise CorpusError(f"--distractors {distractors} is not a folder: give a folder of "
                          "documents (.txt, .md, .html, .jsonl)")
    shutil.copytree(settings.corpus.path, folder, symlinks=True)
    if (folder / "distractors").exists():
        raise CorpusError(f"the corpus {settings.corpus.path} has a 'distractors' entry: "
                          "rename it to evaluate with --distractors")
    shutil.copytree(distractors, folder / "distractors", symlinks=True)
    return replace(settings, corpus=replace(settings.corpus, path=folder))


def format_report(report: Report) -> str:
    header = (f"{'lang':<4} {'kind':<13} {'n':>3}  "
              + "  ".join(f"{s + ' MRR/nDCG/S@1':<26}" for s in SYSTEMS))
    lines = [header, "-" * len(header)]
    for (lang, kind), systems in sorted(report.table.items(),
                                        key=lambda kv: (kv[0][0] == "ALL", kv[0][0],
                                                        kv[0][1] != "all", kv[0][1])):
        cells = []
        for name in SYSTEMS:
            m = systems[name]
            cells.append(f"{m['mrr']:.3f} / {m['ndcg']:.3f} / {m['success@1']:.3f}".ljust(26))
        lines.append(f"{lang:<4} {kind:<13} {systems['polyfind']['n']:>3}  " + "  ".join(cells))
    return "\n".join(lines)
