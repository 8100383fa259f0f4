"""Which graphs on a shared server are kg's own: the manifest graph ``kg push`` writes.

A server may hold other people's graphs (Virtuoso's system graphs, another project's data);
kg reads, counts, validates, exports and replaces only its own. ``kg push`` declares them in
one small graph of its own, ``graph:manifest``, with the SPARQL Service Description vocabulary::

    graph:manifest a sd:Dataset ;
        sd:defaultGraph graph:merge ;           # the RDF merge of the graphs below
        sd:namedGraph <graph-1>, <graph-2> .     # every graph kg wrote

Queries then name that dataset with the SPARQL Protocol's ``default-graph-uri`` (the merge)
and ``named-graph-uri`` (each own graph), which every standard server honours: ``GRAPH ?g``
ranges over kg's graphs and the default graph is their merge, whatever else the server holds.
The merge is a named graph of kg's rather than the server's default graph, which some servers
refuse to write (Virtuoso) or share with other data.

A server without a manifest (data loaded by other means, such as a server's bulk loader) is
read through the graphs that declare themselves kg's: ``?g a kg:ArticleGraph`` or
``kg:ReferenceGraph`` inside ``?g``, and ``graph:ontology``; their union is then the default
graph (a triple stated in two of them counts twice on Oxigraph and Virtuoso: push with kg to
get the merge). A server with neither shows kg nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.namespaces import GRAPH

SD = "http://www.w3.org/ns/sparql-service-description#"
MANIFEST = str(GRAPH["manifest"])
MERGE = str(GRAPH["merge"])
ONTOLOGY = str(GRAPH["ontology"])
KG_ONT = "https://w3id.org/kg/ont#"

#: The manifest's statements (sent without a dataset: the manifest is no data graph).
MANIFEST_QUERY = f"SELECT ?p ?g WHERE {{ GRAPH <{MANIFEST}> {{ <{MANIFEST}> ?p ?g }} }}"
#: Graphs that declare themselves kg's, for a server without a manifest.
TYPED_QUERY = f"""SELECT DISTINCT ?g WHERE {{
  {{ GRAPH ?g {{ ?g a <{KG_ONT}ArticleGraph> }} }} UNION {{ GRAPH ?g {{ ?g a <{KG_ONT}ReferenceGraph> }} }}
  UNION {{ SELECT ?g WHERE {{ VALUES ?g {{ <{ONTOLOGY}> }} GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1 }}
}}"""


@dataclass(frozen=True)
class OwnGraphs:
    """kg's dataset on a server: the default graph(s) queries read and the named graphs."""

    default: tuple[str, ...]
    named: tuple[str, ...]
    source: str  # "manifest", "typed" (graphs declaring themselves), or "none"

    def protocol_fields(self) -> list[tuple[str, str]]:
        """The SPARQL Protocol's dataset parameters naming it (a graph that does not exist
        names an empty one: a server without kg's graphs shows nothing)."""
        default = self.default or (MERGE,)
        named = self.named or (MERGE,)
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    @property
    def written(self) -> tuple[str, ...]:
        """Every graph kg wrote (what ``--replace`` may delete): none unless a manifest says so."""
        if self.source != "manifest":
            return ()
        return (*self.named, *self.default, MANIFEST)


def from_manifest(statements: list[tuple[str, str]]) -> OwnGraphs | None:
    """The dataset a manifest's (predicate, object) pairs declare, or None without any."""
    named = sorted({g for p, g in statements if p == SD + "namedGraph"})
    default = sorted({g for p, g in statements if p == SD + "defaultGraph"})
    if not named and not default:
        return None
    return OwnGraphs(tuple(default), tuple(named), "manifest")


def manifest_ntriples(named: list[str]) -> bytes:
    """The manifest graph as N-Triples for these graphs, written by pyoxigraph (sorted: the same
    bytes for the same set)."""
    import pyoxigraph as ox

    subject = ox.NamedNode(MANIFEST)
    triples = [
        ox.Triple(subject, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(SD + "Dataset")),
        ox.Triple(subject, ox.NamedNode(SD + "defaultGraph"), ox.NamedNode(MERGE)),
        *(ox.Triple(subject, ox.NamedNode(SD + "namedGraph"), ox.NamedNode(g)) for g in sorted(set(named))),
    ]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
