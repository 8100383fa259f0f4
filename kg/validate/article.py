"""Articles and their graphs: metadata, evidence found in the text, and the check of one file.

Each article's facts live in one named graph (``data/graphs/NNN-<slug>.trig``) that describes
itself (``graph:<slug> a kg:ArticleGraph ; prov:wasDerivedFrom article:<slug>``) and its article
(``schema:headline``, ``schema:datePublished``, ``kg:fileName``...). Every ``kg:evidence`` in the
graph must occur in the article's text under ``data/articles``: compared with whitespace
normalised and curly/straight quotes folded, nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, Graph
from rdflib.namespace import PROV, RDFS, SKOS, XSD

from kg import paths
from kg.namespaces import KG, KGS, SCHEMA
from kg.rdf.containment import is_derived
from kg.rdf.loading import load_file, new_dataset
from kg.validate.core import validate
from kg.namespaces import bind_prefixes
from kg.errors import KgError
from kg.rdf.loading import load_project

#: Quote marks that texts and evidence may spell either way: curly -> straight.
_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (also the curly apostrophe)
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
    }
)
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` as evidence is compared: runs of whitespace (non-breaking spaces included) are one
    space, curly quotes and apostrophes are straight ones, leading/trailing space is dropped."""
    return _SPACE.sub(" ", text.translate(_QUOTE_FOLD)).strip()


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an article graph: which graph, which subject, what."""

    graph: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.graph}: {self.subject}: {self.message}"


@dataclass(frozen=True, order=True)
class ReviewItem:
    """A node that still carries kg draft's review marker (kg:reviewStatus): not a fact yet."""

    graph: str
    subject: str
    status: str
    what: str  # the node's label or kg:statedAs, to find it in the file
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.graph}: {self.subject}: under review ({self.status})"
        if self.what:
            text += f": {self.what}"
        return text + "".join(f"; check: {n}" for n in self.notes)


def _short(iri: str) -> str:
    """``kgs:draft`` for a status IRI (the statuses are few: no prefix table needed)."""
    return "kgs:" + iri[len(str(KGS)):] if iri.startswith(str(KGS)) else iri


def review_items(ds: Dataset) -> list[ReviewItem]:
    """Every node of every named graph that carries kg:reviewStatus, with its kg:reviewNote(s),
    sorted. Removing a node's kg:reviewStatus (after checking it) is what reviewing means."""
    items = []
    for g in _named_graphs(ds):
        for subject in sorted(set(g.subjects(KG.reviewStatus, None)), key=str):
            status = ", ".join(sorted(_short(str(o)) for o in g.objects(subject, KG.reviewStatus)))
            what = _one(g, subject, KG.statedAs) or _one(g, subject, RDFS.label) or _one(g, subject, SKOS.prefLabel)
            notes = tuple(sorted(str(n) for n in g.objects(subject, KG.reviewNote)))
            items.append(ReviewItem(str(g.identifier), str(subject), status, "" if what is None else str(what), notes))
    return sorted(items)


@dataclass(frozen=True)
class ArticleMeta:
    """What an article graph says about itself and its article; None where it says nothing."""

    graph: str
    article: str | None
    headline: str | None
    date_published: str | None
    publisher: str | None
    file_name: str | None

    def missing(self) -> list[str]:
        """The required fields the graph does not give (the publisher is optional)."""
        required = {
            "prov:wasDerivedFrom (the article)": self.article,
            "schema:headline": self.headline,
            "schema:datePublished": self.date_published,
            "kg:fileName": self.file_name,
        }
        return [name for name, value in required.items() if value is None]


def _one(graph: Graph, subject: object, prop: URIRef) -> object | None:
    """The smallest value of ``prop`` on ``subject`` in ``graph`` (deterministic), or None."""
    values = sorted(graph.objects(subject, prop), key=str)  # type: ignore[arg-type]
    return values[0] if values else None


def _named_graphs(ds: Dataset) -> list[Graph]:
    """The dataset's non-empty named graphs (not the default graph, nor a graph kg derives,
    which no source states), sorted by name."""
    graphs = [
        g for g in ds.graphs()
        if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g) > 0 and not is_derived(g.identifier)
    ]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _is_article_graph(graph: Graph) -> bool:
    return (graph.identifier, RDF.type, KG.ArticleGraph) in graph


