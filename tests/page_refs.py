"""The URLs a page makes the browser load, for the tests that hold pages to the portal's own files (no CDN)."""

from html.parser import HTMLParser


class _References(HTMLParser):
    """Every URL a page makes the browser load: src of any tag, href of <link> (stylesheets, icons, preconnect)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def references(html):
    parser = _References()
    parser.feed(html)
    return parser.urls


def all_local(html):
    """True when every script, stylesheet, icon and image the page loads is one of the portal's own paths."""
    return all(url.startswith("/") and not url.startswith("//") for url in references(html))
