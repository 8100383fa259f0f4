"""Choosing among candidates: of several nodes one name has, the one the article means (by the
parent it names, by the cue words around it); a known name that a shorter one abbreviates."""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.draft.article import Article, Sentence
from kg.draft.names import NameIndex, fold, key_of, kind_of, name_keys


#: Words that say what kind of thing a name of several kinds is, in its sentence or paragraph.
KIND_CUES: dict[str, re.Pattern] = {
    "technology": re.compile(r"\btechnolog(?:y|ies)\b", re.I),
    "industry": re.compile(r"\b(?:industries|sectors?)\b", re.I),
    "product": re.compile(r"\bproducts?\b", re.I),
}


def by_parent(index: NameIndex, article: Article, iris: list[URIRef]) -> URIRef:
    """Several places of one name (the gazetteer has two "Qingshan District"s): the one whose
    parent (kg:locatedIn), or the parent's parent, the article names; else the first."""
    if len(iris) < 2:
        return iris[0]
    text = fold(article.text)

    def named(iri: URIRef, depth: int = 2) -> bool:
        k = index.known.get(iri)
        for parent in sorted(k.parents) if k else []:
            p = index.known.get(parent)
            names = [n for n, _ in p.names] if p else []
            if any(len(key) > 2 and re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", text)
                   for n in names for key in name_keys(n)[-1:]):
                return True
            if depth > 1 and named(parent, depth - 1):
                return True
        return False

    return next((i for i in iris if named(i)), iris[0])


def by_context(index: NameIndex, article: Article, iris: list[URIRef], sent: Sentence, s: int, e: int) -> URIRef:
    """One name, nodes of several kinds ("industrial internet" as an industry and as a
    technology): the kind whose cue words ("technologies", "industries" ...) the sentence,
    then its paragraph, uses (the name itself left out); else the first by kind order."""
    kinds = {kind_of(str(i)) for i in iris}
    if len(iris) < 2 or len(kinds) < 2:
        return by_parent(index, article, iris)
    here = sent.text[:s] + " " + sent.text[e:]
    para = " ".join(x.text for x in article.sentences if x.paragraph == sent.paragraph and x is not sent)

    def score(iri: URIRef) -> int:
        cue = KIND_CUES.get(kind_of(str(iri)) or "")
        return 0 if cue is None else 2 * len(cue.findall(here)) + len(cue.findall(para))

    best = max(score(i) for i in iris)
    return next(i for i in iris if score(i) == best)


def abbreviation_of(index: NameIndex, name: str, kind: str) -> list[URIRef]:
    """A known name of the same kind that ``name`` shortens: same first and last word, and
    every word of ``name`` in it in order ("Baotou Equipment Park" for "Baotou Equipment
    Manufacturing Industrial Park"); never one conjunct of a coordination ("A and B")."""
    words = key_of(name).split()
    if len(words) < 2:
        return []
    hits = set()
    for iri, k in index.known.items():
        if k.kind != kind:
            continue
        for n, _ in k.names:
            other = key_of(n).split()
            if len(other) <= len(words) or other[0] != words[0] or other[-1] != words[-1]:
                continue
            if "and" in other and "and" not in words:
                continue  # "new materials" is one part of "new energy and new materials", not its short form
            it = iter(other)
            if all(w in it for w in words):
                hits.add(iri)
    return sorted(hits) if len(hits) == 1 else []
