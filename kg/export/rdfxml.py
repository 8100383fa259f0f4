"""RDF/XML (for Protégé and older tools): one ``rdf:Description`` per subject, sorted.

RDF/XML has no named graphs, so it holds the union of the selected graphs. Each property
element is a prefixed XML name: the project's prefixes where the local part is an XML name,
else a generated ``ns1``, ``ns2``... (numbered in sorted order of namespace). A property IRI
that does not end in an XML name cannot be written in RDF/XML: that is an error naming it.
Literals keep their lexical form, language and datatype; a carriage return is written as
``&#13;`` so XML's line-end normalisation cannot lose it.
"""

from __future__ import annotations

import re
from typing import IO

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.rdf.terms import ExportData, ExportError, split_prefixed
from kg.namespaces import PREFIXES

#: XML 1.0 (fifth edition) NameStartChar and NameChar, without ":" (an NCName, Namespaces in XML).
_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHAR = _START + "\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NCNAME = re.compile(f"[{_START}][{_CHAR}]*")
_NCNAME_TAIL = re.compile(f"[{_START}][{_CHAR}]*$")
# Characters XML 1.0 cannot carry at all, even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RDF = str(RDF)
# Names RDF/XML reserves for its own syntax: none can be a property element.
_RESERVED = {
    URIRef(_RDF + n)
    for n in ("RDF", "Description", "ID", "about", "parseType", "resource", "nodeID", "datatype", "li",
              "aboutEach", "aboutEachPrefix", "bagID")
}


def _text(value: str, where: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise ExportError(
            f"RDF/XML cannot hold the character U+{ord(bad.group()):04X} in {where}; use --format turtle or nquads"
        )
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str, where: str) -> str:
    text = _text(value, where).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return f'"{text}"'


class _Names:
    """Property IRI -> XML qualified name, with the namespace declarations it needs."""

    def __init__(self, predicates: list[Node]) -> None:
        self.qname: dict[Node, tuple[str, str]] = {}
        generated: dict[str, str] = {}
        pending: list[tuple[Node, str, str]] = []
        for p in predicates:
            iri = str(p)
            if p in _RESERVED:
                raise ExportError(f"RDF/XML cannot use <{iri}> as a property; use --format turtle or nquads")
            split = split_prefixed(iri)
            if split is not None and _NCNAME.fullmatch(split[1]):
                self.qname[p] = (split[0], split[1])
                continue
            m = _NCNAME_TAIL.search(iri)
            if isinstance(p, BNode) or m is None or m.start() == 0:
                raise ExportError(
                    f"RDF/XML cannot write the property <{iri}>: its IRI does not end in an XML name; "
                    "use --format turtle or nquads"
                )
            pending.append((p, iri[: m.start()], m.group()))
        for i, ns in enumerate(sorted({ns for _, ns, _ in pending}), start=1):
            generated[ns] = f"ns{i}"
        for p, ns, local in pending:
            self.qname[p] = (generated[ns], local)
        self.declared = {prefix: PREFIXES[prefix] for prefix, _ in self.qname.values() if prefix in PREFIXES}
        self.declared["rdf"] = _RDF
        self.declared.update({prefix: ns for ns, prefix in generated.items()})

    def name(self, p: Node) -> str:
        prefix, local = self.qname[p]
        return f"{prefix}:{local}"


def _node_attr(node: Node, about: bool) -> str:
    if isinstance(node, BNode):
        if not _NCNAME.fullmatch(str(node)):  # pragma: no cover - canonical labels are c14nN
            raise ExportError(f"RDF/XML cannot write the blank node label {node!s}")
        return f"rdf:nodeID={_attr(str(node), 'a blank node label')}"
    key = "rdf:about" if about else "rdf:resource"
    return f"{key}={_attr(str(node), f'the IRI <{node}>')}"


def write_rdfxml(data: ExportData, out: IO[bytes]) -> None:
    """The union of the selected graphs as RDF/XML."""
    triples = data.triples
    names = _Names(sorted({p for _, p, _ in triples}, key=str))
    lines = ['<?xml version="1.0" encoding="utf-8"?>\n', "<rdf:RDF"]
    for prefix in sorted(names.declared):
        lines.append(f"\n    xmlns:{prefix}={_attr(names.declared[prefix], 'a namespace')}")
    lines.append(">\n")
    subject: Node | None = None
    for s, p, o in triples:
        if s != subject:
            if subject is not None:
                lines.append("  </rdf:Description>\n")
            lines.append(f"  <rdf:Description {_node_attr(s, about=True)}>\n")
            subject = s
        tag = names.name(p)
        if isinstance(o, (URIRef, BNode)):
            lines.append(f"    <{tag} {_node_attr(o, about=False)}/>\n")
            continue
        assert isinstance(o, Literal)
        where = f"a literal of <{s}> <{p}>"
        if o.language:
            attr = f" xml:lang={_attr(o.language, where)}"
        elif o.datatype is not None:
            attr = f" rdf:datatype={_attr(str(o.datatype), where)}"
        else:
            attr = ""
        lines.append(f"    <{tag}{attr}>{_text(str(o), where)}</{tag}>\n")
    if subject is not None:
        lines.append("  </rdf:Description>\n")
    lines.append("</rdf:RDF>\n")
    out.write("".join(lines).encode("utf-8"))
