"""Serve the built site the way a static host would, headers file included.

``mkdocs serve`` cannot send ``site/_headers``, and a ``<meta>`` policy does
not govern Web Workers, so previews and browser tests use this instead: the
same Content-Security-Policy reaches every page and the audit's worker, just
as on Netlify or Cloudflare Pages.

    python scripts/serve.py [--port 8000] [--directory site]
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import http.server
import threading
from pathlib import Path

MEDIA_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}


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
