"""The term-at-a-time scorer gives Whoosh's own BM25F scores, on one segment and on many."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from whoosh.query import Phrase, Term

from indexer import integrity, term_arrays, whoosh_adapter
from indexer.build import build_index
from indexer.config import Settings
from indexer.errors import IndexDamagedError
from indexer.query import parse_query
from indexer.schema import scored_fields
from indexer.scoring.clauses import score_clauses
from indexer.scoring.phrases import phrase_scores
from indexer.scoring.postings import GenerationCache, PostingReader
from indexer.scoring.terms import PlanPhrase
from indexer.search import SearchService
from indexer.search.planner import plan_query
from indexer.search.service import IndexVocabulary

from .conftest import settings_for

QUERIES = [
    ("lejek sprzedazowy", "pl"), ("sklep internetowy", None), ("ובמסחר אלקטרוני", "he"),
    ("сату шұңқыры", "kk"), ("verkoopstregters e-handel", "af"), ("khmovani dzieba", None),
    ('"lejek sprzedażowy" -marketing', "pl"), ("ERP", None), ('"sklep internetowy"', None),
    ('"ხელოვნური ინტელექტი"', "ka"), ('"kunsmatige intelligensie" e-handel', "af"),
]


def whoosh_scores(lease, clauses) -> dict[int, float]:
    """Whoosh's own scores of the clauses' terms and phrases, summed as its Or sums them; a
    term held in several fields (PlanTerm.also) by its best field's score."""
    total: dict[int, float] = {}
    for part in (p for clause in clauses for p in clause):
        best: dict[int, float] = {}
        for query in whoosh_queries(part):
            for hit in lease.searcher.search(query, limit=None):
                best[hit.docnum] = max(best.get(hit.docnum, 0.0), hit.score)
        for docnum, score in best.items():
            total[docnum] = total.get(docnum, 0.0) + score
    return total


def whoosh_queries(part):
    if isinstance(part, PlanPhrase):
        return [Phrase(part.field, list(part.words), boost=part.boost)]
    return [Term(name, part.text, boost=part.boost) for name in part.fields]


def engine_scores(lease, clauses) -> dict[int, float]:
    acc = score_clauses(lease.postings, clauses)
    return {int(d): float(acc.scores[d]) for d in acc.matched.nonzero()[0]}


def own_terms(plan) -> list[tuple]:
    """The plan's clauses without their near words (weak evidence, scored only where the
    word's own terms missed: tests/test_near_words.py), which Whoosh's plain sum does not
    know; phrases in their own field only (Whoosh has no phrase whose words may each stand
    in another field: test_a_phrase_reads_each_word_from_the_fields_that_hold_it)."""
    return [tuple(replace(p, also=()) if isinstance(p, PlanPhrase) else p
                  for p in parts if p.kind != "near") for parts in plan.clauses()]


def assert_same_scores(service: SearchService) -> None:
    with service.searcher() as lease:
        indexed = set(lease.meta["languages"])
        for query, lang in QUERIES:
            plans = plan_query(IndexVocabulary(lease.postings), parse_query(query), lang,
                               indexed)
            for plan in plans.values():
                clauses = own_terms(plan)
                expected = whoosh_scores(lease, clauses)
                got = engine_scores(lease, clauses)
                assert got.keys() == expected.keys(), query
                for docnum, score in expected.items():
                    assert got[docnum] == pytest.approx(score, rel=1e-5), (query, docnum)


def test_scores_equal_whoosh_bm25f(service: SearchService) -> None:
    assert_same_scores(service)
    assert_same_scores(service)  # the second time from the term cache


def test_term_cache_stays_within_its_budget(service: SearchService) -> None:
    with service.searcher() as lease:
        postings = PostingReader(lease.searcher, cache=GenerationCache(40))
        reader = lease.searcher.reader()
        terms = [t for t in reader.iter_field("body_stem_pl")][:200]
        for text, _info in terms:
            docnums, scores = postings.term_scores("body_stem_pl", text)
            assert len(docnums) == len(scores) == reader.doc_frequency("body_stem_pl", text)
            cache = postings.cache
            assert cache.cached_postings() == sum(
                len(d) for d, _ in cache._scores.values()) <= 40


