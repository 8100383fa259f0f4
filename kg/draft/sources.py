"""Where a draft's names come from, and what ``kg draft`` writes: the name index built from a
backend (the project's graph, input files, a store or an endpoint) and the gazetteer's
divisions, the files a new article gets, and a summary of a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from kg.backends.base import open_backend
from kg.draft.article import Article
from kg.draft.graph import NEEDS_REVIEW, REVIEW_STATUS, DraftDataset, draft_file_name, text_file_name
from kg.draft.names import NameIndex
from kg.errors import InputError
from kg.fileio import write_atomic
from kg.namespaces import ID, KG

if TYPE_CHECKING:
    from kg.backends.base import Backend

#: The names, classes and codes of every instance IRI, from whatever graph a backend holds.
NAMES_QUERY = f"""SELECT ?s ?p ?o WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  VALUES ?p {{ rdfs:label skos:prefLabel skos:altLabel rdf:type kg:adminCode kg:locatedIn }}
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))
}}"""

#: The gazetteer's divisions (docs/gazetteer.md), relative to the data folder.
GAZETTEER_DIVISIONS = Path("reference") / "gazetteer" / "divisions.trig"
#: What the name index takes from it (rdfs:label repeats skos:prefLabel there: left out, for speed).
_GAZETTEER_PREDICATES = {str(SKOS.prefLabel), str(SKOS.altLabel), str(RDF.type), str(KG.adminCode), str(KG.locatedIn)}


def index_from_backend(backend: Backend) -> NameIndex:
    """A :class:`NameIndex` of every name, class and code the backend's named graphs give an
    instance IRI (one SPARQL query, so a store or an endpoint works as well as memory)."""
    index = NameIndex()
    rows = sorted(backend.rows(NAMES_QUERY, source="kg draft: names"), key=lambda r: tuple(map(str, r)))
    index.add_triples((s, p, o) for s, p, o in rows)
    return index


#: The gazetteer's names, classes, codes and parents (rdfs:label repeats skos:prefLabel there:
#: left out, for speed; toned pinyin, "Bāotóu Shì", is never how an English text spells a place).
GAZETTEER_QUERY = """SELECT ?s ?p ?o WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel rdf:type kg:adminCode kg:locatedIn }
  GRAPH ?g { ?s ?p ?o }
  FILTER (isIRI(?s) && !(isLiteral(?o) && LANGMATCHES(LANG(?o), "zh-Latn")))
}"""


def _gazetteer_triples(path: Path) -> list[tuple[URIRef, URIRef, object]]:
    """The gazetteer's triples the name index takes, sorted (read by pyoxigraph through the
    oxigraph-memory backend: 0.05 s where rdflib takes 1.5 s, most of a draft's budget)."""
    with open_backend([str(path)], backend="oxigraph-memory", derived=False) as gazetteer:  # (names only)
        rows = gazetteer.rows(GAZETTEER_QUERY, source=f"{path}: the gazetteer")
        return sorted(((s, p, o) for s, p, o in rows), key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def add_gazetteer(index: NameIndex, data_dir: Path) -> int:
    """Add the gazetteer's divisions (names, Chinese names, codes, classes) to ``index`` when
    ``data_dir/reference/gazetteer/divisions.trig`` exists; returns how many divisions it had."""
    path = Path(data_dir) / GAZETTEER_DIVISIONS
    if not path.is_file():
        return 0
    triples = _gazetteer_triples(path)
    index.add_triples(triples)
    return len({s for s, p, _ in triples if p == KG.adminCode})


def read_article_text(path: str | Path) -> str:
    """The text of an article file, or an InputError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder, not an article's text") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}): save the article as UTF-8") from exc
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return text


@dataclass(frozen=True)
class DraftPlan:
    """The names a new article gets: ``NNN-<slug>.trig`` for its graph and ``NNN_<hash>.txt`` for
    its text (the hash is the text's), NNN the next free number unless chosen."""

    number: int
    graph_name: str
    text_name: str


def plan_files(article: Article, data_dir: Path, number: int | None = None) -> DraftPlan:
    """Number and file names for ``article`` in the data folder ``data_dir``."""
    graphs = Path(data_dir) / "graphs"
    graph_name = draft_file_name(article, number, graphs_dir=graphs)
    n = int(graph_name[:3])
    return DraftPlan(n, graph_name, text_file_name(article, n))


@dataclass(frozen=True)
class DraftSummary:
    """What a draft proposes, in numbers (for the command's one-line report)."""

    entities_linked: int
    entities_new: int
    figures: int
    relations: int
    posts: int
    needs_review: int
    nodes_marked: int

    def line(self) -> str:
        return (f"{self.entities_linked} entities linked to the graph, {self.entities_new} new; "
                f"{self.figures} figures; {self.relations} relations; {self.posts} posts; "
                f"{self.nodes_marked} nodes to review ({self.needs_review} flagged needs-review)")


def summarise(ds: DraftDataset) -> DraftSummary:
    """Counts of a draft made by :func:`kg.draft.draft_graph`."""
    ents = ds.entities.by_iri.values() if ds.entities else []
    g = ds.graph(ds.graph_iri) if ds.graph_iri is not None else ds
    return DraftSummary(
        entities_linked=sum(1 for e in ents if e.existing),
        entities_new=sum(1 for e in ents if not e.existing),
        figures=len(ds.figures),
        relations=len(ds.relations),
        posts=len(ds.posts),
        needs_review=len(set(g.subjects(REVIEW_STATUS, NEEDS_REVIEW))),
        nodes_marked=len(set(g.subjects(REVIEW_STATUS, None))),
    )


def save_draft(trig: str, target: Path | None, text: str, text_path: Path | None, *, source: Path,
               force: bool = False) -> list[Path]:
    """Write the draft to ``target`` and the article's text to ``text_path`` (either may be None),
    all or nothing: every conflict is found before anything is written (an existing draft, another
    article's graph with the same number, another text under the text's name, unless ``force``),
    and a text written for a draft that then fails is removed. Returns the paths written."""
    if target is not None:
        if target.exists() and not force:
            raise InputError(f"{target}: exists; choose another --id or --output, or give --force")
    if text_path is not None and text_path.resolve() == source.resolve():
        text_path = None  # the article is already where its name says
    if text_path is not None and text_path.exists() and not force \
            and text_path.read_text(encoding="utf-8", errors="replace") != text:
        raise InputError(f"{text_path}: exists with another text; give --force to replace it")
    written: list[Path] = []
    new_text = text_path is not None and not text_path.exists()
    if text_path is not None:
        write_atomic(text_path, text)
        written.append(text_path)
    try:
        if target is not None:
            write_atomic(target, trig)
            written.append(target)
    except BaseException:
        if new_text and text_path is not None:
            text_path.unlink(missing_ok=True)
        raise
    return written


def number_taken(target: Path, number: int) -> str | None:
    """The name of another article graph beside ``target`` that has ``number``, if any."""
    taken = sorted(p.name for p in target.parent.glob(f"{number:03d}-*.trig") if p != target)
    return taken[0] if taken else None
