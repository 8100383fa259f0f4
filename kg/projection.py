"""RDF -> networkx: which resources become nodes and which links become edges.

The projection (documented in docs/centrality.md):

- **Nodes** are the entities: IRIs typed with a ``kg:`` class under one of ``ENTITY_ROOTS``
  (places and parks, organisations, clusters, people, events, projects, infrastructure), as the
  ontology's ``rdfs:subClassOf`` hierarchy says. Literals, classes, the ontology, articles,
  graphs and blank nodes are never nodes. The SKOS concepts (industries, products,
  technologies, designations; measures, statuses and roles always stay out) become nodes only
  with ``concepts=True``: shared vocabulary otherwise turns every "equipment manufacturing"
  mention into a hub and measures topic overlap rather than how the actors are linked.
- **Edges**: every triple whose subject and object are both nodes is an edge (its predicate
  names it); ``rdf:type`` and ``owl:sameAs`` never are. Self-loops are dropped.
- **N-ary nodes are collapsed** (``COLLAPSE``): a ``kg:Membership`` becomes a person ->
  organisation edge (``org:memberOf``); a ``kg:Award`` a recipient -> conferrer edge
  (``kg:conferredBy``) and, with concepts, a recipient -> designation edge; a
  ``kg:Measurement`` with ``kg:relativeTo`` an entity becomes an about -> relativeTo edge
  (a distance or travel time between two places). Other measurements are left out: they link
  one entity to figures and concepts, not two entities to each other.
- Entities without any edge in the projection are left out (counted in ``isolated``).
- Options restrict the predicates (after collapsing) and the classes of nodes, and choose a
  directed or an undirected graph.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.errors import UsageError
from kg.namespaces import KG, PREFIXES, W3ORG

if TYPE_CHECKING:
    import networkx as nx

#: Classes whose instances are nodes (with their subclasses in the ontology).
ENTITY_ROOTS: tuple[URIRef, ...] = (
    KG.Place,
    KG.Organization,
    KG.IndustrialCluster,
    KG.Person,
    KG.Event,
    KG.Project,
    KG.Infrastructure,
)
#: Concept classes whose instances are nodes only with ``concepts=True``.
CONCEPT_ROOTS: tuple[URIRef, ...] = (KG.Industry, KG.ProductType, KG.Technology, KG.Designation)
#: Never nodes, even when also typed with an entity class.
NEVER_NODES: tuple[URIRef, ...] = (
    KG.Article,
    KG.ArticleGraph,
    KG.ReferenceGraph,
    KG.Measurement,
    KG.Membership,
    KG.Award,
    OWL.Class,
    OWL.Ontology,
)
#: Predicates that never make an edge.
NEVER_EDGES: frozenset[URIRef] = frozenset({RDF.type, OWL.sameAs})


@dataclass(frozen=True)
class Collapse:
    """An n-ary node of class ``node_class`` becomes edges ``source -> target`` named
    ``edge``, for every value of ``source_predicate`` and of ``target_predicate`` that are nodes."""

    node_class: URIRef
    source_predicate: URIRef
    target_predicate: URIRef
    edge: URIRef


COLLAPSE: tuple[Collapse, ...] = (
    Collapse(KG.Membership, W3ORG.member, W3ORG.organization, W3ORG.memberOf),
    Collapse(KG.Award, KG.recipient, KG.conferredBy, KG.conferredBy),
    Collapse(KG.Award, KG.recipient, KG.designation, KG.designation),
    Collapse(KG.Measurement, KG.about, KG.relativeTo, KG.relativeTo),
)

#: Kinds of node for colours and legends: the first whose class (or a subclass) a node has.
KINDS: tuple[tuple[URIRef, str], ...] = (
    (KG.IndustrialPark, "Industrial park"),
    (KG.Place, "Place"),
    (KG.Firm, "Firm"),
    (KG.GovernmentBody, "Government body"),
    (KG.Organization, "Organisation"),
    (KG.IndustrialCluster, "Industrial cluster"),
    (KG.Person, "Person"),
    (KG.Event, "Event"),
    (KG.Project, "Project"),
    (KG.Infrastructure, "Infrastructure"),
    (KG.Industry, "Industry"),
    (KG.ProductType, "Product type"),
    (KG.Technology, "Technology"),
    (KG.Designation, "Designation"),
)


@dataclass(frozen=True)
class ProjectionOptions:
    """How to project. Empty ``predicates`` / ``classes`` mean no restriction."""

    directed: bool = False
    predicates: tuple[URIRef, ...] = ()
    exclude_predicates: tuple[URIRef, ...] = ()
    classes: tuple[URIRef, ...] = ()
    concepts: bool = False


@dataclass
class Projection:
    """The networkx graph (nodes are URIRefs with a ``kind`` attribute; edges carry the sorted
    tuple of their ``predicates``) and what was left out."""

    graph: Any  # nx.Graph | nx.DiGraph (networkx is imported lazily)
    directed: bool
    isolated: int = 0
    predicates: list[tuple[str, int]] = field(default_factory=list)

    @property
    def nodes(self) -> int:
        return int(self.graph.number_of_nodes())

    @property
    def edges(self) -> int:
        return int(self.graph.number_of_edges())


def qname(iri: object) -> str:
    """``prefix:local`` for an IRI in one of the project's namespaces, else ``<iri>``."""
    text = str(iri)
    best = ""
    best_prefix = ""
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and len(ns) > len(best):
            best, best_prefix = ns, prefix
    local = text[len(best) :]
    if best and local and all(c.isalnum() or c in "-_." for c in local):
        return f"{best_prefix}:{local}"
    return f"<{text}>"