def test_term_lookups_read_what_whoosh_reads(service: SearchService) -> None:
    """A segment's terms looked up in its term dictionary file directly: the same document
    frequencies and postings as Whoosh's reader, for terms of one posting (inlined) and
    of many, and nothing for a term or field the segment lacks."""
    with service.searcher() as lease:
        reader = lease.postings.segments[0][0]
        inlined = blocks = 0
        for fieldname in ("body_exact_pl", "title_fold_kk", "body_stem_he"):
            for text, info in list(reader.iter_field(fieldname))[::7]:
                text = text.decode() if isinstance(text, bytes) else text
                assert whoosh_adapter.segment_doc_frequency(reader, fieldname, text) == \
                    reader.doc_frequency(fieldname, text) == info.doc_frequency()
                assert whoosh_adapter.segment_frequency(reader, fieldname, text) == \
                    reader.frequency(fieldname, text)
                got = list(whoosh_adapter.segment_postings(reader, fieldname, text))
                want = list(whoosh_adapter._postings_one_by_one(reader.postings(fieldname, text)))
                assert np.concatenate([ids for ids, _ in got]).tolist() == want[0][0].tolist()
                assert np.concatenate([w for _, w in got]).tolist() == want[0][1].tolist()
                every = np.arange(reader.doc_count_all())
                assert whoosh_adapter.segment_values(reader, fieldname, text, every) == \
                    whoosh_adapter._values_one_by_one(reader.postings(fieldname, text), every)
                inlined += info.doc_frequency() == 1
                blocks += info.doc_frequency() > 1
        assert inlined > 20 and blocks > 20
        for fieldname, text in (("body_exact_pl", "zzzz"), ("no_such_field", "lejek")):
            assert whoosh_adapter.segment_postings(reader, fieldname, text) is None
            assert whoosh_adapter.segment_matcher(reader, fieldname, text) is None
            assert whoosh_adapter.segment_values(reader, fieldname, text, np.arange(3)) == {}
            assert whoosh_adapter.segment_doc_frequency(reader, fieldname, text) == 0
            assert whoosh_adapter.segment_frequency(reader, fieldname, text) == 0


