"""A sixth language added from outside the package (tests/data/plugin: Armenian, one module
declared under the `polyfind.languages` entry point group, installed the way pip would) is
detected, its dumps are split by its section headings, it is indexed, searched with its
stemmer, and laid out by the page, the API, InstantSearch and the widget, with no file of
polyfind edited."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.analysis import registry
from indexer.build import build_index
from indexer.langdetect import detect_language
from indexer.search import SearchService
from indexer.segment import section_headings, split_dump
from search_web import create_app

from .conftest import ROOT, settings_for

PLUGIN = ROOT / "tests" / "data" / "plugin"
MODULE = "polyfind_test_armenian"
# "funnels": plural of ձագար, which the Armenian text holds only as ձագարը ("the funnel")
QUERY = "ձագարներ"
TITLE = "Ի՞նչ է վաճառքի ձագարը"


def install_plugin(site: Path) -> None:
    """What `pip install` of a distribution declaring the entry point leaves in site-packages."""
    shutil.copy(PLUGIN / f"{MODULE}.py", site)
    info = site / f"{MODULE}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {MODULE}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[polyfind.languages]\nhy = {MODULE}\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The plug-in installed on this process's path; the registry rebuilt with it, and
    without it again afterwards."""
    folder = tmp_path_factory.mktemp("site-packages")
    install_plugin(folder)
    sys.path.insert(0, str(folder))
    registry.cache_clear()
    yield folder
    sys.path.remove(str(folder))
    sys.modules.pop(MODULE, None)
    registry.cache_clear()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Polish and Hebrew articles of the shipped corpus and an Armenian dump (hy.txt, which
    no setting assigns a language)."""
    folder = tmp_path_factory.mktemp("corpus")
    for name in ("pl.txt", "he.txt"):
        shutil.copy(ROOT / "corpus" / name, folder)
    shutil.copy(PLUGIN / "hy.txt", folder)
    return folder


@pytest.fixture(scope="module")
def service(site: Path, corpus: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> SearchService:
    settings = settings_for(tmp_path_factory.mktemp("index"), corpus)
    build_index(settings, rebuild=True)
    return SearchService(settings)


def test_the_registry_holds_the_plugin_language(site: Path) -> None:
    assert {"af", "he", "hy", "ka", "kk", "pl"} <= set(registry())
    assert registry()["hy"].english_name == "Armenian"
    assert detect_language("Ի՞նչ է վաճառքի ձագարը") == "hy"
    assert detect_language("Czym jest lejek sprzedażowy?") == "pl"
    assert section_headings()["ներածություն"] == "opening"
    # Without the record's headings, the conclusions would be taken for articles' titles.
    articles = split_dump((PLUGIN / "hy.txt").read_text("utf-8"))
    assert [a.title for a in articles] == [TITLE, "Ի՞նչ է հաճախորդների կառավարման համակարգը"]


def test_detected_indexed_and_found_through_its_stemmer(service: SearchService) -> None:
    info = service.info()
    assert info["languages"]["hy"] == 2
    response = service.search(QUERY)
    assert [hit.lang for hit in response.results] == ["hy"]
    assert response.results[0].title == TITLE
    assert response.facets["lang"] == {"hy": 1}


def test_page_api_instantsearch_and_widget_lay_it_out(service: SearchService) -> None:
    client = create_app(service.settings, service).test_client()
    html = client.get(f"/?q={QUERY}&ui=en").get_data(as_text=True)
    assert '<li class="result" lang="hy" dir="ltr">' in html
    assert "Հայերեն" in html  # the language filter names it in its own language
    hebrew = client.get("/?q=משפך&ui=en").get_data(as_text=True)
    assert '<li class="result" lang="he" dir="rtl">' in hebrew

    api = client.get(f"/api/v1/search?q={QUERY}").get_json()
    assert api["facets"]["lang"] == {"hy": 1} and api["results"][0]["lang"] == "hy"
    assert client.get("/api/v1/info").get_json()["languages"]["hy"] == 2

    body = {"requests": [{"indexName": "articles", "query": QUERY, "facets": ["lang"]}]}
    found = client.post("/instantsearch/1/indexes/*/queries", data=json.dumps(body),
                        headers={"Content-Type": "text/plain"})
    assert found.status_code == 200, found.get_data(as_text=True)
    assert found.get_json()["results"][0]["facets"]["lang"] == {"hy": 1}

    widget = client.get("/embed.js").get_data(as_text=True)
    strings = json.loads(widget.split("var STRINGS = ", 1)[1].split(";\n", 1)[0])
    assert strings["en"]["names"]["hy"] == "Armenian"
    assert strings["pl"]["names"]["hy"] == "ormiański"
    assert strings["en"]["endonyms"]["hy"] == "Հայերեն"
    assert strings["en"]["rtl"] == ["he"]


def test_installed_plugin_works_from_the_command_line(corpus: Path, tmp_path: Path) -> None:
    """A fresh process finds the plug-in through its entry point alone (PYTHONPATH here plays
    the installed site-packages), and the index it builds is searched in another."""
    site = tmp_path / "site-packages"
    site.mkdir()
    install_plugin(site)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    polyfind = [sys.executable, "-m", "indexer"]
    where = ["--config", str(ROOT / "config.toml"), "--index", str(tmp_path / "index")]
    subprocess.run([*polyfind, "index", *where, "--corpus", str(corpus)], env=env,
                   check=True, capture_output=True)
    out = subprocess.run([*polyfind, "search", QUERY, *where, "--json"], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert [hit["lang"] for hit in json.loads(out)["results"]] == ["hy"]
