"""A deterministic synthetic corpus of N documents in the five languages, so analyzers and
the index do realistic work.

    python bench/corpus.py 10000 [--out bench/out/corpus-10000] [--seed 7]
    python bench/corpus.py 50000 --vocab real [--out bench/out/corpus-real-50000]

Default mode (`--vocab articles`): each document takes a real article's language, a title
built from real title words, and a body of real sentences in which about a fifth of the
words are swapped for other words of the same language; the vocabulary stays that of the
50 articles, so per-word caches almost always hit.

`--vocab real` (bench/real_vocab.py): word frequencies follow a Zipf-Mandelbrot curve over
an unbounded vocabulary, so new words keep coming as N grows (Heaps' law) as on a real site;
words past the articles' own are formed by each language's morphology (new roots inflected
with the endings its analyzer strips), plus names and numbers; documents run from one
paragraph to several pages. Writes one .jsonl file per language (id, title, body, lang).
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


def generator_params(vocab: str, seed: int) -> dict:
    """What a corpus was made with, kept beside it (`<folder>.params.json`): a benchmark
    remakes a corpus made with other parameters."""
    params: dict = {"vocab": vocab, "seed": seed}
    if vocab == "real":
        from real_vocab import S_BY_LANGUAGE, S_OTHER, Q

        params["zipf"] = {"q": Q, "s": S_BY_LANGUAGE, "s_other": S_OTHER}
    return params


def params_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".params.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vocab", choices=("articles", "real"), default="articles",
                        help="articles: the 50 articles' words; real: a growing vocabulary")
    args = parser.parse_args()
    name = f"corpus-{args.n}" if args.vocab == "articles" else f"corpus-real-{args.n}"
    out = args.out or ROOT / "bench" / "out" / name
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    src = sources()
    langs = sorted(src)
    if args.vocab == "real":
        from real_vocab import RealVocabulary

        vocabularies = {lang: RealVocabulary(lang, src[lang], args.seed) for lang in langs}
    files = {lang: (out / f"{lang}.jsonl").open("w", encoding="utf-8") for lang in langs}
    chars = 0
    for n in range(args.n):
        lang = langs[n % len(langs)]
        if args.vocab == "real":
            doc = vocabularies[lang].document(n)
        else:
            doc = make_doc(rng, lang, src[lang], n)
        chars += len(doc["body"])
        files[lang].write(json.dumps(doc, ensure_ascii=False) + "\n")
    for handle in files.values():
        handle.close()
    params_path(out).write_text(json.dumps(generator_params(args.vocab, args.seed)), "utf-8")
    print(f"{args.n} documents, {chars / max(args.n, 1):.0f} characters each on average, "
          f"in {out}")
    if args.vocab == "real":
        for lang in langs:
            print(f"  {lang}: {vocabularies[lang].distinct_words():,} distinct words")


if __name__ == "__main__":
    main()
