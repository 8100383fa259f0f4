"""``kg place``: a card for a Chinese division or development zone, from the whole gazetteer.

A name resolves in Chinese, pinyin (tones or none) or English, full or short (``包头``,
``Baotou``, ``Baotou City``, ``Bāotóu Shì``), or as a code (``150200``, ``CN-NM``) or an IRI.
When several nodes have that name, a division beats a development zone, a node in force beats
an abolished one (or, with ``as_of``, only the nodes in force that year count), a node the
articles name beats one they do not, a higher level beats a lower one, then the lower code
wins; the others are listed in ``also``, with the gazetteer's zones and the project's entities
whose names contain the query (包头 is also in 包头装备制造产业园's name).

The gazetteer is read whole through :class:`kg.rdf.gazetteer.Gazetteer` (an index of the
generated blocks, no full parse); the articles that mention the place come from the project's
article graphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS

from kg import paths
from kg.errors import UsageError
from kg.namespaces import PREFIXES, SCHEMA
from kg.rdf.gazetteer import Gazetteer, Node

#: Class (as the gazetteer writes it) -> level, highest first.
LEVELS: dict[str, str] = {
    "kg:Country": "country",
    "kg:ProvinceLevelDivision": "province-level",
    "kg:PrefectureLevelCity": "prefecture-level",
    "kg:District": "county-level",
    "kg:DevelopmentZone": "development zone",
}
#: Development-zone classes -> their kind.
ZONE_KINDS: dict[str, str] = {
    "kg:EconomicTechnologicalDevelopmentZone": "economic-technological development zone",
    "kg:EconomicDevelopmentZone": "economic development zone",
    "kg:HighTechZone": "high-tech zone",
    "kg:NewArea": "new area",
}
#: How many other matches ``also`` lists at most.
MAX_ALSO = 20


@dataclass(frozen=True)
class PlaceRef:
    """A place named in a card: IRI, English and Chinese names, code, level."""

    iri: str
    label: str
    zh: str | None
    code: str | None
    level: str
    in_force: bool = True


@dataclass(frozen=True)
class ArticleRef:
    """An article whose graph mentions the place."""

    article: str
    title: str
    date: str | None


@dataclass(frozen=True)
class PlaceCard:
    """What ``kg place`` shows. ``parents`` runs from the nearest to the country; ``children``
    counts the divisions directly in it (in force, or in force in ``as_of``) by level;
    ``valid_from`` / ``valid_until`` are the years of :mod:`kg.rdf.gazetteer` (in force as of
    year Y when valid_from <= Y < valid_until)."""

    iri: str
    label: str
    level: str
    kind: str | None
    code: str | None
    notation: str | None
    zh: str | None
    pinyin: str | None
    short: list[str]
    parents: list[PlaceRef]
    children: dict[str, int]
    latitude: float | None
    longitude: float | None
    valid_from: int | None
    valid_until: int | None
    in_force: bool
    replaced_by: list[list[PlaceRef]]
    articles: list[ArticleRef]
    also: list[PlaceRef]
    as_of: int | None = None
    child_places: list[PlaceRef] = field(default_factory=list)


def open_gazetteer(files: list[Path] | None = None) -> Gazetteer:
    """The whole gazetteer, indexed (the project's own files unless others are given)."""
    return Gazetteer(files if files is not None else paths.gazetteer_files())


def _level(node: Node) -> str:
    for cls, level in LEVELS.items():
        if cls in node.classes:
            return level
    return "place"


def _names(node: Node, lang: str) -> list[str]:
    return [text for text, tag in node.names if tag == lang]


def ref(gaz: Gazetteer, iri: str, year: int | None = None) -> PlaceRef:
    node = gaz.nodes[iri]
    en, zh = _names(node, "en"), _names(node, "zh")
    return PlaceRef(iri, en[0] if en else iri, zh[0] if zh else None, node.code or node.notation, _level(node), node.in_force(year))


def chain(gaz: Gazetteer, iri: str) -> list[PlaceRef]:
    """The places ``iri`` is in, nearest first, up to the country (the gazetteer's own parents)."""
    out: list[PlaceRef] = []
    seen = {iri}
    node = gaz.nodes[iri]
    while node.parents:
        parent = node.parents[0]
        if parent in seen or parent not in gaz.nodes:
            break
        seen.add(parent)
        out.append(ref(gaz, parent))
        node = gaz.nodes[parent]
    return out


def _expand(query: str) -> str | None:
    """The IRI a query names (``place:baotou`` or a full IRI), else None."""
    if query.startswith(("http://", "https://")):
        return query
    prefix, sep, local = query.partition(":")
    if sep and prefix in PREFIXES and local and " " not in local:
        return PREFIXES[prefix] + local
    return None


def _mentioned(project: Dataset | None) -> dict[str, list[ArticleRef]]:
    """IRI -> the articles whose graphs use it (as subject or object)."""
    if project is None:
        return {}
    out: dict[str, set[ArticleRef]] = {}
    articles: dict[object, ArticleRef | None] = {}
    for s, _, o, g in project.quads((None, None, None, None)):
        if g not in articles:
            article = project.value(g, PROV.wasDerivedFrom)  # an article graph names its article
            if article is None:
                articles[g] = None
            else:
                title = project.value(article, SCHEMA.headline)
                date = project.value(article, SCHEMA.datePublished)
                articles[g] = ArticleRef(str(article), str(title) if title is not None else str(article), str(date) if date is not None else None)
        found = articles[g]
        if found is None:
            continue
        for term in (s, o):
            if isinstance(term, URIRef):
                out.setdefault(str(term), set()).add(found)
    return {k: sorted(v, key=lambda a: (a.date or "", a.title)) for k, v in out.items()}


def _project_matches(project: Dataset | None, query: str, gaz: Gazetteer) -> list[PlaceRef]:
    """The project's entities (not gazetteer nodes) one of whose names contains the query."""
    if project is None or not query.strip():
        return []
    wanted = query.casefold()
    found: dict[str, PlaceRef] = {}
    for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label, SKOS.hiddenLabel):
        for s, o in project.subject_objects(prop):
            if isinstance(s, URIRef) and isinstance(o, Literal) and str(s) not in gaz.nodes and wanted in str(o).casefold():
                if str(s) not in found:
                    label = project.value(s, SKOS.prefLabel) or o
                    zh = next((str(x) for x in project.objects(s, SKOS.altLabel) if isinstance(x, Literal) and x.language == "zh"), None)
                    found[str(s)] = PlaceRef(str(s), str(label), zh, None, "in the articles")
    return [found[k] for k in sorted(found)]


