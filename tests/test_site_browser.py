"""The built site in real headless Chromium (Debian's, driven by Playwright): what a reader sees and does."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner
from conftest import ROOT

from regdocs.cli import cli

pytestmark = pytest.mark.slow  # real browsers / real corpora: `pytest -m "not slow"` leaves them out

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = ROOT / "bench" / "out" / "screenshots"

if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        raise RuntimeError("Debian's chromium is missing: .ci/run installs it (apt-get install chromium)")
    pytest.skip("Debian's chromium is not installed (bash .ci/run installs it)", allow_module_level=True)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Watched:
    """A page that records console errors, page errors, dialogs and every request it makes."""

    def __init__(self, browser: Any, width: int = 1280) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dismiss)

    def _dismiss(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        hosts = {urlparse(u).hostname for u in self.requests}
        assert hosts <= {"127.0.0.1"}, hosts

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_index_lists_every_round(browser: Any, site_url: str) -> None:
    w = Watched(browser)
    w.page.goto(site_url + "index.html")
    rounds = w.page.locator("ol.timeline > li h3").all_inner_texts()
    assert [r.split(" ")[0] for r in rounds] == ["round-4", "round-3", "round-2", "round-1"]
    assert "Counter-proposal" in w.page.inner_text("ol.timeline")
    w.shot("index")
    w.check()


def test_clause_permalink_lands_on_the_clause(browser: Any, site_url: str) -> None:
    w = Watched(browser)
    w.page.goto(site_url + "latest/frontier-ai-security-rules.html#c-incident-notification")
    target = w.page.locator("#c-incident-notification")
    assert "Incident notification" in target.locator(".clause-head").first.inner_text()
    assert w.page.evaluate("document.querySelector(':target').id") == "c-incident-notification"
    top = w.page.evaluate("document.getElementById('c-incident-notification').getBoundingClientRect().top")
    assert 0 <= top < 100
    w.shot("document")
    w.page.goto(site_url + "latest/frontier-ai-security-rules.html")
    w.page.keyboard.press("Tab")  # the skip link is the first stop: keyboard users can jump to content
    assert w.page.evaluate("document.activeElement.className") == "skip"
    w.page.keyboard.press("Enter")
    assert w.page.evaluate("location.hash") == "#main"
    w.check()


def test_redline_page_shows_the_known_deadline_change(browser: Any, site_url: str) -> None:
    w = Watched(browser)
    w.page.goto(site_url + "changes/round-2--round-3.html")
    change = w.page.locator("article.change", has_text="section 20(1)").first
    assert change.locator("del").all_inner_texts() == ["72"]
    assert change.locator("ins").all_inner_texts() == ["24"]
    assert w.page.locator("del[aria-label=deleted]").count() > 5
    assert "deadline shortened from 72 hours to 24 hours" in w.page.inner_text(".findings")
    w.shot("redline")
    first = w.page.locator("article.change").first
    first.locator("a[rel=next]").click()
    assert w.page.evaluate("location.hash") == "#chg-2"
    w.page.click("text=Show only the")
    assert "substantive" in w.page.url and w.page.locator("article.change").count() < 44
    w.check()


def test_redline_page_shows_the_text_of_added_sub_clauses(browser: Any, site_url: str) -> None:
    w = Watched(browser)
    w.page.goto(site_url + "changes/round-2--round-3.html")
    change = w.page.locator("article.change", has_text="Notification of training runs").first
    for citation, words in (
        ("section 12(2)", "not less than [28 days][14 days]"),
        ("section 12(3)", "within 14 days"),
    ):
        sub = change.locator("section.sub-clause", has=w.page.locator("h4", has_text=citation)).first
        duty = sub.locator("ins[aria-label=inserted]", has_text=words)
        assert duty.is_visible(), citation
        duty.scroll_into_view_if_needed()
        box = duty.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 5, (citation, box)
    assert "obligation-added" in change.locator("section.sub-clause").first.inner_text()
    w.check()


# For one page: every clause tool (permalink, history) against every line of text on it, where a
# pointer at each tool's centre lands, and whether the :target highlight covers the whole clause.
LAYOUT_JS = """
() => {
  const problems = [];
  const article = document.querySelector("main article");
  const lines = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim() || node.parentElement.closest(".tools")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width > 0 && box.height > 0) lines.push([box, node]);
    }
  }
  const overlap = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const clauses = Array.from(article.querySelectorAll(".clause"));
  for (const clause of clauses) {
    const tools = clause.querySelectorAll(":scope > .clause-head .tools a");
    if (tools.length !== 2) problems.push(clause.id + ": " + tools.length + " tools");
    for (const tool of tools) {
      const box = tool.getBoundingClientRect();
      if (!(box.width > 0 && box.height > 0)) problems.push(clause.id + " " + tool.className + ": not laid out");
      for (const [line, node] of lines) {
        if (overlap(box, line)) {
          problems.push(clause.id + " " + tool.className + " overlaps text " + JSON.stringify(node.data.trim().slice(0, 40)));
        }
      }
    }
  }
  const target = document.querySelector(":target");
  if (target) {
    const painted = [target, ...target.querySelectorAll("*")]
      .filter((e) => !["rgba(0, 0, 0, 0)", "transparent"].includes(getComputedStyle(e).backgroundColor))
      .map((e) => e.getBoundingClientRect());
    if (!painted.length) problems.push(target.id + ": targeted but not highlighted");
    const inside = (b) => painted.some((p) =>
      b.left >= p.left - 0.5 && b.right <= p.right + 0.5 && b.top >= p.top - 0.5 && b.bottom <= p.bottom + 0.5);
    const boxes = lines.filter(([, node]) => target.contains(node));
    for (const tool of target.querySelectorAll(".tools a")) boxes.push([tool.getBoundingClientRect(), tool]);
    for (const [box, node] of boxes) {
      if (!inside(box)) {
        problems.push(target.id + ": highlight misses " + JSON.stringify((node.data || node.textContent).trim().slice(0, 40)));
      }
    }
  }
  // Scrolling moves every box measured above: this comes last.
  const sample = clauses.filter((c, i) => i % 12 === 0 || c === target);
  for (const clause of sample) {
    for (const tool of clause.querySelectorAll(":scope > .clause-head .tools a")) {
      tool.scrollIntoView({block: "center"});
      const box = tool.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      if (!tool.contains(hit)) {
        problems.push(clause.id + " " + tool.className + ": a pointer at its centre hits " + (hit ? hit.outerHTML.slice(0, 60) : "nothing"));
      }
    }
  }
  return problems;
}
"""
HIT_JS = """
(tool) => {
  tool.scrollIntoView({block: "nearest"});
  const box = tool.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return tool.contains(hit) ? "" : "a pointer at the link's centre hits " + (hit ? hit.outerHTML.slice(0, 80) : "nothing");
}
"""
# Fonts and sizes a reader's machine may use instead of ours: the layout must not depend on them.
FONTS = {
    "site-fonts": "",
    "dejavu": 'body { font-family: "DejaVu Serif", serif !important }'
    ' .tools, h1, h2, h3, h4 { font-family: "DejaVu Sans", sans-serif !important }',
    "wide-150pct": "html { font-size: 24px !important } body { font-size: 25.5px !important }"
    " body, body * { font-family: monospace !important; letter-spacing: .05em }"
    " .tools { font-size: 18px !important }",
}
TARGETS = [  # a one-line paragraph, a heading with sub-clauses, a long paragraph, a list item
    "latest/frontier-ai-security-rules.html#c-incident-notification.6",
    "latest/frontier-ai-security-rules.html#c-incident-notification",
    "latest/frontier-ai-security-rules.html#c-independent-audits.2",
    "latest/frontier-ai-security-rules.html#c-7.2.b",
    "latest/schedule-1.html",
]


@pytest.mark.parametrize(("width", "fonts"), [(360, "site-fonts"), (800, "dejavu"), (1280, "site-fonts")])
def test_clause_history_shows_every_round(browser: Any, site_url: str, width: int, fonts: str) -> None:
    w = Watched(browser, width=width)
    w.page.goto(site_url + "latest/frontier-ai-security-rules.html#c-incident-notification.6")
    if FONTS[fonts]:  # DejaVu alone: the fonts of the fresh machine where this click used to fail
        w.page.add_style_tag(content=FONTS[fonts])
    link = w.page.locator("#c-incident-notification\\.6 > .clause-head a.history")
    # What a pointer at the link's centre hits: the link itself, never the clause text drawn over it.
    hit = link.evaluate(HIT_JS)
    assert hit == "", hit
    link.click(timeout=5000)
    steps = w.page.locator("ol.history > li h2").all_inner_texts()
    assert [s.split(" ")[0] for s in steps] == ["round-1", "round-2", "round-3", "round-4"]
    assert "split" in steps[2]
    assert "Margaret Ellison" in w.page.inner_text("ol.history")
    w.check()
    w.page.close()


@pytest.mark.parametrize("width", [360, 800, 1280])
@pytest.mark.parametrize("fonts", sorted(FONTS))
def test_clause_tools_never_cover_clause_text(browser: Any, site_url: str, fonts: str, width: int) -> None:
    w = Watched(browser, width=width)
    problems = []
    for url in TARGETS:
        w.page.goto(site_url + url)
        if FONTS[fonts]:
            w.page.add_style_tag(content=FONTS[fonts])
        problems += [f"{url}: {p}" for p in w.page.evaluate(LAYOUT_JS)]
    assert not problems, "\n".join(problems[:20]) + f"\n... {len(problems)} problems in all"
    w.check()
    w.page.close()


def test_search_finds_a_defined_term(browser: Any, site_url: str) -> None:
    w = Watched(browser)
    w.page.goto(site_url + "search.html")
    w.page.fill(".pagefind-ui__search-input", "frontier model")
    w.page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    results = ""
    for _ in range(100):  # results and their excerpts arrive a moment apart
        results = w.page.inner_text(".pagefind-ui__results")
        if "frontier model" in results.lower() and "means" in results:
            break
        w.page.wait_for_timeout(100)
    assert "frontier model" in results.lower() and "means" in results, results
    w.check()


def test_small_screen_and_no_javascript(browser: Any, site_url: str) -> None:
    w = Watched(browser, width=390)
    w.page.goto(site_url + "latest/frontier-ai-security-rules.html")
    width = w.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # responsive: no sideways scrolling on a phone
    w.shot("phone")
    w.check()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "changes/round-1--round-2.html")
    assert page.locator("article.change").count() > 10 and page.locator("ins").count() > 5
    context.close()


def test_payload_corpus_executes_nothing(browser: Any, tmp_path: Path, make_repo: Any) -> None:
    from test_site_build import PAYLOAD_DOC, PAYLOAD_TOML

    repo = make_repo([{"regdocs.toml": 'title = "x"\n', "evil.md": PAYLOAD_DOC}])
    (repo / "regdocs.toml").write_text(PAYLOAD_TOML)
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["--corpus", str(repo), "build", "--out", str(out)]).exit_code == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
        assert len(pages) > 5
        w = Watched(browser)
        for rel in pages:
            w.page.goto(base + rel)
            for link in w.page.locator("main a").all()[:30]:
                href = link.get_attribute("href") or ""
                assert not href.lower().startswith(("javascript:", "data:", "vbscript:")), (rel, href)
                link.hover()
        w.check()  # no dialog opened, no script error, no request left 127.0.0.1
    finally:
        server.shutdown()
        server.server_close()


TOC_JS = """
() => {
  const toc = document.querySelector("details.toc");
  const links = Array.from(toc.querySelectorAll("a"));
  const first = document.querySelector("main article .clause");
  return {
    open: toc.open,
    shown: links.filter((a) => a.checkVisibility()).length,  // false inside a closed <details>
    links: links.length,
    tocBottom: toc.getBoundingClientRect().bottom,
    firstClauseTop: first.getBoundingClientRect().top,
  };
}
"""


@pytest.mark.parametrize("javascript", [True, False])
def test_contents_fold_away_on_a_phone_and_stay_open_beside_the_text(
    browser: Any, site_url: str, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "latest/frontier-ai-security-rules.html")
    phone = page.evaluate(TOC_JS)
    assert not phone["open"] and phone["shown"] == 0, phone
    assert phone["tocBottom"] < 740 / 2 and phone["firstClauseTop"] < 740, (
        phone
    )  # the text starts on screen one
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"toc-phone{'' if javascript else '-nojs'}.png"))
    page.click("details.toc > summary")  # a tap opens it, with or without JavaScript
    opened = page.evaluate(TOC_JS)
    assert opened["open"] and opened["shown"] == opened["links"] > 20, opened
    page.click("details.toc a:text('20 Incident notification')")
    assert page.evaluate("location.hash") == "#c-incident-notification"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "latest/frontier-ai-security-rules.html")
    wide = page.evaluate(TOC_JS)
    assert wide["shown"] == wide["links"] > 20, wide  # beside the text, every entry shown
    assert wide["open"] is javascript  # without JavaScript it is shown by CSS alone, closed or not
    page.click("details.toc > summary", force=True)  # a stray click cannot hide it on a wide screen
    assert page.evaluate(TOC_JS)["shown"] == wide["links"]
    page.screenshot(path=str(SHOTS / f"toc-wide{'' if javascript else '-nojs'}.png"))
    context.close()
