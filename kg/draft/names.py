"""Names: normalising them, minting IRIs, and an index of the names the graph already has.

:class:`NameIndex` maps normalised names (English and Chinese, with and without "City",
"District", "Co., Ltd." ...) to the IRIs that carry them. Build it from a dataset with
:meth:`NameIndex.from_dataset`; the gazetteer (or anything else) adds names with
:meth:`NameIndex.add`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kg.namespaces import ID, KG

#: Kind (the IRI path segment) -> default class for a new thing of that kind.
KIND_CLASS = {
    "place": KG.Place, "park": KG.IndustrialPark, "org": KG.Organization, "person": KG.Person,
    "event": KG.Event, "infra": KG.Infrastructure, "industry": KG.Industry, "product": KG.ProductType,
    "technology": KG.Technology, "designation": KG.Designation,
}
#: Priority when one name belongs to things of several kinds.
KIND_ORDER = ["place", "park", "org", "person", "event", "infra", "industry", "technology", "product",
              "designation"]

_APOS = "'’‘`´"
#: Words a name may carry or drop: "Baotou city" is Baotou, "Jiangsu Laohu Co., Ltd." is the firm.
_GENERIC_SUFFIXES = [
    "co., ltd.", "co., ltd", "co.,ltd.", "co. ltd.", "company limited", "co. limited", "limited", "ltd.", "ltd",
    "co.", "co", "inc.", "inc", "corp.", "corporation", "city", "district", "county", "province",
    "autonomous region", "municipality", "prefecture", "township", "town", "region",
]
_GENERIC_PREFIXES = ["the "]
#: Keys never indexed on their own: generic words a stripped name can shrink to.
_NEVER = {"the", "park", "zone", "city", "district", "company", "group", "region", "province", "county",
          "area", "center", "centre", "association", "government", "north", "south", "east", "west", "new"}
_ZH_SUFFIXES = ["有限责任公司", "股份有限公司", "有限公司", "公司", "自治区", "省", "市", "区", "县", "镇"]


def fold(text: str) -> str:
    """Case-fold, straighten quotes and apostrophes, fold white space; keep letters and CJK."""
    text = unicodedata.normalize("NFKC", text)
    for a in _APOS:
        text = text.replace(a, "'")
    text = text.replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split())


def name_keys(name: str) -> list[str]:
    """The normalised forms under which a name is indexed and looked up: the name itself, and
    without the article, quotes and generic suffixes (repeatedly: "X Co., Ltd." -> "x")."""
    base = fold(name)
    base = re.sub(r"[\"]", "", base).strip(" ,.")
    keys = [base]
    k = base
    changed = True
    while changed:
        changed = False
        for p in _GENERIC_PREFIXES:
            if k.startswith(p):
                k = k[len(p):]
                changed = True
        for suf in _GENERIC_SUFFIXES:
            if k.endswith(" " + suf) and len(k) > len(suf) + 2:
                k = k[: -len(suf) - 1].rstrip(" ,")
                changed = True
        if k not in keys:
            keys.append(k)
    if re.search(r"[\u4e00-\u9fff]", base):
        for suf in _ZH_SUFFIXES:
            if base.endswith(suf) and len(base) > len(suf) + 1:
                keys.append(base[: -len(suf)])
                break
    return [x for x in dict.fromkeys(keys) if x]


_TOKEN = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")


#: Ordinals as names write them: "No 1 Machinery Group", "No. 2 Plant", "1st" are "first", "second".
_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "6": "sixth",
             "7": "seventh", "8": "eighth", "9": "ninth", "10": "tenth"}
_ORDINAL_SUFFIX = re.compile(r"(\d+)(?:st|nd|rd|th)")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens (lower-cased) with offsets; a possessive "'s" is dropped, CJK runs are one
    token, hyphens and apostrophes separate words ("High-end" is "high end"), and an ordinal
    is its word ("No 1", "No. 1", "1st" are "first", as one token)."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0).lower()
        if tok == "s" and m.start() > 0 and text[m.start() - 1] in _APOS:
            continue
        suffixed = _ORDINAL_SUFFIX.fullmatch(tok)
        if suffixed and suffixed.group(1) in _ORDINALS:
            tok = _ORDINALS[suffixed.group(1)]
        elif tok in _ORDINALS and out and out[-1][0] in ("no", "number") \
                and re.fullmatch(r"\.?\s*", text[out[-1][2]:m.start()]):
            out[-1] = (_ORDINALS[tok], out[-1][1], m.end())
            continue
        out.append((tok, m.start(), m.end()))
    return out


def key_of(name: str) -> str:
    return " ".join(t for t, _, _ in tokens(name))


def slugify(name: str) -> str:
    """Lower-case kebab-case ASCII slug, without "the", quotes or firm suffixes."""
    k = name_keys(name)
    text = k[-1] if len(k) > 1 and any(
        fold(name).endswith(s) for s in ["co", "co.", "ltd", "ltd.", "inc", "inc.", "limited"]) else k[0]
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"^the\s+", "", text)
    text = text.replace("&", " and ").replace("'s ", "s ").replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "unnamed"


def mint_iri(kind: str, name: str) -> URIRef:
    """The project's IRI for a new thing: ``https://w3id.org/kg/id/<kind>/<slug>``."""
    return URIRef(f"{ID}{kind}/{slugify(name)}")


