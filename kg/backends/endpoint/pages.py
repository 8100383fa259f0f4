"""Reading the whole of an answer a server cut at its row limit (Virtuoso's ResultSetMaxRows):
again in pages of that limit, in a fixed order; and counting, to tell a CONSTRUCT that was cut
without a word. A part of :class:`kg.backends.endpoint.EndpointBackend`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kg.backends.endpoint.answers import TruncatedAnswer
from kg.backends.sparql_results import Row, Solutions
from kg.errors import InputError
from kg.rdf.sparql_text import code_only


class PagedReads:
    """The endpoint backend's reads in pages (it gives ``url``, ``_select`` and ``_graph_answer``)."""

    url: str

    def _check_graph_size(self, triples: int) -> None:
        """A CONSTRUCT or DESCRIBE answer of ``triples`` triples, which a server may have cut
        without a word (Virtuoso, at its row limit): InputError when the server answers no more
        rows than that, as a SELECT of ``triples + 1`` quads shows (``X-SPARQL-MaxRows``)."""
        probe = f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {triples + 1}"
        try:
            for _ in self._select(probe):
                pass
        except TruncatedAnswer as cut:
            if cut.limit <= triples + 1:
                raise InputError(
                    f"{self.url}: the endpoint answers at most {cut.limit} rows (X-SPARQL-MaxRows) and its answer "
                    f"holds {triples} triples: it may be cut; raise the server's limit (Virtuoso: ResultSetMaxRows "
                    "in the [SPARQL] section of virtuoso.ini)"
                ) from None
        except InputError:  # a server that answers the probe oddly says nothing of its limit
            return

    def _paged(self, text: str, cut: TruncatedAnswer) -> Solutions:
        """The whole answer to a SELECT that the server cut: the query as a sub-select, read in
        pages of the server's limit (``ORDER BY`` every column, ``LIMIT``, ``OFFSET``)."""
        import pyoxigraph as ox

        found = re.search(r"\bSELECT\b", code_only(text), re.IGNORECASE)
        if found is None or not cut.variables:
            raise cut
        prologue, select = text[: found.start()], text[found.start() :]
        order = " ".join(f"?{v}" for v in cut.variables)
        rows: list[Any] = []
        while True:
            page = f"{prologue}SELECT * WHERE {{ {{ {select}\n}} }} ORDER BY {order} LIMIT {cut.limit} OFFSET {len(rows)}"
            got = [[row[v] for v in cut.variables] for row in self._select(page, paged=True)]
            rows.extend(Row(terms, cut.names) for terms in got)
            if len(got) < cut.limit:
                return Solutions([ox.Variable(v) for v in cut.variables], rows)

    def _count(self, where: str) -> int:
        """How many solutions a group pattern has (one row: never cut)."""
        for row in self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"):
            count = row["n"]
            if count is None or not str(count.value).isdigit():
                raise InputError(f"{self.url}: the endpoint answered {getattr(count, 'value', 'nothing')!r} to a count")
            return int(count.value)
        raise InputError(f"{self.url}: the endpoint answered no row to a count, which always has one")

    def _all_triples(self, where: str, first: list[Any] | None = None) -> Iterator[list[Any]]:
        """The triples ``?s ?p ?o`` of the group pattern ``where``, all of them, in lists: a
        server may cut a CONSTRUCT answer without a word (Virtuoso: at its ResultSetMaxRows,
        with no header), so the answer (or ``first``, already read) is counted against a COUNT
        and, if short, read again in pages of that size in a fixed order."""
        expected = self._count(f"SELECT DISTINCT ?s ?p ?o WHERE {{ {where} }}")  # (a CONSTRUCT is a set)
        triples = first if first is not None else self._graph_answer(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        if len(triples) >= expected:
            yield triples
            return
        page, read = max(len(triples) - 1, 1), 0  # (Virtuoso answered its limit + 1 lines once)
        while read < expected:
            got = self._graph_answer(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {where} }} "
                f"ORDER BY ?s ?p ?o LIMIT {page} OFFSET {read} }} }}"
            )
            if not got:
                raise InputError(
                    f"{self.url}: the endpoint answered {read} of {expected} triples, read in pages of {page}"
                )
            read += len(got)
            yield got

    def _select_all(self, text: str, order: str) -> Iterator[Any]:
        """The rows of a SELECT (kg's own, no ORDER BY or LIMIT), all of them: when the server
        cuts the answer (:class:`TruncatedAnswer`), read again in pages of its limit, ordered
        by ``order``."""
        try:
            yield from self._select(text)  # (a cut answer says so before its first row)
            return
        except TruncatedAnswer as cut:
            page = cut.limit
        offset = 0
        while True:
            # (Virtuoso sends its header whenever an answer reaches the limit, LIMIT or not)
            rows = list(self._select(f"{text} ORDER BY {order} LIMIT {page} OFFSET {offset}", paged=True))
            yield from rows
            if len(rows) < page:
                return
            offset += page
