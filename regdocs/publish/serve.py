"""Preview server: the built site on 127.0.0.1, rebuilt when a corpus file changes."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def _state(root: Path) -> tuple[tuple[str, int, int], ...]:
    """A cheap snapshot of the corpus folder: (path, size, mtime) of every file outside dot-folders."""
    out = []
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts) or not path.is_file():
            continue
        st = path.stat()
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for rebuild messages."""


def open_server(site: Path, port: int) -> ThreadingHTTPServer:
    """Bind the preview server on 127.0.0.1 (before anything says it is serving)."""
    from regdocs.errors import RegdocsError

    handler = functools.partial(_Quiet, directory=str(site))
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), handler)
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
