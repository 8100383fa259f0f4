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
  names it); ``rdf:type``, ``owl:sameAs``, the label properties and the ontology's
  datatype and annotation properties never are. Self-loops are dropped.
- **N-ary nodes are collapsed** (``COLLAPSE``): a ``kg:Membership`` becomes a person ->
  organisation edge (``org:memberOf``); a ``kg:Award`` a recipient -> conferrer edge
  (``kg:conferredBy``) and, with concepts, a recipient -> designation edge; a
  ``kg:Measurement`` with ``kg:relativeTo`` an entity becomes an about -> relativeTo edge
  (a distance or travel time between two places). Other measurements are left out: they link
  one entity to figures and concepts, not two entities to each other.
- Entities without any edge in the projection are left out (counted in ``isolated``).
- Options restrict the predicates (after collapsing) and the classes of nodes, and choose a
  directed or an undirected graph.

**Sources and scale.** The projection reads its input through a small interface
(:class:`kg.backends.edges.Source`): an rdflib graph in memory, or a pyoxigraph store / SPARQL
endpoint answering a fixed set of queries (one per class and per predicate, never one per
node). Instances of each class, then the links of each predicate are read once; node IRIs are
numbered in sorted order and the edges are kept as integer arrays (numpy), so a projection of a
million entities fits in a few hundred megabytes. The networkx graph is built on demand
(:attr:`Projection.graph`); the igraph engine never needs it. Labels are fetched only for the
nodes a report shows (:meth:`Projection.labels_of`).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.errors import UsageError
from kg.namespaces import KG, PREFIXES, W3ORG
from kg.network.arrays import assemble
from kg.rdf.labels import label_of
from kg.backends.edges import LABEL_PROPERTIES
from kg.backends.edges import as_source

if TYPE_CHECKING:
    from kg.backends.edges import Source

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
    KG.DerivedGraph,
    KG.Measurement,
    KG.Membership,
    KG.Award,
    OWL.Class,
    OWL.Ontology,
)
#: Predicates that never make an edge.
NEVER_EDGES: frozenset[URIRef] = frozenset({RDF.type, OWL.sameAs, KG.within})  # (within: derived, kg.rdf.containment)


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
    """The projected graph: node ``i`` is ``names[i]`` (its IRI; sorted), edge ``e`` links
    ``heads[e]`` to ``tails[e]`` (numpy int64 arrays; ``heads[e] < tails[e]`` when undirected),
    sorted. ``graph`` is the same as a networkx graph (nodes are URIRefs with a ``kind``
    attribute; edges carry the sorted tuple of their ``predicates``)."""

    names: list[str]
    kinds: list[str]
    classes: list[str]
    heads: Any
    tails: Any
    directed: bool
    isolated: int = 0
    predicates: list[tuple[str, int]] = field(default_factory=list)
    #: The predicates of each edge: (edge index array, predicate index array, predicate names).
    edge_predicates: tuple[Any, Any, list[str]] | None = field(default=None, repr=False)
    source: Source | None = field(default=None, repr=False)
    _labels: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def nodes(self) -> int:
        return len(self.names)

    @cached_property
    def iris(self) -> list[URIRef]:
        """The nodes as URIRefs (made on first use: a million take a second)."""
        return [URIRef(n) for n in self.names]

    @property
    def edges(self) -> int:
        return len(self.heads)

    @cached_property
    def graph(self) -> Any:
        """The projection as a networkx Graph or DiGraph (built once, on first use)."""
        import networkx as nx

        g: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        g.add_nodes_from((n, {"kind": k}) for n, k in zip(self.iris, self.kinds))
        names: list[list[str]] = [[] for _ in range(self.edges)]
        if self.edge_predicates is not None:
            rows, pids, qnames = self.edge_predicates
            for e, pid in zip(rows.tolist(), pids.tolist()):
                names[e].append(qnames[pid])
        iris = self.iris
        g.add_edges_from(
            (iris[a], iris[b], {"predicates": tuple(sorted(ns))})
            for a, b, ns in zip(self.heads.tolist(), self.tails.tolist(), names)
        )
        return g

    def labels_of(self, indices: Iterable[int]) -> list[str]:
        """Labels of the nodes ``indices`` (as :func:`kg.rdf.labels.label_of` gives them), fetched
        from the source on first use and kept."""
        wanted = list(indices)
        missing = sorted({i for i in wanted if i not in self._labels})
        if missing:
            found = self.source.labels([self.names[i] for i in missing]) if self.source else {}
            for i in missing:
                self._labels[i] = found.get(self.names[i]) or _local_name(self.names[i])
        return [self._labels[i] for i in wanted]


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


def _local_name(text: str) -> str:
    """The IRI's last segment: what :func:`kg.rdf.labels.label_of` shows for an unlabelled node."""
    for sep in ("#", "/"):
        if sep in text.rstrip(sep):
            return text.rstrip(sep).rsplit(sep, 1)[1]
    return text


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


def _check_terms(
    asked: tuple[URIRef, ...], available: set[URIRef], option: str, problem: str
) -> None:
    for term in asked:
        if term not in available:
            listing = ", ".join(sorted(qname(t) for t in available)) or "none"
            raise UsageError(f"{option} {qname(term)}: {problem}; choose from: {listing}")


