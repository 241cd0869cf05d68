"""Screenshots of the search page and the embedded widget in each interface language.

Run by hand against a running server (`polyfind serve`), then look at the pictures: what
tests cannot judge (layout, direction, wrapping, fonts, highlight colours) shows here.

    python bench/screenshots.py --server http://127.0.0.1:8080 --out bench/out/shots
"""

from __future__ import annotations

import argparse
import http.server
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

EXAMPLE = Path(__file__).resolve().parents[1] / "search_web" / "examples" / "embed.html"

# One half-typed query per interface language, in that language's own script, so the
# screenshot shows completions, highlighted hits and the summary line together.
QUERIES = {
    "en": "cross-dock",
    "pl": "lejek sprzed",
    "kk": "шұңқыр",
    "he": "שיווק דיגיט",
    "af": "verkoopstreg",
    "ka": "khmovani dzie",
}


def host_site(server: str, folder: Path) -> http.server.ThreadingHTTPServer:
    """Serve the example host page, one copy per <html lang>, from another origin."""
    folder.mkdir(parents=True, exist_ok=True)
    html = EXAMPLE.read_text("utf-8").replace("{{POLYFIND}}", server)
    for ui in QUERIES:
        (folder / f"embed-{ui}.html").write_text(
            html.replace('<html lang="en">', f'<html lang="{ui}">'), "utf-8")

    def handler(*args, **kwargs):
        return http.server.SimpleHTTPRequestHandler(*args, directory=str(folder), **kwargs)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def browser(width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    return webdriver.Chrome(options=options)


def type_slowly(box, text: str) -> None:
    for letter in text:
        box.send_keys(letter)
        time.sleep(0.06)
    time.sleep(1.0)


def shoot_page(driver: webdriver.Chrome, server: str, ui: str, out: Path) -> None:
    driver.get(f"{server}/?ui={ui}")
    type_slowly(driver.find_element(By.CSS_SELECTOR, "input[type=search]"), QUERIES[ui])
    driver.save_screenshot(str(out / f"page-{ui}-typing.png"))
    driver.find_element(By.CSS_SELECTOR, "input[type=search]").send_keys(Keys.ESCAPE)
    driver.get(f"{server}/?ui={ui}&q={QUERIES[ui]}")
    time.sleep(0.5)
    driver.save_screenshot(str(out / f"page-{ui}-results.png"))


def shoot_widget(driver: webdriver.Chrome, host: str, ui: str, out: Path) -> None:
    driver.get(f"{host}/embed-{ui}.html")
    time.sleep(1.0)
    root = driver.find_element(By.CSS_SELECTOR, "#search").shadow_root
    type_slowly(root.find_element(By.CSS_SELECTOR, "input"), QUERIES[ui])
    driver.save_screenshot(str(out / f"widget-{ui}.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="a running polyfind, e.g. http://127.0.0.1:8080")
    parser.add_argument("--out", type=Path, default=Path("bench/out/shots"))
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    httpd = host_site(args.server.rstrip("/"), args.out / "host")
    host = f"http://127.0.0.1:{httpd.server_address[1]}"
    driver = browser(args.width, args.height)
    try:
        for ui in QUERIES:
            shoot_page(driver, args.server.rstrip("/"), ui, args.out)
            shoot_widget(driver, host, ui, args.out)
            print(f"{ui}: page-{ui}-typing.png page-{ui}-results.png widget-{ui}.png")
    finally:
        driver.quit()
        httpd.shutdown()


if __name__ == "__main__":
    main()
