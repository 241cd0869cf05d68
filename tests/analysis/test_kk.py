"""Kazakh analysis beyond the golden rows: folded spellings stem by folded endings, and Latin
spellings (the 2021 alphabet, informal ASCII) reach the Cyrillic word's folded terms."""

from __future__ import annotations

import pytest

from indexer.analysis import get_language

from .views import fold_terms as fold_terms_in

KK = get_language("kk")


def fold_terms(word: str) -> set[str]:
    return fold_terms_in("kk", word)


@pytest.mark.parametrize(("typed", "written"), [
    ("шункырлардын", "шұңқыр"),  # folded and inflected otherwise: the folded stems meet
    ("кезендери", "кезеңі"),
    ("женилдиктерди", "жеңілдік"),
    ("келмейди", "келді"),  # folded verb forms meet too
])
def test_a_folded_word_finds_other_forms(typed: str, written: str) -> None:
    assert fold_terms(typed) & fold_terms(written), (fold_terms(typed), fold_terms(written))


def test_folded_stems_do_not_merge_what_the_stems_keep_apart() -> None:
    assert not fold_terms("сауда") & fold_terms("сау")
    assert not fold_terms("нарық") & fold_terms("нар")


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("şūñqyrlary", "шұңқырлары"),  # 2021 alphabet
    ("shungqyrlary", "шұңқырлары"),  # informal ASCII: sh, ng, unmarked vowels
    ("jetkızu tızbegı", "жеткізу тізбегі"),  # 2021: j = ж, ı = і
    ("zhetkizu tizbegi", "жеткізу тізбегі"),
    ("alaiaqtyqty", "алаяқтықты"),  # ia after a vowel is я
    ("alayaqtyqty", "алаяқтықты"),
    ("üiıne", "үйіне"),  # i after a vowel is й
    ("qalaiyn", "қалайын"),
    ("tauy", "тауы"),  # y after у as the possessive is ы
    ("duysenbi", "дүйсенбі"),
    ("Qazaqstan", "Қазақстан"),
    ("ğylym", "ғылым"), ("ǵylym", "ғылым"), ("ghylym", "ғылым"),
    ("marketingti", "маркетингті"),  # ng read as ң; ң and нг fold alike
])
def test_latin_spellings_reach_the_cyrillic(latin: str, cyrillic: str) -> None:
    assert KK.transliterate is not None
    got = " ".join(KK.transliterate(w) for w in latin.split())
    assert KK.fold(got) == KK.fold(cyrillic.lower())


def test_verbs_meet_in_the_stem_view() -> None:
    for forms in ("алдым алынды алады алған алып алмады", "салынды салып",
                  "жасады жасалды жасап жасау жасамайды"):
        readings = [set(KK.stems(w)) for w in forms.split()]
        assert set.intersection(*readings), readings