@dataclass
class Plan:
    """Which classes make nodes, which exclude them, and what to show for a set of types."""

    hierarchy: Graph
    allowed: set[str]
    never: set[str]
    kind_sets: list[tuple[set[str], str]]
    _shown: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)

    def relevant(self, cls: str) -> bool:
        return cls in self.allowed or cls in self.never or cls.startswith(str(KG))

    def shown(self, types: tuple[str, ...]) -> tuple[str, str]:
        """(kind, class label) of a node with these types (cached per set of types)."""
        found = self._shown.get(types)
        if found is None:
            kind = next((label for classes, label in self.kind_sets if classes.intersection(types)), "Other")
            found = self._shown[types] = (kind, self._class_label(types))
        return found

    def _class_label(self, types: tuple[str, ...]) -> str:
        """As :func:`kg.rdf.labels.class_label`: the label of the first most specific kg: class."""

        own = sorted(c for c in types if c.startswith(str(KG)))
        if not own:
            return ""
        supers = {str(s) for c in own for s in self.hierarchy.transitive_objects(URIRef(c), RDFS.subClassOf) if str(s) != c}
        specific = [c for c in own if c not in supers] or own
        return label_of(self.hierarchy, URIRef(specific[0]))


def literal_properties(hierarchy: Graph) -> set[str]:
    """Predicates whose values are literals by declaration: the label properties and the
    ontology's datatype and annotation properties. They never make edges, so a store is not
    asked for their (millions of) values."""

    declared = {str(p) for kind in (OWL.DatatypeProperty, OWL.AnnotationProperty) for p in hierarchy.subjects(RDF.type, kind)}
    return declared | set(LABEL_PROPERTIES)


def make_plan(hierarchy: Graph, options: ProjectionOptions) -> Plan:
    universe = _descendants(hierarchy, ENTITY_ROOTS)
    if options.concepts:
        universe |= _descendants(hierarchy, CONCEPT_ROOTS)
    allowed = universe
    if options.classes:
        _check_terms(options.classes, universe, "--class", "not a class of nodes (see docs/centrality.md)")
        allowed = _descendants(hierarchy, options.classes) & universe
    never = _descendants(hierarchy, NEVER_NODES) | set(NEVER_NODES)
    kind_sets = [({str(c) for c in _descendants(hierarchy, [cls]) | {cls}}, label) for cls, label in KINDS]
    return Plan(hierarchy, {str(c) for c in allowed}, {str(c) for c in never}, kind_sets)


def project(graph: Graph | Source, options: ProjectionOptions | None = None) -> Projection:
    """Project ``graph`` (a Graph or a Dataset with a union default graph, or a
    :class:`kg.backends.edges.Source` over a store or an endpoint) onto entities."""

    options = options or ProjectionOptions()
    source = as_source(graph)
    plan = make_plan(source.hierarchy(), options)

    types: dict[str, list[str]] = {}
    present = set(source.classes())
    for cls, members in source.instances(sorted(present & plan.allowed)):  # the candidates
        for s in members:
            types.setdefault(s, []).append(cls)
    for cls, members in source.instances(sorted(c for c in present - plan.allowed if plan.relevant(c))):
        for s in members:  # more types of the candidates: excluded kinds, kg: classes to show
            found = types.get(s)
            if found is not None:
                found.append(cls)
    nodes = sorted(s for s, ts in types.items() if plan.never.isdisjoint(ts))
    index = {s: i for i, s in enumerate(nodes)}

    heads, tails, pids = array("q"), array("q"), array("q")
    predicate_ids: dict[str, int] = {}

    def add(links: Iterable[tuple[str, str]], predicate: str) -> None:
        """Keep the links between two different nodes; the lookups run in C (``map``) and the
        filter in numpy: a Python loop over 3 million links took 2 to 3 s."""
        import numpy as np

        pid = predicate_ids.setdefault(predicate, len(predicate_ids))
        pairs = list(links)
        if not pairs:
            return
        subjects, objects = zip(*pairs)
        a = np.fromiter(map(index.get, subjects, repeat(-1)), dtype=np.int64, count=len(pairs))
        b = np.fromiter(map(index.get, objects, repeat(-1)), dtype=np.int64, count=len(pairs))
        keep = (a >= 0) & (b >= 0) & (a != b)
        heads.frombytes(a[keep].tobytes())
        tails.frombytes(b[keep].tobytes())
        pids.frombytes(np.full(int(keep.sum()), pid, dtype=np.int64).tobytes())

    skip = {str(p) for p in NEVER_EDGES} | literal_properties(plan.hierarchy)
    # asked first: a store starts them at once, beside the links (read in this order after them)
    collapsed = [(source.collapsed(str(r.node_class), str(r.source_predicate), str(r.target_predicate)), str(r.edge)) for r in COLLAPSE]
    for predicate, links in source.links(sorted(set(source.predicates()) - skip), index):
        add(links, predicate)
    for links, edge in collapsed:
        add(links, edge)

    def choose(used: set[URIRef]) -> set[URIRef]:
        _check_terms(options.predicates, used, "--predicate", "no edge of the projection uses it")
        _check_terms(options.exclude_predicates, used, "--exclude-predicate", "no edge of the projection uses it")
        return (set(options.predicates) or used) - set(options.exclude_predicates)

    edges = assemble(len(nodes), heads, tails, pids, predicate_ids, choose, options.directed)
    qnames = [qname(n) for n in edges.names]
    counts: Counter[str] = Counter()
    for i, n in edges.counts:
        counts[qnames[i]] += n
    kept = [nodes[i] for i in edges.kept]
    shown = [plan.shown(tuple(types[n])) for n in kept]
    return Projection(
        names=kept,
        kinds=[k for k, _ in shown],
        classes=[c for _, c in shown],
        heads=edges.heads,
        tails=edges.tails,
        directed=options.directed,
        isolated=len(nodes) - len(kept),
        predicates=sorted(counts.items()),
        edge_predicates=(edges.edge_of_row, edges.pids, qnames),
        source=source,
    )
