"""GraphML, GEXF and a Neo4j / pandas nodes-edges CSV pair: the RDF graph as a network.

Which triples become what (docs/export.md says the same for users):

- **Nodes**: every IRI or blank node that is the subject of a triple, or the object of a triple
  other than ``rdf:type``. Measurements, memberships and awards stay nodes of their own (their
  figures become their attributes), so nothing is folded away or guessed.
- **Edges**: every triple whose object is an IRI or blank node, except ``rdf:type``; the edge
  is typed by its predicate (``type`` = the local name, ``predicate`` = the prefixed name) and
  says in which named graphs it is stated (``graphs``).
- **Node attributes**: ``iri``; ``label`` (:func:`kg.rdf.labels.label_of`); ``class`` (the local
  name of its most specific ``kg:`` class); ``classes`` (every ``rdf:type``, prefixed,
  space-separated); ``graphs`` (the named graphs that mention it); and one attribute per
  literal-valued predicate, named ``prefix_local`` (``kg_value``, ``skos_altLabel``), several
  values sorted and joined with `` | ``. An attribute is a number when every value it has is a
  single literal of a numeric XSD type (``kg_value``, ``kg_yoyChange``), else text. Language
  tags and datatypes are not kept here: the RDF formats keep them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg import __version__
from kg.errors import InputError
from kg.rdf.terms import ExportData, split_prefixed, term_key
from kg.rdf.labels import classes_of, label_of

if TYPE_CHECKING:
    import networkx as nx

#: Fixed node attributes, in column order (literal-valued predicates follow, sorted).
NODE_FIELDS = ("label", "class", "classes", "graphs")
#: Separator between several values of one attribute.
JOIN = " | "
_NUMERIC = {XSD[t] for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte",
)}


@dataclass
class NetNode:
    id: str
    labels: tuple[str, ...]
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class NetEdge:
    source: str
    target: str
    type: str
    predicate: str
    graphs: str


@dataclass
class Network:
    """Nodes sorted by id, edges by (source, predicate, target); ``keys`` are the literal
    attribute names, sorted; ``numeric`` those whose values are numbers."""

    nodes: list[NetNode]
    edges: list[NetEdge]
    keys: list[str]
    numeric: set[str]


def _name(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _short(term: Node) -> str:
    if isinstance(term, URIRef):
        split = split_prefixed(str(term))
        if split is not None and split[1]:
            return f"{split[0]}:{split[1]}"
    return _name(term)


def _local(iri: Node) -> str:
    text = str(iri).rstrip("/#")
    local = re.split(r"[/#:]", text)[-1] if text else ""
    return re.sub(r"\W", "_", local) or "resource"


def _attr_key(p: Node) -> str:
    split = split_prefixed(str(p))
    if split is not None and split[1]:
        return re.sub(r"\W", "_", f"{split[0]}_{split[1]}")
    return "ns_" + _local(p)


def project(data: ExportData, schema: Graph | None = None) -> Network:
    """The network of ``data``; ``schema`` (the ontology) only lends labels and the class
    hierarchy for ``class``, it adds no nodes."""
    lookup = Graph()
    for t in data.merged:
        lookup.add(t)
    if schema is not None:
        for t in schema:
            lookup.add(t)
    graphs_of: dict[Node, set[str]] = {}
    triple_graphs: dict[tuple[Node, Node, Node], set[str]] = {}
    for s, p, o, g in data.quads:
        if g is None:
            continue
        gname = _short(g)
        triple_graphs.setdefault((s, p, o), set()).add(gname)
        for t in (s, o):
            if not isinstance(t, Literal):
                graphs_of.setdefault(t, set()).add(gname)

    nodes: dict[Node, NetNode] = {}
    literals: dict[Node, dict[str, list[Literal]]] = {}
    edges: list[NetEdge] = []
    for s, p, o in data.merged:
        for t in (s,) if (p == RDF.type or isinstance(o, Literal)) else (s, o):
            nodes.setdefault(t, NetNode(_name(t), ()))
        if isinstance(o, Literal):
            literals.setdefault(s, {}).setdefault(_attr_key(p), []).append(o)
        elif p != RDF.type:
            graphs = " ".join(sorted(triple_graphs.get((s, p, o), ())))
            edges.append(NetEdge(_name(s), _name(o), _local(p), _short(p), graphs))

    numeric = _numeric_keys(literals)
    keys: set[str] = set()
    for term, node in nodes.items():
        types = sorted((o for o in lookup.objects(term, RDF.type) if not isinstance(o, Literal)), key=term_key)  # type: ignore[arg-type]
        kg_classes = classes_of(lookup, term)
        names = [_local(c) for c in kg_classes] or [_local(c) for c in types]
        node.labels = tuple(sorted(set(names))) or ("Resource",)
        node.attrs = {
            "label": label_of(lookup, term),
            "class": _local(kg_classes[0]) if kg_classes else (_local(types[0]) if types else ""),
            "classes": " ".join(_short(c) for c in types),
            "graphs": " ".join(sorted(graphs_of.get(term, ()))),
        }
        for key, values in sorted(literals.get(term, {}).items()):
            keys.add(key)
            values.sort(key=term_key)
            node.attrs[key] = JOIN.join(map(str, values))
    ordered = sorted(nodes.values(), key=lambda n: (n.id.startswith("_:"), n.id))
    edges.sort(key=lambda e: (e.source, e.predicate, e.target))
    return Network(ordered, edges, sorted(keys), numeric)


def _numeric_keys(literals: Mapping[Node, Mapping[str, list[Literal]]]) -> set[str]:
    """Keys whose every value is one numeric literal per node that reads as a float."""
    ok: dict[str, bool] = {}
    for per_node in literals.values():
        for key, values in per_node.items():
            good = len(values) == 1 and values[0].datatype in _NUMERIC and _is_float(str(values[0]))
            ok[key] = ok.get(key, True) and good
    return {k for k, v in ok.items() if v}


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_networkx(net: Network) -> nx.MultiDiGraph:
    """A MultiDiGraph with the nodes and edges in order (edge keys ``e0``, ``e1``...)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for node in net.nodes:
        attrs = {k: float(v) if k in net.numeric else v for k, v in node.attrs.items()}
        g.add_node(node.id, iri=node.id, **attrs)
    for i, e in enumerate(net.edges):
        g.add_edge(e.source, e.target, key=f"e{i}", label=e.type, predicate=e.predicate, graphs=e.graphs)
    return g


