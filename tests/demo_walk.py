"""One walk over the demo as a user meets it, shared by the tests that read every page a role reaches: from the
home page, by the links each page shows (redirects followed), breadth first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlparse

HREF = re.compile(r'href="([^"#]*)"')
# The Django admin, the API and its docs, static files, logging out: not the portal's pages.
SKIP = ("/admin/", "/api/", "/static/", "/accounts/logout")


def walk(client: Any, *, limit: int, skip_query: tuple[str, ...] = ()) -> Iterator[tuple[str, Any, str | None]]:
    """(url, response, the page that linked it) for every page reachable from "/", at most `limit` pages; links
    whose query holds one of `skip_query` are not followed."""
    seen: set[str] = set()
    queue, came_from = ["/"], {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        yield url, response, came_from.get(url)
        if response.status_code in (301, 302):
            hrefs = [response["Location"]]
        elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            hrefs = [h.replace("&amp;", "&") for h in HREF.findall(response.content.decode())]
        else:
            continue
        for href in hrefs:
            target = urlparse(urljoin(url, href))
            if target.netloc or not target.path.startswith("/") or target.path.startswith(SKIP):
                continue
            if any(q in target.query for q in skip_query):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            came_from.setdefault(link, url)
            queue.append(link)
