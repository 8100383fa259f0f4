"""Names of things: the label and class to show for an IRI, and finding an entity by any name.

Shared by every command that shows entities to a person (query tables, validation reports,
centrality tables, entity cards) or takes a name from one (query parameters, ``kg describe``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.graph import Graph
from rdflib.term import Node

from kg.errors import UsageError
from kg.namespaces import KG
from kg.rdf.fits import EXACT, best_fits, keep_best, name_fit, normalize_name
from kg.namespaces import bind_prefixes
from kg.namespaces import PREFIXES

#: Label properties, most preferred first (label_of reads the first a node has).
LABEL_PROPS = (SKOS.prefLabel, RDFS.label, SKOS.altLabel)


def best_label(candidates: Iterable[tuple[str, str, str]], lang: str = "en") -> str | None:
    """Of (property IRI, value, language) candidates, the one :func:`label_of` shows: the first
    label property that has a value, in ``lang`` if it has one there, then the smallest."""
    order = [str(p) for p in LABEL_PROPS]
    ranked = [(order.index(p), lg != lang, v) for p, v, lg in candidates if p in order]
    return min(ranked)[2] if ranked else None


def label_of(graph: Graph, node: object, lang: str = "en") -> str:
    """The best label of ``node``: skos:prefLabel, then rdfs:label, then skos:altLabel, in
    ``lang`` first; the IRI's last segment when it has none. Deterministic."""
    if isinstance(node, Literal):
        return str(node)
    chosen = getattr(graph, "chosen", None)
    if chosen is not None and lang == "en" and node in chosen:
        return chosen[node]  # type: ignore[no-any-return]
    for prop in LABEL_PROPS:
        values = sorted((o for o in graph.objects(node, prop) if isinstance(o, Literal)), key=str)  # type: ignore[arg-type]
        if not values:
            continue
        preferred = [v for v in values if v.language == lang]
        return str((preferred or values)[0])
    text = str(node)
    for sep in ("#", "/"):
        if sep in text.rstrip(sep):
            return text.rstrip(sep).rsplit(sep, 1)[1]
    return text


def classes_of(graph: Graph, node: object) -> list[URIRef]:
    """The node's asserted classes in the project's ontology namespace, sorted (most specific
    first when one is a subclass of another in ``graph``)."""
    own = sorted(c for c in graph.objects(node, RDF.type) if isinstance(c, URIRef) and str(c).startswith(str(KG)))  # type: ignore[arg-type]
    supers = {s for c in own for s in graph.transitive_objects(c, RDFS.subClassOf) if s != c}
    specific = [c for c in own if c not in supers]
    return specific + [c for c in own if c in supers]


def class_label(graph: Graph, node: object) -> str:
    """Label of the node's most specific kg: class, or '' when it has none."""
    classes = classes_of(graph, node)
    return label_of(graph, classes[0]) if classes else ""


@dataclass(frozen=True)
class Candidate:
    iri: URIRef
    label: str
    classes: tuple[str, ...]




def name_fits(graph: Graph, name: str) -> dict[URIRef, int]:
    """Every subject with a label (pref, alt or rdfs, any language) that fits ``name`` (case,
    width and spacing ignored), with its best fit (:func:`name_fit`)."""
    wanted = normalize_name(name)
    fits: dict[URIRef, int] = {}
    for prop in LABEL_PROPS:
        for s, o in graph.subject_objects(prop):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                keep_best(fits, s, name_fit(normalize_name(str(o)), wanted))
    return fits


def find_by_name(graph: Graph, name: str) -> list[Candidate]:
    """Every subject with a label (pref, alt or rdfs, any language) equal to ``name``, ignoring
    case, width and spacing; if none, the divisions whose name without its suffix is ``name``
    (包头市 for 包头); if none, those whose label contains it. Sorted by IRI."""
    return [
        Candidate(iri, label_of(graph, iri), tuple(label_of(graph, c) for c in classes_of(graph, iri)))
        for iri in best_fits(name_fits(graph, name))
    ]


def also_named(fits: dict[URIRef, int], chosen: URIRef) -> list[URIRef]:
    """The other entities whose names fit (``fits``: :meth:`kg.backends.base.Backend.name_fits`)
    when ``chosen`` was found by less than its whole name (a division's short name, or part of a
    name); [] when the name was exact."""
    if fits.get(chosen, EXACT) == EXACT:
        return []
    return sorted(iri for iri in fits if iri != chosen)