def kind_of(iri: str) -> str | None:
    if not iri.startswith(ID):
        return None
    return iri[len(ID):].split("/", 1)[0]


@dataclass
class Known:
    """What the index knows of one thing."""

    iri: URIRef
    kind: str | None
    label: str | None = None
    classes: set[URIRef] = field(default_factory=set)
    names: set[tuple[str, str | None]] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    parents: set[URIRef] = field(default_factory=set)  # kg:locatedIn


class NameIndex:
    """Normalised name -> IRIs, for linking what an article names to what the graph has."""

    def __init__(self) -> None:
        self._keys: dict[str, set[URIRef]] = {}
        self.known: dict[URIRef, Known] = {}
        self.max_words = 1

    def add(self, iri: str | URIRef, name: str, kind: str | None = None, *, lang: str | None = None,
            label: bool = False, cls: URIRef | None = None) -> None:
        """Index ``name`` (any language; a code such as "150200" works too) for ``iri``.
        ``label=True`` makes it the thing's canonical English name if it has none yet."""
        iri = URIRef(iri)
        k = self.known.get(iri)
        if k is None:
            k = self.known[iri] = Known(iri, kind or kind_of(iri))
        if kind and not k.kind:
            k.kind = kind
        if cls is not None:
            k.classes.add(cls)
        if label and not k.label:
            k.label = name
        if re.fullmatch(r"\d{6,12}", name.strip()):
            k.codes.add(name.strip())
        k.names.add((name, lang))
        for key in {key_of(k) for k in name_keys(name)}:
            if not key or key in _NEVER:
                continue
            self._keys.setdefault(key, set()).add(iri)
            self.max_words = max(self.max_words, len(key.split()))

    def lookup(self, name: str) -> list[URIRef]:
        """IRIs whose names match ``name`` (normalised), best kind first."""
        found: set[URIRef] = set()
        for key in name_keys(name):
            found |= self._keys.get(key_of(key), set())
            if found:
                break
        return sorted(found, key=self._rank)

    def _rank(self, iri: URIRef) -> tuple[int, str]:
        kind = self.known[iri].kind if iri in self.known else None
        return (KIND_ORDER.index(kind) if kind in KIND_ORDER else 99, str(iri))

    def has_key(self, key: str) -> bool:
        return key in self._keys

    def iris_for_key(self, key: str) -> list[URIRef]:
        return sorted(self._keys.get(key, set()), key=self._rank)

    def __len__(self) -> int:
        return len(self.known)

    @classmethod
    def from_dataset(cls, ds, *, exclude_graphs: Iterable[URIRef] = ()) -> "NameIndex":  # type: ignore[no-untyped-def]
        """Index every rdfs:label, skos:prefLabel and skos:altLabel (any language) of every
        instance IRI in ``ds`` (an rdflib Dataset or Graph), with classes and codes."""
        index = cls()
        index.extend(ds, exclude_graphs=exclude_graphs)
        return index

    def extend(self, ds, *, exclude_graphs: Iterable[URIRef] = ()) -> None:  # type: ignore[no-untyped-def]
        excluded = {URIRef(g) for g in exclude_graphs}
        graphs = list(ds.graphs()) if hasattr(ds, "graphs") else [ds]
        for g in graphs:
            if g.identifier in excluded:
                continue
            self.add_triples(g.triples((None, None, None)))

    def add_triples(self, triples: Iterable[tuple]) -> None:  # type: ignore[type-arg]
        """Index labels (rdfs:label, skos:prefLabel, skos:altLabel), classes, kg:adminCode and
        kg:locatedIn from (subject, predicate, object) rdflib terms; other triples are ignored."""
        for s, p, o in triples:
            if not isinstance(s, URIRef) or not str(s).startswith(ID):
                continue
            kind = kind_of(str(s))
            if kind in {"obs", "article", "membership", "award"}:
                continue
            if p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel) and isinstance(o, Literal):
                self.add(s, str(o), kind, lang=o.language, label=(p == SKOS.prefLabel))
            elif p == RDF.type and isinstance(o, URIRef):
                self.known.setdefault(s, Known(s, kind)).classes.add(o)
            elif p == KG.adminCode:
                self.add(s, str(o), kind)
            elif p == KG.locatedIn and isinstance(o, URIRef):
                self.known.setdefault(s, Known(s, kind)).parents.add(o)
