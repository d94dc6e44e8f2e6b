"""`regdocs serve`: the preview server answers local names on 127.0.0.1 only and rebuilds on changes."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO, cast

import pytest
from click.testing import CliRunner

from regdocs.cli import cli
from regdocs.corpus.config import load_config
from regdocs.corpus.sources import Sources
from regdocs.publish.build import build_site
from regdocs.publish.serve import open_server, serve_site


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
        def __init__(self, stream: TextIO) -> None:
            self.stream = stream

        def isatty(self) -> bool:
            return True

        def __getattr__(self, name: str) -> Any:
            return getattr(self.stream, name)

    runner = CliRunner()
    with runner.isolation() as (_, err, *_rest):
        stderr = sys.stderr
        sys.stderr = cast(TextIO, TTY(stderr))  # a stand-in that says it is a terminal
        try:
            cli.main(["--corpus", str(corpus), "build", "--out", str(tmp_path / "b")], standalone_mode=False)
        finally:
            sys.stderr = stderr
        assert b"Building site" in err.getvalue()


# --- what the preview server answers, and to whom -----------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "regdocs.toml").write_text('title = "Preview"\n')
    (corpus / "rules.md").write_text("## 1. Duty\n\n(1) A developer shall report the draft.\n")
    out = tmp_path / "site"
    with Sources(load_config(corpus)) as src:
        build_site(src, out, search=False)
    return out


@pytest.fixture
def port(site: Path) -> Iterator[int]:
    server = open_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def get(port: int, path: str, host: str | None = "") -> tuple[int, bytes]:
    """GET `path` with exactly the Host header given (`""`: 127.0.0.1:PORT, None: no Host at all)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host or f"127.0.0.1:{port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("host", ["", "localhost", "LOCALHOST:{port}", "127.0.0.1:{port}", "[::1]:{port}"])
def test_local_host_names_are_answered(port: int, host: str) -> None:
    status, body = get(port, "/latest/rules.html", host.format(port=port))
    assert status == 200 and b"shall report the draft" in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "localhost:{port}@evil.example",
        " ",
        None,
    ],
)
def test_other_host_names_get_421_and_no_content(port: int, host: str | None) -> None:
    """A page of evil.example whose name now resolves to 127.0.0.1 (DNS rebinding) must not read drafts."""
    status, body = get(port, "/latest/rules.html", host.format(port=port) if host else host)
    assert status == 421 and b"draft" not in body


@pytest.mark.parametrize(
    "path", ["/%00", "/latest/rules.html%00", "/%ff", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd"]
)
def test_bad_paths_are_refused_without_a_traceback(
    port: int, path: str, capfd: pytest.CaptureFixture[str]
) -> None:
    status, _ = get(port, path)
    assert status in (400, 404)
    assert "Traceback" not in capfd.readouterr().err


def test_no_directory_listings(port: int, site: Path) -> None:
    assert (site / "latest").is_dir() and not (site / "latest" / "index.html").exists()
    assert get(port, "/latest/")[0] == 404
    status, body = get(port, "/")
    assert status == 200 and b"Rounds" in body


def test_links_out_of_the_site_are_not_followed(port: int, site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private key")
    (site / "leak.txt").symlink_to(secret)
    status, body = get(port, "/leak.txt")
    assert status == 404 and b"private key" not in body


def test_threads_are_bounded_and_silent_connections_closed(site: Path) -> None:
    import socket

    server = open_server(site, 0, max_threads=2, idle_timeout=0.5)
    assert open_server.__kwdefaults__ == {"max_threads": 16, "idle_timeout": 30.0}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = int(server.server_address[1])
    silent = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(6)]
    try:
        busiest = 0
        for _ in range(20):
            handlers = [t for t in threading.enumerate() if "process_request_thread" in t.name]
            busiest = max(busiest, len(handlers))
            time.sleep(0.02)
        assert 1 <= busiest <= 2
        for sock in silent:
            assert sock.recv(1) == b""  # the server hung up on the silent client
        status, body = get(port, "/latest/rules.html")
        assert status == 200 and b"shall report" in body
    finally:
        for sock in silent:
            sock.close()
        started = time.monotonic()
        server.shutdown()
        server.server_close()
        assert time.monotonic() - started < 5
