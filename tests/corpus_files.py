"""Corpus files the corpus-I/O tests write for themselves: wire-style, fictional.

Every page, table and archive here is written for the project (no published
article is copied); the places, people and outlets are invented.
"""

from __future__ import annotations

import io
from pathlib import Path

STORIES = [
    (
        "harlow-strike",
        "Port strike ends after nine days",
        "Dock workers in the city of Harlow returned to work on Monday after a nine-day "
        "strike that halted container traffic, union officials said.\n"
        '"We got what we came for," said Mara Venn, a spokeswoman for the Harlow Dockers '
        "Union, which represents about 4,000 workers.\n"
        "The port authority said it expected the backlog to clear by the end of the week, "
        "though shipping agents warned that delays could persist.",
    ),
    (
        "ferry-fares",
        "Ferry fares to rise by 4 percent in April",
        "Fares on the Kessel ferry line will rise by 4 percent from April 1, the operator "
        "said on Tuesday, citing higher fuel costs.\n"
        "Commuters who cross the strait twice a day would pay about 90 more a year, "
        "according to figures from the Kessel Passengers Association.\n"
        "The operator said season tickets bought before March would keep their price.",
    ),
    (
        "council-vote",
        "Council may delay harbour plan, officials say",
        "The Harlow council could postpone a vote on the harbour redevelopment plan, "
        "two officials familiar with the talks said on Wednesday.\n"
        "The plan, which would replace the old fish market with flats and a marina, "
        "has drawn objections from traders who say they were not consulted.\n"
        "A council spokesman declined to comment.",
    ),
]

GERMAN = (
    "Die Hafenarbeiter in Harlow sind am Montag nach einem neuntägigen Streik an die Arbeit "
    "zurückgekehrt, wie die Gewerkschaft mitteilte. Der Betreiber des Hafens erwartet, dass "
    "sich der Rückstau bis zum Ende der Woche auflöst, auch wenn die Reedereien vor weiteren "
    "Verzögerungen warnten. Es ist nicht klar, wann der Verkehr wieder normal läuft."
)


def page(title: str, body: str, *, site: str = "Harlow Courier", slug: str = "story") -> str:
    """A saved news page: menus, byline, article, related links and footer."""
    paragraphs = "\n".join(f"<p>{line}</p>" for line in body.split("\n"))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta name="author" content="Jane Roe">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="2026-03-02T09:00:00Z">
<link rel="canonical" href="https://courier.example/{slug}">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<article><h1>{title}</h1><p class="byline">By Jane Roe</p>
{paragraphs}
</article>
<aside><h3>Related stories</h3><ul>
<li><a href="/r1">Lighthouse keepers honoured at ceremony</a></li>
<li><a href="/r2">Tram line extension opens to riders</a></li></ul></aside>
<footer>Copyright 2026 {site}. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>
"""


INDEX_PAGE = """<!doctype html><html><head><title>Harlow Courier</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<ul><li><a href="/a">Port strike ends</a></li><li><a href="/b">Ferry fares rise</a></li></ul>
<footer>Copyright 2026 Harlow Courier</footer></body></html>
"""


def write_warc(path: Path, *, gzip: bool = True, with_image: bool = True) -> list[str]:
    """A web archive: a request, a response per story, and (optionally) an image."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    urls = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for slug, title, body in STORIES[:2]:
            url = f"https://courier.example/{slug}"
            urls.append(url)
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET /{slug} HTTP/1.1", [], is_http_request=True),
            )
            writer.write_record(request)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            html = page(title, body, slug=slug).encode()
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(html), http_headers=headers
                )
            )
        if with_image:
            png = [("Content-Type", "image/png")]
            headers = StatusAndHeaders("200 OK", png, protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    "https://courier.example/logo.png",
                    "response",
                    payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)),
                    http_headers=headers,
                )
            )
    return urls
