"""CoNLL-U treebanks as words with gold lemmas and as documents, in a tune and a report split.

Splits, per language (a treebank's file is named <lang>_<treebank>-ud-<part>.conllu):
  tune   = the dev and train files of every treebank of the language;
  report = the test files.
Kazakh (KTB) has no dev file and a 31-sentence train file, so its test file is split by
source document (the file name that opens each sent_id): documents in order of first
appearance go to tune until it holds half the test sentences, the rest to report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import registry
from ..analysis.normalize import normalize
from ..errors import PolyfindError

SPLITS = ("tune", "report")
CONTENT_UPOS = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV"})
FILE_NAME = re.compile(
    r"^(?P<lang>[a-z]{2,3})_(?P<treebank>\w+)-ud-(?P<part>train|dev|test)\.conllu$")
# Languages whose only tune data is half of the test file (see the module docstring).
TEST_HALVED = frozenset({"kk"})
# Documents per language and split: the sentences are cut into about this many runs.
DOCUMENTS_PER_LANGUAGE = 300


@dataclass(frozen=True)
class Word:
    """A content word as written in the text (a multiword token's surface when the word is
    the only content word of it: Hebrew ו+ה+בית is written and searched as והבית)."""

    form: str  # normalized written form
    lemma: str
    upos: str


@dataclass
class Sentence:
    sent_id: str
    text: str
    words: list[Word]
    newdoc: bool = False


@dataclass
class Treebank:
    """One language's sentences of one split, in file order, and where each came from."""

    lang: str
    sentences: list[Sentence] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # file name per sentence


def parse_conllu(text: str) -> list[Sentence]:
    """Sentences with their `# text` and content words (gold lemma and UPOS)."""
    sentences = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        meta = {m.group(1): m.group(2) for line in lines
                if (m := re.match(r"#\s*(sent_id|text|newdoc(?:\s+id)?)\s*=\s*(.*)", line))}
        newdoc = any(line.startswith("# newdoc") for line in lines)
        rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
        if rows and all(len(r) == 10 for r in rows):
            sentences.append(Sentence(meta.get("sent_id", ""), meta.get("text", ""),
                                      _content_words(rows), newdoc))
        elif rows:
            raise PolyfindError(f"bad CoNLL-U sentence (not 10 columns): {lines[0][:60]!r}")
    return sentences


def _content_words(rows: list[list[str]]) -> list[Word]:
    surface: dict[int, tuple[int, str]] = {}  # word id -> (multiword token's end, surface)
    for cols in rows:
        if m := re.fullmatch(r"(\d+)-(\d+)", cols[0]):
            for k in range(int(m.group(1)), int(m.group(2)) + 1):
                surface[k] = (int(m.group(2)), cols[1])
    plain = [c for c in rows if c[0].isdigit()]
    content = [c for c in plain if c[3] in CONTENT_UPOS and c[2] not in ("", "_")]
    per_token = Counter(surface[int(c[0])][0] for c in content if int(c[0]) in surface)
    words: list[Word] = []
    for cols in content:
        form = cols[1]
        if int(cols[0]) in surface:
            end, form = surface[int(cols[0])]
            if per_token[end] != 1:
                continue  # two content words in one written token: no single form for each
        form = normalize(form)
        if form.isalpha():
            words.append(Word(form, normalize(cols[2]), cols[3]))
    return words


def load_splits(folder: Path, langs: set[str] | None = None) -> dict[str, dict[str, Treebank]]:
    """split -> language -> sentences, from every *.conllu under `folder` of a language
    polyfind has an analyzer for."""
    named = [(p, m) for p in sorted(folder.rglob("*.conllu")) if (m := FILE_NAME.match(p.name))]
    wanted = (langs or set(registry())) & set(registry())
    files = [(p, m["lang"], m["part"]) for p, m in named if m["lang"] in wanted]
    if not files:
        raise PolyfindError(
            f"no CoNLL-U treebank files (<lang>_<treebank>-ud-<part>.conllu) of "
            f"{', '.join(sorted(wanted))} under {folder}: download UD treebanks, see README")
    splits: dict[str, dict[str, Treebank]] = {s: {} for s in SPLITS}
    for path, lang, part in files:
        sentences = parse_conllu(path.read_text("utf-8"))
        if lang in TEST_HALVED and part == "test":
            tune, report = halve_by_document(sentences)
            _extend(splits["tune"], lang, tune, path.name)
            _extend(splits["report"], lang, report, path.name)
        else:
            _extend(splits["tune" if part in ("dev", "train") else "report"], lang, sentences,
                    path.name)
    return splits


def _extend(split: dict[str, Treebank], lang: str, sentences: list[Sentence], name: str) -> None:
    bank = split.setdefault(lang, Treebank(lang))
    bank.sentences.extend(sentences)
    bank.sources.extend([name] * len(sentences))


def halve_by_document(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Whole source documents (the sent_id up to its first ':') in order of appearance: the
    first ones, up to half the sentences, and the rest."""
    by_doc: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        by_doc[s.sent_id.split(":", 1)[0]].append(s)
    first: list[Sentence] = []
    rest: list[Sentence] = []
    for group in by_doc.values():
        (first if len(first) + len(group) / 2 <= len(sentences) / 2 else rest).extend(group)
    return first, rest


@dataclass(frozen=True)
class UDDocument:
    """A run of consecutive sentences of one file, never across a `# newdoc`."""

    id: str
    lang: str
    text: str
    words: tuple[Word, ...]


def documents(bank: Treebank, count: int = DOCUMENTS_PER_LANGUAGE) -> list[UDDocument]:
    """The language's sentences cut into about `count` runs of equal length (so every
    language has a collection of the same size, whatever its sentence length)."""
    size = max(1, round(len(bank.sentences) / count))
    docs: list[UDDocument] = []
    run: list[Sentence] = []

    def close() -> None:
        if run:
            docs.append(UDDocument(f"{bank.lang}-{len(docs) + 1:04d}", bank.lang,
                                   " ".join(s.text for s in run),
                                   tuple(w for s in run for w in s.words)))
            run.clear()

    for i, sentence in enumerate(bank.sentences):
        if run and (sentence.newdoc or bank.sources[i] != bank.sources[i - 1]):
            close()
        run.append(sentence)
        if len(run) >= size:
            close()
    close()
    return docs
