"""Preview server: the built site on 127.0.0.1 for local names only, rebuilt when a corpus file changes."""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseRequestHandler
from typing import Any

from regdocs.publish.build import KEPT, MARKER


def _state(root: Path) -> tuple[tuple[str, int, int], ...]:
    """A cheap snapshot of the corpus folder: (path, size, mtime) of every file outside dot-folders."""
    out = []
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts) or not path.is_file():
            continue
        st = path.stat()
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


_LOCAL_HOST = re.compile(r"(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?", re.IGNORECASE)
"""The only `Host` headers answered: another name pointing here (DNS rebinding) must not read drafts."""
MAX_THREADS = 16
"""Connections answered at once; more wait in the listen queue."""
IDLE_TIMEOUT = 30.0
"""Seconds a connection may stay silent before it is closed."""
_NOT_PAGES = frozenset(name.lower() for name in (*KEPT, MARKER))
"""Files of the site folder that are not part of the site (its README, .gitignore, build record): not served
(compared in lower case, as a case-blind file system would find them)."""


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server with a bounded number of threads and idle timeouts."""

    daemon_threads = True
    block_on_close = False  # stopping must not wait for idle connections

    def __init__(
        self,
        address: tuple[str, int],
        handler: Callable[..., BaseRequestHandler],
        *,
        max_threads: int = MAX_THREADS,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        self.idle_timeout = idle_timeout
        self._slots = threading.BoundedSemaphore(max_threads)
        self._closing = threading.Event()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a thread for the connection once one of the `max_threads` slots is free."""
        while not self._slots.acquire(timeout=0.2):
            if self._closing.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Answer one connection, then give its slot back."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def shutdown(self) -> None:
        """Stop serve_forever, even while it waits for a free slot."""
        self._closing.set()
        super().shutdown()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, never a traceback; a client that went away or fell silent is not an error."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"regdocs serve: error answering a request: {exc!r}\n")


class _Handler(SimpleHTTPRequestHandler):
    """Files of the site only: local Host names, no directory listings, nothing outside the site folder."""

    def setup(self) -> None:
        """Close the connection when the client stays silent for the server's idle timeout."""
        super().setup()
        if isinstance(self.server, PreviewServer):
            self.connection.settimeout(self.server.idle_timeout)

    def send_head(self) -> Any:
        """Check the request, then send the file's headers as SimpleHTTPRequestHandler does."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not _LOCAL_HOST.fullmatch(hosts[0].strip()):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "Only localhost, 127.0.0.1 and [::1] are served")
            return None
        if not self.path.startswith("/"):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request target")
            return None
        path = self.translate_path(self.path)
        try:
            path.encode("utf-8")  # `%ff` unquotes to a lone surrogate
        except UnicodeEncodeError:
            path = "\0"
        if "\0" in path:
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        root = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        if os.path.dirname(real) == root and os.path.basename(real).lower() in _NOT_PAGES:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No listings: a folder without index.html is not found."""
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")

    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for rebuild messages."""


def open_server(
    site: Path, port: int, *, max_threads: int = MAX_THREADS, idle_timeout: float = IDLE_TIMEOUT
) -> PreviewServer:
    """Bind the preview server on 127.0.0.1 (before anything says it is serving)."""
    from regdocs.errors import RegdocsError

    handler = functools.partial(_Handler, directory=str(site))
    try:
        return PreviewServer(("127.0.0.1", port), handler, max_threads=max_threads, idle_timeout=idle_timeout)
    except OSError as exc:
        raise RegdocsError(
            f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}", hint="choose another --port"
        ) from None


def serve_site(
    site: Path,
    port: int | ThreadingHTTPServer,
    corpus: Path,
    rebuild: Callable[[], str],
    say: Callable[[str], None],
    *,
    poll: float = 1.0,
    stop: threading.Event | None = None,
) -> None:
    """Serve `site` on 127.0.0.1 until interrupted, calling `rebuild` when `corpus` changes."""
    server = port if isinstance(port, ThreadingHTTPServer) else open_server(site, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    seen = _state(corpus)  # before the first request can be answered, so no edit slips through
    thread.start()
    stop = stop or threading.Event()
    try:
        while not stop.wait(poll):
            now = _state(corpus)
            if now != seen:
                # let the editor finish writing: rebuild once the files stop changing
                while not stop.wait(poll):
                    settled = _state(corpus)
                    if settled == now:
                        break
                    now = settled
                seen = now
                try:
                    message = rebuild()
                except Exception as exc:
                    message = f"rebuild failed: {exc}"
                if message:
                    say(message)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        time.sleep(0)
