"""Armenian for polyfind, as a language plug-in would ship it: one module defining LANGUAGE,
declared under the `polyfind.languages` entry point group (tests/test_language_plugin.py
installs it the way pip would). Nothing in polyfind knows Armenian otherwise."""

from indexer.analysis.base import Language

# Noun endings, longest first: plural -եր/-ներ, the definite article -ը/-ն, the cases
# genitive-dative -ի, ablative -ից, instrumental -ով, locative -ում (stacked: -ներից, -ները).
SUFFIXES = ("ներ", "եր", "ում", "ից", "ով", "ին", "ի", "ը", "ն")


MIN_STEM = 3


def armenian_stems(word: str) -> tuple[str, ...]:
    """Strip the longest ending again and again (endings stack) while 3 letters remain."""
    while True:
        ending = next((s for s in SUFFIXES if word.endswith(s)
                       and len(word) - len(s) >= MIN_STEM), None)
        if ending is None:
            return (word,)
        word = word[: -len(ending)]


LANGUAGE = Language(
    code="hy",
    name="Հայերեն",
    english_name="Armenian",
    script="Armenian",
    script_identifies=True,
    stems=armenian_stems,
    stopwords=frozenset({"և", "եւ", "է", "են", "որ", "ու", "այն"}),
    opening_headings=("ներածություն",),
    closing_headings=("եզրակացություն",),
)