def test_scores_equal_whoosh_bm25f_across_segments(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    pl = corpus_copy / "pl.txt"
    pl.write_text(pl.read_text("utf-8").replace("lejek", "lejka", 3), "utf-8")
    build_index(settings)  # incremental: a second segment, and deletions in the first
    service = SearchService(settings)
    with service.searcher() as lease:
        assert len(lease.postings.segments) > 1
        segments = {r.segment().segment_id() for r, _ in lease.postings.segments}
    # each live segment has its term arrays, and retired segments' went with them
    live = settings.index.path / "current"
    assert {p.name.removesuffix(term_arrays.SUFFIX)
            for p in live.glob(f"*{term_arrays.SUFFIX}")} == segments
    assert_same_scores(service)


@pytest.fixture(scope="module")
def long_lists(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Whoosh writes 128 postings a block: 300 documents with shared words span blocks."""
    root = tmp_path_factory.mktemp("long-lists")
    corpus = root / "corpus"
    corpus.mkdir()
    words = ["sklep", "sklepy", "sklepu", "koszyk", "klient", "zamówienie", "płatność"]
    rows = [{"id": f"d{i}", "lang": "pl", "title": f"Sklep {i}",
             "body": " ".join(words[j % len(words)] for j in range(i % 11, i % 11 + 5 + i % 17))}
            for i in range(300)]
    (corpus / "docs.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                                  for r in rows), "utf-8")
    settings = settings_for(root / "index", corpus)
    build_index(settings)
    return settings


def test_long_posting_lists_read_block_by_block(long_lists: Settings) -> None:
    """The fast path (whole blocks) reads what the public API reads posting by posting,
    and the long lists scored from the term arrays score as Whoosh scores them."""
    service = SearchService(long_lists)
    with service.searcher() as lease:
        reader = lease.postings.segments[0][0]
        for text in ("sklep", "koszyk", "klient"):
            fast = list(whoosh_adapter.posting_blocks(reader.postings("body_exact_pl", text)))
            slow = list(whoosh_adapter._postings_one_by_one(reader.postings("body_exact_pl",
                                                                            text)))
            assert len(fast) > 1
            assert [d for ids, _ in fast for d in ids] == slow[0][0].tolist()
            assert [w for _, ws in fast for w in ws] == pytest.approx(slow[0][1].tolist())
            docs = np.array([d for ids, _ in fast for d in ids])[::3]
            assert whoosh_adapter.values_of(reader.postings("body_exact_pl", text), docs) == \
                whoosh_adapter._values_one_by_one(reader.postings("body_exact_pl", text), docs)
            every = np.arange(reader.doc_count_all())  # most hold the word, some not
            held = whoosh_adapter.values_of(reader.postings("body_exact_pl", text), every)
            assert held == whoosh_adapter._values_one_by_one(
                reader.postings("body_exact_pl", text), every)
            assert 0 < len(held) < len(every)
            # ... and so does the postings file read from its map
            assert whoosh_adapter._postings_map(reader) is not None
            mapped = list(whoosh_adapter.segment_postings(reader, "body_exact_pl", text))
            assert [ids.tolist() for ids, _ in mapped] == [ids.tolist() for ids, _ in fast]
            assert [w.tolist() for _, w in mapped] == [w.tolist() for _, w in fast]
            assert whoosh_adapter.segment_values(reader, "body_exact_pl", text, every) == held
            assert whoosh_adapter.segment_values(reader, "body_exact_pl", text, docs[1::2]) \
                == {d: held[d] for d in docs[1::2].tolist()}
        for query in ("sklepy koszyk płatnosc", '"koszyk klient" sklepy'):
            plans = plan_query(IndexVocabulary(lease.postings), parse_query(query), "pl",
                               {"pl"})
            clauses = own_terms(plans["pl"])
            expected = whoosh_scores(lease, clauses)
            assert len(expected) > 200
            assert engine_scores(lease, clauses) == pytest.approx(expected, rel=1e-5)


def test_phrases_match_words_side_by_side_only(service: SearchService) -> None:
    """A phrase's documents are those with its words in order and adjacent, as Whoosh
    finds them, not merely those holding every word."""
    with service.searcher() as lease:
        for words, side_by_side in ((["lejek", "sprzedażowy"], 1), (["sprzedażowy", "lejek"], 0)):
            phrase = PlanPhrase("body_exact_pl", tuple(words), "exact", "phrase", 1.0)
            docnums, scores = phrase_scores(lease.postings, phrase.fields, phrase.words)
            expected = whoosh_scores(lease, [[phrase]])
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
            assert whoosh_adapter.field_lengths(reader, fieldname).tolist() == expected, fieldname


def test_term_arrays_hold_whooshs_long_lists(long_lists: Settings) -> None:
    """A build writes every list of MIN_POSTINGS or more, as Whoosh stores it, and only
    those; searchers read them from there."""
    with SearchService(long_lists).searcher() as lease:
        reader = lease.postings.segments[0][0]
        stored = lease.postings._term_arrays(0)
        assert stored is not None and len(stored) > 0
        for fieldname in scored_fields(reader.schema):
            for term, info in reader.iter_field(fieldname):
                found = stored.get(fieldname, term.decode("utf-8"))
                assert (found is not None) == (info.doc_frequency() >= term_arrays.MIN_POSTINGS)
                if found is not None:
                    blocks = list(whoosh_adapter.posting_blocks(reader.postings(fieldname, term)))
                    assert found[0].tolist() == [d for ids, _ in blocks for d in ids]
                    assert found[1].tolist() == [w for _, ws in blocks for w in ws]


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_damaged_term_arrays_fall_back_to_whooshs_postings(long_lists: Settings, tmp_path: Path,
                                                           damage: str) -> None:
    index = tmp_path / "index"
    shutil.copytree(long_lists.index.path, index, symlinks=True)
    (path,) = (index / "current").glob(f"*{term_arrays.SUFFIX}")
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[:-10])
    settings = replace(long_lists, index=replace(long_lists.index, path=index))
    with pytest.raises(IndexDamagedError, match=path.name):  # damaged after the build
        SearchService(settings).search("sklepy")
    # ...or written that way (a failed write): the manifest has it as it is
    meta = json.loads((path.parent / "polyfind.json").read_text("utf-8"))
    meta["files"] = integrity.record(path.parent)
    (path.parent / "polyfind.json").write_text(json.dumps(meta), "utf-8")
    service = SearchService(settings)
    with service.searcher() as lease:
        assert lease.postings._term_arrays(0) is None
        clauses = own_terms(plan_query(IndexVocabulary(lease.postings),
                                       parse_query("sklepy koszyk"), "pl", {"pl"})["pl"])
        expected = whoosh_scores(lease, clauses)
        assert len(expected) > 200
        assert engine_scores(lease, clauses) == pytest.approx(expected, rel=1e-5)


def test_term_arrays_keep_weights_that_are_not_counts(tmp_path: Path) -> None:
    path = tmp_path / f"MAIN_x{term_arrays.SUFFIX}"
    lists = [("body_stem_pl", "a", np.array([1, 5, 9]), np.array([1.0, 2.0, 70000.0])),
             ("body_stem_pl", "b", np.array([2, 3]), np.array([0.5, 1.0])),
             ("body_exact_pl", "a", np.array([4]), np.array([3.0]))]
    term_arrays.write(path, iter(lists))
    stored = term_arrays.TermArrays(path)
    for fieldname, text, docnums, weights in lists:
        found = stored.get(fieldname, text)
        assert found[0].tolist() == docnums.tolist() and found[1].tolist() == weights.tolist()
    assert stored.get("body_stem_pl", "c") is None


def test_segments_get_their_term_arrays_as_they_are_written(long_lists: Settings) -> None:
    """Each segment's term arrays are written with the segment, no second pass."""
    live = (long_lists.index.path / "current").resolve()
    (path,) = live.glob(f"*{term_arrays.SUFFIX}")
    assert len(term_arrays.TermArrays(path)) > 0


def test_probe_finds_the_pinned_whooshs_internals() -> None:
    """With the pinned Whoosh every fast path is taken (another Whoosh may lack some:
    the probe then says which, and the public API serves)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        version("whoosh3")
    except PackageNotFoundError:
        pytest.skip("not the pinned whoosh3")
    found = whoosh_adapter.capabilities()
    assert (found.blocks, found.lengths, found.codec, found.terms) == (True,) * 4, found.reason


@pytest.fixture()
def public_api_only() -> Iterator[None]:
    """Whoosh's internals unusable, as a probe failing on another Whoosh finds them."""
    whoosh_adapter.force(whoosh_adapter.Capabilities(False, False, False, "forced by a test"))
    yield
    whoosh_adapter.force(None)


def test_without_internals_builds_and_scores_through_the_public_api(
        public_api_only: None, tmp_path: Path, corpus_copy: Path) -> None:
    """The fallback path: Whoosh's standard codec (no term arrays), postings and lengths
    read posting by posting, the same scores as Whoosh's own search."""
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    assert not list((settings.index.path / "current").glob(f"*{term_arrays.SUFFIX}"))
    service = SearchService(settings)
    assert_same_scores(service)
    with service.searcher() as lease:
        reader = lease.postings.segments[0][0]
        assert whoosh_adapter.field_lengths(reader, "body_stem_pl").tolist() == [
            reader.doc_field_length(d, "body_stem_pl", 0) or 0
            for d in range(reader.doc_count_all())]
    assert service.search("lejek sprzedażowy").results


def test_a_failed_probe_is_logged(caplog: pytest.LogCaptureFixture,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_probe() -> whoosh_adapter.Capabilities:
        return whoosh_adapter.Capabilities(False, False, False, "probe failed: codec")

    monkeypatch.setattr(whoosh_adapter, "_probe", failing_probe)
    whoosh_adapter.force(None)
    try:
        with caplog.at_level("WARNING", logger="indexer.whoosh_adapter"):
            assert not whoosh_adapter.capabilities().codec
        assert "probe failed: codec" in caplog.text and "standard codec" in caplog.text
    finally:
        monkeypatch.undo()
        whoosh_adapter.force(None)


def test_a_latin_typed_phrase_finds_words_the_thin_fold_view_leaves_out(
        service: SearchService) -> None:
    """Georgian typed in Latin letters is matched folded. The fold view is thin: a word with
    no letter to fold is only in the exact and stem views, and a phrase of such words is
    found there, side by side, scored as the same phrase in the exact view."""
    words = ("ხმოვანი", "ძიება")  # khmovani dzieba: no ejective, nothing to fold
    with service.searcher() as lease:
        assert not any(lease.postings.doc_frequency("body_fold_ka", w) for w in words)
        plans = plan_query(IndexVocabulary(lease.postings), parse_query('"khmovani dzieba"'),
                           None, set(lease.meta["languages"]))
        phrase = next(p for concept in plans["ka"].concepts for p in concept.parts
                      if isinstance(p, PlanPhrase) and p.field == "body_fold_ka")
        assert phrase.words == words and "body_exact_ka" in phrase.also
        docnums, scores = phrase_scores(lease.postings, phrase.fields, phrase.words)
        exact = PlanPhrase("body_exact_ka", words, "exact", "phrase", 1.0)
        assert dict(zip(docnums.tolist(), scores.tolist(), strict=True)) == \
            pytest.approx(whoosh_scores(lease, [[exact]]), rel=1e-5)
        assert len(docnums) == 1
    assert [hit.id for hit in service.search('"khmovani dzieba"').results] == ["ka-10"]


def test_a_phrase_reads_each_word_from_the_fields_that_hold_it(long_lists: Settings) -> None:
    """The stem view is thin: a word that is its own stem (koszyk, klient) is in the exact
    view alone. A phrase of stems finds it there, side by side, scored as the same phrase
    in the exact view; where a word stands in both views, by its better score."""
    service = SearchService(long_lists)
    with service.searcher() as lease:
        words = ("koszyk", "klient")
        assert not any(lease.postings.doc_frequency("body_stem_pl", w) for w in words)
        plans = plan_query(IndexVocabulary(lease.postings), parse_query('"koszyk klient"'),
                           "pl", {"pl"})
        phrase = next(p for concept in plans["pl"].concepts for p in concept.parts
                      if isinstance(p, PlanPhrase) and p.field == "body_stem_pl")
        assert phrase.words == words and phrase.also == ("body_exact_pl",)
        docnums, scores = phrase_scores(lease.postings, phrase.fields, phrase.words)
        exact = PlanPhrase("body_exact_pl", words, "exact", "phrase", 1.0)
        assert len(docnums) > 100
        assert dict(zip(docnums.tolist(), scores.tolist(), strict=True)) == \
            pytest.approx(whoosh_scores(lease, [[exact]]), rel=1e-5)
        # sklepu's stem (sklep) is in the stem view, sklep itself in the exact one
        mixed = PlanPhrase("body_stem_pl", ("sklep", "koszyk"), "stem", "phrase", 1.0,
                           also=("body_exact_pl",))
        found, _scores = phrase_scores(lease.postings, mixed.fields, mixed.words)
        one_field = [phrase_scores(lease.postings, [name], mixed.words)[0]
                     for name in mixed.fields]
        assert set(found.tolist()) > set().union(*(d.tolist() for d in one_field))
