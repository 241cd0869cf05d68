"""A deterministic synthetic corpus of N documents in the five languages, made from the real
articles' sentences and vocabulary, so analyzers do realistic work.

    python bench/corpus.py 10000 [--out bench/out/corpus-10000] [--seed 7]

Each document takes a real article's language, a title built from real title words, and a
body of real sentences in which about a fifth of the words are swapped for other words of
the same language (so the vocabulary grows with N as a real site's does). Writes one .jsonl
file per language (id, title, body, lang).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.config import load_settings  # noqa: E402
from indexer.corpus import read_corpus  # noqa: E402

SENTENCE = regex.compile(r"(?<=[.!?:])\s+")
WORD = regex.compile(r"[\p{L}\p{M}]{4,}")


def sources() -> dict[str, dict[str, list[str]]]:
    """Per language: real sentences, real title words, and the vocabulary."""
    docs = read_corpus(load_settings(ROOT / "config.toml").corpus).documents
    data: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for doc in docs:
        lang = data[doc.lang]
        lang["sentences"].extend(s for s in SENTENCE.split(doc.body.replace("\n", " "))
                                 if len(s) > 30)
        lang["titles"].extend(WORD.findall(doc.title))
        lang["words"].extend(WORD.findall(doc.body))
    return {k: {kk: sorted(set(vv)) for kk, vv in v.items()} for k, v in data.items()}


def make_doc(rng: random.Random, lang: str, src: dict[str, list[str]], n: int) -> dict:
    title = " ".join(rng.choice(src["titles"]) for _ in range(rng.randint(3, 7)))
    sentences = []
    for _ in range(rng.randint(6, 18)):
        words = rng.choice(src["sentences"]).split(" ")
        for i in range(len(words)):
            if rng.random() < 0.2:
                words[i] = rng.choice(src["words"])
        sentences.append(" ".join(words))
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    return {"id": f"syn-{lang}-{n:07d}", "title": title.capitalize(),
            "body": "\n\n".join(paragraphs), "lang": lang}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "out" / f"corpus-{args.n}"
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    src = sources()
    langs = sorted(src)
    files = {lang: (out / f"{lang}.jsonl").open("w", encoding="utf-8") for lang in langs}
    chars = 0
    for n in range(args.n):
        lang = langs[n % len(langs)]
        doc = make_doc(rng, lang, src[lang], n)
        chars += len(doc["body"])
        files[lang].write(json.dumps(doc, ensure_ascii=False) + "\n")
    for handle in files.values():
        handle.close()
    print(f"{args.n} documents, {chars / max(args.n, 1):.0f} characters each on average, "
          f"in {out}")


if __name__ == "__main__":
    main()
