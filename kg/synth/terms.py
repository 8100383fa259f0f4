"""The terms synthetic data (:mod:`kg.synth.generate`) is written with, in N-Triples syntax: the
project's IRIs under their ``synth-`` slugs, literals, made-up names."""

from __future__ import annotations

import random

from kg.namespaces import PREFIXES
from kg.synth.vocab import SYLLABLES

#: One block: (graph, subject, [(predicate, object), ...]), every term in N-Triples syntax.
Block = tuple[str, str, list[tuple[str, str]]]


def ns(prefix: str) -> str:
    return "<" + PREFIXES[prefix]


KG, RDFS, SKOS, XSD = ns("kg"), ns("rdfs"), ns("skos"), PREFIXES["xsd"]
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PREF, LABEL = SKOS + "prefLabel>", RDFS + "label>"
IN, YEAR, INDUSTRY = KG + "locatedIn>", KG + "foundingYear>", KG + "industry>"
PLACE, PARK, ORGN, PERSON = (
    ns("place") + "synth-",
    ns("park") + "synth-",
    ns("orgn") + "synth-",
    ns("person") + "synth-",
)
MEMBERSHIP, OBS, ARTICLE, GRAPH = (
    ns("membership") + "synth-",
    ns("obs") + "synth-",
    ns("article") + "synth-",
    ns("graph") + "synth-",
)
IND = ns("industry") + "synth-"
ORG = ns("org")


def en(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def zh(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@zh'


def plain(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typed(lexical: object, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def labels(name: str) -> list[tuple[str, str]]:
    lit = en(name)
    return [(PREF, lit), (LABEL, lit)]



def synth_name(rng: random.Random) -> str:
    return rng.choice(SYLLABLES).capitalize() + rng.choice(SYLLABLES)
