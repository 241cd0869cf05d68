"""Real-browser tests: headless Chromium (Debian's chromium + chromium-driver) driven by
Selenium against a real (werkzeug) server on loopback, as a person would use the page."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from search_web import create_app

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        pytest.fail("CI needs chromium and chromedriver (installed by .ci/run)",
                    pytrace=False)
    pytest.skip("chromium/chromedriver not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "search_web" / "examples" / "embed.html"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(built_settings, service):
    from werkzeug.serving import make_server

    port = free_port()
    wsgi = make_server("127.0.0.1", port, create_app(built_settings, service), threaded=True)
    thread = threading.Thread(target=wsgi.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    wsgi.shutdown()


def host_variant(html: str, lang: str, ui: str | None) -> str:
    """The example host page with another <html lang> and, optionally, data-ui."""
    html = html.replace('<html lang="en">', f'<html lang="{lang}">')
    if ui:
        html = html.replace('data-target="#search"', f'data-target="#search" data-ui="{ui}"')
    return html


@pytest.fixture(scope="module")
def host_site(server, tmp_path_factory):
    """The example host page, served from another origin (another port), in variants:
    /embed.html as shipped, /embed-xx.html with <html lang="xx">, /embed-xx-ui-yy.html
    with data-ui="yy" as well."""
    folder = tmp_path_factory.mktemp("host")
    html = EXAMPLE.read_text("utf-8").replace("{{POLYFIND}}", server)
    (folder / "embed.html").write_text(html, "utf-8")
    for lang in ("en", "pl", "kk", "he", "af", "ka", "de"):
        (folder / f"embed-{lang}.html").write_text(host_variant(html, lang, None), "utf-8")
    (folder / "embed-pl-ui-he.html").write_text(host_variant(html, "pl", "he"), "utf-8")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(folder), **k)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def host_page(host_site):
    return f"{host_site}/embed.html"


@pytest.fixture(scope="module")
def browser():
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1100,1200"):
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def wait(browser, condition, timeout: float = 20):
    # (results are redrawn after every keystroke: an element may go stale while looked at)
    return WebDriverWait(browser, timeout, ignored_exceptions=[
        StaleElementReferenceException]).until(condition)


def settled(browser, selector: str, text: str, root=None) -> None:
    """Wait until the answer to the last keystroke is shown: half words find results
    too (prefix=auto), so earlier answers show first."""
    wait(browser, lambda b: (root or b).find_element(By.CSS_SELECTOR, selector).text.startswith(
        text))


def search(browser, server: str, query: str, ui: str = "en") -> None:
    browser.get(f"{server}/?ui={ui}")
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query)
    box.send_keys(Keys.ENTER)
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".summary")))


@pytest.mark.parametrize(("query", "lang", "direction", "first"), [
    ("lejek sprzedazowy", "pl", "ltr", "/doc/pl-01"),
    ("шункыр", "kk", "ltr", "/doc/kk-01"),
    ('בדוא"ל', "he", "rtl", "/doc/he-"),
    ("verkoopstregters", "af", "ltr", "/doc/af-01"),
    ("khmovani dzieba", "ka", "ltr", "/doc/ka-10"),
])
def test_typing_a_query_in_each_language(browser, server, query, lang, direction, first) -> None:
    search(browser, server, query)
    result = browser.find_element(By.CSS_SELECTOR, f".result[lang={lang}]")
    assert result.get_attribute("dir") == direction
    assert first in result.find_element(By.CSS_SELECTOR, "h2 a").get_attribute("href")
    marks = result.find_elements(By.CSS_SELECTOR, ".snippet mark")
    assert marks and all(m.text for m in marks)
    assert result.value_of_css_property("direction") == direction


def test_paginate_filter_and_follow_a_translation(browser, server) -> None:
    search(browser, server, "CRM")
    browser.find_element(By.CSS_SELECTOR, 'a[rel="next"]').click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, 'a[rel="prev"]')))
    assert "page=2" in browser.current_url
    browser.find_element(By.CSS_SELECTOR, '.facets a[lang="he"]').click()
    wait(browser, ec.url_contains("lang=he"))
    langs = {r.get_attribute("lang") for r in browser.find_elements(By.CSS_SELECTOR, ".result")}
    assert langs == {"he"}
    browser.find_element(By.CSS_SELECTOR, '.result .also a[lang="pl"]').click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "article.doc")))
    assert browser.find_element(By.CSS_SELECTOR, "article.doc").get_attribute("lang") == "pl"


def type_slowly(box, text: str) -> None:
    """Letter by letter, as a person types (each letter is its own input event)."""
    for letter in text:
        box.send_keys(letter)
        time.sleep(0.03)


@pytest.mark.parametrize(("ui", "query", "lang", "first"), [
    ("en", "cross-docking", "pl", "/doc/pl-02"),
    ("pl", "lejek", "pl", "/doc/pl-01"),
    ("kk", "шұңқыр", "kk", "/doc/kk-01"),
    ("he", "שיווק", "he", "/doc/he-"),
    ("af", "verkoopstregters", "af", "/doc/af-01"),
    ("ka", "khmovani dzieba", "ka", "/doc/ka-10"),
])
def test_search_as_you_type(browser, server, service, ui, query, lang, first) -> None:
    """Results come from the JSON API into the page as one types, without loading a page;
    the address follows, and counts read as the server writes them (CLDR plurals)."""
    from search_web.i18n import plural

    browser.get(f"{server}/?ui={ui}")
    browser.execute_script("window.notReloaded = true")
    box = browser.find_element(By.ID, "q")
    assert box.get_attribute("autofocus") is not None  # the empty home page only
    type_slowly(box, query)
    total = service.search(query, prefer=ui, prefix="auto").total
    settled(browser, ".summary .total", plural(ui, "results", total))
    wait(browser, lambda b: b.execute_script(
        "return new URLSearchParams(location.search).get('q')") == query)
    wait(browser, lambda b: first in b.find_element(
        By.CSS_SELECTOR, f".result[lang={lang}] h2 a").get_attribute("href"))
    wait(browser, lambda b: b.find_element(
        By.CSS_SELECTOR, f".result[lang={lang}] h2 a").find_elements(By.TAG_NAME, "mark"))
    assert browser.execute_script("return window.notReloaded") is True
    assert browser.find_element(By.CSS_SELECTOR, ".summary .total").text == plural(ui, "results",
                                                                                   total)
    assert browser.find_element(By.ID, "status").get_attribute("textContent") == plural(
        ui, "results", total)
    assert not browser.find_elements(By.ID, "lang")  # the chips are the language filter now
    result = browser.find_element(By.CSS_SELECTOR, f".result[lang={lang}]")
    assert result.value_of_css_property("direction") == ("rtl" if lang == "he" else "ltr")
    if ui == "ka":
        assert "ლათინური" in browser.find_element(By.CSS_SELECTOR, ".translit").text
    # The address is the server's page for the same results (linkable, works without JS).
    browser.get(browser.current_url)
    assert first in browser.find_element(
        By.CSS_SELECTOR, f".result[lang={lang}] h2 a").get_attribute("href")
    assert browser.find_element(By.ID, "q").get_attribute("autofocus") is None


def test_page_suggestions_are_a_combobox(browser, server) -> None:
    browser.get(f"{server}/?ui=pl")
    box = browser.find_element(By.ID, "q")
    type_slowly(box, "lej")
    listbox = browser.find_element(By.ID, "suggestions")
    wait(browser, lambda b: listbox.is_displayed())
    assert box.get_attribute("aria-expanded") == "true"
    box.send_keys(Keys.ARROW_DOWN)
    first = listbox.find_elements(By.CSS_SELECTOR, "[role=option]")[0]
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert browser.switch_to.active_element == box  # focus stays in the box
    word = first.text
    box.send_keys(Keys.ENTER)
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".result"))
    assert box.get_attribute("value") == word + " " and not listbox.is_displayed()
    type_slowly(box, "sprzeda")
    wait(browser, lambda b: listbox.is_displayed())
    box.send_keys(Keys.ESCAPE)
    assert not listbox.is_displayed() and box.get_attribute("aria-expanded") == "false"
    # Arrow keys elsewhere on the page are the browser's own (scrolling), not taken over.
    taken = browser.execute_script(
        "var e = new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true,"
        " cancelable: true}); document.querySelector('.result h2 a').dispatchEvent(e);"
        " return e.defaultPrevented;")
    assert taken is False


def test_language_select_does_not_submit_by_itself(browser, server) -> None:
    browser.get(f"{server}/?ui=en")
    browser.execute_script("window.notReloaded = true")
    Select(browser.find_element(By.ID, "lang")).select_by_value("he")
    time.sleep(0.5)
    assert browser.execute_script("return window.notReloaded") is True
    assert "lang=he" not in browser.current_url


def shadow(browser, page: str):
    browser.get(page)
    host = wait(browser, lambda b: b.execute_script(
        "var h = document.querySelector('#search'); return h && h.shadowRoot ? h : null;"))
    return host.shadow_root


@pytest.mark.parametrize(("page", "ui", "query", "lang", "first"), [
    ("embed-en.html", "en", "cross-docking", "pl", "/doc/pl-02"),
    ("embed-pl.html", "pl", "lejek", "pl", "/doc/pl-01"),
    ("embed-kk.html", "kk", "шұңқыр", "kk", "/doc/kk-01"),
    ("embed-he.html", "he", "שיווק", "he", "/doc/he-"),
    ("embed-af.html", "af", "verkoopstregters", "af", "/doc/af-01"),
    ("embed-ka.html", "ka", "khmovani dzieba", "ka", "/doc/ka-10"),
    ("embed-pl-ui-he.html", "he", "lejek", "pl", "/doc/pl-01"),
    ("embed-de.html", "en", "lejek", "pl", "/doc/pl-01"),
])
def test_widget_in_each_language(browser, host_site, service, page, ui, query, lang,
                                 first) -> None:
    """The widget speaks data-ui, else the host's <html lang>, else English; Hebrew is rtl;
    typed letter by letter, results come with highlighted titles."""
    from search_web.i18n import plural, texts

    root = shadow(browser, f"{host_site}/{page}")
    box = root.find_element(By.CSS_SELECTOR, "input")
    assert box.get_attribute("placeholder") == texts(ui)["placeholder"]
    wrapper = root.find_element(By.CSS_SELECTOR, ".pf")
    assert wrapper.get_attribute("lang") == ui
    assert wrapper.value_of_css_property("direction") == ("rtl" if ui == "he" else "ltr")
    type_slowly(box, query)
    host_lang = page.split("-")[1].split(".")[0]
    prefer = host_lang if host_lang in ("pl", "kk", "he", "af", "ka") else None
    total = service.search(query, prefer=prefer, prefix="auto").total
    settled(browser, "[role=status]", plural(ui, "results", total), root)

    def final_hit(_browser):
        """The first hit once the answer to the whole query is shown."""
        hits = root.find_elements(By.CSS_SELECTOR, f"li.hit[lang={lang}]")
        if not hits or first not in (hits[0].get_attribute("data-href") or ""):
            return None
        marked = hits[0].find_elements(By.CSS_SELECTOR, ".t mark") and hits[0].find_elements(
            By.CSS_SELECTOR, ".s mark")
        return hits[0] if marked else None

    wait(browser, final_hit)


def test_widget_keyboard_did_you_mean_and_more(browser, host_page) -> None:
    root = shadow(browser, host_page)
    box = root.find_element(By.CSS_SELECTOR, "input")
    type_slowly(box, "CRM")
    wait(browser, lambda b: root.find_elements(By.CSS_SELECTOR, "li.hit"))
    assert len(root.find_elements(By.CSS_SELECTOR, "li.hit")) == 5
    root.find_element(By.CSS_SELECTOR, "button.more").click()
    wait(browser, lambda b: len(root.find_elements(By.CSS_SELECTOR, "li.hit")) == 10)
    box.click()
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ARROW_DOWN)
    active = box.get_attribute("aria-activedescendant")
    chosen = root.find_element(By.CSS_SELECTOR, "[aria-selected=true]")
    assert chosen.get_attribute("id") == active
    box.send_keys(Keys.ARROW_UP)
    assert box.get_attribute("aria-activedescendant") not in (active, None)
    box.send_keys(Keys.ESCAPE)
    listbox = root.find_element(By.CSS_SELECTOR, "[role=listbox]")
    assert not listbox.is_displayed() and box.get_attribute("aria-expanded") == "false"
    box.send_keys(Keys.ARROW_DOWN)  # opens it again
    assert listbox.is_displayed()
    # A misspelt word: the correction is a button that searches for it.
    box.clear()
    type_slowly(box, "markteing")
    fix = wait(browser, lambda b: [e for e in root.find_elements(By.CSS_SELECTOR, "button.link")
                                   if e.is_displayed()])[0]
    assert fix.text == "marketing"
    fix.click()
    wait(browser, lambda b: box.get_attribute("value") == "marketing" and root.find_elements(
        By.CSS_SELECTOR, "li.hit[lang=pl]"))
    # (a late answer may redraw the list and drop the selection: keep moving down)
    def hit_chosen(_browser) -> bool:
        box.send_keys(Keys.ARROW_DOWN)
        chosen = root.find_elements(By.CSS_SELECTOR, "[aria-selected=true]")
        return bool(chosen) and "hit" in chosen[0].get_attribute("class")
    wait(browser, hit_chosen)
    href = root.find_element(By.CSS_SELECTOR, "[aria-selected=true]").get_attribute("data-href")
    box.send_keys(Keys.ENTER)
    wait(browser, ec.url_to_be(href))


# The page's fetch, with /api/suggest's answers held until __release() (a slow answer).
HOLD_SUGGESTIONS = """
window.__held = [];
var realFetch = window.fetch;
window.fetch = function (url) {
  if (String(url).indexOf("/api/suggest") < 0) return realFetch(url);
  return new Promise(function (resolve) {
    window.__held.push(function () { resolve(realFetch(url)); });
  });
};
window.__release = function () { window.__held.splice(0).forEach(function (go) { go(); }); };
"""


def test_widget_late_answer_keeps_the_chosen_result(browser, host_page) -> None:
    """Suggestions that arrive after the user moved to a result are drawn above it: the same
    result stays chosen, and Enter opens it, not the suggestion now in its place."""
    root = shadow(browser, host_page)
    browser.execute_script(HOLD_SUGGESTIONS)
    box = root.find_element(By.CSS_SELECTOR, "input")
    type_slowly(box, "CRM")
    wait(browser, lambda b: len(root.find_elements(By.CSS_SELECTOR, "li.hit")) == 5
         and b.execute_script("return window.__held.length") > 0)
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ARROW_DOWN)
    chosen = root.find_element(By.CSS_SELECTOR, "[aria-selected=true]")
    href = chosen.get_attribute("data-href")
    assert "hit" in chosen.get_attribute("class") and href
    browser.execute_script("window.__release()")
    wait(browser, lambda b: root.find_elements(By.CSS_SELECTOR, "li.sug"))
    chosen = root.find_elements(By.CSS_SELECTOR, "[aria-selected=true]")
    assert [c.get_attribute("data-href") for c in chosen] == [href]
    assert box.get_attribute("aria-activedescendant") == chosen[0].get_attribute("id")
    box.send_keys(Keys.ENTER)
    wait(browser, ec.url_to_be(href))


def test_widget_in_a_hostile_host_page(browser, host_page) -> None:
    root = shadow(browser, host_page)
    box = root.find_element(By.CSS_SELECTOR, "input")
    assert box.is_displayed()  # the host hides every <input>; the widget's is untouched
    box.send_keys("Czarny Piątek")
    box.send_keys(Keys.ENTER)

    def first_hit(_browser) -> tuple[str, bool, str] | None:
        # (read in one go: the suggestions' answer redraws the list, and the hit goes stale)
        hits = root.find_elements(By.CSS_SELECTOR, "li.hit")
        if not hits:
            return None
        first = hits[0]
        return (first.get_attribute("data-href"), bool(first.find_elements(By.CSS_SELECTOR,
                                                                            "mark")),
                first.find_element(By.CSS_SELECTOR, ".s").value_of_css_property("color"))

    href, marked, color = wait(browser, first_hit)
    assert "/doc/pl-03" in href and marked
    assert color != "rgba(255, 0, 0, 1)"  # host's `* { color: red !important }` stays out
    assert browser.execute_script("return typeof PF") == "undefined"  # no globals left


def test_markup_in_a_query_stays_text(browser, server) -> None:
    browser.get(f"{server}/?ui=en&q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3Elejek")
    time.sleep(0.3)
    assert not browser.find_elements(By.CSS_SELECTOR, "main img")
    assert browser.find_element(By.ID, "q").get_attribute("value").startswith('"><img')


def test_hostile_article_is_inert_in_the_browser(browser, tmp_path_factory) -> None:
    import json as json_module

    from selenium.common.exceptions import NoAlertPresentException
    from werkzeug.serving import make_server

    from indexer.build import build_index

    from ..conftest import settings_for
    from .test_hostile_content import EVIL

    corpus = tmp_path_factory.mktemp("evil-browser")
    (corpus / "evil.jsonl").write_text(json_module.dumps(EVIL, ensure_ascii=False), "utf-8")
    settings = settings_for(tmp_path_factory.mktemp("evil-browser-index"), corpus)
    build_index(settings)
    port = free_port()
    server = make_server("127.0.0.1", port, create_app(settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path in ("/?q=lejek&ui=en", "/doc/evil?q=lejek&ui=en"):
            browser.get(f"http://127.0.0.1:{port}{path}")
            time.sleep(0.3)
            with pytest.raises(NoAlertPresentException):
                browser.switch_to.alert.text  # noqa: B018 - raises when no alert opened
            assert not browser.find_elements(By.CSS_SELECTOR, "main img, main script")
            assert "<script>alert('t')</script>" in browser.find_element(By.TAG_NAME, "main").text
    finally:
        server.shutdown()


def test_widget_result_opens_the_articles_own_url(browser, tmp_path_factory) -> None:
    """Articles with their own URL (on the host site) are linked there, not to polyfind."""
    import json as json_module

    from werkzeug.serving import make_server

    from indexer.build import build_index

    from ..conftest import settings_for

    site = tmp_path_factory.mktemp("own-site")
    (site / "articles").mkdir()
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(site), **k)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    host = f"http://127.0.0.1:{httpd.server_address[1]}"
    articles = [
        {"id": "funnel", "lang": "pl", "title": "Lejek sprzedażowy w praktyce",
         "body": "Lejek sprzedażowy prowadzi klienta od pierwszego kontaktu do zakupu.",
         "url": f"{host}/articles/lejek.html"},
        {"id": "crm", "lang": "pl", "title": "System CRM",
         "body": "System CRM porządkuje kontakty z klientami i lejek sprzedaży.",
         "url": f"{host}/articles/crm.html"},
    ]
    for article in articles:
        name = article["url"].rsplit("/", 1)[1]
        (site / "articles" / name).write_text(
            "<!doctype html><meta charset=utf-8>"
            f"<title>{article['title']}</title><h1>{article['title']}</h1>",
            "utf-8")
    corpus = tmp_path_factory.mktemp("own-corpus")
    (corpus / "site.jsonl").write_text(
        "\n".join(json_module.dumps(a, ensure_ascii=False) for a in articles), "utf-8")
    settings = settings_for(tmp_path_factory.mktemp("own-index"), corpus)
    build_index(settings)
    port = free_port()
    polyfind = make_server("127.0.0.1", port, create_app(settings), threaded=True)
    threading.Thread(target=polyfind.serve_forever, daemon=True).start()
    (site / "index.html").write_text(host_variant(
        EXAMPLE.read_text("utf-8").replace("{{POLYFIND}}", f"http://127.0.0.1:{port}"),
        "pl", None), "utf-8")
    try:
        root = shadow(browser, f"{host}/index.html")
        box = root.find_element(By.CSS_SELECTOR, "input")
        type_slowly(box, "lejek")
        wait(browser, lambda b: len(root.find_elements(By.CSS_SELECTOR, "li.hit")) == 2)
        while "hit" not in (root.find_elements(By.CSS_SELECTOR, "[aria-selected=true]") or [box]
                            )[0].get_attribute("class"):
            box.send_keys(Keys.ARROW_DOWN)
        box.send_keys(Keys.ENTER)
        wait(browser, ec.url_to_be(f"{host}/articles/lejek.html"))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Lejek sprzedażowy w praktyce"
    finally:
        polyfind.shutdown()
        httpd.shutdown()


AXE = Path(__file__).resolve().parent / "axe.min.js"


def axe_violations(browser, context: str = "document") -> list[str]:
    """axe-core's WCAG 2.x A/AA rules and best practices, run in the page as it is now."""
    browser.execute_script(AXE.read_text("utf-8"))
    found = browser.execute_async_script(
        f"var done = arguments[arguments.length - 1];"
        f"axe.run({context}, {{resultTypes: ['violations']}}).then(function (r) {{"
        "  done(r.violations.map(function (v) {"
        "    return v.id + ': ' + v.help + ' ' + v.nodes.map(function (n) {"
        "      return JSON.stringify(n.target); }).join(' '); }));"
        "}, function (e) { done(['axe failed: ' + e]); });")
    return found


