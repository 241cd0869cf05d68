"""Heaps' law check of the real-vocabulary generator against real text: distinct words
after N running words, in each language's Universal Dependencies treebanks and in the
generator's documents (bench/real_vocab.py), at the same N.

    python bench/heaps.py /work/data/ud [af he ...]

Words are the tokenizer's (`simple_words`), case-folded, from the treebanks' `# text =`
sentence lines, all of a language's treebanks in file-name order.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from indexer.analysis.tokenize import simple_words  # noqa: E402

TREEBANK_LANGUAGES = {"af": "Afrikaans", "he": "Hebrew", "ka": "Georgian", "kk": "Kazakh",
                      "pl": "Polish"}
MARKS = (10_000, 30_000, 100_000, 300_000, 1_000_000)


def heaps_curve(words: Iterable[str]) -> dict[int, int]:
    """Distinct words after each of MARKS running words, and after the last."""
    seen: set[str] = set()
    curve, count = {}, 0
    for word in words:
        count += 1
        seen.add(word.casefold())
        if count in MARKS:
            curve[count] = len(seen)
    curve[count] = len(seen)
    return curve


def treebank_words(ud: Path, lang: str) -> Iterator[str]:
    for path in sorted(ud.glob(f"UD_{TREEBANK_LANGUAGES[lang]}-*/*.conllu")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("# text = "):
                    yield from (word for word, _start, _end in simple_words(line[9:]))


def generated_words(lang: str, limit: int) -> Iterator[str]:
    from real_vocab import RealVocabulary

    from corpus import sources

    vocabulary = RealVocabulary(lang, sources()[lang], seed=7)
    count, n = 0, 0
    while count < limit:
        doc = vocabulary.document(n)
        n += 1
        for text in (doc["title"], doc["body"]):
            for word, _start, _end in simple_words(text):
                count += 1
                yield word


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ud", type=Path, help="folder of UD_<Language>-<name> treebanks")
    parser.add_argument("langs", nargs="*", default=sorted(TREEBANK_LANGUAGES))
    args = parser.parse_args()
    print(f"{'lang':<5} {'words':>9} {'treebanks':>10} {'generator':>10} {'ratio':>6}")
    for lang in args.langs:
        real = heaps_curve(treebank_words(args.ud, lang))
        if len(real) == 1 and not max(real):
            print(f"{lang:<5} no treebank under {args.ud}")
            continue
        generated = heaps_curve(generated_words(lang, max(real)))
        for mark, distinct in real.items():
            made = generated.get(mark, generated[max(generated)])
            print(f"{lang:<5} {mark:>9,} {distinct:>10,} {made:>10,} {made / distinct:>6.2f}")


if __name__ == "__main__":
    main()
