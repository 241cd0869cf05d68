"""The interface's own words in English and in each of the five languages.

Chosen from ?ui=xx, then the browser's Accept-Language, then English.
"""

from __future__ import annotations

from flask import Request

UI_LANGUAGES = {
    "en": "English", "ka": "ქართული", "he": "עברית", "kk": "Қазақша", "pl": "Polski",
    "af": "Afrikaans",
}
RTL = {"he"}
LANGUAGE_NAMES = {"ka": "ქართული", "he": "עברית", "kk": "Қазақша", "pl": "Polski",
                  "af": "Afrikaans", "en": "English", "ru": "Русский", "und": "—"}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "polyfind", "tagline": "Search in Georgian, Hebrew, Kazakh, Polish and Afrikaans",
        "placeholder": "Search articles…", "search": "Search", "all_languages": "All languages",
        "results": "{total} results", "took": "in {ms} ms", "did_you_mean": "Did you mean",
        "also_in": "Also in", "previous": "Previous", "next": "Next", "page": "Page {page}",
        "no_results": "No results for “{q}”.",
        "tips": "Try fewer words, another spelling, or search in all languages.",
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
    },
    "pl": {
        "title": "polyfind", "tagline": "Wyszukiwanie po gruzińsku, hebrajsku, kazachsku, "
        "polsku i w afrikaans", "placeholder": "Szukaj artykułów…", "search": "Szukaj",
        "all_languages": "Wszystkie języki", "results": "Wyniki: {total}", "took": "w {ms} ms",
        "did_you_mean": "Czy chodziło ci o", "also_in": "Również w", "previous": "Poprzednia",
        "next": "Następna", "page": "Strona {page}", "no_results": "Brak wyników dla „{q}”.",
        "tips": "Spróbuj mniej słów, innej pisowni lub szukaj we wszystkich językach.",
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
    },
    "kk": {
        "title": "polyfind", "tagline": "Грузин, иврит, қазақ, поляк және африкаанс тілдерінде "
        "іздеу", "placeholder": "Мақалаларды іздеу…", "search": "Іздеу",
        "all_languages": "Барлық тілдер", "results": "{total} нәтиже", "took": "{ms} мс",
        "did_you_mean": "Мүмкін, сіз іздегеніңіз", "also_in": "Басқа тілдерде",
        "previous": "Алдыңғы", "next": "Келесі", "page": "{page}-бет",
        "no_results": "«{q}» бойынша нәтиже жоқ.",
        "tips": "Азырақ сөз, басқа жазылым немесе барлық тілдерде іздеп көріңіз.",
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
    },
    "he": {
        "title": "polyfind", "tagline": "חיפוש בגאורגית, עברית, קזחית, פולנית ואפריקאנס",
        "placeholder": "חיפוש מאמרים…", "search": "חיפוש", "all_languages": "כל השפות",
        "results": "{total} תוצאות", "took": "ב-{ms} אלפיות שנייה",
        "did_you_mean": "האם התכוונת ל", "also_in": "גם ב", "previous": "הקודם",
        "next": "הבא", "page": "עמוד {page}", "no_results": "אין תוצאות עבור „{q}”.",
        "tips": "נסו פחות מילים, כתיב אחר או חיפוש בכל השפות.", "language": "שפה",
        "interface": "שפת הממשק", "back": "חזרה לתוצאות",
        "translations": "המאמר הזה בשפות אחרות", "search_label": "שאילתת חיפוש",
        "filter_label": "סינון לפי שפה", "error": "משהו השתבש",
        "unavailable": "החיפוש אינו זמין כרגע: האינדקס זקוק לטיפול של מנהל האתר. "
                       "נסו שוב מאוחר יותר.",
        "partial": "תוצאות חלקיות: לחיפוש לא הספיק הזמן, וייתכן שחלק מהמאמרים חסרים. נסו פחות "
                   "מילים.",
        "busy": "השרת עמוס. נסו שוב בעוד רגע.",
        "intro": "הקלידו מילה או שאלה. מילים עם תחיליות, ראשי תיבות ושגיאות הקלדה מובנים.",
    },
    "ka": {
        "title": "polyfind", "tagline": "ძიება ქართულ, ებრაულ, ყაზახურ, პოლონურ და აფრიკაანს "
        "ენებზე", "placeholder": "სტატიების ძიება…", "search": "ძიება",
        "all_languages": "ყველა ენა", "results": "{total} შედეგი", "took": "{ms} მწმ-ში",
        "did_you_mean": "ხომ არ გულისხმობდით", "also_in": "ასევე", "previous": "წინა",
        "next": "შემდეგი", "page": "გვერდი {page}", "no_results": "„{q}“ — შედეგი არ არის.",
        "tips": "სცადეთ ნაკლები სიტყვა, სხვა მართლწერა ან ყველა ენაზე ძიება.",
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
    },
    "af": {
        "title": "polyfind", "tagline": "Soek in Georgies, Hebreeus, Kazaks, Pools en Afrikaans",
        "placeholder": "Soek artikels…", "search": "Soek", "all_languages": "Alle tale",
        "results": "{total} resultate", "took": "in {ms} ms", "did_you_mean": "Het jy bedoel",
        "also_in": "Ook in", "previous": "Vorige", "next": "Volgende", "page": "Bladsy {page}",
        "no_results": "Geen resultate vir “{q}” nie.",
        "tips": "Probeer minder woorde, 'n ander spelling, of soek in alle tale.",
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
    },
}


def ui_language(request: Request) -> str:
    chosen = request.args.get("ui") or request.cookies.get("ui")
    if chosen in UI_LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(list(UI_LANGUAGES))
    return best or "en"


def texts(lang: str) -> dict[str, str]:
    return {**STRINGS["en"], **STRINGS.get(lang, {})}


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"
