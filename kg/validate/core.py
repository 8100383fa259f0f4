"""SHACL validation of the graph -> a report a person can act on.

The data graph is the whole dataset (its default graph is the union of the named graphs), so
cross-graph rules see every article at once, and the SHACL-SPARQL constraints can still ask
``GRAPH ?g`` which article graph a node is stated in. The ontology is always part of it
(``graph:ontology``; added from the project when the input lacks it): ``sh:class`` needs the
class hierarchy, and the measure, status, role and unit concepts live there.

Severities: sh:Violation = broken data; sh:Warning = a doubtful figure kept as reported;
sh:Info = a note. As SHACL 1.0 §3.6.1 says, a report *conforms* only when it has no result of
any severity (its ``sh:conforms`` says so too, whichever engine made it); the data *passes* when
it has no violation (and, with ``strict``, no warning): that decides the exit code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.errors import InputError, QueryError, UsageError
from kg.rdf.labels import class_label, label_of
from kg.namespaces import KG, SCHEMA, SH, bind_prefixes
from kg.rdf.loading import ONTOLOGY_GRAPH, load_shapes
from kg.rdf.loading import add_ontology_if_missing
from kg.rdf.rdflib_engine import prepare
from kg.rdf.reasoning import apply_reasoning
from kg import paths
from kg.validate.engines import choose_engine
from kg.validate.fast import NotPlainRdf, fast_report
from kg.validate.sparql import check_targets
from kg.rdf.sparql_guard import check_dataset, check_query, service_error, walk
from kg.safety import network_allowed

#: Severities, most serious first (the order of the report).
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")

_PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


@dataclass(frozen=True)
class Source:
    """Where a node at fault comes from: its article, and the sentence that states it."""

    article: str
    title: str
    date: str
    evidence: str | None = None
    node: str = ""  # the node this source is of (the focus node, or a figure it is compared with)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with names a person can read."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus: str  # IRI (or blank node id) of the focus node
    focus_label: str
    focus_class: str
    path: str | None  # the property at fault, as a prefixed name
    value: str | None  # the offending value: lexical form of a literal, or a prefixed IRI
    value_label: str | None  # the value's label when it is a node
    message: str
    shape: str  # the named shape that failed (shapes:...), as a prefixed name
    constraint: str  # the SHACL constraint component, e.g. "MinCountConstraintComponent"
    sources: tuple[Source, ...] = ()

    @property
    def article_title(self) -> str | None:
        return self.sources[0].title if self.sources else None

    @property
    def article_date(self) -> str | None:
        return self.sources[0].date if self.sources else None

    @property
    def evidence(self) -> str | None:
        return self.sources[0].evidence if self.sources else None


@dataclass
class ValidationReport:
    """The outcome: ``conforms`` is True when there is no result at all (SHACL's meaning);
    :meth:`passes` when no result is a violation."""

    conforms: bool
    results: list[ValidationResult]
    violations: int = 0
    warnings: int = 0
    infos: int = 0
    graph: Graph = field(default_factory=Graph, repr=False, compare=False)  # the SHACL report graph

    @property
    def counts(self) -> dict[str, int]:
        return {"Violation": self.violations, "Warning": self.warnings, "Info": self.infos}

    def passes(self, strict: bool = False) -> bool:
        """True when there is no violation (and, when ``strict``, no warning either)."""
        return self.violations == 0 and not (strict and self.warnings)


@contextmanager
def _with_ontology(dataset: Dataset) -> Iterator[Dataset]:
    """The dataset with the ontology: itself when it has it; otherwise the project's ontology is
    added as ``graph:ontology`` for the duration and removed again (copying a large dataset
    instead took longer than validating it)."""
    if len(dataset.graph(ONTOLOGY_GRAPH)) > 0:
        yield dataset
        return

    add_ontology_if_missing(dataset)
    try:
        yield dataset
    finally:
        dataset.remove_graph(ONTOLOGY_GRAPH)


def as_shapes_graph(shapes: Graph | str | Path | None) -> Graph:
    if isinstance(shapes, Graph):
        return shapes
    return load_shapes(shapes)


class _PreparedQueryDataset(Dataset):
    """A view of a dataset (same store) through which every SPARQL query pyshacl runs (the
    shapes' sh:select and sh:ask, SPARQL targets, its own lookups) passes the one check on the
    parsed query (:func:`kg.rdf.sparql_guard.check_query`: no SERVICE, no FROM of a graph the
    data does not hold, no update), and is parsed once.

    pyshacl hands rdflib the same query text once per focus node, and rdflib parses it every
    time (~80 ms each with pyparsing): on the project's data that is most of a minute. A
    checked query is parsed once (the check keeps the parse) and only evaluated per focus node.
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def, override]

        def known() -> set:  # (asked only when the query has FROM clauses)
            return {g.identifier for g in self.graphs() if len(g)}

        if isinstance(query_object, str):
            query_object = check_query(query_object, "SPARQL constraint", graphs=known).query
        else:  # already parsed (by pyshacl): its algebra is checked
            allowed = network_allowed()
            if not allowed and any(n.name == "ServiceGraphPattern" for n in walk(query_object.algebra)):
                raise service_error("SPARQL constraint")
            check_dataset(query_object, known, allowed, "SPARQL constraint")
        return super().query(query_object, *args, **kwargs)


def _run_pyshacl(data: Dataset, shapes: Graph, where: str) -> Graph:
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure

    view = _PreparedQueryDataset(store=data.store, default_union=True)
    try:
        _conforms, report, _text = pyshacl.validate(
            view,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            advanced=False,
        )
    except ReportableRuntimeError as exc:
        detail = " ".join(str(getattr(exc, "message", exc)).split())
        raise InputError(f"{where}: cannot use these shapes: {detail}") from exc
    except QueryError as exc:
        raise InputError(f"{where}: {exc.message}") from exc
    except UsageError as exc:  # a SPARQL constraint refused (SERVICE, FROM, an update)
        raise InputError(f"{where}: cannot use these shapes: {exc.message}") from exc
    if isinstance(report, ValidationFailure):  # pyshacl returns (does not raise) some failures
        detail = " ".join(str(report.message).split())
        raise InputError(f"{where}: cannot use these shapes: {detail}")
    return report


def _qname(graph: Graph, term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except (ValueError, KeyError):  # a term rdflib cannot shorten is shown in full
            return f"<{term}>"
    if isinstance(term, Literal):
        return str(term)
    return term.n3()  # blank node, or a path expression


def _path_text(graph: Graph, path: Node | None) -> str | None:
    """A SHACL property path as SPARQL path text: ``kg:a``, ``^kg:a``, ``kg:a|kg:b``, ``a/b``."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _qname(graph, path)
    inverse = next(iter(graph.objects(path, SH.inversePath)), None)
    if inverse is not None:
        return "^" + (_path_text(graph, inverse) or "?")
    alternatives = next(iter(graph.objects(path, SH.alternativePath)), None)
    if alternatives is not None:
        return "|".join(_path_text(graph, p) or "?" for p in Collection(graph, alternatives))
    repeats = ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?"))
    for prop, suffix in repeats:
        inner = next(iter(graph.objects(path, prop)), None)
        if inner is not None:
            return f"({_path_text(graph, inner)}){suffix}"
    if (path, RDF.first, None) in graph:
        return "/".join(_path_text(graph, p) or "?" for p in Collection(graph, path))
    return path.n3()


def _root_shape(shapes: Graph, shape: Node) -> Node:
    """The named shape a (possibly blank) property or nested shape belongs to."""
    seen: set[Node] = set()
    current = shape
    while not isinstance(current, URIRef) and current not in seen:
        seen.add(current)
        parents = sorted(shapes.subjects(SH.property, current))
        parents = parents or sorted(shapes.subjects(SH.node, current))
        if not parents:
            lists = list(shapes.subjects(RDF.first, current))
            owners = [o for lst in lists for o in _list_owners(shapes, lst)]
            if not owners:
                break
            parents = sorted(owners)
        current = parents[0]
    return current


def _list_owners(shapes: Graph, node: Node) -> list[Node]:
    """Subjects whose RDF list (sh:or, sh:and ...) contains the list cell ``node``."""
    while True:
        prev = list(shapes.subjects(RDF.rest, node))
        if not prev:
            break
        node = prev[0]
    return [s for s, _p in shapes.subject_predicates(node)]


def _article_graphs(data: Dataset, node: Node) -> list[tuple[URIRef, URIRef]]:
    """(graph, article) for each article graph that states something about ``node``."""
    graphs = {g for _s, _p, _o, g in data.quads((node, None, None, None)) if isinstance(g, URIRef)}
    found = set()
    for graph_id in graphs:
        if (graph_id, RDF.type, KG.ArticleGraph) not in data:
            continue
        articles = data.objects(graph_id, _PROV_DERIVED)
        found.update((graph_id, a) for a in articles if isinstance(a, URIRef))
    return sorted(found)


def _sources(data: Dataset, node: Node) -> list[Source]:
    """The articles that state ``node`` with the one evidence sentence it has there (if one)."""
    if not isinstance(node, URIRef):
        return []
    by_article: dict[URIRef, list[str]] = {}
    for article in data.objects(node, KG.sourceArticle):
        if isinstance(article, URIRef):
            by_article.setdefault(article, sorted(str(e) for e in data.objects(node, KG.evidence)))
    for graph_id, article in _article_graphs(data, node):
        evidence = sorted(str(e) for e in data.graph(graph_id).objects(node, KG.evidence))
        by_article.setdefault(article, evidence)
    sources = []
    for article, evidence in sorted(by_article.items()):
        sources.append(
            Source(
                article=str(article),
                title=str(next(iter(sorted(data.objects(article, SCHEMA.headline))), "")),
                date=str(next(iter(sorted(data.objects(article, SCHEMA.datePublished))), "")),
                evidence=evidence[0] if len(set(evidence)) == 1 else None,
                node=str(node),
            )
        )
    return sources


def display_name(data: Graph, node: Node) -> str:
    """A readable name for a node: a measurement as 'entity: measure, period (stated as)'."""
    if isinstance(node, URIRef) and (node, RDF.type, KG.Measurement) in data:
        about = next(iter(sorted(data.objects(node, KG.about))), None)
        measure = next(iter(sorted(data.objects(node, KG.measure))), None)
        period = next(iter(sorted(data.objects(node, KG.period))), None)
        stated = next(iter(sorted(data.objects(node, KG.statedAs))), None)
        what = label_of(data, measure) if measure is not None else "?"
        text = f"{label_of(data, about) if about is not None else '?'}: {what}"
        if period is not None:
            text += f", {period}"
        if stated is not None:
            text += f" ({stated})"
        return text
    return label_of(data, node)


def _result(data: Dataset, report: Graph, shapes: Graph, node: Node) -> ValidationResult:
    def one(prop: URIRef) -> Node | None:
        return next(iter(sorted(report.objects(node, prop))), None)

    severity_iri = one(SH.resultSeverity)
    severity = str(severity_iri).rsplit("#", 1)[-1] if severity_iri is not None else "Violation"
    focus = one(SH.focusNode)
    value = one(SH.value)
    source_shape = one(SH.sourceShape)
    component = one(SH.sourceConstraintComponent)
    shape = _root_shape(shapes, source_shape) if source_shape is not None else None
    messages = sorted({str(m) for m in report.objects(node, SH.resultMessage)})
    generic = {str(m) for m in shapes.objects(shape, SH.message)} if shape is not None else set()
    if len(messages) > 1 and set(messages) - generic:  # keep the constraint's own words
        messages = [m for m in messages if m not in generic]
    sources = _sources(data, focus) if focus is not None else []
    if isinstance(value, URIRef) and value != focus:
        sources += [s for s in _sources(data, value) if (value, RDF.type, KG.Measurement) in data]
    return ValidationResult(
        severity=severity,
        focus=str(focus),
        focus_label=display_name(data, focus) if focus is not None else "",
        focus_class=class_label(data, focus) if focus is not None else "",
        path=_path_text(report, one(SH.resultPath)),
        value=_qname(data, value),
        value_label=display_name(data, value) if isinstance(value, URIRef) else None,
        message=" ".join(messages),
        shape=_qname(shapes, shape) or "",
        constraint=str(component).rsplit("#", 1)[-1] if component is not None else "",
        sources=tuple(sources),
    )


def severity_rank(severity: str) -> int:
    """0 for violations, 1 for warnings, 2 for infos (the order of a report)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _sort_key(r: ValidationResult) -> tuple:
    rank = severity_rank(r.severity)
    return (rank, r.focus_label, r.focus, r.shape, r.path or "", r.value or "", r.message)


def validate(
    dataset: Dataset, shapes: Graph | str | Path | None = None, reasoning: str = "none", engine: str = "pyshacl"
) -> ValidationReport:
    """Validate ``dataset`` against ``shapes`` (the project's by default; a Graph or a file).

    ``reasoning`` is ``none``, ``rdfs`` or ``owlrl`` (see :mod:`kg.rdf.reasoning`). ``engine`` is
    ``pyshacl``, ``fast`` (:mod:`kg.validate.fast`: the same results, much faster on large
    graphs) or ``auto``. The input dataset is not modified. Raises InputError when the shapes
    cannot be read or used.
    """

    shapes_graph = as_shapes_graph(shapes)
    with _with_ontology(dataset) as complete:
        return _validate(apply_reasoning(complete, reasoning), shapes, shapes_graph, engine)


def _validate(data: Dataset, shapes: Graph | str | Path | None, shapes_graph: Graph, engine: str) -> ValidationReport:
    if isinstance(shapes, Graph):
        where = "shapes graph"
    else:

        where = str(shapes if shapes is not None else paths.shapes_file())

    check_targets(shapes_graph, where)
    report = None
    if choose_engine(engine, data, shapes_graph) == "fast":

        try:
            report = fast_report(data, shapes_graph, where)
        except NotPlainRdf:
            if engine != "auto":
                raise
    if report is None:  # pyshacl, or auto on data the fast engine cannot read
        report = _run_pyshacl(data, shapes_graph, where)
    return report_of(report, data, shapes_graph)


def report_of(graph: Graph, data: Dataset, shapes: Graph) -> ValidationReport:
    """The :class:`ValidationReport` of a SHACL validation report graph; ``data`` names and
    cites the nodes of its results (labels, classes, articles, quotes)."""
    bind_prefixes(graph)
    nodes = graph.subjects(RDF.type, SH.ValidationResult)
    results = sorted((_result(data, graph, shapes, n) for n in nodes), key=_sort_key)
    counts = {s: sum(1 for r in results if r.severity == s) for s in SEVERITIES}
    conforms = not results  # SHACL 1.0 §3.6.1, whatever the engine wrote (pyshacl: allow_warnings)
    for root in list(graph.subjects(RDF.type, SH.ValidationReport)):
        graph.set((root, SH.conforms, Literal(conforms)))
    return ValidationReport(
        conforms=conforms,
        results=results,
        violations=counts["Violation"],
        warnings=counts["Warning"],
        infos=counts["Info"],
        graph=graph,
    )
