"""MkDocs hooks: the build steps that make the site private by construction.

* One Content-Security-Policy, declared in ``mkdocs.yml`` (``extra.
  content_security_policy``), becomes both the ``<meta>`` first in every
  page's ``<head>`` and ``site/_headers`` for static hosts (Netlify and
  Cloudflare Pages read it; our test and preview server sends it too).
  A ``<meta>`` policy cannot govern a Web Worker, so the headers file matters.
* The self-hosted Pyodide runtime (prepared by ``scripts/build_runtime.py``)
  is copied into ``site/assets/pyodide/``, and the small npm modules (QR codes,
  IndexedDB) into ``site/assets/vendor/``, so no byte comes from a CDN.
* mkdocs-print-site writes inline script and style into the print page; we
  move them into files so the policy needs no ``'unsafe-inline'``. It also
  turns links to the pages it leaves out (the self-audit form, the site's
  own pages) into anchors that do not exist there; we point them back.

Hooks run after every plugin, which is why the print-page fix lives here.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs_print_site_plugin.urls import get_page_key

# This file's folder is on sys.path while MkDocs imports a hook.
import search_deferral
import theme_markup

log = logging.getLogger("mkdocs.hooks.site")

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_DIR = ROOT / "build" / "pyodide-runtime"
RUNTIME_SITE_PATH = Path("assets") / "pyodide"
# npm files served as they are, pinned by package-lock.json.
VENDOR_FILES = {
    ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs": Path("assets") / "vendor" / "qrcode-generator.mjs",
    ROOT / "node_modules" / "idb-keyval" / "dist" / "index.js": Path("assets") / "vendor" / "idb-keyval.mjs",
}

# Directives a browser ignores (and complains about) in a <meta> policy.
HEADER_ONLY_DIRECTIVES = {"frame-ancestors", "report-uri", "sandbox"}

OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Executable inline scripts only: Material's JSON config block is data.
INLINE_SCRIPT = re.compile(r"<script(?: type=\"text/javascript\")?>(?P<code>.*?)</script>", re.DOTALL)
INLINE_STYLE = re.compile(r"<style[^>]*>(?P<code>.*?)</style>", re.DOTALL)


def csp_string(directives: dict[str, str], *, for_meta: bool) -> str:
    """Serialise the policy; the <meta> form drops header-only directives."""
    return "; ".join(
        f"{name} {value}"
        for name, value in directives.items()
        if not (for_meta and name in HEADER_ONLY_DIRECTIVES)
    )


def on_config(config: Any) -> Any:
    """Expose the <meta> form of the policy to the theme template."""
    directives = config["extra"]["content_security_policy"]
    config["extra"]["csp_meta"] = csp_string(directives, for_meta=True)
    return config


def headers_file(directives: dict[str, str]) -> str:
    """The ``_headers`` text: one policy for the whole site, as hosts expect."""
    lines = ["/*", f"  Content-Security-Policy: {csp_string(directives, for_meta=False)}"]
    lines += [f"  {name}: {value}" for name, value in OTHER_HEADERS.items()]
    # The runtime's files keep their names across releases of our wheel, so
    # browsers must revalidate rather than trust a stale copy (Pyodide checks
    # each wheel's sha256 and would refuse an old one).
    lines += ["", f"/{RUNTIME_SITE_PATH.as_posix()}/*", "  Cache-Control: no-cache"]
    return "\n".join(lines) + "\n"


def copy_runtime(site_dir: Path) -> None:
    """Put the self-hosted Pyodide runtime and our wheels into the site."""
    if not (RUNTIME_DIR / "pyodide-lock.json").exists():
        log.warning(
            "The Pyodide runtime is missing from %s, so the self-audit cannot "
            "score. Run `make runtime` (or `make build`) first.",
            RUNTIME_DIR,
        )
        return
    target = site_dir / RUNTIME_SITE_PATH
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(RUNTIME_DIR, target)


def copy_vendor_files(site_dir: Path) -> None:
    """Serve the few npm browser modules we use from the site itself."""
    for source, target in VENDOR_FILES.items():
        if not source.exists():
            log.warning("%s is missing: run `npm ci` (the Makefile does).", source)
            continue
        (site_dir / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, site_dir / target)


def externalise_inline_code(page: Path, assets: Path) -> None:
    """Move a generated page's inline <script> and <style> blocks into files.

    mkdocs-print-site writes a small inline script and an inline stylesheet
    into the print page; the CSP (rightly) refuses both. Moving them into
    files keeps the policy strict without forking the plugin.
    """
    html = page.read_text(encoding="utf-8")
    scripts = [m.group("code") for m in INLINE_SCRIPT.finditer(html) if m.group("code").strip()]
    styles = [m.group("code") for m in INLINE_STYLE.finditer(html)]
    if not scripts and not styles:
        return
    html = INLINE_SCRIPT.sub(lambda m: m.group(0) if not m.group("code").strip() else "", html)
    html = INLINE_STYLE.sub("", html)
    assets.mkdir(parents=True, exist_ok=True)
    base = os.path.relpath(assets, page.parent).replace(os.sep, "/")
    links = ""
    if styles:
        (assets / f"{page.parent.name}.css").write_text("\n".join(styles), encoding="utf-8")
        links += f'<link rel="stylesheet" href="{base}/{page.parent.name}.css">'
    if scripts:
        (assets / f"{page.parent.name}.js").write_text("\n".join(scripts), encoding="utf-8")
        links += f'<script src="{base}/{page.parent.name}.js"></script>'
    page.write_text(html.replace("</head>", links + "</head>", 1), encoding="utf-8")


# Pages left out of the print page, by URL; filled in by on_files.
excluded_from_print: list[str] = []


def on_files(files: Any, config: Any) -> Any:
    """Note which pages mkdocs-print-site leaves out, to relink them later."""
    patterns = config["plugins"]["print-site"].config["exclude"]
    excluded_from_print[:] = [
        file.url for file in files.documentation_pages() if any(fnmatch.fnmatch(file.src_uri, p) for p in patterns)
    ]
    return files


def relink_excluded_pages(page: Path, urls: list[str]) -> None:
    """Point the print page's links to left-out pages back at those pages.

    The plugin rewrites a link to ``audit/#x`` as ``#audit-x`` whether or not
    the audit page is in the print page; it is not, so we restore the link.
    """
    html = page.read_text(encoding="utf-8")
    for url in sorted(urls, key=len, reverse=True):
        key = re.escape(get_page_key(url))
        html = re.sub(
            rf'href="#{key}(?:-(?P<anchor>[^"]*))?"',
            lambda m, url=url: f'href="../{url}' + (f'#{m["anchor"]}"' if m["anchor"] else '"'),
            html,
        )
    page.write_text(repair_dangling_anchors(html), encoding="utf-8")


def repair_dangling_anchors(html: str) -> str:
    """Fix links the plugin prefixed with a page key when it left the id alone.

    (It does this for footnote back-links inside lists.) A dangling
    ``#<page key>-<id>`` whose ``<id>`` exists is pointed at that id.
    """
    ids = set(re.findall(r'\bid="([^"]+)"', html))

    def repair(match: re.Match[str]) -> str:
        fragment = match["fragment"]
        if fragment in ids:
            return match[0]
        parts = fragment.split("-")
        for start in range(1, len(parts)):
            if (candidate := "-".join(parts[start:])) in ids:
                return f'href="#{candidate}"'
        return match[0]

    return re.sub(r'href="#(?P<fragment>[^"]+)"', repair, html)


def material_markup(page_html: str) -> str:
    """Material's markup put right (theme_markup.py), its search index built later (search_deferral.py)."""
    return search_deferral.defer_search_index(theme_markup.repair(page_html))


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Every page's Material markup, as material_markup() leaves it."""
    return material_markup(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """The same for the 404 page, which is a template, not a page."""
    return material_markup(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config: Any) -> None:
    """Write the headers file, copy the runtime, fix the print page."""
    site_dir = Path(config["site_dir"])
    (site_dir / "_headers").write_text(
        headers_file(config["extra"]["content_security_policy"]), encoding="utf-8"
    )
    copy_runtime(site_dir)
    copy_vendor_files(site_dir)
    print_page = site_dir / "print_page" / "index.html"
    if print_page.exists():
        externalise_inline_code(print_page, site_dir / "assets" / "generated")
        relink_excluded_pages(print_page, excluded_from_print)
        print_page.write_text(material_markup(print_page.read_text(encoding="utf-8")), encoding="utf-8")
