"""What each part of an index costs on disk: files summed by kind, and the postings split by
part (title/body) and view (exact/stem/fold) from their term infos.

    python bench/sizes.py bench/out/index-real-10000/polyfind [bench/out/index-real-10000/whoosh]

Kinds: postings (.pst: document numbers, frequencies and positions, in Whoosh's blocks),
term index (.trm: every term with its statistics, and the postings of terms in one document
inlined), term arrays (.pfterms), stored fields (the _stored column), field lengths (the
_<field>_len columns), other columns (id, lang, content_hash, card) and the rest.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def live_folder(index: Path) -> Path:
    current = index / "current"
    return current.resolve() if current.exists() else index


def kind_of(name: str) -> str:
    if name.endswith(".pst"):
        return "postings (.pst)"
    if name.endswith(".trm"):
        return "term index (.trm)"
    if name.endswith(".pfterms"):
        return "term arrays (.pfterms)"
    if name.endswith("._stored.col"):
        return "stored fields"
    if name.endswith("_len.col"):
        return "field lengths"
    if name.endswith(".col"):
        return "other columns"
    if name.endswith(".seg"):
        return "compound segment (all)"
    return "other"


def by_kind(folder: Path) -> Counter[str]:
    sizes: Counter[str] = Counter()
    for path in folder.iterdir():
        if path.is_file():
            sizes[kind_of(path.name)] += path.stat().st_size
    return sizes


# A term's fixed cost in Whoosh's term index besides its text and term info: key and value
# lengths (8 bytes), two hash-table slots (24), its place in the ordered index (4).
TERM_OVERHEAD = 8 + 24 + 4


def postings_by_field(folder: Path) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per field: bytes of postings (each term's blocks in .pst, from its offset to the next
    term's), bytes of its term-index entries (with postings inlined there) and its number
    of terms."""
    from whoosh import index as whoosh_index

    postings: Counter[str] = Counter()
    entries: Counter[str] = Counter()
    count: Counter[str] = Counter()
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        for segment_reader, _offset in reader.leaf_readers():
            terms = getattr(segment_reader, "_terms", None)  # a measurement reaches inside
            if terms is None:  # an empty index
                continue
            starts: list[tuple[int, str]] = []
            for fieldname in segment_reader.indexed_field_names():
                for text, info in segment_reader.iter_field(fieldname):
                    count[fieldname] += 1
                    key = terms._keycoder(fieldname, text)  # noqa: SLF001
                    entries[fieldname] += TERM_OVERHEAD + len(key) + len(terms._tindex[key])
                    if not info.is_inlined():
                        starts.append((info.extent()[0], fieldname))
            starts.sort()
            pst = folder / segment_reader.segment().make_filename(".pst")
            end = pst.stat().st_size if pst.exists() else 0  # 0: in a compound file
            for (start, fieldname), (following, _field) in zip(
                    starts, [*starts[1:], (end or (starts[-1][0] if starts else 0), "")],
                    strict=True):
                postings[fieldname] += following - start
    return postings, entries, count


def by_view(sizes: Counter[str]) -> Counter[str]:
    """Postings per part_view (title_exact, body_fold...), all languages together."""
    grouped: Counter[str] = Counter()
    for fieldname, size in sizes.items():
        parts = fieldname.split("_")
        grouped["_".join(parts[:2]) if len(parts) == 3 else fieldname] += size
    return grouped


def report(index: Path) -> dict[str, int]:
    folder = live_folder(index)
    kinds = by_kind(folder)
    total = sum(kinds.values())
    print(f"{index}: {total / 1e6:.1f} MB")
    for kind, size in kinds.most_common():
        print(f"  {kind:<24} {size / 1e6:>8.1f} MB  {size / total:>6.1%}")
    postings, entries, count = (by_view(c) for c in postings_by_field(folder))
    print(f"  by part and view: .pst blocks {sum(postings.values()) / 1e6:.1f} MB, term index "
          f"entries (inlined postings in them) {sum(entries.values()) / 1e6:.1f} MB, "
          f"{sum(count.values()):,} terms:")
    for name, size in entries.most_common():
        print(f"    {name:<22} {postings[name] / 1e6:>8.1f} MB .pst {size / 1e6:>8.1f} MB .trm "
              f"{count[name]:>10,} terms")
    return {**kinds, "total": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("plain", type=Path, nargs="?", help="plain Whoosh's index, for a ratio")
    args = parser.parse_args()
    ours = report(args.index)
    if args.plain:
        plain = report(args.plain)
        print(f"size ratio polyfind/plain: {ours['total'] / plain['total']:.2f}")


if __name__ == "__main__":
    main()
