"""Names of things: the label and class to show for an IRI, and finding an entity by any name.

Shared by every command that shows entities to a person (query tables, validation reports,
centrality tables, entity cards) or takes a name from one (query parameters, ``kg describe``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.graph import Graph

from kg.errors import UsageError
from kg.namespaces import KG

_LABEL_PROPS = (SKOS.prefLabel, RDFS.label, SKOS.altLabel)


def normalize_name(text: str) -> str:
    """Fold case, width and spacing so that two spellings of a name compare equal."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def label_of(graph: Graph, node: object, lang: str = "en") -> str:
    """The best label of ``node``: skos:prefLabel, then rdfs:label, then skos:altLabel, in
    ``lang`` first; the IRI's last segment when it has none. Deterministic."""
    if isinstance(node, Literal):
        return str(node)
    for prop in _LABEL_PROPS:
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


def find_by_name(graph: Graph, name: str) -> list[Candidate]:
    """Every subject with a label (pref, alt or rdfs, any language) equal to ``name``, ignoring
    case, width and spacing; if none, those whose label contains it. Sorted by IRI."""
    wanted = normalize_name(name)
    exact: set[URIRef] = set()
    partial: set[URIRef] = set()
    for prop in _LABEL_PROPS:
        for s, o in graph.subject_objects(prop):
            if not isinstance(s, URIRef) or not isinstance(o, Literal):
                continue
            label = normalize_name(str(o))
            if label == wanted:
                exact.add(s)
            elif wanted in label:
                partial.add(s)
    hits = exact or partial
    return [
        Candidate(iri, label_of(graph, iri), tuple(label_of(graph, c) for c in classes_of(graph, iri)))
        for iri in sorted(hits)
    ]


def resolve(graph: Graph, name_or_iri: str) -> URIRef:
    """The one entity named ``name_or_iri``: an IRI (full, or prefixed with a project prefix)
    that the graph uses, or a label. Unknown or ambiguous names are a UsageError (exit 2) that
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
        if iri is not None and (iri, None, None) in graph:
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
