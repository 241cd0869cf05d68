"""The interface's own words in English and in each of the five languages.

Chosen from ?ui=xx, then the browser's Accept-Language, then English. Plurals, numbers and
language names follow each locale's CLDR rules (Babel here, the browser's Intl in the widget
and the page's script, which get these same strings from widget_strings()).
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.numbers import format_decimal
from flask import Request

from indexer.analysis import get_language, registry

# Names of languages polyfind meets but has no record for (their documents get generic
# analysis); a registered language's names are in its record.
OTHER_ENDONYMS = {"en": "English", "ru": "Русский", "und": "—"}


def endonyms() -> dict[str, str]:
    """Every language's name in itself: the registry's languages, then the others."""
    return {**{code: language.name for code, language in registry().items()},
            **OTHER_ENDONYMS}


STRINGS: dict[str, dict[str, str | dict[str, str]]] = {
    "en": {
        "title": "polyfind", "tagline": "Search in Georgian, Hebrew, Kazakh, Polish and Afrikaans",
        "placeholder": "Search articles…", "search": "Search", "all_languages": "All languages",
        "did_you_mean": "Did you mean",
        "also_in": "Also in", "previous": "Previous", "next": "Next", "page": "Page {page}",
        "no_results": "No results for “{q}”.",
        "language": "Language", "interface": "Interface language", "back": "Back to results",
        "translations": "This article in other languages", "search_label": "Search query",
        "filter_label": "Filter by language", "error": "Something went wrong",
        "unavailable": "Search is unavailable right now: the index needs the site administrator's "
                       "attention. Please try again later.",
        "partial": "Partial results: the search ran out of time, so some articles may be "
                   "missing. Try fewer words.",
        "busy": "The server is busy. Please try again in a moment.",
        "intro": "Type a word or a question. Inflected forms, missing special letters, typos "
                 "and Georgian typed in Latin letters are all understood.",
        "results": {"one": "{n} result", "other": "{n} results"}, "took": "{ms} ms",
        "page_of": "Page {page} of {pages}", "skip": "Skip to main content",
        "not_found": "Page not found.", "no_article": "No article with id “{id}”.",
        "search_all": "Search in all languages", "tips": "Try fewer words or another spelling.",
        "transliterated": "{language} results for “{q}”, typed in Latin letters.",
        "more": "More results", "suggestions": "Suggestions", "heading": "Results for “{q}”",
        "widget_unavailable": "Search is unavailable right now.",
    },
    "pl": {
        "title": "polyfind", "tagline": "Wyszukiwanie po gruzińsku, hebrajsku, kazachsku, "
        "polsku i w afrikaans", "placeholder": "Szukaj artykułów…", "search": "Szukaj",
        "all_languages": "Wszystkie języki", "did_you_mean": "Czy chodziło ci o",
        "also_in": "Również w", "previous": "Poprzednia",
        "next": "Następna", "page": "Strona {page}", "no_results": "Brak wyników dla „{q}”.",
        "language": "Język", "interface": "Język interfejsu", "back": "Wróć do wyników",
        "translations": "Ten artykuł w innych językach", "search_label": "Zapytanie",
        "filter_label": "Filtruj według języka", "error": "Coś poszło nie tak",
        "unavailable": "Wyszukiwarka jest teraz niedostępna: indeks wymaga uwagi administratora "
                       "strony. Spróbuj ponownie później.",
        "partial": "Wyniki częściowe: zabrakło czasu na wyszukiwanie, więc może brakować "
                   "niektórych artykułów. Spróbuj mniej słów.",
        "busy": "Serwer jest zajęty. Spróbuj ponownie za chwilę.",
        "intro": "Wpisz słowo lub pytanie. Odmienione formy, brak polskich znaków, literówki "
                 "i gruziński zapisany łacinką są rozumiane.",
        "results": {"one": "{n} wynik", "few": "{n} wyniki", "many": "{n} wyników",
                    "other": "{n} wyniku"}, "took": "{ms} ms",
        "page_of": "Strona {page} z {pages}", "skip": "Przejdź do treści",
        "not_found": "Nie ma takiej strony.",
        "no_article": "Nie ma artykułu o identyfikatorze „{id}”.",
        "search_all": "Szukaj we wszystkich językach",
        "tips": "Spróbuj mniej słów lub innej pisowni.",
        "transliterated": "Wyniki w języku: {language} dla „{q}” wpisanego łacinką.",
        "more": "Więcej wyników", "suggestions": "Podpowiedzi", "heading": "Wyniki dla „{q}”",
        "widget_unavailable": "Wyszukiwarka jest teraz niedostępna.",
    },
    "kk": {
        "title": "polyfind", "tagline": "Грузин, иврит, қазақ, поляк және африкаанс тілдерінде "
        "іздеу", "placeholder": "Мақалаларды іздеу…", "search": "Іздеу",
        "all_languages": "Барлық тілдер", "did_you_mean": "Мүмкін, сіз іздегеніңіз",
        "also_in": "Басқа тілдерде",
        "previous": "Алдыңғы", "next": "Келесі", "page": "{page}-бет",
        "no_results": "«{q}» бойынша нәтиже жоқ.",
        "language": "Тіл", "interface": "Интерфейс тілі", "back": "Нәтижелерге оралу",
        "translations": "Бұл мақала басқа тілдерде", "search_label": "Іздеу сұрауы",
        "filter_label": "Тіл бойынша сүзу", "error": "Қате шықты",
        "unavailable": "Іздеу қазір қолжетімсіз: индексті сайт әкімшісі тексеруі керек. "
                       "Кейінірек қайталап көріңіз.",
        "partial": "Ішінара нәтижелер: іздеуге уақыт жетпеді, кейбір мақалалар көрсетілмеуі "
                   "мүмкін. Азырақ сөз жазып көріңіз.",
        "busy": "Сервер бос емес. Біраздан соң қайталап көріңіз.",
        "intro": "Сөзді немесе сұрақты жазыңыз. Жалғаулы сөздер, арнайы әріптерсіз жазу, қате "
                 "теру түсініледі.",
        "results": {"one": "{n} нәтиже", "other": "{n} нәтиже"}, "took": "{ms} мс",
        "page_of": "{page}/{pages} бет", "skip": "Негізгі мазмұнға өту",
        "not_found": "Бет табылмады.", "no_article": "«{id}» идентификаторы бар мақала жоқ.",
        "search_all": "Барлық тілдерде іздеу",
        "tips": "Азырақ сөз немесе басқа жазылымды қолданып көріңіз.",
        "transliterated": "Латын әріптерімен терілген «{q}» үшін нәтижелер ({language}).",
        "more": "Тағы нәтижелер", "suggestions": "Ұсыныстар", "heading": "«{q}» бойынша нәтижелер",
        "widget_unavailable": "Іздеу қазір қолжетімсіз.",
    },
    "he": {
        "title": "polyfind", "tagline": "חיפוש בגאורגית, עברית, קזחית, פולנית ואפריקאנס",
        "placeholder": "חיפוש מאמרים…", "search": "חיפוש", "all_languages": "כל השפות",
        "did_you_mean": "האם התכוונת ל", "also_in": "גם ב", "previous": "הקודם",
        "next": "הבא", "page": "עמוד {page}", "no_results": "אין תוצאות עבור „{q}”.",
        "language": "שפה",
        "interface": "שפת הממשק", "back": "חזרה לתוצאות",
        "translations": "המאמר הזה בשפות אחרות", "search_label": "שאילתת חיפוש",
        "filter_label": "סינון לפי שפה", "error": "משהו השתבש",
        "unavailable": "החיפוש אינו זמין כרגע: האינדקס זקוק לטיפול של מנהל האתר. "
                       "נסו שוב מאוחר יותר.",
        "partial": "תוצאות חלקיות: לחיפוש לא הספיק הזמן, וייתכן שחלק מהמאמרים חסרים. נסו פחות "
                   "מילים.",
        "busy": "השרת עמוס. נסו שוב בעוד רגע.",
        "intro": "הקלידו מילה או שאלה. מילים עם תחיליות, ראשי תיבות ושגיאות הקלדה מובנים.",
        "results": {"one": "תוצאה אחת", "two": "{n} תוצאות", "other": "{n} תוצאות"},
        "took": "{ms} אלפיות שנייה",
        "page_of": "עמוד {page} מתוך {pages}", "skip": "דילוג לתוכן הראשי",
        "not_found": "הדף לא נמצא.", "no_article": "אין מאמר עם המזהה „{id}”.",
        "search_all": "חיפוש בכל השפות", "tips": "נסו פחות מילים או כתיב אחר.",
        "transliterated": "תוצאות ב{language} עבור „{q}”, שהוקלד באותיות לטיניות.",
        "more": "תוצאות נוספות", "suggestions": "הצעות", "heading": "תוצאות עבור „{q}”",
        "widget_unavailable": "החיפוש אינו זמין כרגע.",
    },
    "ka": {
        "title": "polyfind", "tagline": "ძიება ქართულ, ებრაულ, ყაზახურ, პოლონურ და აფრიკაანს "
        "ენებზე", "placeholder": "სტატიების ძიება…", "search": "ძიება",
        "all_languages": "ყველა ენა", "did_you_mean": "ხომ არ გულისხმობდით", "also_in": "ასევე",
        "previous": "წინა",
        "next": "შემდეგი", "page": "გვერდი {page}", "no_results": "„{q}“ — შედეგი არ არის.",
        "language": "ენა", "interface": "ინტერფეისის ენა", "back": "შედეგებზე დაბრუნება",
        "translations": "ეს სტატია სხვა ენებზე", "search_label": "საძიებო მოთხოვნა",
        "filter_label": "ენის მიხედვით გაფილტვრა", "error": "რაღაც შეცდომა მოხდა",
        "unavailable": "ძიება ახლა მიუწვდომელია: ინდექსს საიტის ადმინისტრატორის ყურადღება "
                       "სჭირდება. სცადეთ მოგვიანებით.",
        "partial": "ნაწილობრივი შედეგები: ძიებას დრო არ ეყო, ამიტომ ზოგი სტატია შეიძლება "
                   "აკლდეს. სცადეთ ნაკლები სიტყვა.",
        "busy": "სერვერი დაკავებულია. სცადეთ ცოტა ხანში.",
        "intro": "აკრიფეთ სიტყვა ან კითხვა. ბრუნვის ფორმები, შეცდომები და ლათინური ასოებით "
                 "აკრეფილი ქართული გასაგებია.",
        "results": {"one": "{n} შედეგი", "other": "{n} შედეგი"}, "took": "{ms} მწმ",
        "page_of": "გვერდი {page} / {pages}-დან", "skip": "მთავარ შინაარსზე გადასვლა",
        "not_found": "გვერდი ვერ მოიძებნა.",
        "no_article": "სტატია იდენტიფიკატორით „{id}“ არ არსებობს.",
        "search_all": "ძიება ყველა ენაზე", "tips": "სცადეთ ნაკლები სიტყვა ან სხვა მართლწერა.",
        "transliterated": "შედეგები ენაზე: {language} — „{q}“ აკრეფილია ლათინური ასოებით.",
        "more": "მეტი შედეგი", "suggestions": "შეთავაზებები", "heading": "შედეგები: „{q}“",
        "widget_unavailable": "ძიება ახლა მიუწვდომელია.",
    },
    "af": {
        "title": "polyfind", "tagline": "Soek in Georgies, Hebreeus, Kazaks, Pools en Afrikaans",
        "placeholder": "Soek artikels…", "search": "Soek", "all_languages": "Alle tale",
        "did_you_mean": "Het jy bedoel",
        "also_in": "Ook in", "previous": "Vorige", "next": "Volgende", "page": "Bladsy {page}",
        "no_results": "Geen resultate vir “{q}” nie.",
        "language": "Taal", "interface": "Koppelvlaktaal", "back": "Terug na resultate",
        "translations": "Hierdie artikel in ander tale", "search_label": "Soeknavraag",
        "filter_label": "Filtreer volgens taal", "error": "Iets het verkeerd geloop",
        "unavailable": "Soek is tans nie beskikbaar nie: die indeks het die aandag van die "
                       "webwerf se administrateur nodig. Probeer later weer.",
        "partial": "Gedeeltelike resultate: die soektog se tyd het opgeraak, dus kan sommige "
                   "artikels ontbreek. Probeer minder woorde.",
        "busy": "Die bediener is besig. Probeer asseblief oor 'n oomblik weer.",
        "intro": "Tik 'n woord of 'n vraag. Verbuigde vorme, woorde sonder spesiale letters, "
                 "tikfoute en Georgies in Latynse letters word verstaan.",
        "results": {"one": "{n} resultaat", "other": "{n} resultate"}, "took": "{ms} ms",
        "page_of": "Bladsy {page} van {pages}", "skip": "Slaan oor na die hoofinhoud",
        "not_found": "Bladsy nie gevind nie.", "no_article": "Geen artikel met id “{id}” nie.",
        "search_all": "Soek in alle tale", "tips": "Probeer minder woorde of 'n ander spelling.",
        "transliterated": "{language} resultate vir “{q}”, in Latynse letters getik.",
        "more": "Meer resultate", "suggestions": "Voorstelle", "heading": "Resultate vir “{q}”",
        "widget_unavailable": "Soek is tans nie beskikbaar nie.",
    },
}


# The interface languages: English and each language with interface strings above.
UI_LANGUAGES = {code: endonyms().get(code, code) for code in STRINGS}


def ui_language(request: Request) -> str:
    chosen = request.args.get("ui") or request.cookies.get("ui")
    if chosen in UI_LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(list(UI_LANGUAGES))
    return best or "en"


def texts(lang: str) -> dict:
    return {**STRINGS["en"], **STRINGS.get(lang, {})}


def direction(lang: str) -> str:
    """The direction language `lang` is written in (its record's; left to right otherwise)."""
    return get_language(lang).direction


# What the widget and the page's script need, in every interface language.
SCRIPT_KEYS = ("placeholder", "search", "search_label", "results", "did_you_mean", "more",
               "suggestions", "no_results", "tips", "also_in", "widget_unavailable",
               "transliterated", "all_languages", "filter_label", "language", "page_of",
               "previous", "next", "took", "heading", "search_all", "intro")


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(get_language(lang).locale or lang)


def number(lang: str, n: float) -> str:
    """A number written the locale's way (1 434 in Polish, 1,434 in English)."""
    return format_decimal(n, locale=_locale(lang))


def plural(lang: str, key: str, n: int) -> str:
    """A countable phrase ("1 result", "5 wyników") by the locale's CLDR plural rules."""
    forms = texts(lang)[key]
    form = _locale(lang).plural_form(n)
    return forms.get(form, forms["other"]).format(n=number(lang, n))


def language_name(lang: str, code: str) -> str:
    """The name of language `code` in the interface language `lang` (Babel's CLDR names;
    else the record's English name, else its own)."""
    known = _locale(lang).languages.get(code)
    if known:
        return known
    record = registry().get(code)
    if record is None:
        return code
    return record.english_name or record.name


def script_strings() -> dict[str, dict]:
    """The interface strings the widget and the page's script use, per interface language,
    with the languages' names in each and the codes of those written right to left."""
    return _script_strings(tuple(registry()))


@cache
def _script_strings(codes: tuple[str, ...]) -> dict[str, dict]:
    names = endonyms()
    rtl = sorted(code for code in names if direction(code) == "rtl")
    return {ui: {**{k: texts(ui)[k] for k in SCRIPT_KEYS}, "dir": direction(ui),
                 "names": {code: language_name(ui, code) for code in names},
                 "endonyms": names, "rtl": rtl}
            for ui in UI_LANGUAGES}