def expand(text: str, what: str = "term") -> URIRef:
    """The IRI written as ``<iri>``, a full ``http(s)://`` IRI or ``prefix:local`` with one of
    the project's prefixes; anything else is a UsageError."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        return URIRef(t[1:-1])
    if t.startswith(("http://", "https://", "urn:")):
        return URIRef(t)
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and local:
        return URIRef(PREFIXES[prefix] + local)
    known = ", ".join(sorted(PREFIXES))
    raise UsageError(f"{what} {text!r}: not an IRI or prefix:name with a known prefix ({known})")


def _ontology_graph(graph: Graph) -> Graph:
    """The graph holding the class hierarchy: ``graph`` itself when it has the ontology, else
    the project's ontology file."""
    if (KG.Place, RDF.type, OWL.Class) in graph:
        return graph
    from kg import paths
    from kg.store import load_files

    return load_files([paths.ontology_file()])


def _descendants(hierarchy: Graph, roots: tuple[URIRef, ...] | list[URIRef]) -> set[URIRef]:
    found: set[URIRef] = set()
    for root in roots:
        for c in hierarchy.transitive_subjects(RDFS.subClassOf, root):
            if isinstance(c, URIRef):
                found.add(c)
    return found


def _kind_of(types: set[URIRef], kind_sets: list[tuple[set[URIRef], str]]) -> str:
    for classes, label in kind_sets:
        if types & classes:
            return label
    return "Other"


def _candidate_edges(graph: Graph, nodes: set[URIRef]) -> set[tuple[URIRef, URIRef, URIRef]]:
    """Every (subject, predicate, object) linking two nodes, collapsed n-ary nodes included."""
    edges: set[tuple[URIRef, URIRef, URIRef]] = set()
    for s in nodes:
        for p, o in graph.predicate_objects(s):
            if o in nodes and o != s and p not in NEVER_EDGES and isinstance(p, URIRef):
                edges.add((s, p, o))  # type: ignore[arg-type]
    for rule in COLLAPSE:
        for n in set(graph.subjects(RDF.type, rule.node_class)):
            sources = [a for a in graph.objects(n, rule.source_predicate) if a in nodes]
            targets = [b for b in graph.objects(n, rule.target_predicate) if b in nodes]
            for a in sources:
                for b in targets:
                    if a != b:
                        edges.add((a, rule.edge, b))  # type: ignore[arg-type]
    return edges


def _check_terms(
    asked: tuple[URIRef, ...], available: set[URIRef], option: str, problem: str
) -> None:
    for term in asked:
        if term not in available:
            listing = ", ".join(sorted(qname(t) for t in available)) or "none"
            raise UsageError(f"{option} {qname(term)}: {problem}; choose from: {listing}")


def project(graph: Graph, options: ProjectionOptions | None = None) -> Projection:
    """Project ``graph`` (a Graph or a Dataset with a union default graph) onto entities."""
    import networkx as nx

    options = options or ProjectionOptions()
    hierarchy = _ontology_graph(graph)
    universe = _descendants(hierarchy, ENTITY_ROOTS)
    if options.concepts:
        universe |= _descendants(hierarchy, CONCEPT_ROOTS)
    allowed = universe
    if options.classes:
        _check_terms(
            options.classes, universe, "--class", "not a class of nodes (see docs/centrality.md)"
        )
        allowed = _descendants(hierarchy, options.classes) & universe
    never = _descendants(hierarchy, NEVER_NODES) | set(NEVER_NODES)

    types: dict[URIRef, set[URIRef]] = {}
    for s, c in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(c, URIRef):
            types.setdefault(s, set()).add(c)
    nodes = {s for s, ts in types.items() if ts & allowed and not ts & never}

    candidates = _candidate_edges(graph, nodes)
    used = {p for _, p, _ in candidates}
    _check_terms(options.predicates, used, "--predicate", "no edge of the projection uses it")
    _check_terms(
        options.exclude_predicates, used, "--exclude-predicate", "no edge of the projection uses it"
    )
    keep = set(options.predicates) or used
    keep -= set(options.exclude_predicates)
    edges = sorted((s, p, o) for s, p, o in candidates if p in keep)

    g: nx.Graph = nx.DiGraph() if options.directed else nx.Graph()
    linked = sorted({s for s, _, _ in edges} | {o for _, _, o in edges})
    kind_sets = [(_descendants(hierarchy, [cls]) | {cls}, label) for cls, label in KINDS]
    for n in linked:
        g.add_node(n, kind=_kind_of(types[n], kind_sets))
    predicate_names: dict[tuple[URIRef, URIRef], set[str]] = {}
    for s, p, o in edges:
        key = (s, o) if options.directed or s <= o else (o, s)
        predicate_names.setdefault(key, set()).add(qname(p))
    for (s, o), names in sorted(predicate_names.items()):
        g.add_edge(s, o, predicates=tuple(sorted(names)))
    counts = Counter(name for names in predicate_names.values() for name in names)
    return Projection(
        graph=g,
        directed=options.directed,
        isolated=len(nodes) - len(linked),
        predicates=sorted(counts.items()),
    )
