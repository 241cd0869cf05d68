"""Why a document ranks where it does, read from what ranking recorded as it scored
(ranked.LanguageRanking), not computed again: each term's part of the BM25F sum, which
query words the document matched and through what, and how the score is made of them:
(matched words + BM25F / (BM25F + 1)) / words, summed over the languages planned."""

from __future__ import annotations

import numpy as np

from .plan import Plan
from .ranked import LanguageRanking


def explain(docnum: int, plans: Plan, rankings: dict[str, LanguageRanking]) -> dict:
    """The score of document `docnum` taken apart, language by language (a document
    matches in its own language's plan only; others add nothing and are left out)."""
    languages = [_language(docnum, plans[code], code, ranking)
                 for code, ranking in rankings.items() if ranking.share[docnum]]
    return {"score": sum(part["score"] for part in languages), "languages": languages}


def _language(docnum: int, plan, code: str, ranking: LanguageRanking) -> dict:
    terms = []
    for n, part, docnums, scores in ranking.trace.added:
        i = int(np.searchsorted(docnums, docnum))  # a part's documents come in order
        if i < len(docnums) and docnums[i] == docnum:
            terms.append({"concept": n, "word": plan.scored()[n].query, "kind": part.kind,
                          "view": part.view, "field": part.field, "text": part.text,
                          "boost": part.boost, "factor": part.factor,
                          "language_boost": part.language_boost,
                          "bm25f": float(scores[i])})
    concepts = []
    for n, concept in enumerate(plan.scored()):
        credits = ranking.trace.credits
        concepts.append({
            "word": concept.query,
            # what matching it counts for: 1 a word's own terms, less a near word or a
            # completion, 0 no match (or not scored: the time budget ran out before it)
            "credit": float(credits[n][docnum]) if n < len(credits) else 0.0,
            "through": sorted({f"{t['kind']}/{t['view']}" for t in terms
                               if t["concept"] == n}),
        })
    acc = ranking.acc
    return {"lang": code, "words": len(plan.concepts), "matched": float(acc.matched[docnum]),
            "bm25f": float(acc.scores[docnum]), "relevance": float(ranking.relevance[docnum]),
            "score": float(ranking.share[docnum]), "concepts": concepts, "terms": terms}


def format_explanation(explanation: dict) -> list[str]:
    """Readable lines of an explanation, for the CLI."""
    lines = []
    for lang in explanation["languages"]:
        lines.append(f"   [{lang['lang']}] score {lang['score']:.4f} = (matched "
                     f"{lang['matched']:g} of {lang['words']} word(s) + BM25F "
                     f"{lang['bm25f']:.3f} / ({lang['bm25f']:.3f} + 1) = "
                     f"{lang['relevance']:.4f}) / {lang['words']}")
        for n, concept in enumerate(lang["concepts"]):
            through = ", ".join(concept["through"]) or "no match"
            lines.append(f"     {concept['word']!r}: credit {concept['credit']:g} "
                         f"through {through}")
            for term in (t for t in lang["terms"] if t["concept"] == n):
                lines.append(f"       +{term['bm25f']:8.4f}  {term['kind']:<10} "
                             f"{term['view']:<5} {term['field']:<16} {term['text']!r}  "
                             f"boost {term['boost']:g} (factor {term['factor']:g}, "
                             f"language {term['language_boost']:g})")
    return lines