@pytest.mark.parametrize("ui", ["en", "pl", "kk", "he", "af", "ka"])
def test_no_accessibility_violations(browser, server, host_site, ui) -> None:
    pages = ["/", "/?q=CRM", "/?q=lejek&lang=he", "/?q=khmovani+dzieba", "/doc/pl-01?q=lejek",
             "/no/such/page"]
    for path in pages:
        browser.get(f"{server}{path}{'&' if '?' in path else '?'}ui={ui}")
        assert axe_violations(browser) == [], path
    browser.get(f"{server}/?ui={ui}")  # results rendered by the script, suggestions open
    type_slowly(browser.find_element(By.ID, "q"), "marketing")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".result"))
    wait(browser, lambda b: b.find_element(By.ID, "suggestions").is_displayed())
    browser.find_element(By.ID, "q").send_keys(Keys.ARROW_DOWN)
    assert axe_violations(browser) == [], "live results"
    root = shadow(browser, f"{host_site}/embed-{ui}.html")
    type_slowly(root.find_element(By.CSS_SELECTOR, "input"), "marketing")
    wait(browser, lambda b: root.find_elements(By.CSS_SELECTOR, "li.hit"))
    root.find_element(By.CSS_SELECTOR, "input").send_keys(Keys.ARROW_DOWN)
    assert axe_violations(browser, "'#search'") == [], "widget"


