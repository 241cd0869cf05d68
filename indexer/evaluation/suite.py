"""`polyfind eval --ud`: conflation and known-item retrieval per language, for polyfind and
the Whoosh baselines, on the tune and/or report split of the treebanks in a folder."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import Stemmer

from ..analysis.pipeline import word_views
from ..build import build_index
from ..config import Settings
from ..corpus import Document
from ..evaluate import (
    Judged,
    Scores,
    baseline_analyzer,
    baseline_index,
    baseline_search,
    product_search,
)
from ..search import SearchService
from . import hunspell
from .conflation import Conflation, conflation, lemma_forms
from .retrieval import KINDS, KnownItem, kinds, known_items
from .ud import SPLITS, Treebank, UDDocument, documents, load_splits

SYSTEMS = ("polyfind", "whoosh", "prefix5", "snowball")
# Snowball stemmers (PyStemmer) per language; Afrikaans gets Dutch, its closest. Hebrew,
# Kazakh and Georgian have none: there the snowball baseline is plain Whoosh.
SNOWBALL = {"pl": "polish", "af": "dutch"}
SEED = 17
MEASURES = ("conflation", "retrieval")
# Queries typed in Latin letters should score within this of the same in the script.
ROMANIZED_GAP = 0.05
# whoosh has no stems; hunspell is a dictionary anchor for conflation only
CONFLATION_COLUMNS = ("polyfind", "prefix5", "snowball", "hunspell")


def index_terms(system: str, lang: str) -> Callable[[str], Iterable[str]]:
    """A written form's stem-view terms in `system` (conflation compares these)."""
    if system == "polyfind":
        return lambda form: (word_views(lang, form) or ("", (), (), False))[1]
    if system == "prefix5":
        return lambda form: (form[:5],)
    if system == "snowball":
        stemmer = Stemmer.Stemmer(SNOWBALL[lang])
        return lambda form: (stemmer.stemWord(form),)
    return lambda form: (form,)


def conflation_table(bank: Treebank) -> dict[str, Conflation]:
    """Per system (and Hunspell's dictionary stems where installed): P/R/F1 of form pairs."""
    lemmas = lemma_forms(w for s in bank.sentences for w in s.words)
    table = {system: conflation(lemmas, index_terms(system, bank.lang))
             for system in SYSTEMS
             if system != "whoosh" and (system != "snowball" or bank.lang in SNOWBALL)}
    if hunspell.available(bank.lang):
        # an unknown word keeps itself as its only term: it is conflated with nothing
        found = hunspell.stems(bank.lang, lemmas)
        table["hunspell"] = conflation(lemmas, lambda form: found.get(form) or {form})
    return table


def retrieval_table(settings: Settings, docs: dict[str, list[UDDocument]],
                    items: dict[str, list[KnownItem]]) -> dict[str, dict[str, dict]]:
    """(lang | ALL) -> 'kind/system' -> mean scores over that language's queries."""
    scores: dict[str, dict[str, Scores]] = {}
    with tempfile.TemporaryDirectory(prefix="polyfind-eval-ud-") as tmp:
        root = Path(tmp)
        product = product_search(_product_service(settings, root, docs))
        for lang, lang_docs in docs.items():
            searchers = {"polyfind": product, **_baselines(root / lang, lang, lang_docs)}
            for item in items[lang]:
                for kind in kinds(lang):
                    judged = item.judged(kind)
                    # ALL is over the kinds every language has
                    keys = (lang, "ALL") if kind in KINDS else (lang,)
                    for system, search in searchers.items():
                        ranked = search(judged)
                        for key in keys:
                            cell = scores.setdefault(key, {})
                            cell.setdefault(f"{kind}/{system}", Scores()).add(
                                ranked, judged.relevant)
    return {key: {name: s.mean() for name, s in cells.items()} for key, cells in scores.items()}


def _as_documents(docs: Iterable[UDDocument]) -> list[Document]:
    return [Document(id=d.id, lang=d.lang, title=d.id, body=d.text, source="ud.jsonl",
                     position=n, url=f"/doc/{d.id}") for n, d in enumerate(docs, 1)]


def _product_service(settings: Settings, root: Path,
                     docs: dict[str, list[UDDocument]]) -> SearchService:
    """polyfind's real build over one .jsonl corpus of every language's documents."""
    corpus = root / "corpus"
    corpus.mkdir()
    with (corpus / "ud.jsonl").open("w", encoding="utf-8") as out:
        for doc in _as_documents(d for lang_docs in docs.values() for d in lang_docs):
            out.write(json.dumps({"id": doc.id, "lang": doc.lang, "title": doc.title,
                                  "body": doc.body, "url": doc.url}, ensure_ascii=False) + "\n")
    product = replace(settings, index=replace(settings.index, path=root / "polyfind"),
                      corpus=replace(settings.corpus, path=corpus, languages={}, parallel=()))
    build_index(product, rebuild=True)
    return SearchService(product)


