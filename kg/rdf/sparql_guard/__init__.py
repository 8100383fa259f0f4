"""The one check every SPARQL query passes before kg runs it, on any engine: parsed, not read.

:func:`check_query` parses the text with rdflib's SPARQL parser and refuses, on the parsed
query (its parse tree and its algebra), what would reach outside the data the user named:

- ``SERVICE`` (with an IRI or a variable, ``SILENT`` or not): a query to another endpoint;
  pyoxigraph would open that connection in Rust, out of sight of :mod:`kg.safety`'s guard;
- ``FROM`` / ``FROM NAMED`` naming a graph the backend does not hold (rdflib would read a
  ``file:`` IRI or fetch an ``http:`` one; a store or an endpoint would at best ignore it);
- SPARQL Update (``LOAD``, ``INSERT``...): kg only reads.

Two parsers are involved wherever Oxigraph or a remote server runs the query: rdflib parses,
the other runs. They must not disagree, so the text checked is exactly the text run
(:func:`check_run_text`): codepoint escapes (``\\u0053ERVICE``) are expanded once, here, for
both; a query rdflib cannot parse is refused; and a second, lexical scan for ``SERVICE``
outside strings, IRIs and comments refuses a query in which either finds one.

Parameters are never pasted as rdflib ``n3()`` text: a store binds them with pyoxigraph's
``substitutions`` (checked by :func:`param_terms`), an endpoint gets a ``VALUES`` block of terms written
by the strict N-Triples writer :func:`nt_term` (:func:`bind_values`), and the bound text is
checked again before it is sent.
"""

from kg.rdf.sparql_guard.check import (
    CheckedQuery,
    ServiceRefused,
    bind_values,
    check_dataset,
    check_query,
    check_run_text,
    expand_codepoints,
    refuse_update,
    service_error,
    walk,
)
from kg.rdf.sparql_guard.writer import UnsafeTerm, nt_iri, nt_literal, nt_term, param_terms

__all__ = [
    "CheckedQuery", "ServiceRefused", "UnsafeTerm", "bind_values", "check_dataset", "check_query", "check_run_text",
    "expand_codepoints", "nt_iri", "nt_literal", "nt_term", "param_terms", "refuse_update", "service_error", "walk",
]
