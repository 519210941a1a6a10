"""`audiobook serve`: an output folder on 127.0.0.1, for browsers that block pages opened from disk.

Files are served with byte ranges (RFC 9110 section 14): a browser seeks in an <audio> element only
when the server answers `Range: bytes=...` with 206 Partial Content. Python's
`SimpleHTTPRequestHandler` answers every request with the whole file, so `RangeRequestHandler`
serves files itself and leaves directories (redirects, index.html, listings) to the standard class.
"""

from __future__ import annotations

import functools
import html
import http.server
import io
import os
import re
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

from .errors import OutputError

HOST = "127.0.0.1"
_CHUNK = 1 << 16
_RANGE = re.compile(r"^\s*([0-9]*)\s*-\s*([0-9]*)\s*$")


def parse_range(header: str, size: int) -> range | None:
    """The bytes a `Range` header asks of a file of `size` bytes.

    None: serve the whole file (another unit, several ranges, bad syntax, or an empty file: RFC 9110
    lets a server ignore such a header). An empty range: nothing asked lies in the file (416).
    `bytes=100-` runs to the end of the file; `bytes=-500` is its last 500 bytes."""
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes" or "," in spec or size == 0:
        return None
    m = _RANGE.match(spec)
    if not m or not (m.group(1) or m.group(2)):
        return None
    if not m.group(1):  # a suffix: the last N bytes
        return range(max(0, size - int(m.group(2))), size)
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else size - 1
    if m.group(2) and last < first:
        return None  # invalid: ignored
    return range(first, min(last, size - 1) + 1) if first < size else range(0)


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler that answers byte ranges: 206 with Content-Range, 416 with
    `Content-Range: bytes */size`, and `Accept-Ranges: bytes` on every file. Logs nothing."""

    _left: int | None = None  # bytes of the open file still to send; None: all of it

    def send_head(self) -> Any:
        self._left = None
        # Hidden files and folders (the line cache, our lock and listing) are ours, not the listener's.
        parts = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).split("/")
        if any(part.startswith(".") for part in parts if part):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        path = self.translate_path(self.path)
        if os.path.isdir(path) or path.endswith("/"):
            return super().send_head()
        try:
            f = open(path, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            stat = os.fstat(f.fileno())
            size = stat.st_size
            modified = self.date_time_string(int(stat.st_mtime))
            wanted = parse_range(self.headers["Range"], size) if "Range" in self.headers else None
            if wanted is not None and self.headers.get("If-Range", modified) != modified:
                wanted = None  # the file changed: all of it, afresh
            if wanted is not None and not wanted:
                f.close()
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if wanted:
                f.seek(wanted.start)
                self._left = len(wanted)
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {wanted.start}-{wanted.stop - 1}/{size}")
            else:
                self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Length", str(len(wanted) if wanted else size))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return f
        except BaseException:
            f.close()
            raise

    def copyfile(self, source: Any, outputfile: Any) -> None:
        if self._left is None:
            super().copyfile(source, outputfile)
            return
        left = self._left
        while left > 0:
            chunk = source.read(min(left, _CHUNK))
            if not chunk:
                break
            outputfile.write(chunk)
            left -= len(chunk)

    def list_directory(self, path: str | os.PathLike[str]) -> Any:
        """A folder without index.html: its visible entries as links (our hidden files are not the
        listener's: the line cache, the lock, the listing, a run's staging folder)."""
        try:
            names = sorted((n for n in os.listdir(path) if not n.startswith(".")), key=str.lower)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "No permission to list the folder")
            return None
        title = html.escape(urllib.parse.unquote(urllib.parse.urlsplit(self.path).path), quote=False)
        items = []
        for name in names:
            shown = name + "/" if os.path.isdir(os.path.join(path, name)) else name
            items.append(f'<li><a href="{urllib.parse.quote(shown)}">{html.escape(shown, quote=False)}</a></li>')
        page = (
            f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{title}</title></head>\n'
            f"<body>\n<h1>{title}</h1>\n<ul>\n" + "\n".join(items) + "\n</ul>\n</body>\n</html>\n"
        ).encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        return io.BytesIO(page)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class BookServer(http.server.ThreadingHTTPServer):
    """`folder` on http://127.0.0.1:port/ (port 0: any free one); OutputError if it cannot bind."""

    daemon_threads = True

    def __init__(self, folder: str | Path, port: int = 0):
        self.folder = Path(folder)
        handler = functools.partial(RangeRequestHandler, directory=str(self.folder))
        try:
            super().__init__((HOST, port), handler)
        except OSError as exc:
            raise OutputError(f"port {port} on {HOST}: {exc.strerror or exc}; choose another with --port") from exc

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def pages(self) -> list[str]:
        """The URL of every read-along page under the folder (`Author/Title/index.html`), each path
        component percent-encoded: titles hold `#`, `%`, spaces and letters beyond ASCII."""
        pages = sorted(self.folder.glob("*/*/index.html"))
        return [
            self.base + "/".join(urllib.parse.quote(p, safe="") for p in page.relative_to(self.folder).parts)
            for page in pages
        ]

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a browser dropping a media request it no longer needs: routine
        super().handle_error(request, client_address)


@contextmanager
def running(folder: str | Path, port: int = 0) -> Iterator[BookServer]:
    """Serve `folder` from a background thread until the block ends (tests, embedding)."""
    server = BookServer(folder, port)
    # shutdown() waits for the serving loop's next poll: a short one ends the block at once.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="audiobook-serve", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve(folder: str | Path, port: int, echo: Callable[[str], Any] = print) -> None:
    """Serve `folder` until Ctrl-C, after telling `echo` where and the URL of every page."""
    server = BookServer(folder, port)
    try:
        echo(f"Serving {folder} at {server.base}")
        for url in server.pages():
            echo(f"  {url}")
        echo("Press Ctrl-C to stop.")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
