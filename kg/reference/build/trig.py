"""Writing TriG: prefixes, literals, node blocks, graph headers and files."""

from __future__ import annotations

from kg.reference.build.packages import Package

PREFIX_LINES = """@prefix kg: <https://w3id.org/kg/ont#> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix park: <https://w3id.org/kg/id/park/> .
@prefix graph: <https://w3id.org/kg/graph/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{esc}"@{lang}'
    if datatype:
        return f'"{esc}"^^{datatype}'
    return f'"{esc}"'


def node_block(subject: str, pairs: list[tuple[str, list[str]]], indent: str = "    ") -> str:
    pairs = [(p, objs) for p, objs in pairs if objs]
    lines = [f"{indent}{subject} {pairs[0][0]} {', '.join(pairs[0][1])}"]
    for p, objs in pairs[1:]:
        lines[-1] += " ;"
        lines.append(f"{indent}    {p} {', '.join(objs)}")
    lines[-1] += " ."
    return "\n".join(lines) + "\n"


def graph_header(
    name: str,
    title: str,
    comment: str,
    source: str,
    primary: Package,
    helpers: list[Package],
    date: str,
    counts: dict[str, int],
) -> str:
    pairs = [
        ("a", ["kg:ReferenceGraph"]),
        ("dcterms:title", [lit(title, "en")]),
        ("rdfs:label", [lit(title, "en")]),
        ("dcterms:source", [lit(source)]),
        ("dcterms:license", [f"<https://spdx.org/licenses/{primary.licence}>"]),
        ("dcterms:date", [lit(date, datatype="xsd:date")]),
        ("dcterms:requires", sorted(lit(p.purl) for p in [primary, *helpers])),
        ("rdfs:comment", [lit(comment, "en")]),
    ]
    if counts:
        parts = [
            f"[ void:class kg:{cls} ; void:entities {n} ]" for cls, n in sorted(counts.items())
        ]
        pairs.append(("void:classPartition", parts))
    return node_block(f"graph:{name}", pairs) + "\n"


def file_text(header_comment: str, graph: str, body: str) -> str:
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header_comment.strip().splitlines())
    return f"{comment}\n{PREFIX_LINES}\ngraph:{graph} {{\n\n{body}}}\n"