def resolve(gaz: Gazetteer, query: str, as_of: int | None = None, mentioned: dict | None = None) -> tuple[str, list[str]]:
    """The node a query names, and the other gazetteer nodes of that name (see the module's
    docstring for the order); an unknown name, or one with no node in force in ``as_of``, is a
    UsageError."""
    iri = _expand(query.strip())
    if iri is not None:
        if iri not in gaz.nodes:
            raise UsageError(f"no division or zone with the IRI <{iri}> in the gazetteer")
        if as_of is not None and not gaz.nodes[iri].in_force(as_of):
            raise UsageError(f"<{iri}> was not in force in {as_of}: {_span_text(gaz, iri)}")
        return iri, []
    found = gaz.find(query)
    if not found:
        raise UsageError(f"no division or zone of China is named or coded {query!r} (try its Chinese name, pinyin or code)")
    usable = [i for i in found if gaz.nodes[i].in_force(as_of)]
    if not usable:
        if as_of is not None:
            spans = "; ".join(_span_text(gaz, i) for i in found)
            raise UsageError(f"{query!r} names no division in force in {as_of}: {spans}")
        usable = sorted(found, key=lambda i: -(gaz.nodes[i].valid_until or 0))
    mentioned = mentioned or {}
    order = list(LEVELS.values())

    def rank(i: str) -> tuple:
        node = gaz.nodes[i]
        return (node.code is None, i not in mentioned, order.index(_level(node)) if _level(node) in order else 9, node.code or "", i)

    usable.sort(key=rank)
    chosen = usable[0]
    return chosen, [i for i in found if i != chosen]


def _span_text(gaz: Gazetteer, iri: str) -> str:
    node = gaz.nodes[iri]
    r = ref(gaz, iri)
    return f"{r.code} {r.label} {node.valid_from or 'before 1980'}-{node.valid_until or 'now'}"


def place_card(
    query: str,
    as_of: int | None = None,
    gazetteer: Gazetteer | None = None,
    project: Dataset | None = None,
) -> PlaceCard:
    """The card of the division or zone ``query`` names (see the module's docstring);
    ``project`` gives the articles that mention it and the other entities of that name."""
    gaz = gazetteer if gazetteer is not None else open_gazetteer()
    mentioned = _mentioned(project)
    iri, others = resolve(gaz, query, as_of, mentioned)
    node = gaz.nodes[iri]
    en, zh = _names(node, "en"), _names(node, "zh")
    point = gaz.point(iri)
    children: dict[str, int] = {}
    child_places = []
    for child in sorted(gaz.children.get(iri, ())):
        c = gaz.nodes[child]
        if c.in_force(as_of):
            children[_level(c)] = children.get(_level(c), 0) + 1
            child_places.append(ref(gaz, child, as_of))
    also_iris = list(others)
    for other in gaz.containing(query.strip()) if query.strip() and _expand(query.strip()) is None else []:
        if other != iri and other not in also_iris:
            also_iris.append(other)
    also = [ref(gaz, i, as_of) for i in also_iris[:MAX_ALSO]]
    also += _project_matches(project, query.strip(), gaz)[:MAX_ALSO]
    kind = next((k for cls, k in ZONE_KINDS.items() if cls in node.classes), None)
    return PlaceCard(
        iri=iri,
        label=en[0] if en else iri,
        level=_level(node),
        kind=kind,
        code=node.code,
        notation=node.notation,
        zh=zh[0] if zh else None,
        pinyin=next(iter(_names(node, "zh-latn-pinyin")), None),
        short=zh[1:],
        parents=chain(gaz, iri),
        children=children,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        valid_from=node.valid_from,
        valid_until=node.valid_until,
        in_force=node.in_force(as_of),
        replaced_by=[[ref(gaz, r), *chain(gaz, r)] for r in node.replaced_by if r in gaz.nodes],
        articles=mentioned.get(iri, []),
        also=also,
        as_of=as_of,
        child_places=child_places,
    )
