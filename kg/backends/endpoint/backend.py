"""The endpoint backend: queries by the SPARQL Protocol, writes by the Graph Store Protocol."""

from __future__ import annotations

import time
import traceback
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg.backends.credentials import Credentials, auth_handlers
from kg.backends.endpoint.answers import TruncatedAnswer, graph_triples, is_graph, projected_variables
from kg.backends.endpoint.exchange import (
    ACCEPT,
    DISK_ERRORS,
    NET_ERRORS,
    Deadline,
    TotalTimeError,
    check_url,
    graph_store_url,
    http_error,
)
from kg.backends.own import MANIFEST_QUERY, TYPED_QUERY, OwnGraphs, from_manifest
from kg.backends.oxigraph_terms import canonical_result, collect, sortable_order, sorted_result, to_rdflib
from kg.backends.endpoint.graph_store import GraphStoreWrites
from kg.backends.endpoint.pages import PagedReads
from kg.backends.queried import QueriedBackend
from kg.backends.sparql_results import Solutions, read_xml
from kg.errors import InputError, KgError, UsageError
from kg.rdf.sparql_guard import UnsafeTerm, bind_values, check_query, check_run_text, nt_iri, nt_term
from kg.rdf.sparql_text import query_is_ordered, with_prefixes
from kg.safety import allow_host

T = TypeVar("T")

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.rdf.terms import QueryResult, Quad


