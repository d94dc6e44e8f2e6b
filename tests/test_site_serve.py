"""`regdocs serve`: the preview server answers on 127.0.0.1 and rebuilds when the corpus changes."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from regdocs.cli import cli
from regdocs.config import load_config
from regdocs.publish.build import build_site
from regdocs.publish.serve import serve_site
from regdocs.sources import Sources


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serves_and_rebuilds_on_change(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "regdocs.toml").write_text('title = "Preview"\n')
    (corpus / "rules.md").write_text("## 1. Duty\n\n(1) A developer shall report.\n")
    out = tmp_path / "site"
    with Sources(load_config(corpus)) as src:
        build_site(src, out, search=False)
    messages: list[str] = []
    stop = threading.Event()

    def rebuild() -> str:
        with Sources(load_config(corpus)) as again:
            result = build_site(again, out, search=False)
        return "" if result.skipped else f"rebuilt {result.pages}"

    port = free_port()
    thread = threading.Thread(
        target=serve_site,
        args=(out, port, corpus, rebuild, messages.append),
        kwargs={"poll": 0.05, "stop": stop},
        daemon=True,
    )
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}/latest/rules.html"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(url, timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.05)
        assert "A developer shall report." in page
        time.sleep(0.1)
        (corpus / "rules.md").write_text("## 1. Duty\n\n(1) A developer shall report at once.\n")
        for _ in range(200):
            if messages:
                break
            time.sleep(0.05)
        assert messages and messages[0].startswith("rebuilt")
        page = ""
        for _ in range(100):
            page = urllib.request.urlopen(url, timeout=2).read().decode()
            if "report at once" in page:
                break
            time.sleep(0.05)
        assert "report at once" in page
    finally:
        stop.set()
        thread.join(timeout=5)


def test_progress_bar_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "regdocs.toml").write_text('title = "T"\n')
    (corpus / "rules.md").write_text("## 1. Duty\n\nText.\n")
    quiet = CliRunner().invoke(cli, ["--corpus", str(corpus), "build", "--out", str(tmp_path / "a")])
    assert quiet.exit_code == 0 and "Building site" not in quiet.stderr
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    import sys

    class TTY:
        def __init__(self, stream):  # type: ignore[no-untyped-def]
            self.stream = stream

        def isatty(self) -> bool:
            return True

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self.stream, name)

    runner = CliRunner()
    with runner.isolation() as (_, err, *_rest):
        sys.stderr = TTY(sys.stderr)  # type: ignore[assignment]
        try:
            cli.main(["--corpus", str(corpus), "build", "--out", str(tmp_path / "b")], standalone_mode=False)
        finally:
            sys.stderr = sys.stderr.stream  # type: ignore[attr-defined]
        assert b"Building site" in err.getvalue()