@pytest.mark.parametrize(("query", "lang", "first"), [
    ("sprzed", "pl", "/doc/pl-"),
    ("szybkosc dost", "pl", "/doc/pl-02"),
    ("шұңқ", "kk", "/doc/kk-01"),
    ("שיוו", "he", "/doc/he-"),
    ("verkoopstr", "af", "/doc/af-01"),
    ("khmov", "ka", "/doc/ka-10"),
])
def test_half_words_find_results_on_the_page_and_in_the_widget(browser, server, host_site,
                                                               service, query, lang,
                                                               first) -> None:
    """Typed letter by letter and stopped mid-word, the last word is matched as a beginning
    (prefix=auto) and its completions are marked."""
    from search_web.i18n import plural

    total = service.search(query, prefer="en", prefix="auto").total
    assert total > service.search(query, prefer="en").total
    browser.get(f"{server}/?ui=en")
    type_slowly(browser.find_element(By.ID, "q"), query)
    settled(browser, ".summary .total", plural("en", "results", total))
    # (an earlier keystroke's answer of the same count may still be replaced: read the
    # result inside the wait, which retries a list re-rendered under it)
    wait(browser, lambda b: first in b.find_element(
        By.CSS_SELECTOR, f".result[lang={lang}] h2 a").get_attribute("href"))
    wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, f".result[lang={lang}]")
         .find_elements(By.TAG_NAME, "mark"))
    root = shadow(browser, f"{host_site}/embed-en.html")
    type_slowly(root.find_element(By.CSS_SELECTOR, "input"), query)
    total = service.search(query, prefix="auto").total
    # (the count in whatever language an earlier test left the widget speaking)
    wait(browser, lambda b: root.find_element(By.CSS_SELECTOR, "[role=status]").text.split(
        " ")[:1] == [str(total)])
    wait(browser, lambda b: first in root.find_element(
        By.CSS_SELECTOR, f"li.hit[lang={lang}]").get_attribute("data-href"))