def _baselines(folder: Path, lang: str, docs: list[UDDocument]
               ) -> dict[str, Callable[[Judged], list[str]]]:
    plain = _as_documents(docs)
    analyzers = {"whoosh": baseline_analyzer(), "prefix5": baseline_analyzer(prefix=True),
                 "snowball": baseline_analyzer(snowball=SNOWBALL.get(lang))}
    searchers = {}
    for system, analyzer in analyzers.items():
        (folder / system).mkdir(parents=True)
        searchers[system] = baseline_search(baseline_index(folder / system, plain, analyzer))
    return searchers


def evaluate_ud(settings: Settings, folder: Path, splits: Iterable[str] = SPLITS,
                langs: set[str] | None = None, measures: Iterable[str] = MEASURES) -> dict:
    """split -> {'collection': lang -> documents, queries; 'conflation': lang -> system ->
    P/R/F1; 'retrieval': (lang|ALL) -> kind/system -> MRR@10, nDCG@10, S@1}."""
    banks = load_splits(folder, langs)
    out = {}
    for split in splits:
        by_lang = {lang: bank for lang, bank in sorted(banks[split].items()) if bank.sentences}
        docs = {lang: documents(bank) for lang, bank in by_lang.items()}
        items = {lang: known_items(lang_docs, SEED) for lang, lang_docs in docs.items()}
        result: dict = {"collection": {lang: {"documents": len(docs[lang]),
                                              "queries": len(items[lang])} for lang in docs}}
        if "conflation" in measures:
            result["conflation"] = {
                lang: {s: c.to_dict() for s, c in conflation_table(bank).items()}
                for lang, bank in by_lang.items()}
        if "retrieval" in measures:
            result["retrieval"] = retrieval_table(settings, docs, items)
        out[split] = result
    return out


def format_ud(results: dict) -> str:
    """The tables: per split, conflation P/R/F1 and retrieval MRR@10 / S@1 per language."""
    lines = []
    for split, result in results.items():
        langs = sorted(result["collection"])
        sizes = ", ".join(f"{lang} {c['documents']} docs/{c['queries']} queries"
                          for lang, c in sorted(result["collection"].items()))
        lines += [f"== {split} split: {sizes}"]
        if "conflation" in result:
            lines += _conflation_lines(result["conflation"], langs)
        if "retrieval" in result:
            lines += _retrieval_lines(result["retrieval"], langs)
        lines.append("")
    return "\n".join(lines).rstrip()


def _conflation_lines(table: dict, langs: list[str]) -> list[str]:
    lines = ["", ("Conflation of a lemma's written forms by shared stem term (P / R / F1; "
                  "hunspell: its dictionary's stems, where installed)")]
    header = f"{'lang':<5}" + "".join(f"{s:>20}" for s in CONFLATION_COLUMNS)
    lines += [header, "-" * len(header)]
    for lang in langs:
        row = table[lang]
        cells = [f"{row[s]['precision']:.2f}/{row[s]['recall']:.2f}/{row[s]['f1']:.2f}"
                 if s in row else "-" for s in CONFLATION_COLUMNS]
        lines.append(f"{lang:<5}" + "".join(f"{c:>20}" for c in cells))
    return lines


def _retrieval_lines(table: dict, langs: list[str]) -> list[str]:
    lines = []
    for kind in dict.fromkeys(k for lang in langs for k in kinds(lang)):
        lines += ["", (f"Known-item search, {kind} queries (MRR@10 / S@1; snowball = "
                       "whoosh where Snowball has no stemmer)")]
        header = f"{'lang':<5}" + "".join(f"{s:>15}" for s in SYSTEMS)
        lines += [header, "-" * len(header)]
        for lang in [*langs, "ALL"]:
            if f"{kind}/polyfind" in table.get(lang, {}):
                row = {s: table[lang][f"{kind}/{s}"] for s in SYSTEMS}
                cells = [f"{row[s]['mrr']:.3f}/{row[s]['success@1']:.2f}" for s in SYSTEMS]
                lines.append(f"{lang:<5}" + "".join(f"{c:>15}" for c in cells))
    return lines + _romanized_lines(table, langs)


def _romanized_lines(table: dict, langs: list[str]) -> list[str]:
    """Per romanized kind, polyfind's MRR@10 against the same queries in the language's own
    script (the goal: within ROMANIZED_GAP)."""
    rows = [(lang, kind, table[lang][f"{kind}/polyfind"]["mrr"],
             table[lang]["reinflected/polyfind"]["mrr"])
            for lang in langs if lang in table
            for kind in kinds(lang)[len(KINDS):]]
    if not rows:
        return []
    lines = ["", (f"Typed in Latin letters vs the language's script, reinflected queries "
                  f"(polyfind MRR@10; goal: within {ROMANIZED_GAP})")]
    for lang, kind, latin, native in rows:
        verdict = "ok" if native - latin <= ROMANIZED_GAP else "MISSED"
        lines.append(f"{lang:<5}{kind:<12} {latin:.3f} vs {native:.3f}  "
                     f"({latin - native:+.3f}, {verdict})")
    return lines
