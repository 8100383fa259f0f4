"""Centrality measures on the entity projection, ranked, and as RDF.

``compute_centrality`` projects a graph (kg.network.projection), computes the measures asked for with an
engine and ranks the nodes: score descending, then label, then IRI (ties share a rank).
Engines: ``networkx`` (the reference implementation, ``measure_scores`` on a networkx graph) and
``fast`` (kg.network.fast: igraph, numpy and scipy on the projection's arrays; the same
values, much faster on large graphs); ``auto`` picks networkx for small projections and fast
from ``AUTO_NODES`` nodes or ``AUTO_EDGES`` edges on. ``scores_graph`` turns rankings into
``kg:CentralityScore`` triples.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.errors import KgError, UsageError
from kg.namespaces import ID, KG, bind_prefixes
from kg.network import fast, reference
from kg.network.projection import Projection, ProjectionOptions, project

#: Above this many nodes or edges a graph is "large": progress goes to the callback.
LARGE_NODES = 1000
LARGE_EDGES = 5000
#: ``--engine`` values; ``auto`` uses the fast engine from this many nodes or edges on (see
#: docs/benchmarks-engines.md for the measurements behind the numbers).
ENGINES = ("auto", "networkx", "fast")
AUTO_NODES = 1000
AUTO_EDGES = 5000


#: How one engine computes a measure: ``(graph, k, seed) -> scores``. The networkx engine takes
#: a networkx graph and gives a dict node -> score; the fast engine takes a
#: :class:`~kg.network.projection.Projection` and gives a numpy array in node order.
EngineFunction = Callable[[Any, "int | None", int], Any]


@dataclass(frozen=True)
class Measure:
    """A centrality measure: its name on the command line, its concept in the ontology, and one
    function per engine (``networkx``: the reference; ``fast``: kg.network.fast)."""

    name: str
    concept: URIRef
    summary: str
    networkx: EngineFunction
    fast: EngineFunction
    directed_only: bool = False
    integer: bool = False


#: The measures, one line each: to add one, write its function for each engine
#: (kg/network/reference.py and kg/network/fast.py) and register it here.
MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("degree", KG["degree-centrality"], "number of neighbours (in + out links when directed)",
                reference.degree, fast.degree, integer=True),
        Measure("in-degree", KG["in-degree-centrality"], "number of incoming links",
                reference.in_degree, fast.in_degree, directed_only=True, integer=True),
        Measure("out-degree", KG["out-degree-centrality"], "number of outgoing links",
                reference.out_degree, fast.out_degree, directed_only=True, integer=True),
        Measure("betweenness", KG["betweenness-centrality"], "share of shortest paths through the node (normalised)",
                reference.betweenness, fast.betweenness),
        Measure("closeness", KG["closeness-centrality"], "inverse mean distance (Wasserman-Faust for disconnected graphs)",
                reference.closeness, fast.closeness),
        Measure("pagerank", KG["pagerank"], "PageRank, damping 0.85", reference.pagerank, fast.pagerank),
        Measure("eigenvector", KG["eigenvector-centrality"], "principal eigenvector of the adjacency matrix (unit length)",
                reference.eigenvector, fast.eigenvector),
        Measure("hubs", KG["hits-hub"], "HITS hub score (sums to 1)", reference.hubs, fast.hubs, directed_only=True),
        Measure("authorities", KG["hits-authority"], "HITS authority score (sums to 1)",
                reference.authorities, fast.authorities, directed_only=True),
    )
}
#: Names that stand for several measures on the command line.
GROUPS: dict[str, tuple[str, ...]] = {"hits": ("hubs", "authorities")}


@dataclass(frozen=True)
class RankedNode:
    rank: int
    iri: URIRef
    label: str
    cls: str
    kind: str
    score: float | int


@dataclass
class Ranking:
    """Every node of the projection for one measure, best first."""

    measure: str
    rows: list[RankedNode]

    def top(self, n: int | None) -> list[RankedNode]:
        return self.rows if not n else self.rows[:n]


@dataclass
class CentralityResult:
    projection: Projection
    rankings: list[Ranking]


def parse_measures(values: Sequence[str]) -> list[str]:
    """Measure names from repeated and/or comma-separated values, in the order given, without
    duplicates; ``hits`` stands for hubs and authorities. Unknown names are a UsageError."""
    names: list[str] = []
    for value in values:
        for raw in value.split(","):
            name = raw.strip().lower()
            if not name:
                continue
            expanded = list(GROUPS.get(name, (name,)))
            for n in expanded:
                if n not in MEASURES:
                    known = ", ".join([*MEASURES, *GROUPS])
                    raise UsageError(
                        f"--measure {raw.strip()!r}: unknown measure; choose from: {known}"
                    )
                if n not in names:
                    names.append(n)
    return names or ["degree"]


def measure_scores(g: Any, name: str, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    """Scores of every node of the networkx graph ``g`` for the measure ``name`` (the reference
    engine). ``k`` samples that many source nodes for betweenness (``seed`` picks them); ``k`` at
    least the number of nodes means exact."""
    measure = MEASURES[name]
    if measure.directed_only and not g.is_directed():
        raise UsageError(f"{name} needs a directed projection: add --directed")
    return measure.networkx(g, k, seed)  # type: ignore[no-any-return]


def tidy(score: float, integer: bool = False) -> float | int:
    """A score as shown and compared: an int for counts, else 6 significant digits (noise below
    1e-12 is zero)."""
    if integer:
        return int(score)
    if abs(score) < 1e-12:
        return 0.0
    return float(f"{score:.6g}")


def rank(
    scores: dict[Any, float],
    labels: dict[Any, str],
    classes: dict[Any, str],
    kinds: dict[Any, str],
    integer: bool = False,
) -> list[RankedNode]:
    """Nodes by score descending, then label, then IRI; equal scores share a rank (1, 2, 2, 4)."""
    tidied = {n: tidy(s, integer) for n, s in scores.items()}
    order = sorted(tidied, key=lambda n: (-tidied[n], labels[n], str(n)))
    rows: list[RankedNode] = []
    for i, n in enumerate(order):
        position = rows[-1].rank if rows and rows[-1].score == tidied[n] else i + 1
        rows.append(RankedNode(position, n, labels[n], classes[n], kinds[n], tidied[n]))
    return rows


def choose_engine(engine: str, proj: Projection) -> str:
    """The engine ``auto`` stands for on this projection; others as given."""
    if engine not in ENGINES:
        raise UsageError(f"--engine {engine!r}: choose from: {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    return "fast" if proj.nodes >= AUTO_NODES or proj.edges >= AUTO_EDGES else "networkx"


def engine_scores(proj: Projection, name: str, engine: str, k: int | None = None, seed: int = 0) -> Any:
    """The measure ``name`` for every node of ``proj`` (a numpy array in node order)."""
    import numpy as np

    if engine == "fast":
        if MEASURES[name].directed_only and not proj.directed:
            raise UsageError(f"{name} needs a directed projection: add --directed")
        return MEASURES[name].fast(proj, k, seed)
    by_node = measure_scores(proj.graph, name, k=k, seed=seed)
    return np.array([by_node[n] for n in proj.iris], dtype=float)


def rank_values(values: Any, proj: Projection, integer: bool = False, top: int | None = None) -> list[RankedNode]:
    """:func:`rank` over the nodes of ``proj`` with these scores (in node order), the best
    ``top`` rows only when given: only the nodes that can reach those rows (all with a score at
    least the ``top``-th one's) are sorted and have their labels fetched."""
    import numpy as np

    order = np.argsort(-np.asarray(values, dtype=float), kind="stable").tolist()
    scores = np.asarray(values).tolist()
    if top and top < len(order):
        last = tidy(scores[order[top - 1]], integer)
        end = top
        while end < len(order) and tidy(scores[order[end]], integer) == last:
            end += 1
        order = order[:end]
    labels = proj.labels_of(order)
    iris = [URIRef(proj.names[i]) for i in order]
    rows = rank(
        {iri: scores[i] for iri, i in zip(iris, order)},
        dict(zip(iris, labels)),
        {iri: proj.classes[i] for iri, i in zip(iris, order)},
        {iri: proj.kinds[i] for iri, i in zip(iris, order)},
        integer,
    )
    return rows[:top] if top else rows


def compute_centrality(
    graph: Any,
    measures: Sequence[str] = ("degree",),
    options: ProjectionOptions | None = None,
    k: int | None = None,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    engine: str = "auto",
    top: int | None = None,
) -> CentralityResult:
    """Project ``graph`` (an rdflib graph, a pyoxigraph store, a kg backend; see
    kg.backends.edges) and rank its entities by each measure, all of them or the best
    ``top``. ``progress`` gets one line per step, only when the projection is large."""
    options = options or ProjectionOptions()
    for name in measures:
        if MEASURES[name].directed_only and not options.directed:
            raise UsageError(f"{name} needs a directed projection: add --directed")
    if engine not in ENGINES:
        raise UsageError(f"--engine {engine!r}: choose from: {', '.join(ENGINES)}")
    started = time.monotonic()
    proj = project(graph, options)
    if proj.nodes == 0:
        raise KgError(
            "nothing to rank: no two entities are linked in the projection "
            "(nodes are instances of the kg: entity classes; see docs/centrality.md)"
        )
    large = proj.nodes >= LARGE_NODES or proj.edges >= LARGE_EDGES
    say = progress if (progress is not None and large) else None
    chosen = choose_engine(engine, proj)
    if say:
        say(
            f"projected {proj.nodes} nodes and {proj.edges} edges in {time.monotonic() - started:.1f} s"
            f" (engine: {chosen})"
        )
    rankings = []
    for i, name in enumerate(measures, 1):
        t0 = time.monotonic()
        if say:
            say(f"[{i}/{len(measures)}] {name} ...")
        values = engine_scores(proj, name, chosen, k=k, seed=seed)
        rankings.append(Ranking(name, rank_values(values, proj, MEASURES[name].integer, top)))
        if say:
            say(f"[{i}/{len(measures)}] {name} done in {time.monotonic() - t0:.1f} s")
    return CentralityResult(proj, rankings)


SCORE_NS = ID + "score/"


def score_iri(measure: str, entity: URIRef) -> URIRef:
    """``https://w3id.org/kg/id/score/<measure>/<kind>/<slug>`` for the project's entities, a
    hash of the IRI for others."""
    text = str(entity)
    if text.startswith(ID) and text[len(ID) :].count("/") == 1:
        return URIRef(f"{SCORE_NS}{measure}/{text[len(ID) :]}")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{SCORE_NS}{measure}/x-{digest}")


def scores_graph(result: CentralityResult, top: int | None = None) -> Graph:
    """One ``kg:CentralityScore`` node per entity and measure: ``kg:scoreOf`` the entity,
    ``kg:centralityMeasure`` the measure's concept, ``kg:score`` (xsd:decimal) and
    ``kg:scoreRank``."""
    out = Graph()
    bind_prefixes(out)
    out.bind("score", SCORE_NS)
    for ranking in result.rankings:
        concept = MEASURES[ranking.measure].concept
        for row in ranking.top(top):
            node = score_iri(ranking.measure, row.iri)
            value = f"{Decimal(repr(float(row.score))):f}"  # plain decimal notation: 2.0, 0.00001
            out.add((node, RDF.type, KG.CentralityScore))
            out.add((node, KG.scoreOf, row.iri))
            out.add((node, KG.centralityMeasure, concept))
            out.add((node, KG.score, Literal(value, datatype=XSD.decimal)))
            out.add((node, KG.scoreRank, Literal(row.rank, datatype=XSD.integer)))
    return out
