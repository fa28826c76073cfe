"""Serve the built site the way a static host would, headers file included.

``mkdocs serve`` cannot send ``site/_headers``, and a ``<meta>`` policy does
not govern Web Workers, so previews and browser tests use this instead: the
same Content-Security-Policy reaches every page and the audit's worker, just
as on Netlify or Cloudflare Pages.

Like those hosts, it compresses text, JSON and WebAssembly on the way out
(brotli, or gzip for browsers without it) and leaves already-compressed
files (zip, wheels, the engine snapshot) alone, so the bytes a visit costs
are measured as a real visitor pays them.

    python scripts/serve.py [--port 8000] [--directory site]
"""

from __future__ import annotations

import argparse
import datetime
import email.utils
import fnmatch
import functools
import gzip
import http.server
import io
import os
import threading
from pathlib import Path

import brotli

MEDIA_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}

# The types hosts compress (Cloudflare's list, for the types this site has).
COMPRESSIBLE_TYPES = {
    "text/html", "text/css", "text/javascript", "text/plain", "text/xml", "application/xml",
    "application/json", "application/manifest+json", "application/wasm", "image/svg+xml",
}
# Brotli's quality for compressing as files are asked for: what CDNs use on
# the fly (11 takes half a minute for Pyodide's WebAssembly).
BROTLI_QUALITY = 5


@functools.lru_cache(maxsize=256)
def compressed(path: str, mtime_ns: int, size: int, encoding: str) -> bytes:
    """The file's bytes in ``encoding``, once per version of the file."""
    data = Path(path).read_bytes()
    if encoding == "br":
        return brotli.compress(data, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=6, mtime=0)


def accepted_encoding(accept_encoding: str) -> str | None:
    """``br`` or ``gzip`` if the request accepts it (brotli first), else None."""
    offered = set()
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        if params.replace(" ", "") not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}:
            offered.add(name.strip().lower())
    return next((encoding for encoding in ("br", "gzip") if encoding in offered), None)


def parse_headers_file(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Read Netlify/Cloudflare ``_headers`` rules: a path line, then indented headers."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(path: str, rules: list[tuple[str, list[tuple[str, str]]]]) -> list[tuple[str, str]]:
    """Every header of every rule whose pattern matches the request path."""
    return [header for pattern, headers in rules if fnmatch.fnmatchcase(path, pattern) for header in headers]


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files plus the site's own headers; quiet unless asked."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MEDIA_TYPES}
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    verbose = False

    def send_head(self) -> io.BufferedIOBase | None:
        """A compressed body when the browser takes one and the type is worth it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        encoding = accepted_encoding(self.headers.get("Accept-Encoding", ""))
        if encoding is None or not os.path.isfile(path) or self.guess_type(path) not in COMPRESSIBLE_TYPES:
            return super().send_head()
        stat = os.stat(path)
        if self.unchanged_since_asked(stat.st_mtime):
            return super().send_head()  # which answers 304 Not Modified
        body = compressed(path, stat.st_mtime_ns, stat.st_size, encoding)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def unchanged_since_asked(self, mtime: float) -> bool:
        """Whether the request's If-Modified-Since covers the file (as the base class decides)."""
        if "If-Modified-Since" not in self.headers or "If-None-Match" in self.headers:
            return False
        try:
            since = email.utils.parsedate_to_datetime(self.headers["If-Modified-Since"])
        except (TypeError, IndexError, OverflowError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=datetime.timezone.utc)
        return int(mtime) <= since.timestamp()

    def end_headers(self) -> None:
        for name, value in headers_for(self.path.split("?", 1)[0], self.rules):
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        if self.verbose:
            super().log_message(format, *args)


def make_server(directory: Path, port: int = 0, host: str = "127.0.0.1", verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A ready-to-run server for ``directory``; port 0 picks a free port."""
    headers_path = directory / "_headers"
    rules = parse_headers_file(headers_path.read_text(encoding="utf-8")) if headers_path.exists() else []
    handler = type("BoundSiteHandler", (SiteHandler,), {"rules": rules, "verbose": verbose})
    server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    return server


def serve_in_background(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server on a free port in a thread; returns it and its base URL."""
    server = make_server(directory)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the built site with its _headers, as a static host would.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=Path("site"))
    args = parser.parse_args()
    server = make_server(args.directory, args.port, verbose=True)
    print(f"Serving {args.directory} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
