"""The HTTP exchange with a SPARQL endpoint: its URLs, what a request asks for, one line for
whatever goes wrong on the network, and the total time limit checked on every read."""

from __future__ import annotations

import errno
import http.client
import socket
import urllib.error
import urllib.parse
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KgError, QueryError, UsageError

if TYPE_CHECKING:
    from kg.backends.endpoint.backend import EndpointBackend

#: What a query asks for: results as XML (SELECT, ASK), a graph as N-Triples (CONSTRUCT, DESCRIBE).
#: XML first: pyoxigraph reads it as fast as JSON, and its JSON and TSV readers stop at a value
#: of 16 MiB (a GROUP_CONCAT of a million IRIs is 45 MB).
ACCEPT = (
    "application/sparql-results+xml, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+json;q=0.5, application/rdf+xml;q=0.4"
)


def check_url(url: str, option: str = "--endpoint") -> urllib.parse.SplitResult:
    """An http(s) URL with a host, or a UsageError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{option} {url!r}: expected an http:// or https:// URL, such as http://localhost:7878/query"
        )
    return parts


def graph_store_url(endpoint: str) -> str | None:
    """The Graph Store Protocol URL beside a query endpoint, where the layout is known
    (Oxigraph: ``.../query`` -> ``.../store``); None when it cannot be told."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.path.endswith("/query"):
        return urllib.parse.urlunsplit(
            parts._replace(path=parts.path[: -len("query")] + "store", query="")
        )
    return None


def _first_line(data: bytes) -> str:
    text = " ".join(data.decode("utf-8", "replace").split())
    return text[:200] + ("…" if len(text) > 200 else "")


def http_error(url: str, exc: BaseException, timeout: float | None, what: str = "query") -> KgError:
    """One line for anything that went wrong talking to ``url``."""
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = _first_line(exc.read(2000))
        except (OSError, http.client.HTTPException):
            body = ""
        cls = QueryError if exc.code == 400 and what == "query" else InputError
        return cls(
            f"{url}: the endpoint answered HTTP {exc.code} {exc.reason}"
            + (f": {body}" if body else "")
        )
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        within = f" within {timeout:g} s" if timeout else ""
        return InputError(
            f"{url}: no answer{within} (is the server overloaded? raise --timeout)"
        )
    if isinstance(reason, ConnectionRefusedError):
        return InputError(
            f"{url}: cannot reach the endpoint: connection refused (is the server running on that port?)"
        )
    if isinstance(reason, socket.gaierror):
        return InputError(
            f"{url}: cannot reach the endpoint: unknown host {urllib.parse.urlsplit(url).hostname!r}"
        )
    detail = " ".join(str(reason).split()) or type(reason).__name__
    return InputError(f"{url}: cannot reach the endpoint: {detail}")


NET_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException)
#: Errors of a file being written, not of the network.
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS, errno.EFBIG, errno.ENOENT, errno.EISDIR}


class TotalTimeError(InputError):
    """An endpoint command ran past its total time limit (``--timeout``)."""


class Deadline:
    """A response whose every read first checks the backend's total deadline (a server that
    sends a byte now and then would otherwise keep each read within the socket timeout)."""

    def __init__(self, response: Any, backend: EndpointBackend, shown: str) -> None:
        self._response, self._backend, self._shown = response, backend, shown

    def _check(self) -> None:
        wait = self._backend._wait(self._shown)
        sock = getattr(getattr(getattr(self._response, "fp", None), "raw", None), "_sock", None)
        if sock is not None and wait is not None:
            sock.settimeout(wait)

    def read(self, size: int | None = -1) -> bytes:
        # read1: what one read of the socket gives (read(n) would wait for all n bytes)
        if size is not None and size >= 0:
            self._check()
            return self._response.read1(size) if size else b""
        chunks = []  # read to the end in pieces, so that the deadline is checked between them
        while True:
            self._check()
            chunk = self._response.read1(1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    def readinto(self, buffer: Any) -> int:
        self._check()
        data = self._response.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, *args: Any) -> bytes:
        self._check()
        return self._response.readline(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._response, name)
