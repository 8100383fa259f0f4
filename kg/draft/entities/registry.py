"""The things an article names and where it names them: linking a name to a node of the graph
or proposing (minting) a new one, the mentions, a sentence's subject, the article's main subject."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.draft.article import Article, Sentence
from kg.draft.entities.choosing import abbreviation_of, by_parent
from kg.draft.names import KIND_CLASS, NameIndex, fold, key_of, kind_of, mint_iri, name_keys
from kg.namespaces import KG


@dataclass
class Entity:
    """A thing the draft names: linked to an existing IRI or new."""

    iri: URIRef
    kind: str
    cls: URIRef
    label: str
    existing: bool
    why: str
    alt_labels: set[tuple[str, str]] = field(default_factory=set)
    sentence: int = -1
    evidence: str | None = None


@dataclass
class Mention:
    iri: URIRef
    start: int  # absolute offsets in the article
    end: int
    sentence: int
    how: str  # "index", "form", "anaphor", "person", "appositive"
    text: str


class Entities:
    """The things found in one article, in order of first mention."""

    def __init__(self, article: Article, index: NameIndex) -> None:
        self.article = article
        self.index = index
        self.by_iri: dict[URIRef, Entity] = {}
        self.mentions: list[Mention] = []
        self.by_sentence: dict[int, list[Mention]] = {}
        self.local: dict[str, URIRef] = {}  # names the article itself introduces
        self.resolved: dict[int, URIRef | None] = {}  # sentence -> its subject (with fallbacks)

    # -- registry -------------------------------------------------------------------------
    def classes_of(self, iri: URIRef) -> set[URIRef]:
        e = self.by_iri.get(iri)
        out = set()
        if e:
            out.add(e.cls)
        k = self.index.known.get(iri)
        if k:
            out |= k.classes
        return out

    def matches(self, iri: URIRef, spec: str) -> bool:
        kind, _, cls = spec.partition(":")
        if kind_of(str(iri)) != kind:
            return False
        if not cls:
            return True
        return any(str(c).endswith("#" + cls) for c in self.classes_of(iri))

    def link_or_mint(self, name: str, kind: str | None, cls: URIRef | None, why: str, sent: Sentence) -> URIRef:
        found = self.index.lookup(name)
        if kind:
            same = [i for i in found if kind_of(str(i)) == kind]
            found = same or ([] if kind in ("person", "event", "park") else found)
        keys = [key_of(k) for k in name_keys(name)]
        for key in keys:
            if not found and key in self.local:
                return self.local[key]
        if not found and kind:
            found = abbreviation_of(self.index, name, kind)
            if found:
                why = f"'{name}' reads as a short form of '{self.index.known[found[0]].label}'"
        if found:
            iri = by_parent(self.index, self.article, found)
            if iri not in self.by_iri:
                k = self.index.known.get(iri)
                kcls = sorted(k.classes)[0] if k and k.classes else KIND_CLASS.get(kind_of(str(iri)) or "", KG.Place)
                label = (k.label if k and k.label else name)
                self.by_iri[iri] = Entity(iri, kind_of(str(iri)) or "", kcls, label, True,
                                          f"linked: '{name}' is a name of this node in the graph ({why})",
                                          sentence=sent.index)
            e = self.by_iri[iri]
            if fold(name) not in {fold(e.label)} | {fold(a) for a, _ in e.alt_labels} and \
                    not re.search(r"[\u3400-\u9fff]", name):
                e.alt_labels.add((name, "en"))
            return iri
        kind = kind or "org"
        cls = cls or KIND_CLASS[kind]
        label = name
        if kind == "place":
            label = re.sub(r"\s+(?:[Cc]ity|[Pp]rovince|[Aa]utonomous [Rr]egion|[Mm]unicipality)$", "", name)
        iri = mint_iri(kind, label)
        if iri in self.by_iri:
            e = self.by_iri[iri]
            if fold(name) != fold(e.label):
                e.alt_labels.add((name, "en"))
        else:
            self.by_iri[iri] = Entity(iri, kind, cls, label, False, f"new: {why}", sentence=sent.index,
                                      evidence=sent.text)
            if label != name:
                self.by_iri[iri].alt_labels.add((name, "en"))
        for key in keys:
            self.local.setdefault(key, iri)
        return iri

    def register_known(self, iri: URIRef, surface: str, sent: Sentence) -> None:
        if iri in self.by_iri or iri not in self.index.known:
            return
        k = self.index.known[iri]
        kcls = sorted(k.classes)[0] if k.classes else KIND_CLASS.get(k.kind or "", KG.Place)
        self.by_iri[iri] = Entity(iri, k.kind or "", kcls, k.label or surface, True,
                                  f"linked: '{surface}' is a name of this node in the graph", sentence=sent.index)

    def add_mention(self, iri: URIRef, start: int, end: int, sent: Sentence, how: str) -> None:
        text = self.article.text[start:end]
        m = Mention(iri, start, end, sent.index, how, text)
        lst = self.by_sentence.setdefault(sent.index, [])
        if any(x.start == start and x.end == end and x.iri == iri for x in lst):
            return
        lst.append(m)
        lst.sort(key=lambda x: (x.start, -x.end))
        self.mentions.append(m)

    def last(self, spec: tuple[str, ...], before: int, *, exclude: set[URIRef] | None = None) -> URIRef | None:
        for m in reversed(self.mentions):
            if m.start >= before or (exclude and m.iri in exclude):
                continue
            if any(self.matches(m.iri, s) for s in spec):
                return m.iri
        return None

    def subject_of(self, sent_index: int) -> URIRef | None:
        """The sentence's subject: its first named thing that is not an industry, product or
        technology, preferring one not in a locative phrase ("in X")."""
        cands = [m for m in self.by_sentence.get(sent_index, [])
                 if kind_of(str(m.iri)) in ("place", "park", "org", "person", "event", "infra", "designation")]
        if not cands:
            return None
        text = self.article.text
        locative = False
        for m in cands:
            before = text[max(0, m.start - 12):m.start].lower()
            if re.search(r"\b(?:in|of|from|to|under|near|at|by|across|into|with|for)\s+(?:the\s+)?$", before) or \
                    (locative and re.search(r"\band\s+$", before)):
                locative = True
                continue
            return m.iri
        return cands[0].iri

    def main_subject(self) -> URIRef | None:
        """The article's main subject: the thing named most (the title counts three times)."""
        score: dict[URIRef, int] = {}
        title = fold(self.article.title)
        for m in self.mentions:
            if kind_of(str(m.iri)) in ("industry", "technology", "product", "designation", "person"):
                continue
            score[m.iri] = score.get(m.iri, 0) + 1
        for iri, e in self.by_iri.items():
            names = [e.label] + [a for a, _ in e.alt_labels]
            if iri in score and any(fold(n) and fold(n) in title for n in names):
                score[iri] += 3
        if not score:
            return None
        return max(sorted(score), key=lambda i: score[i])