def article_metadata(ds: Dataset) -> list[ArticleMeta]:
    """One entry per article graph (a named graph that says it is a kg:ArticleGraph), by name."""
    result = []
    for g in _named_graphs(ds):
        if not _is_article_graph(g):
            continue
        article = _one(g, g.identifier, PROV.wasDerivedFrom)
        values: dict[str, str | None] = {}
        for key, prop in (
            ("headline", SCHEMA.headline),
            ("date_published", SCHEMA.datePublished),
            ("publisher", KG.publisher),
            ("file_name", KG.fileName),
        ):
            value = _one(g, article, prop) if article is not None else None
            values[key] = None if value is None else str(value)
        article_iri = None if article is None else str(article)
        result.append(ArticleMeta(graph=str(g.identifier), article=article_iri, **values))
    return result


def metadata_problems(ds: Dataset) -> list[Problem]:
    """Missing article metadata in every article graph, and a published date that is no xsd:date."""
    problems = []
    for meta in article_metadata(ds):
        subject = meta.article or meta.graph
        for name in meta.missing():
            problems.append(Problem(meta.graph, subject, f"no {name}"))
        if meta.article is None:
            continue
        g = ds.graph(URIRef(meta.graph))
        if (URIRef(meta.article), RDF.type, KG.Article) not in g:
            problems.append(Problem(meta.graph, meta.article, "is not typed kg:Article"))
        date = _one(g, URIRef(meta.article), SCHEMA.datePublished)
        if isinstance(date, Literal) and date.datatype != XSD.date:
            message = f"schema:datePublished {date!s} is not an xsd:date"
            problems.append(Problem(meta.graph, meta.article, message))
    return sorted(problems)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, PermissionError, UnicodeDecodeError):
        return None


def check_evidence(ds: Dataset, texts_dir: str | Path | None = None) -> list[Problem]:
    """Every kg:evidence of every named graph, looked up in its article's text.

    A graph's article is the one its kg:ArticleGraph description derives from; its text is
    ``texts_dir / kg:fileName`` (the project's ``data/articles`` by default). Returns the
    problems: a quote not found, a text file that is missing, evidence in a graph with no article.
    """
    texts = Path(texts_dir) if texts_dir is not None else paths.article_texts_dir()
    metas = {m.graph: m for m in article_metadata(ds)}
    problems = []
    for g in _named_graphs(ds):
        quotes = sorted(g.subject_objects(KG.evidence), key=lambda so: (str(so[0]), str(so[1])))
        if not quotes:
            continue
        name = str(g.identifier)
        meta = metas.get(name)
        if meta is None or meta.file_name is None:
            why = "its article has no kg:fileName" if meta else "no kg:ArticleGraph description"
            message = f"holds {len(quotes)} kg:evidence but {why}: cannot find the text"
            problems.append(Problem(name, name, message))
            continue
        text = _read_text(texts / meta.file_name)
        if text is None:
            message = f"article text {texts / meta.file_name} is missing or unreadable"
            problems.append(Problem(name, meta.article or name, message))
            continue
        haystack = fold(text)
        for subject, quote in quotes:
            if fold(str(quote)) not in haystack:
                message = f"evidence not found in {meta.file_name}: {str(quote)!r}"
                problems.append(Problem(name, str(subject), message))
    return sorted(problems)


@dataclass
class ArticleCheck:
    """The outcome of checking one article's TriG file.

    ``problems`` fail the check (exit 3): structure, metadata, evidence, shape violations.
    ``notes`` do not: the shapes' warnings and infos, such as a contradiction in the source that
    the graph keeps as reported. ``review`` fails it too: the nodes kg draft proposed that still
    carry their review marker.
    """

    path: str
    graph: str | None = None
    evidence_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.review


#: The shape that fails a node still under review; check-article lists those as review items.
REVIEWED_SHAPE = "shapes:ReviewedShape"


def _check_shapes(ds: Dataset, check: ArticleCheck) -> None:
    """Validate the file's graph (with the ontology) against the project's shapes."""

    graph = check.graph or check.path
    # auto: the fast engine where it gives pyshacl's report (docs/engines.md): 1.0 s -> 0.4 s
    for result in validate(ds, engine="auto").results:
        if result.shape == REVIEWED_SHAPE:
            continue  # listed, with its notes, as a review item
        # a path that is a blank node (an alternative path) has no stable name: leave it out
        path = result.path if result.path and not result.path.startswith("_:") else None
        value = None if result.value is None or result.value.startswith("_:") else result.value
        if value is not None and len(value) > 80:
            value = value[:79] + "…"
        if path and value is not None:
            where = f" ({path} = {value})"  # the value at fault: `kg:measure = kgm:employees`
        elif path or value is not None:
            where = f" ({path or f'value {value}'})"
        else:
            where = ""
        problem = Problem(
            graph, result.focus, f"{result.severity}: {result.shape}{where}: {result.message}"
        )
        (check.problems if result.severity == "Violation" else check.notes).append(problem)


