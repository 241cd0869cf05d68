"""polyfind's reading of a segment's term dictionary (a read-only map of Whoosh's hash file)
gives what Whoosh's own reader gives: term infos, document frequencies, and the words that
begin with a prefix, in order, on the shipped articles' index."""

from __future__ import annotations

from itertools import islice

from whoosh import index as whoosh_index

from indexer import whoosh_adapter
from indexer.config import Settings
from indexer.layout import current_dir
from indexer.schema import field_name


def _segments(settings: Settings):
    ix = whoosh_index.open_dir(str(current_dir(settings.index.path)))
    return [segment for segment, _offset in ix.reader().leaf_readers()]


def test_words_beginning_with_a_prefix_are_whooshs(built_settings: Settings) -> None:
    for segment in _segments(built_settings):
        assert whoosh_adapter._term_table(segment) is not None  # the map is what is tested
        for lang in ("pl", "he", "ka", "kk", "af"):
            fieldname = field_name("body", "exact", lang)
            words = [w.decode() if isinstance(w, bytes) else w
                     for w in islice(segment.lexicon(fieldname), 0, None, 7)]
            beginnings = {w[:n] for w in words for n in (1, 2, 3)} | {"", "\uffff", "zzzz"}
            for beginning in sorted(beginnings):
                ours = list(whoosh_adapter.prefix_terms(segment, fieldname, beginning))
                whooshs = [(t.decode() if isinstance(t, bytes) else t, info.doc_frequency())
                           for t, info in segment.iter_prefix(fieldname, beginning)]
                assert ours == whooshs, (fieldname, beginning)
                assert list(whoosh_adapter.prefix_terms(segment, fieldname, beginning, 3)) \
                    == whooshs[:3]
                for limit in (None, 3):
                    words, frequencies = whoosh_adapter.prefix_arrays(
                        segment, fieldname, beginning, limit)
                    assert [(w.decode(), int(df)) for w, df in
                            zip(words.tolist(), frequencies.tolist(), strict=True)] \
                        == whooshs[:limit], (fieldname, beginning)
        assert list(whoosh_adapter.prefix_terms(segment, "no_such_field", "a")) == []
        assert len(whoosh_adapter.prefix_arrays(segment, "no_such_field", "a", None)[0]) == 0


def test_term_infos_and_frequencies_are_whooshs(built_settings: Settings) -> None:
    for segment in _segments(built_settings):
        fieldname = field_name("body", "stem", "pl")
        words = [w.decode() if isinstance(w, bytes) else w for w in segment.lexicon(fieldname)]
        for word in words[::5] + ["nie-ma-takiego-słowa"]:
            ours = whoosh_adapter.term_info(segment, fieldname, word)
            held = (fieldname, word) in segment
            assert (ours is not None) == held
            assert whoosh_adapter.segment_doc_frequency(segment, fieldname, word) == \
                (segment.doc_frequency(fieldname, word) if held else 0)
            assert whoosh_adapter.segment_frequency(segment, fieldname, word) == \
                (segment.frequency(fieldname, word) if held else 0)
            if held:
                theirs = segment.term_info(fieldname, word)
                assert (ours.weight(), ours.doc_frequency(), ours.max_weight()) == \
                    (theirs.weight(), theirs.doc_frequency(), theirs.max_weight())


def test_a_lookup_in_every_segment_finds_what_whoosh_finds(built_settings: Settings) -> None:
    """TermLookup gives each segment's term info as Whoosh stores it: present where the
    segment has the term, with its document frequency there."""
    segments = _segments(built_settings)
    lookup = whoosh_adapter.TermLookup(segments)
    assert lookup.tables is not None  # the maps are what is tested
    for fieldname in ("body_exact_pl", "title_stem_kk", "body_fold_he"):
        words = {w.decode() if isinstance(w, bytes) else w
                 for segment in segments for w in islice(segment.lexicon(fieldname), 0, None, 5)}
        for word in sorted(words | {"nie-ma-takiego-słowa"}):
            values = lookup.values(fieldname, word)
            assert values is not None and len(values) == len(segments)
            held = [(fieldname, word) in segment for segment in segments]
            assert [value is not None for value in values] == held
            assert [whoosh_adapter.value_doc_frequency(value) for value in values] == \
                [segment.doc_frequency(fieldname, word) if h else 0
                 for segment, h in zip(segments, held, strict=True)]
    assert lookup.values("no_such_field", "lejek") == (None,) * len(segments)
