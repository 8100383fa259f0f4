"""The draft as RDF: one named graph per article in the curated files' conventions, every
drafted node marked ``kg:reviewStatus kgs:draft`` (or ``kgs:needs-review``), and TriG text with
a comment above each statement saying why it was proposed."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Dataset, Literal, URIRef
from rdflib.namespace import PROV, SKOS, XSD

from kg import paths
from kg.draft.article import Article
from kg.draft.entities import Entities, recognise
from kg.draft.figures import Figure, extract_figures
from kg.draft.names import NameIndex, kind_of, slugify
from kg.draft.relations import KNOWN_ROLES, Post, Relation, extract_relations
from kg.namespaces import ARTICLE, GRAPH, KG, KGM, KGS, MEMBERSHIP, OBS, PREFIXES, SCHEMA, W3ORG, bind_prefixes

#: The review marker (proposed ontology terms: kg:reviewStatus, kgs:draft, kgs:needs-review).
REVIEW_STATUS = KG.reviewStatus
DRAFT = KGS.draft
NEEDS_REVIEW = KGS["needs-review"]
REVIEW_NOTE = KG.reviewNote
UNSPECIFIED_MEASURE = KGM.unspecified

_STOP = {"a", "an", "the", "of", "in", "on", "for", "and", "to", "its", "itself", "from", "as", "with", "by",
         "at", "into", "s", "is", "be", "builds", "chinese", "city", "new"}


class DraftDataset(Dataset):
    """An rdflib Dataset that also remembers why each statement was proposed
    (``reasons[(s, p, o)]`` and ``reasons[s]``), for the comments :func:`write_draft` writes."""

    def __init__(self) -> None:
        super().__init__()
        self.reasons: dict[object, str] = {}
        self.graph_iri: URIRef | None = None
        self.figures: list[Figure] = []
        self.relations: list[Relation] = []
        self.posts: list[Post] = []
        self.entities: Entities | None = None


def article_slug(article: Article) -> str:
    """A few words of the title and the year, in kebab-case."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", article.title.lower().replace("’s", "").replace("'s", ""))
             if w not in _STOP]
    slug = "-".join(words[:4]) or "article"
    if article.year:
        slug += f"-{article.year}"
    return slug


def text_hash(text: str) -> str:
    """Sixteen hex digits of the SHA-256 of the text (the article's address is not in the text)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _next_id(graphs_dir: Path | None) -> int:
    if graphs_dir is None:
        graphs_dir = paths.data_dir() / "graphs"
    nums = [int(p.name[:3]) for p in Path(graphs_dir).glob("[0-9][0-9][0-9]-*.trig")]
    nums += [int(p.name[:3]) for p in (Path(graphs_dir).parent / "articles").glob("[0-9][0-9][0-9]_*.txt")]
    return max(nums) + 1 if nums else 0


def draft_file_name(article: Article, id: int | str | None = None, *, graphs_dir: Path | None = None) -> str:
    """``NNN-<slug>.trig`` (docs/adding-an-article.md): NNN is ``id`` or the next free number
    in the data folder."""
    n = int(id) if id is not None else _next_id(graphs_dir)
    return f"{n:03d}-{article_slug(article)}.trig"


def text_file_name(article: Article, id: int | str | None = None, *, graphs_dir: Path | None = None) -> str:
    """``NNN_<hash>.txt``: where the article's text goes, the hash taken from the text."""
    n = int(id) if id is not None else _next_id(graphs_dir)
    return f"{n:03d}_{text_hash(article.text)}.txt"


