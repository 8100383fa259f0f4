"""Small RDF inputs shared by the centrality tests."""

from __future__ import annotations

from rdflib import Graph

#: A star: place:c contains place:a and place:b.
STAR_TTL = """@prefix kg: <https://w3id.org/kg/ont#> .
@prefix place: <https://w3id.org/kg/id/place/> .
place:c a kg:Place . place:a a kg:Place . place:b a kg:Place .
place:a kg:locatedIn place:c . place:b kg:locatedIn place:c .
"""


def rdf(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def chain_ttl(n: int) -> str:
    lines = [
        "@prefix kg: <https://w3id.org/kg/ont#> .",
        "@prefix place: <https://w3id.org/kg/id/place/> .",
    ]
    lines += [f"place:p{i} a kg:Place ; kg:locatedIn place:p{i + 1} ." for i in range(n)]
    lines.append(f"place:p{n} a kg:Place .")
    return "\n".join(lines) + "\n"