class EndpointBackend(PagedReads, GraphStoreWrites, QueriedBackend):
    """A SPARQL 1.1 endpoint over HTTP. Its default graph must be the merge of its named graphs
    for answers to match the other backends (``kg push`` writes it; see :mod:`kg.backends.base`)."""

    name = "endpoint"

    def __init__(
        self,
        url: str,
        timeout: float | None = 60.0,
        graph_store: str | None = None,
        credentials: Credentials | None = None,
        total: float | None = None,
        total_option: str = "--timeout",
    ) -> None:
        """``timeout``: the longest wait for each answer, in seconds (None: no limit); ``total``:
        the longest time every request and answer may take together, from now (None: no limit),
        checked on each read, so that a server that answers slowly cannot keep a command alive.
        ``credentials``: answer the server's basic or digest challenges with them."""

        parts = check_url(url)
        if graph_store is not None:
            allow_host(check_url(graph_store, "--graph-store").hostname or "")
        allow_host(parts.hostname or "")
        self.url = url
        self.timeout = timeout
        self.total = total
        self.total_option = total_option  # the option that sets ``total``, for the message
        self.deadline = time.monotonic() + total if total else None
        self.graph_store = graph_store or graph_store_url(url)
        handlers = auth_handlers(credentials, url, *([self.graph_store] if self.graph_store else [])) if credentials else []
        self._opener = urllib.request.build_opener(*handlers)
        self._own: OwnGraphs | None = None

    @classmethod
    def at(cls, where: str, timeout: float | None = 60.0) -> EndpointBackend:
        """``timeout`` bounds each answer and the whole command (``--timeout``)."""
        return cls(where, timeout=timeout, total=timeout)

    def _wait(self, shown: str) -> float | None:
        """The socket timeout for the next request: the per-answer one, cut to what is left of
        the total; a TotalTimeError when nothing is left."""
        if self.deadline is None:
            return self.timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TotalTimeError(
                f"{shown}: stopped after {self.total:g} s, the time limit for the whole command; "
                f"give more time with {self.total_option} SECONDS (0: no limit)"
            )
        return min(self.timeout, left) if self.timeout else left

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
        wait = self._wait(shown or url)
        try:
            with self._opener.open(request, timeout=wait) as response:
                yield Deadline(response, self, shown or url) if self.deadline is not None else response
        except KgError:
            raise
        except NET_ERRORS as exc:
            if self.deadline is not None and isinstance(getattr(exc, "reason", exc), TimeoutError) and time.monotonic() >= self.deadline:
                self._wait(shown or url)  # raises TotalTimeError: the total ran out, not one answer
            raise http_error(shown or url, exc, wait, what) from exc

    def own_graphs(self) -> OwnGraphs:
        """kg's graphs on the server (:mod:`kg.backends.own`), asked once."""
        if self._own is None:
            found = self._fetch(MANIFEST_QUERY, lambda rows: [(r["p"], r["g"]) for r in rows])
            statements = [(p.value, g.value) for p, g in found or [] if hasattr(p, "value") and hasattr(g, "value")]
            own = from_manifest(statements)
            if own is None:
                typed = sorted({r["g"].value for r in self._fetch(TYPED_QUERY, list) or [] if r["g"] is not None})
                own = OwnGraphs(tuple(typed), tuple(typed), "typed" if typed else "none")
            self._own = own
        return self._own

    def _fetch(self, text: str, use: Callable[[Any], T]) -> T | None:
        """``use`` of the solutions of a SELECT sent without a dataset (None: not solutions)."""
        with self._reading():
            for result in self._results(text, dataset=False):
                return use(result) if hasattr(result, "variables") else None
        return None  # pragma: no cover - _results always yields

    def _results(self, text: str, dataset: bool = True, paged: bool = False, source: str = "query") -> Iterator[Any]:
        """Send a query (naming kg's own graphs as its dataset unless ``dataset`` is false),
        exactly as :func:`kg.rdf.sparql_guard.check_run_text` checked it; the parsed results,
        yielded while the response is open: solutions (``variables`` and rows), a boolean, or
        triples. A SELECT answer the server cut (``X-SPARQL-MaxRows``) is a :class:`TruncatedAnswer`.

        Checked here, whoever calls, in this frame, which never holds an answer: pyparsing keeps
        exceptions whose tracebacks reach the frames that parsed, and a pyoxigraph answer held by
        such a frame would be freed by the collector on another thread."""
        checked = check_run_text(text, source, self.named_graphs)
        fields = [("query", checked), *(self.own_graphs().protocol_fields() if dataset else [])]
        return self._send(fields, paged)

    def _send(self, fields: list[tuple[str, str]], paged: bool) -> Iterator[Any]:
        import pyoxigraph as ox

        body = urllib.parse.urlencode(fields).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT}
        with self._open(self.url, body, "POST", headers) as response:
            media = response.headers.get_content_type()
            limit = response.headers.get("X-SPARQL-MaxRows")
            try:
                results_format = ox.QueryResultsFormat.from_media_type(media)
                rdf_format = None if results_format else ox.RdfFormat.from_media_type(media)
                if results_format == ox.QueryResultsFormat.XML:
                    result = read_xml(response, self.url)
                elif results_format is not None:
                    result = ox.parse_query_results(input=response, format=results_format)
                elif rdf_format is not None:
                    result = graph_triples(ox.parse(input=response, format=rdf_format))
                else:
                    raise InputError(
                        f"{self.url}: the endpoint answered with {media!r}, not SPARQL results or RDF"
                    )
                if limit is not None and not paged and hasattr(result, "variables"):
                    raise TruncatedAnswer(self.url, limit, [v.value for v in result.variables])
                yield result
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
            if isinstance(exc, NET_ERRORS) and not (files_too and isinstance(exc, OSError) and exc.errno in DISK_ERRORS):
                raise http_error(self.url, exc, self.timeout) from exc
            raise

    def _first(self, text: str, use: Callable[[Any], T]) -> T:
        """``use`` of the parsed answer to ``text``, while the response is open."""
        for result in self._results(text):
            return use(result)
        raise InputError(f"{self.url}: the endpoint sent no answer")  # pragma: no cover - _results always yields

    def _rows(self, text: str, paged: bool = False) -> Iterator[Any]:
        """The solutions of a SELECT, streamed while the response is open (``paged``: a page
        whose LIMIT is the server's own, which may say it reached it)."""
        for solutions in self._results(text, paged=paged):
            if not hasattr(solutions, "variables"):
                raise InputError(f"{self.url}: the endpoint did not answer a SELECT query with solutions")
            self._check_variables([v.value for v in solutions.variables], text)
            yield from solutions

    def _check_variables(self, got: list[str], text: str) -> None:
        """A one-line InputError when the answer's columns are not the variables the query selects."""
        wanted = projected_variables(text)
        if wanted is not None and sorted(got) != sorted(set(wanted)):
            shown = " ".join(f"?{c}" for c in got) or "no column"
            raise InputError(f"{self.url}: the endpoint answered {shown} to a query that selects {' '.join('?' + w for w in wanted)}")

    def _malformed(self, exc: SyntaxError, media: str | None = None) -> InputError:
        detail = " ".join(str(exc.msg).split())
        kind = f" ({media})" if media else ""
        return InputError(f"{self.url}: the endpoint's answer{kind} is malformed: {detail}")

    def run(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> QueryResult:
        text = check_query(text, source, translate=False).text
        full = with_prefixes(bind_values(text, params, source))
        check_run_text(full, source, self.named_graphs)  # parsed in this frame, which holds no answer
        split = sortable_order(full)
        found = None
        if split is not None:  # a final ORDER BY: fetched unordered, sorted here (as on a store)
            unordered, clause, keys = split
            answer = self.solutions(unordered)
            found = sorted_result([v.value for v in answer.variables], [tuple(s) for s in answer], clause, keys)
            if found is not None:
                return canonical_result(found)
        try:
            with self._reading():
                result = self._first(full, lambda answer: collect(answer, text))
        except TruncatedAnswer as cut:
            if query_is_ordered(full):
                raise  # (an order only the server can give: pages in another order would not do)
            return canonical_result(collect(self._paged(full, cut), text))
        if result.graph is not None:
            self._check_graph_size(len(result.graph))
        if result.kind == "SELECT":
            self._check_variables(result.columns, text)
        return canonical_result(result)  # another server may keep "8.0": shown as every backend shows it

    def solutions(self, text: str) -> Solutions:
        """A SELECT query's answer as pyoxigraph terms, read whole: what a pyoxigraph store's
        ``query`` gives, for code written against one (:mod:`kg.validate.sparql`)."""

        def read(result: Any) -> Solutions:
            if not hasattr(result, "variables"):
                raise InputError(f"{self.url}: the endpoint did not answer a SELECT query with solutions")
            self._check_variables([v.value for v in result.variables], text)
            return Solutions(list(result.variables), list(result))

        try:
            with self._reading():
                return self._first(with_prefixes(text), read)
        except TruncatedAnswer as cut:
            if query_is_ordered(with_prefixes(text)):
                raise
            return self._paged(with_prefixes(text), cut)

    def _graph_answer(self, text: str) -> list[Any]:
        """The triples (pyoxigraph) a CONSTRUCT query answers, read whole."""

        def triples(result: Any) -> list[Any]:
            if not is_graph(result):
                raise InputError(f"{self.url}: the endpoint did not answer a CONSTRUCT query with RDF")
            return list(result)

        with self._reading():
            return self._first(with_prefixes(text), triples)

    def write_ntriples(self, text: str, path: Path) -> None:
        """The triples of the default graph as N-Triples into the file ``path`` (``text`` must be
        ``CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }``): streamed from the response through
        pyoxigraph's parser and writer, so memory stays flat; read again in pages if the server
        cut it (:meth:`_all_triples`)."""
        import pyoxigraph as ox

        if " ".join(text.split()) != "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }":
            raise UsageError(f"write_ntriples writes the default graph's triples only, not {text!r}")
        written = [0]

        def counted(triples: Iterable[Any]) -> Iterator[Any]:
            for t in triples:
                written[0] += 1
                yield t

        def write(result: Any) -> None:
            if not is_graph(result):
                raise InputError(f"{self.url}: the endpoint did not answer a CONSTRUCT query with RDF")
            with path.open("wb") as fh:
                ox.serialize(counted(result), fh, format=ox.RdfFormat.N_TRIPLES)

        check_run_text(with_prefixes(text), "query", self.named_graphs)
        with self._reading(files_too=True):  # (a file that cannot be written: the caller names its folder)
            self._first(with_prefixes(text), write)
        if written[0] < self._count("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"):
            with self._reading(files_too=True), path.open("wb") as fh:
                for page in self._all_triples("?s ?p ?o", first=[None] * written[0]):
                    ox.serialize(page, fh, format=ox.RdfFormat.N_TRIPLES)

    def write_merge(self, path: Path) -> Path:
        """The default graph (the merge) as the answer to a CONSTRUCT, into the file ``path``."""
        self.write_ntriples("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", path)
        return path

    def graph_ntriples(self, graph: Node) -> bytes:
        """The triples of one named graph as N-Triples, in pyoxigraph's spelling (the answer to
        a CONSTRUCT, parsed and written again: whatever the server's own spelling), all of them."""
        import pyoxigraph as ox


        try:
            where = f"GRAPH {nt_iri(str(graph))} {{ ?s ?p ?o }}"
        except UnsafeTerm as exc:
            raise InputError(f"{self.url}: cannot ask for the graph {str(graph)[:80]!r}: {exc}") from exc
        pages = self._all_triples(where)
        return b"".join(ox.serialize(page, format=ox.RdfFormat.N_TRIPLES) or b"" for page in pages)

    def _select(self, text: str, paged: bool = False) -> Iterator[Any]:
        with self._reading():
            yield from self._rows(text, paged)

    def quads(
        self, s: Node | None = None, p: Node | None = None, o: Node | None = None
    ) -> Iterator[Quad]:
        """The quads of kg's named graphs (all of them: paged if the server cuts the answer)."""
        bound = {name: t for name, t in (("s", s), ("p", p), ("o", o)) if t is not None}
        try:
            values = "".join(f"VALUES ?{n} {{ {nt_term(t)} }} " for n, t in bound.items())
        except UnsafeTerm as exc:
            raise InputError(f"{self.url}: cannot ask for the quads of that term: {exc}") from exc
        text = f"SELECT ?s ?p ?o ?g WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }} }}"
        for row in self._select_all(text, "?g ?s ?p ?o"):
            quad = (to_rdflib(row["s"]), to_rdflib(row["p"]), to_rdflib(row["o"]), to_rdflib(row["g"]))
            if None in quad:
                raise InputError(f"{self.url}: the endpoint answered a quad with an unbound term")
            yield quad  # type: ignore[misc]

    def named_graphs(self) -> list[Node]:
        rows = self._select_all("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "?g")
        return sorted((g for g in (to_rdflib(r["g"]) for r in rows) if g is not None), key=str)

    def count(self) -> int:
        return self._count("GRAPH ?g { ?s ?p ?o }")

    def distinct_triples(self) -> int:
        """Without kg's manifest the default graph is the server's view of several graphs, which
        may repeat a triple stated in two of them (Oxigraph does): counted DISTINCT then."""
        if self.own_graphs().source == "manifest":
            return super().distinct_triples()
        return self._count("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
