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
from rdflib.namespace import PROV, XSD

from kg import paths
from kg.namespaces import KG, SCHEMA
from kg.rdf.containment import is_derived
from kg.rdf.loading import load_file, new_dataset

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
    the graph keeps as reported.
    """

    path: str
    graph: str | None = None
    evidence_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_shapes(ds: Dataset, check: ArticleCheck) -> None:
    """Validate the file's graph (with the ontology) against the project's shapes."""
    from kg.validate.core import validate

    graph = check.graph or check.path
    # auto: the fast engine where it gives pyshacl's report (docs/engines.md): 1.0 s -> 0.4 s
    for result in validate(ds, engine="auto").results:
        # a path that is a blank node (an alternative path) has no stable name: leave it out
        where = f" ({result.path})" if result.path and not result.path.startswith("_:") else ""
        problem = Problem(
            graph, result.focus, f"{result.severity}: {result.shape}{where}: {result.message}"
        )
        (check.problems if result.severity == "Violation" else check.notes).append(problem)


def check_article(path: str | Path, texts_dir: str | Path | None = None) -> ArticleCheck:
    """Check one article's TriG file: it parses (an InputError if not), it holds exactly one named
    graph which describes itself and its article, every evidence occurs in the article's text,
    and the graph has no shape violation (the ontology is added for the shapes)."""
    path = Path(path)
    ds = new_dataset()
    load_file(ds, path)
    check = ArticleCheck(path=str(path))
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
    check.problems.sort()
    check.notes.sort()
    return check