def _dec(v: Decimal) -> Literal:
    v = v.normalize()
    text = format(v, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _period(p: str) -> Literal:
    return Literal(p, datatype=XSD.date if len(p) == 10 else XSD.gYear)


def draft_graph(article: Article, index: NameIndex | None = None) -> DraftDataset:
    """Draft the article's named graph: metadata, entities (linked or new), figures, relations,
    posts; every drafted node carries ``kg:reviewStatus``."""
    index = index or NameIndex()
    ents = recognise(article, index)
    main = ents.main_subject()
    figures = extract_figures(article, ents, main)
    rels, posts = extract_relations(article, ents)
    slug = article_slug(article)
    ds = DraftDataset()
    bind_prefixes(ds)
    gi = GRAPH[slug]
    ds.graph_iri = gi
    ds.figures, ds.relations, ds.posts, ds.entities = figures, rels, posts, ents
    g = ds.graph(gi)
    why = ds.reasons
    art = ARTICLE[slug]
    # Metadata.
    g.add((gi, RDF.type, KG.ArticleGraph))
    g.add((gi, RDFS.label, Literal(f"Facts of the article '{article.title}'", lang="en")))
    g.add((gi, PROV.wasDerivedFrom, art))
    g.add((gi, REVIEW_STATUS, DRAFT))
    why[gi] = "the article's graph (kg draft); remove kg:reviewStatus from each node once reviewed"
    g.add((art, RDF.type, KG.Article))
    for p in (SKOS.prefLabel, RDFS.label, SCHEMA.headline):
        g.add((art, p, Literal(article.title, lang="en")))
    if article.date:
        g.add((art, SCHEMA.datePublished, Literal(article.date.isoformat(), datatype=XSD.date)))
        why[(art, SCHEMA.datePublished, Literal(article.date.isoformat(), datatype=XSD.date))] = \
            "the page's dateline, read as the publication date"
    if article.file_name:
        g.add((art, KG.fileName, Literal(article.file_name)))
    if article.publisher:
        pub = ents.link_or_mint(article.publisher, "org", KG.MediaOrganization, "the page names its publisher",
                                article.sentences[0] if article.sentences else None)  # type: ignore[arg-type]
        g.add((art, KG.publisher, pub))
        why[(art, KG.publisher, pub)] = f"the page names its publisher: '{article.publisher}'"
        if not ents.by_iri[pub].existing:
            ents.by_iri[pub].cls = KG.MediaOrganization
    if article.original_source:
        src = ents.link_or_mint(article.original_source, "org", KG.MediaOrganization, "credited as the source",
                                article.sentences[0] if article.sentences else None)  # type: ignore[arg-type]
        g.add((art, KG.originalSource, src))
        why[(art, KG.originalSource, src)] = f"the page credits '({article.original_source})'"
        if not ents.by_iri[src].existing:
            ents.by_iri[src].cls = KG.MediaOrganization
    g.add((art, REVIEW_STATUS, DRAFT))
    # Entities.
    for iri in sorted(ents.by_iri):
        e = ents.by_iri[iri]
        g.add((iri, RDF.type, e.cls))
        g.add((iri, SKOS.prefLabel, Literal(e.label, lang="en")))
        g.add((iri, RDFS.label, Literal(e.label, lang="en")))
        if e.cls == KG.Industry:
            g.add((iri, SKOS.inScheme, KG.industries))
        for name, lang in sorted(e.alt_labels):
            if name != e.label:
                g.add((iri, SKOS.altLabel, Literal(name, lang=lang)))
                why[(iri, SKOS.altLabel, Literal(name, lang=lang))] = (
                    "a Chinese name in brackets after the name" if lang == "zh" else "another name the article uses")
        g.add((iri, REVIEW_STATUS, DRAFT))
        why[iri] = e.why
    # Relations.
    for r in rels:
        g.add((r.subject, r.predicate, r.object))
        g.add((r.subject, KG.evidence, Literal(r.evidence)))
        why[(r.subject, r.predicate, r.object)] = r.why
    # Posts.
    for p in posts:
        role_slug = str(p.role).rsplit("/", 1)[-1]
        m = MEMBERSHIP[f"{slugify(str(p.person).rsplit('/', 1)[-1])}-{str(p.organization).rsplit('/', 1)[-1]}-{role_slug}"]
        g.add((m, RDF.type, KG.Membership))
        g.add((m, RDFS.label, Literal(f"{ents.by_iri[p.person].label}, {p.role_label} of "
                                        f"{ents.by_iri[p.organization].label if p.organization in ents.by_iri else p.organization}", lang="en")))
        g.add((m, W3ORG.member, p.person))
        g.add((m, W3ORG.organization, p.organization))
        g.add((m, W3ORG.role, p.role))
        g.add((m, KG.evidence, Literal(p.evidence)))
        g.add((m, REVIEW_STATUS, DRAFT if role_slug in KNOWN_ROLES else NEEDS_REVIEW))
        if role_slug not in KNOWN_ROLES:
            g.add((m, REVIEW_NOTE, Literal(f"kgrole:{role_slug} is not in the ontology yet", lang="en")))
        why[m] = p.why
    # Figures.
    used: set[URIRef] = set()
    for f in figures:
        about = f.about or main or art
        subj_slug = str(about).rsplit("/", 1)[-1]
        mslug = str(f.measure).rsplit("/", 1)[-1] if f.measure else "figure"
        base = f"{subj_slug}-{mslug}-{f.period}"
        if f.unit == URIRef("http://qudt.org/vocab/currency/USD"):
            base += "-usd"
        o = OBS[base]
        n = 2
        while o in used:
            o = OBS[f"{base}-{n}"]
            n += 1
        used.add(o)
        g.add((o, RDF.type, KG.Measurement))
        g.add((o, KG.about, about))
        g.add((o, KG.measure, f.measure or UNSPECIFIED_MEASURE))
        g.add((o, KG.value, _dec(f.value)))
        g.add((o, KG.unit, f.unit))
        g.add((o, KG.period, _period(f.period)))
        g.add((o, KG.status, f.status))
        if f.qualifier is not None:
            g.add((o, KG.qualifier, f.qualifier))
        if f.yoy is not None:
            g.add((o, KG.yoyChange, _dec(f.yoy)))
        g.add((o, KG.statedAs, Literal(f.stated_as)))
        g.add((o, KG.evidence, Literal(f.evidence)))
        g.add((o, KG.sourceArticle, art))
        g.add((o, REVIEW_STATUS, NEEDS_REVIEW if f.review else DRAFT))
        for r in f.review:
            g.add((o, REVIEW_NOTE, Literal(r, lang="en")))
        why[o] = "; ".join(f.why)
    return ds


# -- TriG writing -------------------------------------------------------------------------------

_QNAME_SAFE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")


def _term(t, prefixes: list[tuple[str, str]]) -> str:  # type: ignore[no-untyped-def]
    if isinstance(t, URIRef):
        s = str(t)
        if t == RDF.type:
            return "a"
        for p, ns in prefixes:
            if s.startswith(ns) and _QNAME_SAFE.match(s[len(ns):]):
                return f"{p}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(t, Literal):
        lex = str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if t.language:
            return f'"{lex}"@{t.language}'
        if t.datatype == XSD.decimal:
            return str(t)
        if t.datatype and t.datatype != XSD.string:
            return f'"{lex}"^^{_term(t.datatype, prefixes)}'
        return f'"{lex}"'
    if isinstance(t, BNode):
        return f"_:{t}"
    raise TypeError(t)


_PRED_ORDER = [RDF.type, SKOS.inScheme, SKOS.prefLabel, RDFS.label, SKOS.altLabel, SCHEMA.headline,
               SCHEMA.datePublished, KG.publisher, KG.originalSource, KG.fileName, PROV.wasDerivedFrom,
               W3ORG.member, W3ORG.organization, W3ORG.role, KG.about, KG.measure, KG.value, KG.unit, KG.period,
               KG.status, KG.qualifier, KG.yoyChange, KG.statedAs]
_SECTION = [("graph", "The graph and its article"), ("article", None), ("place", "Places"),
            ("park", "Parks and zones"), ("org", "Organisations"), ("person", "People"),
            ("membership", "Posts"), ("event", "Events"), ("infra", "Infrastructure"),
            ("industry", "Industries"), ("technology", "Technologies"), ("product", "Products"),
            ("designation", "Designations"), ("obs", "Figures")]


def _section_of(s: URIRef) -> str:
    if str(s).startswith(str(GRAPH)):
        return "graph"
    return kind_of(str(s)) or "other"


def write_draft(article: Article, ds: Dataset) -> str:
    """TriG text of the draft, deterministic (the same input gives the same bytes)."""
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    reasons: dict = getattr(ds, "reasons", {})
    graphs = [g for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)
              and str(g.identifier).startswith(str(GRAPH))]
    out = [f"# Draft of the facts stated by {article.file_name or 'the article'}",
           f"# (\"{article.title}\"{', ' + article.date.isoformat() if article.date else ''}), written by kg draft.",
           "# Nothing here is reviewed: every node carries kg:reviewStatus kgs:draft (or kgs:needs-review,",
           "# with kg:reviewNote saying what to check). Check each statement against the text, correct or",
           "# delete it, then remove its node's kg:reviewStatus line; kg check-article lists what remains.",
           "# A comment above a statement says which pattern proposed it.", ""]
    used = {"kg", "kgm", "kgs", "kgrole", "graph", "article", "obs", "schema", "org", "prov", "skos", "unit",
            "cur", "rdfs", "xsd", "place", "park", "orgn", "person", "event", "infra", "industry", "product",
            "technology", "designation", "membership"}
    for p, ns in PREFIXES.items():
        if p in used:
            out.append(f"@prefix {p}: <{ns}> .")
    out.append("")
    for g in sorted(graphs, key=lambda g: str(g.identifier)):
        out.append(f"{_term(g.identifier, prefixes)} {{")
        subjects = sorted({s for s in g.subjects() if isinstance(s, URIRef)},
                          key=lambda s: ([k for k, _ in _SECTION].index(_section_of(s))
                                         if _section_of(s) in [k for k, _ in _SECTION] else 99, str(s)))
        section = None
        for s in subjects:
            sec = _section_of(s)
            if sec != section:
                title = dict(_SECTION).get(sec)
                if title:
                    out += ["", "    " + "#" * 75, f"    # {title}", "    " + "#" * 75]
                section = sec
            out.append("")
            if s in reasons:
                out.append(f"    # why: {reasons[s]}")
            preds = sorted(set(g.predicates(s)), key=lambda p: (
                _PRED_ORDER.index(p) if p in _PRED_ORDER else len(_PRED_ORDER) + (1 if p in (KG.evidence, KG.sourceArticle, REVIEW_STATUS, REVIEW_NOTE) else 0),
                [KG.evidence, KG.sourceArticle, REVIEW_NOTE, REVIEW_STATUS].index(p) if p in (KG.evidence, KG.sourceArticle, REVIEW_NOTE, REVIEW_STATUS) else 0,
                str(p)))
            lines: list[str] = []
            for p in preds:
                for o in sorted(g.objects(s, p), key=lambda o: (str(type(o)), str(o))):
                    why = reasons.get((s, p, o))
                    if why:
                        lines.append(f"# why: {why}")
                    lines.append(f"{_term(p, prefixes)} {_term(o, prefixes)}")
            out.append(f"    {_term(s, prefixes)}")
            stmt = [i for i, l in enumerate(lines) if not l.startswith("#")]
            last = stmt[-1]
            for i, l in enumerate(lines):
                if l.startswith("#"):
                    out.append(f"        {l}")
                else:
                    out.append(f"        {l} {'.' if i == last else ';'}")
        out.append("}")
    return "\n".join(out) + "\n"
