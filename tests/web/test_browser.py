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
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

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


@pytest.fixture(scope="module")
def host_page(server, tmp_path_factory):
    """The example host page, served from another origin (another port)."""
    folder = tmp_path_factory.mktemp("host")
    (folder / "embed.html").write_text(
        EXAMPLE.read_text("utf-8").replace("{{POLYFIND}}", server), "utf-8")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(folder), **k)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/embed.html"
    httpd.shutdown()


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


def wait(browser, condition, timeout: float = 10):
    return WebDriverWait(browser, timeout).until(condition)


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


def test_search_as_you_type(browser, server) -> None:
    browser.get(f"{server}/?ui=en")
    browser.find_element(By.ID, "q").send_keys("cross-docking")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".result")))
    assert "q=cross-docking" in browser.current_url


def test_widget_in_a_hostile_host_page(browser, host_page) -> None:
    browser.get(host_page)
    host = wait(browser, lambda b: b.execute_script(
        "var h = document.querySelector('#search'); return h && h.shadowRoot ? h : null;"))
    root = host.shadow_root
    box = root.find_element(By.CSS_SELECTOR, "input")
    assert box.is_displayed()  # the host hides every <input>; the widget's is untouched
    box.send_keys("Czarny Piątek")
    box.send_keys(Keys.ENTER)
    wait(browser, lambda b: root.find_elements(By.CSS_SELECTOR, "li a"))
    first = root.find_elements(By.CSS_SELECTOR, "li")[0]
    assert "/doc/pl-03" in first.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
    assert first.find_elements(By.CSS_SELECTOR, "mark")
    color = first.find_element(By.CSS_SELECTOR, "p").value_of_css_property("color")
    assert color != "rgba(255, 0, 0, 1)"  # host's `* { color: red !important }` stays out


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
