"""A remote SPARQL 1.1 endpoint: queries by the SPARQL Protocol, writes by the Graph Store Protocol.

Plain ``urllib`` with a timeout on every request. Whatever goes wrong (no server, no answer in
time, an HTTP error) becomes one :class:`~kg.errors.KgError` line naming the URL and the status.
Only the host the user named is contacted (``kg.safety.allow_host``).
"""

from __future__ import annotations

import errno
import http.client
import socket
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg.backends.base import Backend, Quad
from kg.errors import InputError, KgError, QueryError, UsageError
from kg.backends.oxigraph_terms import collect, sortable_order, sorted_result, to_rdflib
from kg.rdf.sparql_guard import UnsafeTerm, bind_values, check_query, check_run_text, nt_iri, nt_term
from kg.rdf.sparql_text import with_prefixes

T = TypeVar("T")

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.query.engine import QueryResult

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


_NET_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException)
#: Errors of a file being written, not of the network.
_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS, errno.EFBIG, errno.ENOENT, errno.EISDIR}


class EndpointBackend(Backend):
    """A SPARQL 1.1 endpoint over HTTP. Its default graph must be the merge of its named graphs
    for answers to match the other backends (``kg push`` writes it; see :mod:`kg.backends.base`)."""

    name = "endpoint"

    def __init__(
        self, url: str, timeout: float | None = 60.0, graph_store: str | None = None
    ) -> None:
        """``timeout``: the longest wait for each answer, in seconds (None: no limit)."""
        from kg.safety import allow_host

        parts = check_url(url)
        if graph_store is not None:
            allow_host(check_url(graph_store, "--graph-store").hostname or "")
        allow_host(parts.hostname or "")
        self.url = url
        self.timeout = timeout
        self.graph_store = graph_store or graph_store_url(url)

    @contextmanager
    def _open(
        self,
        url: str,
        data: bytes | Iterable[bytes] | None,
        method: str,
        headers: Mapping[str, str],
        what: str = "query",
        shown: str | None = None,
    ) -> Iterator[Any]:
        """An open response; errors name ``shown`` (default: ``url``)."""
        request = urllib.request.Request(
            url, data=data, method=method, headers={"User-Agent": "kg", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                yield response
        except KgError:
            raise
        except _NET_ERRORS as exc:
            raise http_error(shown or url, exc, self.timeout, what) from exc

    def _results(self, text: str, source: str = "query") -> Iterator[Any]:
        """Send a query, exactly as :func:`kg.rdf.sparql_guard.check_run_text` checked it; yield
        the parsed pyoxigraph result while the response is open."""
        import pyoxigraph as ox

        # Parsed by the caller already (a frame that holds no answer: pyparsing keeps exceptions
        # whose tracebacks reach the frames that parsed, and an answer must be freed on the
        # thread that read it); here the parse is found cached, and the text checked is the text sent.
        text = check_run_text(text, source, self.named_graphs)
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT}
        with self._open(self.url, body, "POST", headers) as response:
            media = response.headers.get_content_type()
            try:
                results_format = ox.QueryResultsFormat.from_media_type(media)
                rdf_format = None if results_format else ox.RdfFormat.from_media_type(media)
                if results_format is not None:
                    yield ox.parse_query_results(input=response, format=results_format)
                elif rdf_format is not None:
                    yield _triples(ox.parse(input=response, format=rdf_format))
                else:
                    raise InputError(
                        f"{self.url}: the endpoint answered with {media!r}, not SPARQL results or RDF"
                    )
            except SyntaxError as exc:
                raise self._malformed(exc, media) from exc

    @contextmanager
    def _reading(self, files_too: bool = False) -> Iterator[None]:
        """Whatever goes wrong while an answer is read, as one line naming the endpoint
        (``files_too``: an error of a file being written is left to the caller).

        The frames the error passed through are cleared first: pyoxigraph's parsed answers may
        be freed only by the thread that read them, and an error kept (by a caller, or carried
        to another thread) would otherwise free them wherever it is collected. So the answer is
        only ever held in frames below this one (:meth:`_first`, :meth:`_rows`)."""
        try:
            yield
        except BaseException as exc:
            traceback.clear_frames(exc.__traceback__)
            if isinstance(exc, SyntaxError):
                raise self._malformed(exc) from exc
            if isinstance(exc, MemoryError):  # (pyoxigraph's JSON and TSV readers stop at 16 MiB a value)
                raise InputError(f"{self.url}: the endpoint's answer holds a value too large to read ({exc})") from None
            if isinstance(exc, _NET_ERRORS) and not (files_too and isinstance(exc, OSError) and exc.errno in _DISK_ERRORS):
                raise http_error(self.url, exc, self.timeout) from exc
            raise

    def _first(self, text: str, use: Callable[[Any], T]) -> T:
        """``use`` of the parsed answer to ``text``, while the response is open."""
        for result in self._results(text):
            return use(result)
        raise InputError(f"{self.url}: the endpoint sent no answer")  # pragma: no cover - _results always yields

    def _rows(self, text: str) -> Iterator[Any]:
        """The solutions of a SELECT, streamed while the response is open."""
        for solutions in self._results(text):
            yield from solutions

    def _malformed(self, exc: SyntaxError, media: str | None = None) -> InputError:
        detail = " ".join(str(exc.msg).split())
        kind = f" ({media})" if media else ""
        return InputError(f"{self.url}: the endpoint's answer{kind} is malformed: {detail}")

    def query(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> QueryResult:
        text = check_query(text, source, translate=False).text
        full = with_prefixes(bind_values(text, params, source))
        split = sortable_order(full)
        if split is not None:  # a final ORDER BY: fetched unordered, sorted here (as on a store)
            unordered, clause, keys = split
            answer = self.solutions(unordered)
            found = sorted_result([v.value for v in answer.variables], [tuple(s) for s in answer], clause, keys)
            if found is not None:
                return found
        check_run_text(full, source, self.named_graphs)  # (parsed in this frame, which holds no answer)
        with self._reading():
            return self._first(full, lambda result: collect(result, text))

    def solutions(self, text: str) -> Solutions:
        """A SELECT query's answer as pyoxigraph terms, read whole: what a pyoxigraph store's
        ``query`` gives, for code written against one (:mod:`kg.validate.sparql`)."""
        import pyoxigraph as ox

        def read(result: Any) -> Solutions:
            if not isinstance(result, ox.QuerySolutions):
                raise InputError(f"{self.url}: the endpoint did not answer a SELECT query with solutions")
            return Solutions(list(result.variables), list(result))

        full = check_run_text(with_prefixes(text), "query", self.named_graphs)  # (parsed here: see _checked)
        with self._reading():
            return self._first(full, read)

    def write_ntriples(self, text: str, path: Path) -> None:
        """The triples a CONSTRUCT query answers, as N-Triples into the file ``path``: streamed
        from the response through pyoxigraph's parser and writer, so memory stays flat."""
        import pyoxigraph as ox

        def write(result: Any) -> None:
            if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
                raise InputError(f"{self.url}: the endpoint did not answer a CONSTRUCT query with RDF")
            with path.open("wb") as fh:
                ox.serialize(result, fh, format=ox.RdfFormat.N_TRIPLES)

        full = check_run_text(with_prefixes(text), "query", self.named_graphs)
        with self._reading(files_too=True):  # (a file that cannot be written: the caller names its folder)
            self._first(full, write)

    def graph_ntriples(self, graph: Node) -> bytes:
        """The triples of one named graph as N-Triples, in pyoxigraph's spelling (the answer to
        a CONSTRUCT, parsed and written again: whatever the server's own spelling)."""
        import pyoxigraph as ox

        try:
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {nt_iri(str(graph))} {{ ?s ?p ?o }} }}"
        except UnsafeTerm as exc:
            raise InputError(f"{self.url}: cannot ask for the graph {str(graph)[:80]!r}: {exc}") from exc

        def written(result: Any) -> bytes:
            if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
                raise InputError(f"{self.url}: the endpoint did not answer a CONSTRUCT query with RDF")
            return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""

        check_run_text(text, "query", self.named_graphs)
        with self._reading():
            return self._first(text, written)

    def _select(self, text: str) -> Iterator[Any]:
        with self._reading():
            yield from self._rows(text)

    def quads(
        self, s: Node | None = None, p: Node | None = None, o: Node | None = None
    ) -> Iterator[Quad]:
        """The quads of the named graphs."""
        bound = {name: t for name, t in (("s", s), ("p", p), ("o", o)) if t is not None}
        try:
            values = "".join(f"VALUES ?{n} {{ {nt_term(t)} }} " for n, t in bound.items())
        except UnsafeTerm as exc:
            raise InputError(f"{self.url}: cannot ask for the quads of that term: {exc}") from exc
        for row in self._select(f"SELECT ?s ?p ?o ?g WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }} }}"):
            yield (
                to_rdflib(row["s"]),
                to_rdflib(row["p"]),
                to_rdflib(row["o"]),
                to_rdflib(row["g"]),
            )  # type: ignore[misc]

    def named_graphs(self) -> list[Node]:
        text = check_run_text("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        rows = self._select(text)
        return sorted((g for g in (to_rdflib(r["g"]) for r in rows) if g is not None), key=str)

    def count(self) -> int:
        for row in self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"):
            return int(row["n"].value)
        return 0

    def _store_url(self, graph: str | None) -> str:
        if self.graph_store is None:
            raise UsageError(
                f"cannot tell the Graph Store Protocol URL of {self.url}: give --graph-store URL "
                "(Oxigraph: http://HOST:PORT/store; Fuseki: http://HOST:PORT/DATASET/data)"
            )
        query = urllib.parse.urlencode({"graph": graph}) if graph is not None else "default"
        sep = "&" if urllib.parse.urlsplit(self.graph_store).query else "?"
        return f"{self.graph_store}{sep}{query}"

    def clear(self) -> None:
        """Delete every named graph and empty the default graph (Graph Store Protocol DELETE)."""
        for graph in [*(str(g) for g in self.named_graphs()), None]:
            shown = f"{self.graph_store} (DELETE of " + (
                f"graph <{graph}>)" if graph is not None else "the default graph)"
            )
            try:
                with self._open(
                    self._store_url(graph), None, "DELETE", {}, what="upload", shown=shown
                ) as response:
                    response.read()
            except InputError as exc:
                if " HTTP 404 " not in exc.message:  # an empty default graph may be "not found"
                    raise

    def put_graph(
        self, graph: str | None, body: bytes | Iterable[bytes], replace: bool = True
    ) -> None:
        """Send N-Triples to one graph with the Graph Store Protocol: PUT replaces it, POST adds
        to it (``graph=None`` is the default graph). ``body`` may be an iterable (sent chunked)."""
        url = self._store_url(graph)
        headers = {"Content-Type": "application/n-triples"}
        method = "PUT" if replace else "POST"
        shown = f"{self.graph_store} ({method} of " + (
            f"graph <{graph}>)" if graph is not None else "the default graph)"
        )
        with self._open(url, body, method, headers, what="upload", shown=shown) as response:
            response.read()


class Solutions:
    """SELECT solutions read whole: ``variables`` and the rows, as a pyoxigraph store gives them."""

    def __init__(self, variables: list[Any], rows: list[Any]) -> None:
        self.variables = variables
        self.rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


def _triples(parser: Iterable[Any]) -> Iterator[Any]:
    """The triples of a parsed RDF answer (pyoxigraph quads in the default graph)."""
    for quad in parser:
        yield quad.triple
