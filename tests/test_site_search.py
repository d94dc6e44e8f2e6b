"""Site search (Pagefind): what is indexed, what a reader finds, and `search.html?q=` links, in Chromium."""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT
from test_site_browser import Quiet, Watched, browser  # noqa: F401  (browser: the shared Chromium fixture)

from regdocs.cli import cli

pytestmark = pytest.mark.slow  # real browsers / real corpora: `pytest -m "not slow"` leaves them out

# Words of the page that are tools or metadata, never clause text: none may reach the index.
NOT_TEXT = ("¶", "history", "Rounds:", "statusagreed", "partiesOffice", "Defined in", "Used in")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "site"
    result = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out


@pytest.fixture(scope="module")
def url(site: Path) -> Iterator[str]:
    """The site over HTTP: Pagefind loads its index with fetch(), which Chromium refuses on file://."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def indexed(site: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's record of each indexed page (its fragment: gzip, a signature, then JSON), by URL."""
    out = {}
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd") :])
        out[record["url"]] = record
    return out


def test_only_the_latest_text_and_the_glossary_are_indexed(site: Path) -> None:
    pages = indexed(site)
    assert sorted(pages) == [
        "/glossary.html",
        "/latest/frontier-ai-security-rules.html",
        "/latest/schedule-1.html",
        "/latest/schedule-2.html",
    ]
    rules = pages["/latest/frontier-ai-security-rules.html"]
    assert rules["meta"]["title"] == "Frontier AI Security Rules"
    assert "20 Incident notification (1) A developer shall notify the Office" in rules["content"]
    for url, record in pages.items():
        for word in NOT_TEXT:
            assert word not in record["content"], (url, word)
        for anchor in record["anchors"]:  # a heading's text is the title of its sub-result
            assert not any(word in anchor["text"] for word in NOT_TEXT), (url, anchor)
    titles = [a["text"] for a in rules["anchors"] if a["element"].startswith("h")]
    assert "3 Interpretation" in titles and "Part 4 Compliance mechanisms" in titles


def test_indexed_words_are_the_words_a_reader_sees(browser: Any, site: Path, url: str) -> None:  # noqa: F811
    """No two words of adjacent elements run together ("statusagreed"): every indexed word is on the page."""
    w = Watched(browser)
    for page, record in indexed(site).items():
        w.page.goto(url + page.lstrip("/"))
        seen = set(re.findall(r"\w+", w.page.inner_text("main article")))
        glued = sorted(set(re.findall(r"\w+", record["content"])) - seen)
        assert not glued, (page, glued[:10])
    w.check()


def results_text(w: Watched, *expected: str) -> str:
    """The results list once it shows every expected word (results and their excerpts arrive a moment apart)."""
    w.page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    text = ""
    for _ in range(100):
        text = w.page.inner_text(".pagefind-ui__results")
        if all(e in text for e in expected):
            break
        w.page.wait_for_timeout(100)
    return text


def test_a_search_link_fills_the_box_and_shows_clean_results(browser: Any, url: str) -> None:  # noqa: F811
    w = Watched(browser)
    w.page.goto(url + "search.html?q=incident")
    assert w.page.input_value(".pagefind-ui__search-input") == "incident"
    text = results_text(w, "20 Incident notification", "3 Interpretation")
    assert "20 Incident notification" in text and "3 Interpretation" in text, text
    for word in NOT_TEXT:
        assert word not in text, word
    titles = w.page.locator(".pagefind-ui__result-title").all_inner_texts()
    assert titles and all(re.fullmatch(r"\S+( \S+)*", t.strip()) for t in titles), titles
    hit = w.page.locator(
        ".pagefind-ui__result-nested .pagefind-ui__result-link", has_text="Incident notification"
    )
    href = hit.first.get_attribute("href") or ""
    assert href.endswith("latest/frontier-ai-security-rules.html#c-incident-notification-h"), href
    w.shot("search-results")
    w.page.fill(".pagefind-ui__search-input", "model weights")  # typing keeps the address in step
    w.page.wait_for_function("location.search === '?q=model+weights'")
    w.page.fill(".pagefind-ui__search-input", "")
    w.page.wait_for_function("location.search === ''")
    w.page.goto(
        url + href.lstrip("/")
    )  # a sub-result lands on the clause's heading: the clause is highlighted
    highlighted = "document.querySelector('.clause:has(> .clause-head:target)').id"
    assert w.page.evaluate(highlighted) == "c-incident-notification"
    w.check()


def test_a_search_link_on_a_phone(browser: Any, url: str) -> None:  # noqa: F811
    w = Watched(browser, width=360)
    w.page.goto(url + "search.html?q=" + "frontier%20model")
    assert w.page.input_value(".pagefind-ui__search-input") == "frontier model"
    text = results_text(w, "means")
    assert "frontier model" in text.lower() and "means" in text, text
    assert w.page.evaluate("document.documentElement.scrollWidth") <= 360
    w.shot("search-phone")
    w.check()