#: What XML 1.0 cannot carry, not even as a character reference: most C0 controls, lone
#: surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def refuse_what_xml_cannot_carry(net: Network, fmt: str) -> None:
    """An InputError for the first node or edge value that XML 1.0 cannot hold (GraphML and
    GEXF are XML 1.0): refused, not dropped or replaced, so that no value changes unseen."""
    for node in net.nodes:
        for key, value in [("iri", node.id), *node.attrs.items()]:
            found = _NOT_XML.search(value)
            if found:
                raise InputError(
                    f"{fmt} cannot carry U+{ord(found.group()):04X} (a control character, which XML 1.0 forbids "
                    f"even escaped) in the {key} of {node.id}; export an RDF format (they escape it) or remove it from the data"
                )
    for edge in net.edges:
        for key in ("source", "target", "type", "predicate", "graphs"):
            found = _NOT_XML.search(getattr(edge, key))
            if found:
                raise InputError(
                    f"{fmt} cannot carry U+{ord(found.group()):04X} (XML 1.0 forbids it even escaped) in the edge "
                    f"{edge.source} {edge.predicate} {edge.target}; export an RDF format or remove it from the data"
                )


def write_graphml(data: ExportData, out: IO[bytes], schema: Graph | None = None) -> None:
    """GraphML (yEd, Cytoscape, Gephi, networkx, igraph)."""
    import networkx as nx

    net = project(data, schema)
    refuse_what_xml_cannot_carry(net, "GraphML")
    nx.write_graphml(to_networkx(net), out, encoding="utf-8", prettyprint=True)


def write_gexf(data: ExportData, out: IO[bytes], schema: Graph | None = None) -> None:
    """GEXF 1.2 (Gephi). The file carries no date, so the same graph gives the same bytes."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"kg {__version__}"
    net = project(data, schema)
    refuse_what_xml_cannot_carry(net, "GEXF")
    writer.add_graph(to_networkx(net))
    _drop_edge_key_attribute(writer.xml)
    writer.write(out)


def _drop_edge_key_attribute(root) -> None:  # type: ignore[no-untyped-def]
    """networkx copies each multigraph edge key into a ``networkx_key`` attribute; the edge's
    ``id`` already is that key, so the attribute only clutters Gephi's data table."""
    for attributes in root.iter("attributes"):
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                attributes.remove(attribute)
                key_id = attribute.get("id")
                for attvalues in root.iter("attvalues"):
                    for value in list(attvalues):
                        if value.get("for") == key_id:
                            attvalues.remove(value)


#: The two files of the CSV export, written into the --output directory.
CSV_FILES = ("nodes.csv", "edges.csv")


def write_csv(data: ExportData, outs: Mapping[str, IO[bytes]], schema: Graph | None = None) -> None:
    """nodes.csv and edges.csv with Neo4j bulk-import headers (``iri:ID``, ``:LABEL``,
    ``:START_ID``, ``:END_ID``, ``:TYPE``); numbers keep their lexical form."""
    net = project(data, schema)
    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(["iri:ID", ":LABEL", *NODE_FIELDS, *(k + (":double" if k in net.numeric else "") for k in net.keys)])
    for n in net.nodes:
        row = [n.id, ";".join(n.labels), *(n.attrs[f] for f in NODE_FIELDS)]
        row += [n.attrs.get(k, "") for k in net.keys]
        w.writerow(row)
    edges = io.StringIO()
    w = csv.writer(edges, lineterminator="\n")
    w.writerow([":START_ID", ":END_ID", ":TYPE", "predicate", "graphs"])
    for e in net.edges:
        w.writerow([e.source, e.target, e.type, e.predicate, e.graphs])
    outs["nodes.csv"].write(nodes.getvalue().encode("utf-8"))
    outs["edges.csv"].write(edges.getvalue().encode("utf-8"))