def resolve(graph: Graph, name_or_iri: str) -> URIRef:
    """The one entity named ``name_or_iri``: an IRI (full, or prefixed with a project prefix)
    that the graph uses (as subject or object: data files name measures and units they do not
    describe), or a label. Unknown or ambiguous names are a UsageError (exit 2) that
    lists the candidates."""
    text = name_or_iri.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if ":" in text and " " not in text:
        iri: URIRef | None = None
        if "://" in text:
            iri = URIRef(text)
        else:
            prefix, _, local = text.partition(":")
            ns = dict(graph.namespaces()).get(prefix)
            if ns is not None:
                iri = URIRef(str(ns) + local)
        if iri is not None and ((iri, None, None) in graph or (None, None, iri) in graph):
            return iri
        if iri is not None and "://" in text:
            raise UsageError(f"no entity with the IRI <{iri}> in the graph")
    candidates = find_by_name(graph, text)
    if not candidates:
        raise UsageError(f"no entity is named {name_or_iri!r} (try part of the name, or the IRI)")
    if len(candidates) > 1:
        listing = "; ".join(f"{c.label} <{c.iri}>" for c in candidates[:10])
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        raise UsageError(f"{name_or_iri!r} is ambiguous: {len(candidates)} candidates: {listing}{more}")
    return candidates[0].iri


# --- the same, on a store or an endpoint: labels looked up with SPARQL ---------------------

#: Any character outside printable ASCII (and tab, line ends), as an XPath regex class.
_NOT_ASCII = "[^ -~\\t\\n\\r]"


def _ascii_any_case(word: str) -> str:
    """An XPath regex that finds ``word`` in a label made only of ASCII, in any case: what
    ``CONTAINS(LCASE(?label), word)`` finds there (letters as ``[aA]``, other characters escaped;
    a non-ASCII character of the word is kept as is and matches no ASCII label)."""
    parts = []
    for ch in word:
        if ch.isascii() and ch.isalpha():
            parts.append(f"[{ch.lower()}{ch.upper()}]")
        elif ch in "\\.*+?()[]{}|^$-":
            parts.append("\\" + ch)
        else:
            parts.append(ch)
    return "".join(parts)


def find_by_name_via_query(backend: Any, name: str) -> list[URIRef]:
    """What :func:`find_by_name` finds, through any backend's ``rows`` (SPARQL), as sorted IRIs.

    SPARQL cannot fold case and width as :func:`normalize_name` does, so it only narrows the
    labels down (those made of ASCII that hold the longest word of the name in any case, and
    every label with a character outside ASCII), and the exact comparison is made here. One
    regular expression does both tests in one pass over the labels, and each label property is
    its own pattern (a UNION), which Oxigraph scans faster than a property path."""
    return best_fits(fits_via_query(backend, name))


def fits_via_query(backend: Any, name: str) -> dict[URIRef, int]:
    """:func:`name_fits` on a backend (see :func:`find_by_name_via_query`)."""
    wanted = normalize_name(name)
    word = max(wanted.split(), key=len, default="")
    pattern = f"{_ascii_any_case(word)}|{_NOT_ASCII}" if word else "^"
    text = f"""SELECT ?s ?label WHERE {{
      {{ ?s skos:prefLabel ?label }} UNION {{ ?s rdfs:label ?label }} UNION {{ ?s skos:altLabel ?label }}
      FILTER(isLiteral(?label) && REGEX(STR(?label), {Literal(pattern).n3()}))
    }}"""
    fits: dict[URIRef, int] = {}
    for s, label in backend.rows(text, source="name lookup"):
        if isinstance(s, URIRef) and isinstance(label, Literal):
            keep_best(fits, s, name_fit(normalize_name(str(label)), wanted))
    return fits


