"""Material's search index, built when it cannot slow the page down.

Material starts its search worker on every page load, and the worker builds
a lunr index of the whole site at once: a few hundred milliseconds of
processor time that, on a two-core laptop, competes with the page and with
the self-audit's Python as they start. Each page's config is pointed at
``assets/javascripts/search-worker.js`` instead, which loads Material's own
worker but holds its first message until the page has settled or the reader
reaches for search (``search-wake.js``). Search itself is Material's, unchanged.

If Material's config changes shape, the substitution no longer applies and
search simply builds its index at once, as before.
"""

from __future__ import annotations

import re

# In Material's JSON config: "search": "<base>assets/javascripts/workers/search.<hash>.min.js"
SEARCH_WORKER = re.compile(r'"search": "(?P<scripts>[^"]*assets/javascripts/)(?P<worker>workers/search\.[0-9a-f]+\.min\.js)"')


def defer_search_index(page_html: str) -> str:
    """The page with Material's search worker started through search-worker.js."""
    return SEARCH_WORKER.sub(r'"search": "\g<scripts>search-worker.js?material=\g<worker>"', page_html)
