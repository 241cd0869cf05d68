"""Georgian analysis beyond the golden rows: verb forms typed without ejectives (or in Latin
letters without apostrophes) still meet the verb's other forms through the fold view."""

from __future__ import annotations

import pytest

from indexer.analysis import get_language

from .views import fold_terms as fold_terms_in

KA = get_language("ka")


def fold_terms(word: str) -> set[str]:
    return fold_terms_in("ka", word)


@pytest.mark.parametrize(("typed", "written"), [
    ("ცაიყვანა", "წაიყვანს"),  # წა- typed ცა-: the folded preverb is still a preverb
    ("დავცერე", "დაწერს"),
    ("ქომფანიებში", "კომპანიას"),
])
def test_a_folded_word_finds_other_forms(typed: str, written: str) -> None:
    assert fold_terms(typed) & fold_terms(written), (fold_terms(typed), fold_terms(written))


@pytest.mark.parametrize(("latin", "georgian"), [
    ("tsaiqvana", "წაიყვანს"),  # Latin without apostrophes, inflected otherwise
    ("davts'ere", "დაწერდა"),
])
def test_latin_typed_verbs_meet(latin: str, georgian: str) -> None:
    assert KA.transliterate is not None
    assert fold_terms(KA.transliterate(latin)) & fold_terms(georgian)


@pytest.mark.parametrize(("noun", "readings"), [
    ("კომპანიებს", ("კომპნ", "კომპანიებ")),  # plural -ებ-ს, not a verb's -ებ-ს
    ("ბავშვობა", ("ბავშვობ",)),  # abstract -ობა, not -ობ- + -ა
    ("სკოლაში", ("სკოლ",)),
    ("მართვა", ("მართვ",)),
])
def test_a_noun_gets_no_verb_reading_from_its_look_alike_ending(
        noun: str, readings: tuple[str, ...]) -> None:
    assert KA.stems(noun) == readings


@pytest.mark.parametrize(("word", "other_form"), [
    # a present-series form with no preverb (read as a noun in -ებს/-ება as well): the
    # version vowel before the root changes with the object (ა-მტკიც-ებ-ს / უ-მტკიც-ებ-ს)
    ("ამტკიცებს", "უმტკიცებს"),
    ("ამართლებს", "იმართლებდა"),
])
def test_present_series_forms_get_near_beginnings(word: str, other_form: str) -> None:
    assert KA.near_beginnings is not None
    assert any(other_form.startswith(b) for b in KA.near_beginnings(word))