def fits_in_index(index: Path, name: str) -> dict[URIRef, int]:
    """:func:`name_fits` in a name index (lines of folded label, tab, IRI: the one ``kg load``
    keeps beside a store, :mod:`kg.backends.merge`): every line whose folded label holds the
    folded ``name`` (found with ``str.find`` over the whole file: 0.2 s for 2.3 million labels)."""
    wanted = normalize_name(name)
    text = index.read_text(encoding="utf-8")
    fits: dict[URIRef, int] = {}
    pos = 0
    while pos < len(text) and (hit := text.find(wanted, pos)) >= 0:
        start = text.rfind("\n", 0, hit) + 1
        end = text.find("\n", hit)
        end = len(text) if end < 0 else end
        label, _, iri = text[start:end].partition("\t")
        keep_best(fits, URIRef(iri), name_fit(label, wanted))
        pos = end + 1
    return fits


def label_graph(backend: Any, nodes: Iterable[Node]) -> Graph:
    """A graph holding the labels of ``nodes`` as ``backend`` states them, for :func:`label_of`
    (:meth:`kg.backends.base.Backend.labels`)."""
    labels: Graph = backend.labels(nodes)
    return labels


def labels_via_query(backend: Any, nodes: Iterable[Node]) -> Graph:
    """:func:`label_graph` through any backend's ``rows`` (SPARQL, a thousand IRIs per query).

    :func:`label_of` reads the first label property a node has (``skos:prefLabel``, then
    ``rdfs:label``, then ``skos:altLabel``), so the nodes' ``skos:prefLabel`` are fetched first,
    then the ``rdfs:label`` of those without one, then the ``skos:altLabel`` of the rest: the
    graph holds exactly the labels :func:`label_of` reads. Each query binds the nodes with one
    ``VALUES`` and names its property: Oxigraph looks each node up directly (a second ``VALUES``
    for the property made it scan the whole store)."""

    graph = Graph()
    bind_prefixes(graph)
    todo = sorted({n for n in nodes if isinstance(n, URIRef)}, key=str)  # str order, compared in C
    for prop in LABEL_PROPS:
        found: set[Node] = set()
        for start in range(0, len(todo), _LABEL_CHUNK):
            values = " ".join(i.n3() for i in todo[start : start + _LABEL_CHUNK])
            text = f"SELECT ?x ?o WHERE {{ VALUES ?x {{ {values} }} ?x {prop.n3()} ?o FILTER(isLiteral(?o)) }}"
            for x, o in backend.rows(text, source="label lookup"):
                graph.add((x, prop, o))
                found.add(x)
        todo = [n for n in todo if n not in found]
        if not todo:
            break
    return graph


class ChosenLabels(Graph):
    """A label graph that also holds, in ``chosen``, the label :func:`label_of` shows (in
    English) for nodes looked up in a store's index (read first: building the graph's triples
    cost more than the lookups)."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: dict[Node, str] = {}


#: IRIs per label query (the query text stays well under the size servers accept in a POST).
_LABEL_CHUNK = 1000


def resolve_via_query(backend: Any, name_or_iri: str) -> URIRef:
    """:func:`resolve` through any backend's ``query``, ``find_by_name`` and ``labels`` (a
    store, an endpoint): the same entity, or the same UsageError, as :func:`resolve` on the
    same data in memory."""

    text = name_or_iri.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if ":" in text and " " not in text:
        iri: URIRef | None = None
        if "://" in text:
            iri = URIRef(text)
        else:
            prefix, _, local = text.partition(":")
            if prefix in PREFIXES:
                iri = URIRef(PREFIXES[prefix] + local)
        used = "ASK { { ?iri ?p ?o } UNION { ?s ?p ?iri } }"
        if iri is not None and backend.query(used, params={"iri": iri}, source="name lookup").boolean:
            return iri
        if iri is not None and "://" in text:
            raise UsageError(f"no entity with the IRI <{iri}> in the graph")
    hits = backend.find_by_name(text)
    if not hits:
        raise UsageError(f"no entity is named {name_or_iri!r} (try part of the name, or the IRI)")
    if len(hits) > 1:
        shown = hits[:10]
        labels = backend.labels(shown)
        listing = "; ".join(f"{label_of(labels, iri)} <{iri}>" for iri in shown)
        more = f" and {len(hits) - 10} more" if len(hits) > 10 else ""
        raise UsageError(f"{name_or_iri!r} is ambiguous: {len(hits)} candidates: {listing}{more}")
    return hits[0]