#: The names a person would search for: a node with one of them is "the same" place or firm.
_NAME_PROPERTIES = (
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
)


def _names(graph: Graph | Dataset, node: object) -> dict[str, str]:
    """The node's names, compared case-blind (folded -> as written)."""
    objects = (o for p in _NAME_PROPERTIES for o in graph.objects(node, p))  # type: ignore[arg-type]
    return {fold(str(o)).casefold(): str(o) for o in objects}


def _kind(node: object) -> str:
    """What sort of thing an IRI names, by the folder it is minted in (``.../id/place/``)."""
    return str(node).rsplit("/", 1)[0]


def duplicate_names(graph: Graph, known: Dataset) -> list[Problem]:
    """A node new to ``known`` (the project's graph) whose name an existing node of the same
    kind (its IRI's folder: ``place:``, ``org:``...) already carries (``place:wuhan-city``
    labelled "Wuhan" beside ``place:wuhan``): most likely the same thing under a second IRI.
    Notes, not problems: two firms may share a name."""

    existing: dict[str, set[URIRef]] = {}
    for p in _NAME_PROPERTIES:
        for s, o in known.subject_objects(p):
            if isinstance(s, URIRef):
                existing.setdefault(fold(str(o)).casefold(), set()).add(s)
    shown = Graph()
    bind_prefixes(shown)
    notes = []
    subjects = {s for p in _NAME_PROPERTIES for s in graph.subjects(p) if isinstance(s, URIRef)}
    for node in sorted(subjects, key=str):
        if (node, None, None) in known:
            continue  # not new: described elsewhere already
        for name, written in sorted(_names(graph, node).items()):
            others = sorted((o for o in existing.get(name, set()) - {node} if _kind(o) == _kind(node)), key=str)
            if others:
                listed = ", ".join(shown.namespace_manager.normalizeUri(o) for o in others)
                notes.append(Problem(
                    str(graph.identifier), str(node),
                    f"Warning: the name {written!r} is already carried by {listed} in the graph: if it is the "
                    "same thing, use that IRI instead of a new one",
                ))
    return notes


def _project_without(graph_name: object) -> Dataset | None:
    """The project's graph without the graph being checked (None if it cannot be loaded)."""

    try:
        project = load_project()
    except KgError:
        return None
    project.remove_graph(project.graph(graph_name))  # type: ignore[arg-type]
    return project


def check_article(path: str | Path, texts_dir: str | Path | None = None, *, review_only: bool = False) -> ArticleCheck:
    """Check one article's TriG file: it parses (an InputError if not), it holds exactly one named
    graph which describes itself and its article, every evidence occurs in the article's text,
    the graph has no shape violation (the ontology is added for the shapes), and no node still
    carries kg draft's review marker. ``review_only`` lists the nodes under review and checks
    nothing else."""
    path = Path(path)
    ds = new_dataset()
    load_file(ds, path)
    check = ArticleCheck(path=str(path))
    check.review = review_items(ds)
    if review_only:
        named = _named_graphs(ds)
        check.graph = str(named[0].identifier) if len(named) == 1 else None
        return check
    named = _named_graphs(ds)
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    where = str(path)
    if len(default) > 0:
        message = f"{len(default)} triple(s) outside any named graph"
        check.problems.append(Problem(where, where, message))
    if len(named) != 1:
        names = ", ".join(str(g.identifier) for g in named) or "none"
        message = f"expected exactly one named graph, found {len(named)}: {names}"
        check.problems.append(Problem(where, where, message))
        return check
    graph = named[0]
    check.graph = str(graph.identifier)
    if not _is_article_graph(graph):
        message = (
            "the graph does not describe itself: "
            "add '<graph> a kg:ArticleGraph ; prov:wasDerivedFrom <article>'"
        )
        check.problems.append(Problem(check.graph, check.graph, message))
    check.problems.extend(metadata_problems(ds))
    check.evidence_checked = len(set(graph.subject_objects(KG.evidence)))
    check.problems.extend(check_evidence(ds, texts_dir))
    _check_shapes(ds, check)
    project = _project_without(graph.identifier)
    if project is not None:
        check.notes.extend(duplicate_names(graph, project))
    check.problems.sort()
    check.notes.sort()
    return check
