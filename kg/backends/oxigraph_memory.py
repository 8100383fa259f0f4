"""The oxigraph-memory backend (``--backend oxigraph-memory``): the input files parsed by
pyoxigraph into its in-memory store, about five times faster than rdflib parses them
(docs/benchmarks.md), then read as any Oxigraph store is (:class:`kg.backends.oxigraph.OxigraphBackend`).

Files go into the named graphs :func:`kg.rdf.loading.load_inputs` gives them (quad formats keep
their own, a triple format's go into the file's ``file:`` graph; the project's data when no file
is named), with the checks ``kg load`` makes first (unreadable files, RDF/XML with a DTD, input
nested too deeply; JSON-LD that names a context); each triple is also put in the default graph,
which is then the merge, as on a store. Like a store, it keeps typed literals in their canonical
form, and it cannot reason (``--reasoning`` needs the memory backend).
"""

from __future__ import annotations

from typing import IO, Any, cast

import pyoxigraph as ox

from kg.backends.base import BeyondParser
from kg.backends.derived import store_containment
from kg.backends.bulk import check_sources, open_counting, ox_format, parse_error, sources
from kg.backends.oxigraph import OxigraphBackend
from kg.rdf.inputguard import check_jsonld
from kg.rdf.strict import check_rdf
from kg import paths
from kg.rdf.gazetteer import slice_for_iris


class OxigraphMemoryBackend(OxigraphBackend):
    """The input files in a pyoxigraph in-memory Store."""

    name = "oxigraph-memory"

    @classmethod
    def from_files(
        cls, inputs: list[str] | None, strict: bool = False, ontology: bool = False, derived: bool = True
    ) -> OxigraphMemoryBackend:
        store = ox.Store()
        srcs = sources(inputs, ontology)
        check_sources(srcs)
        for src in srcs:
            if src.format == "json-ld" or strict:
                text = src.path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
                if src.format == "json-ld":
                    check_jsonld(src.path, text, src.base_iri)
                if strict:

                    check_rdf(src.path, text, src.format, src.base_iri)
            graph = ox.NamedNode(src.graph) if src.graph else None
            with open_counting(src, 0, 0, None) as reader:
                try:
                    quads = list(ox.parse(input=cast(IO[bytes], reader), format=ox_format(src), base_iri=src.base_iri))
                except SyntaxError as exc:
                    raise parse_error(src, exc) from exc
                except MemoryError as exc:  # pyoxigraph's parsers stop at a value of 16 MiB
                    raise BeyondParser(
                        f"{src.path}: holds a value too large for pyoxigraph's parser ({exc}): use --backend memory"
                    ) from exc
            if graph is not None:
                quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]
            store.bulk_extend(quads)
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        if inputs is None:  # the project's own graph: with the gazetteer's slice, as in memory
            _add_gazetteer_slice(store)
        if derived:
            store_containment(store)  # the containment closure, in its derived graph (as in memory)
        return cls(store, "the input files")


def _add_gazetteer_slice(store: Any) -> None:
    """The gazetteer's nodes the data names, their ancestors and their triples
    (:mod:`kg.rdf.gazetteer`), in their reference graphs and in the merge."""
    named = {t.value for q in store.quads_for_pattern(None, None, None, None) for t in (q.subject, q.object)
             if isinstance(t, ox.NamedNode)}
    text = slice_for_iris(named, paths.gazetteer_files())
    if not text:
        return
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))
    store.bulk_extend(quads)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
