"""The term-at-a-time scorer gives Whoosh's own BM25F scores, on one segment and on many."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from whoosh.query import Or, Phrase

from indexer import ranking
from indexer.build import build_index
from indexer.query import parse_query
from indexer.search import SearchService

from .conftest import settings_for

QUERIES = [
    ("lejek sprzedazowy", "pl"), ("sklep internetowy", None), ("ובמסחר אלקטרוני", "he"),
    ("сату шұңқыры", "kk"), ("verkoopstregters e-handel", "af"), ("khmovani dzieba", None),
    ('"lejek sprzedażowy" -marketing', "pl"), ("ERP", None), ('"sklep internetowy"', None),
    ('"ხელოვნური ინტელექტი"', "ka"), ('"kunsmatige intelligensie" e-handel', "af"),
]


def whoosh_scores(lease, clauses) -> dict[int, float]:
    results = lease.searcher.search(Or(clauses), limit=None)
    return {hit.docnum: hit.score for hit in results}


def engine_scores(lease, clauses) -> dict[int, float]:
    acc = ranking.score_clauses(lease.postings, clauses, deadline=float("inf"))
    return {int(d): float(acc.scores[d]) for d in acc.matched.nonzero()[0]}


def assert_same_scores(service: SearchService) -> None:
    with service.searcher() as lease:
        indexed = set(lease.meta["languages"])
        for query, lang in QUERIES:
            plans = service._plans(lease.postings, parse_query(query), lang, indexed)
            for plan in plans.values():
                expected = whoosh_scores(lease, plan.clauses)
                got = engine_scores(lease, plan.clauses)
                assert got.keys() == expected.keys(), query
                for docnum, score in expected.items():
                    assert got[docnum] == pytest.approx(score, rel=1e-5), (query, docnum)


def test_scores_equal_whoosh_bm25f(service: SearchService) -> None:
    assert_same_scores(service)
    assert_same_scores(service)  # the second time from the term cache


def test_term_cache_stays_within_its_budget(service: SearchService) -> None:
    with service.searcher() as lease:
        postings = ranking.PostingReader(lease.searcher, cache=ranking.GenerationCache(40))
        reader = lease.searcher.reader()
        terms = [t for t in reader.iter_field("body_stem_pl")][:200]
        for text, _info in terms:
            docnums, scores = postings.term_scores("body_stem_pl", text)
            assert len(docnums) == len(scores) == reader.doc_frequency("body_stem_pl", text)
            cache = postings.cache
            assert cache.cached_postings() == sum(
                len(d) for d, _ in cache._scores.values()) <= 40


def test_scores_equal_whoosh_bm25f_across_segments(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    pl = corpus_copy / "pl.txt"
    pl.write_text(pl.read_text("utf-8").replace("lejek", "lejka", 3), "utf-8")
    build_index(settings)  # incremental: a second segment, and deletions in the first
    service = SearchService(settings)
    with service.searcher() as lease:
        assert len(lease.postings.segments) > 1
    assert_same_scores(service)


def test_long_posting_lists_read_block_by_block(tmp_path: Path) -> None:
    """Whoosh writes 128 postings a block: 300 documents with shared words span blocks, and
    the fast path (whole blocks) reads what the public API reads posting by posting."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = ["sklep", "sklepy", "sklepu", "koszyk", "klient", "zamówienie", "płatność"]
    rows = [{"id": f"d{i}", "lang": "pl", "title": f"Sklep {i}",
             "body": " ".join(words[j % len(words)] for j in range(i % 11, i % 11 + 5 + i % 17))}
            for i in range(300)]
    (corpus / "docs.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                                  for r in rows), "utf-8")
    settings = settings_for(tmp_path / "index", corpus)
    build_index(settings)
    service = SearchService(settings)
    with service.searcher() as lease:
        reader = lease.postings.segments[0][0]
        for text in ("sklep", "koszyk", "klient"):
            fast = list(ranking._posting_blocks(reader.postings("body_stem_pl", text)))
            slow = list(ranking._postings_one_by_one(reader.postings("body_stem_pl", text)))
            assert len(fast) > 1
            assert [d for ids, _ in fast for d in ids] == slow[0][0].tolist()
            assert [w for _, ws in fast for w in ws] == pytest.approx(slow[0][1].tolist())
            docs = np.array([d for ids, _ in fast for d in ids])[::3]
            assert ranking._values_at(reader.postings("body_exact_pl", text), docs) == \
                ranking._values_one_by_one(reader.postings("body_exact_pl", text), docs)
        for query in ("sklepy koszyk płatnosc", '"koszyk klient" sklepy'):
            plans = service._plans(lease.postings, parse_query(query), "pl", {"pl"})
            clauses = plans["pl"].clauses
            expected = whoosh_scores(lease, clauses)
            assert len(expected) > 200
            assert engine_scores(lease, clauses) == pytest.approx(expected, rel=1e-5)


def test_phrases_match_words_side_by_side_only(service: SearchService) -> None:
    """A phrase's documents are those with its words in order and adjacent, as Whoosh
    finds them, not merely those holding every word."""
    with service.searcher() as lease:
        for words, side_by_side in ((["lejek", "sprzedażowy"], 1), (["sprzedażowy", "lejek"], 0)):
            phrase = Phrase("body_exact_pl", words)
            docnums, scores = lease.postings.phrase_scores(phrase)
            expected = whoosh_scores(lease, [phrase])
            assert dict(zip(docnums.tolist(), scores.tolist(), strict=True)) == \
                pytest.approx(expected, rel=1e-5)
            assert len(docnums) == side_by_side
            both = np.intersect1d(*(lease.postings.term_scores("body_exact_pl", w)[0]
                                    for w in words))
            assert len(both) == 1  # one document has both words, in one order


def test_field_lengths_read_whole_equal_whooshs_per_document(service: SearchService) -> None:
    """The lengths column read as one slice decodes to what Whoosh's scorer reads per
    document, for every scored field (those no document has are all zeros)."""
    with service.searcher() as lease:
        reader = lease.postings.segments[0][0]
        fields = [f for f in reader.schema.names() if f.startswith(("title_", "body_"))]
        assert any(not reader.field_length(f) for f in fields)  # a field nobody has
        for fieldname in fields:
            expected = [reader.doc_field_length(d, fieldname, 0) or 0  # None for 0 here
                        for d in range(reader.doc_count_all())]
            assert ranking._field_lengths(reader, fieldname).tolist() == expected, fieldname
