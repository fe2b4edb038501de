"""Pages named by URL on the command line (``copydesk analyze https://...``).

Each URL is fetched once with the standard library (no extra HTTP client), with
a time limit per request and a size limit on the body, and the page is then
read like a saved page by the ``html`` reader (the article, not the page). Every
failure - refused connection, time-out, HTTP error status, a body that is not
HTML, a page over the size limit - is one input error naming the URL, and the
other inputs go on. The document's id is the URL as given.
"""

from __future__ import annotations

import io
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

from copydesk.errors import InputError
from copydesk.io.readers import Reader
from copydesk.model import Document

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "copydesk (text analysis of news copy)"
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def is_url(name: str) -> bool:
    """Whether an input names a page on the web rather than a file."""
    return name.lower().startswith(("http://", "https://"))


def fetch(url: str, *, timeout: float | None = None, max_bytes: int | None = None) -> bytes:
    """The body of an HTML page; raises OSError (or ValueError) saying what went wrong."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith(_PAGE_TYPES):
            msg = f"is {content_type}, not an HTML page"
            raise ValueError(msg)
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            msg = f"is too large ({int(length):,} bytes; the limit is {max_bytes:,})"
            raise ValueError(msg)
        body: bytes = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        msg = f"is too large (over {max_bytes:,} bytes)"
        raise ValueError(msg)
    return body


def read_url(
    url: str, readers: dict[str, Reader], *, timeout: float | None = None
) -> Iterator[Document | InputError]:
    """The article at ``url``, through the ``html`` reader; one error line if it fails."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    try:
        body = fetch(url, timeout=timeout)
    except urllib.error.HTTPError as exc:
        yield InputError(url, f"HTTP {exc.code} {exc.reason}")
        return
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            yield InputError(url, f"timed out after {timeout:g} s")
        else:
            why = getattr(reason, "strerror", None) or reason
            yield InputError(url, f"cannot be fetched ({why})")
        return
    except TimeoutError:
        yield InputError(url, f"timed out after {timeout:g} s")
        return
    except (OSError, ValueError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else f"cannot be fetched ({exc})"
        yield InputError(url, message)
        return
    reader = readers.get("html")
    if reader is None:
        yield InputError(url, "no html reader is registered")
        return
    yield from reader.read(io.BytesIO(body), url)
