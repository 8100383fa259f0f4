"""JSON-LD that reads like plain JSON: a compact ``@context`` of the project's prefixes.

The document is ``{"@context": {...}, "@graph": [...]}``: one object per subject of the default
graph, and one object per named graph (``{"@id": "graph:...", "@graph": [...]}``). Keys are
prefixed names (``"kg:locatedIn"``), IRIs are ``{"@id": "place:baotou"}``, a plain string is a
JSON string, and every other literal is ``{"@value": ..., "@language" or "@type": ...}`` with
its lexical form as a string (never a JSON number, which would lose "1.50" or "01"). The
context is inline: reading the file never fetches anything.
"""

from __future__ import annotations

import json
from typing import IO, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.rdf.terms import ExportData, ExportError, Triple, split_prefixed, term_key
from kg.namespaces import PREFIXES

Json = dict[str, Any]


class _Compactor:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        """``prefix:local`` in the context's terms, else the IRI itself."""
        split = split_prefixed(iri)
        if split is not None and split[1] and not split[1].startswith("//"):
            self.used.add(split[0])
            return f"{split[0]}:{split[1]}"
        scheme = iri.split(":", 1)[0]
        if scheme in PREFIXES or ":" not in iri:
            raise ExportError(f"JSON-LD cannot write the IRI <{iri}>: it would read as a prefixed name or a relative IRI")
        return iri

    def ref(self, t: Node) -> str:
        return f"_:{t}" if isinstance(t, BNode) else self.iri(str(t))

    def value(self, o: Node) -> Json | str:
        if isinstance(o, (URIRef, BNode)):
            return {"@id": self.ref(o)}
        assert isinstance(o, Literal)
        if o.language:
            return {"@value": str(o), "@language": o.language}
        if o.datatype is not None:
            return {"@value": str(o), "@type": self.iri(str(o.datatype))}
        return str(o)


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _node_objects(triples: list[Triple], c: _Compactor) -> dict[Node, Json]:
    """Subject -> its node object (triples arrive sorted, so keys and values come out sorted)."""
    by_subject: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    nodes: dict[Node, Json] = {}
    for s, po in by_subject.items():
        node: Json = {"@id": c.ref(s)}
        types = [o for o in po.get(RDF.type, []) if not isinstance(o, Literal)]
        if types:
            node["@type"] = _one_or_many([c.ref(t) for t in types])
        for p in sorted(po, key=term_key):
            objs = [o for o in po[p] if not (p == RDF.type and not isinstance(o, Literal))]
            if objs:
                node[c.iri(str(p))] = _one_or_many([c.value(o) for o in objs])
        nodes[s] = node
    return nodes


def write_jsonld(data: ExportData, out: IO[bytes]) -> None:
    """Every graph as one JSON-LD document with an inline, compact @context."""
    c = _Compactor()
    top = _node_objects(data.graphs.get(None, []), c)
    for name, triples in data.graphs.items():
        if name is None:
            continue
        holder = top.setdefault(name, {"@id": c.ref(name)})
        holder["@graph"] = list(_node_objects(triples, c).values())
    doc = {
        "@context": {p: PREFIXES[p] for p in sorted(c.used)},
        "@graph": [top[k] for k in sorted(top, key=term_key)],
    }
    out.write((json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
