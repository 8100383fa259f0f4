"""The project's namespaces and prefixes, decided once (see ontology/README.md)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

#: The ontology: classes and properties.
KG = Namespace("https://w3id.org/kg/ont#")
#: Controlled vocabularies of the ontology: measures, statuses, roles (SKOS concepts).
KGM = Namespace("https://w3id.org/kg/measure/")
KGS = Namespace("https://w3id.org/kg/status/")
KGROLE = Namespace("https://w3id.org/kg/role/")
#: Instance data: one sub-namespace per kind of thing.
ID = "https://w3id.org/kg/id/"
PLACE = Namespace(ID + "place/")
PARK = Namespace(ID + "park/")
ORG = Namespace(ID + "org/")
PERSON = Namespace(ID + "person/")
EVENT = Namespace(ID + "event/")
INFRA = Namespace(ID + "infra/")
INDUSTRY = Namespace(ID + "industry/")
PRODUCT = Namespace(ID + "product/")
TECHNOLOGY = Namespace(ID + "technology/")
DESIGNATION = Namespace(ID + "designation/")
AWARD = Namespace(ID + "award/")
MEMBERSHIP = Namespace(ID + "membership/")
OBS = Namespace(ID + "obs/")
ARTICLE = Namespace(ID + "article/")
#: Named graphs: one per article, one per reference source, one for the ontology.
GRAPH = Namespace("https://w3id.org/kg/graph/")
#: SHACL shapes.
SHAPES = Namespace("https://w3id.org/kg/shapes#")

#: Reused vocabularies.
SCHEMA = Namespace("https://schema.org/")
W3ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
CUR = Namespace("http://qudt.org/vocab/currency/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Prefix -> namespace, bound on every graph the project builds (sorted output, stable prefixes).
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "kgm": str(KGM),
    "kgs": str(KGS),
    "kgrole": str(KGROLE),
    "place": str(PLACE),
    "park": str(PARK),
    "orgn": str(ORG),
    "person": str(PERSON),
    "event": str(EVENT),
    "infra": str(INFRA),
    "industry": str(INDUSTRY),
    "product": str(PRODUCT),
    "technology": str(TECHNOLOGY),
    "designation": str(DESIGNATION),
    "award": str(AWARD),
    "membership": str(MEMBERSHIP),
    "obs": str(OBS),
    "article": str(ARTICLE),
    "graph": str(GRAPH),
    "shapes": str(SHAPES),
    "schema": str(SCHEMA),
    "org": str(W3ORG),
    "qb": str(QB),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "cur": str(CUR),
    "sh": str(SH),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def bind_prefixes(graph) -> None:  # type: ignore[no-untyped-def]
    """Bind the project's prefixes on an rdflib Graph or Dataset (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, to put in front of a user's query."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
