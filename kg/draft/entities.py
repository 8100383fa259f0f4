"""Finding the things an article names: by the form of the name, by the graph's own names
(a :class:`~kg.draft.names.NameIndex`), and by anaphora ("the park", "the company", "its")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.draft.article import Article, Sentence
from kg.draft.names import KIND_CLASS, NameIndex, fold, key_of, kind_of, mint_iri, name_keys, tokens
from kg.namespaces import KG

# Head words and the kind/class a name ending in them gets ("... Economic Development Zone").
HEADS: list[tuple[str, str, URIRef]] = [
    (r"(?:Co\.?,? ?Ltd\.?|Co\.|Co|Ltd\.?|Inc\.?|Corp\.?|Corporation|Company|Group|Holdings)", "org", KG.Firm),
    (r"(?:Zone|Development Area|New Area)", "park", KG.DevelopmentZone),
    (r"(?:Industrial Park|Science Park|Technology Park|Park|Industrial Estate)", "park", KG.IndustrialPark),
    (r"(?:University|College|Institute|Academy)", "org", KG.Organization),
    (r"(?:Association|Federation|Chamber of Commerce|Alliance|Society)", "org", KG.IndustryAssociation),
    (r"(?:Ministry|Bureau|Commission|Agency|Committee|Administration|Department|Government|Office)", "org",
     KG.GovernmentBody),
    (r"(?:Exhibition|Expo|Fair)", "event", KG.Exhibition),
    (r"(?:Conference|Forum|Summit)", "event", KG.Conference),
    (r"(?:Airport)", "infra", KG.Airport),
    (r"(?:Railway Station|Station)", "infra", KG.RailwayStation),
    (r"(?:Highway|Expressway)", "infra", KG.Highway),
    (r"(?:River)", "infra", KG.River),
    (r"(?:District)", "place", KG.District),
    (r"(?:County)", "place", KG.AdministrativeDivision),
    (r"(?:Township)", "place", KG.Township),
]
_HEAD_RE = [(re.compile(r"(?:^|\s)" + h + r"$"), k, c) for h, k, c in HEADS]
# Heads that open a name: "Ministry of Science and Technology".
_OPENING_HEADS = {"Ministry": KG.GovernmentBody, "Bureau": KG.GovernmentBody, "University": KG.Organization,
                  "Administrative Committee": KG.GovernmentBody}
#: Capitalised words that start a sentence or clause but are not part of a name.
_NOT_NAME_START = {
    "In", "The", "As", "On", "At", "According", "For", "By", "While", "It", "Its", "A", "An", "This", "That",
    "These", "Those", "And", "But", "With", "From", "To", "Of", "After", "Before", "Since", "So", "Today",
    "Meanwhile", "Despite", "Photo", "Our", "We", "He", "She", "They", "His", "Her", "Their", "Another",
    "Tech", "Company", "Local", "Riding", "Last", "This", "Next", "Founded", "Established", "Located",
    "Home", "Updated", "Hi", "Chinas", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    "January", "February", "March", "April", "June", "July", "August", "September", "October", "November",
    "December", "If", "When", "Where", "Also", "However", "Moreover", "Besides", "Over", "About", "Nearly",
    "More", "Some", "All", "Many", "Several", "Each", "Every", "Both", "Such", "Not", "Now", "Then",
}
_CONNECT = {"of", "and", "the", "for", "&", "de", "on", "in"}
_WORD = re.compile(r"[“\"]?[A-Z0-9][\w\-.&’']*[”\"]?|of|and|the|for|&|on|in")

#: Words for anaphora: "the park" -> the last park named, "the company" -> the last firm.
ANAPHORS: dict[str, tuple[str, ...]] = {
    "park": ("park",), "zone": ("park",), "sub-park": ("park",),
    "company": ("org:Firm",), "firm": ("org:Firm",), "group": ("org:Firm",), "enterprise": ("org:Firm",),
    "association": ("org:IndustryAssociation",), "bureau": ("org:GovernmentBody",),
    "committee": ("org:GovernmentBody",), "government": ("org:GovernmentBody",),
    "district": ("place:District",), "city": ("place:PrefectureLevelCity",), "province": ("place:ProvinceLevelDivision",),
    "region": ("place:ProvinceLevelDivision", "place:MacroRegion", "place:EconomicArea"),
    "county": ("place",), "township": ("place:Township",), "town": ("place:Township",),
    "exhibition": ("event",), "conference": ("event",), "forum": ("event",), "expo": ("event",),
    "university": ("org",),
}
_ANAPHOR_RE = re.compile(
    r"\b(?:[Tt]he|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir|[Tt]his)\s+(?P<w>" + "|".join(ANAPHORS) + r")(?:['’]s)?\b")
_PRONOUN_RE = re.compile(r"^[\"“]?(?:[A-Z][\w ]{0,25},\s+)?(?:[Ii]t|[Ii]ts|[Ii]t’s|[Ii]t's|We|Our)\b")

ROLE_WORDS = (r"(?:(?:executive|deputy|vice|general|senior|chief|honorary|founding)\s+)*"
              r"(?:vice\s+)?(?:president|director(?:-general)?|CEO|chief executive(?: officer)?|chairman|chairwoman|"
              r"chair|general manager|manager|secretary|mayor|governor|head|founder|chief engineer|"
              r"party secretary|official|professor|dean|researcher|engineer|spokesperson|spokesman)")
_PERSON = r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})"
PERSON_POST_AFTER = re.compile(_PERSON + r",\s+(?P<role>" + ROLE_WORDS + r")\s+(?:of|at)\s+(?P<org>[^,.;:\"”]+)")
PERSON_POST_BEFORE = re.compile(r"(?P<org>\b[A-Z][\w&\- ]*?)\s+(?P<role>" + ROLE_WORDS + r"),?\s+" + _PERSON + r"\b")
PERSON_SAID = re.compile(r"\bsaid\s+" + _PERSON + r"\b|\b" + _PERSON.replace("name", "name2") + r"\s+said\b")
_ZH_BRACKET = re.compile(r"\s*[(（]\s*([\u3400-\u9fff][\u3400-\u9fff\w·]*)\s*[)）]")
_APPOSITIVE_FIRM = re.compile(
    r"^(?:Tech giant\s+|[A-Z]\w+ giant\s+)?(?P<name>[A-Z][\w\-]*(?: [A-Z][\w\-]*){0,5})"
    r"(?:,\s+an?\s+[^,]{0,60}?\b(?:company|firm|manufacturer|maker|provider|enterprise|producer|group)\b"
    r"|\s+(?:is|was)\s+(?:one of\s+)?(?:the\s+)?[^,.]{0,40}?\b(?:companies|firms|enterprises|manufacturers)\b)")
_GIANT = re.compile(r"\b(?:[Tt]ech|[Ii]ndustry|[A-Za-z]+) giant\s+(?P<name>[A-Z][\w\-]+(?: [A-Z][\w\-]+){0,3})")


#: Words that say what kind of thing a name of several kinds is, in its sentence or paragraph.
KIND_CUES: dict[str, re.Pattern] = {
    "technology": re.compile(r"\btechnolog(?:y|ies)\b", re.I),
    "industry": re.compile(r"\b(?:industries|sectors?)\b", re.I),
    "product": re.compile(r"\bproducts?\b", re.I),
}

_DIRECTION = r"(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral|[Nn]orth(?:east|west)|[Ss]outh(?:east|west))"
_MACRO_REGION_OTHER = re.compile(
    r"\b[Tt]he (?P<d1>" + _DIRECTION + r")(?:ern)? region\b|\bChina(?:['’]s|s) (?P<d2>" + _DIRECTION + r")\b")

_DESIGNATION = re.compile(
    r"\btitle of (?:the )?(?P<d>[A-Z][^,.;“”\"]*?)(?= for | by |,|\.|$)"
    r"|\b(?:named|designated|recognized|recognised|listed)(?: as)? (?:an? |the )?[“\"](?P<q>[^”\"]+)[”\"]")


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
            found = self._abbreviation_of(name, kind)
            if found:
                why = f"'{name}' reads as a short form of '{self.index.known[found[0]].label}'"
        if found:
            iri = self._by_parent(found)
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

    def _register_known(self, iri: URIRef, surface: str, sent: Sentence) -> None:
        if iri in self.by_iri or iri not in self.index.known:
            return
        k = self.index.known[iri]
        kcls = sorted(k.classes)[0] if k.classes else KIND_CLASS.get(k.kind or "", KG.Place)
        self.by_iri[iri] = Entity(iri, k.kind or "", kcls, k.label or surface, True,
                                  f"linked: '{surface}' is a name of this node in the graph", sentence=sent.index)

    def _abbreviation_of(self, name: str, kind: str) -> list[URIRef]:
        """A known name of the same kind that ``name`` shortens: same first and last word, and
        every word of ``name`` in it in order ("Baotou Equipment Park" for "Baotou Equipment
        Manufacturing Industrial Park"); never one conjunct of a coordination ("A and B")."""
        words = key_of(name).split()
        if len(words) < 2:
            return []
        hits = set()
        for iri, k in self.index.known.items():
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

    # -- recognition ----------------------------------------------------------------------
    def scan(self) -> None:
        for sent in self.article.sentences:
            self._scan_sentence(sent)

    def _covered(self, sent: Sentence, s: int, e: int) -> bool:
        return any(m.start < e and s < m.end for m in self.by_sentence.get(sent.index, []) if m.how != "anaphor")

    def _scan_sentence(self, sent: Sentence) -> None:
        text = self.article.text
        base = sent.start
        st = sent.text
        # 1. People and their posts ("X, president of Y", "Company CEO, X").
        for pat in (PERSON_POST_AFTER, PERSON_POST_BEFORE):
            for m in pat.finditer(st):
                name = m.group("name")
                if self.index.lookup(name) and kind_of(str(self.index.lookup(name)[0])) != "person":
                    continue
                iri = self.link_or_mint(name, "person", KG.Person, "a person's name beside a title", sent)
                self.add_mention(iri, base + m.start("name"), base + m.end("name"), sent, "person")
        for m in PERSON_SAID.finditer(st):
            g = "name" if m.group("name") else "name2"
            name = m.group(g)
            if self.index.lookup(name) or self._covered(sent, base + m.start(g), base + m.end(g)):
                continue
            if name.split()[0] in _NOT_NAME_START:
                continue
            iri = self.link_or_mint(name, "person", KG.Person, "a person's name with 'said'", sent)
            self.add_mention(iri, base + m.start(g), base + m.end(g), sent, "person")
        # 2a. Titles and designations: "the title of X", "named a “X”".
        for m in _DESIGNATION.finditer(st):
            g = "d" if m.group("d") else "q"
            name = m.group(g).strip()
            if len(name.split()) < 2:
                continue
            iri = self.link_or_mint(name, "designation", KG.Designation, "a title or designation conferred", sent)
            self.add_mention(iri, base + m.start(g), base + m.start(g) + len(name), sent, "form")
        # 2b. Macro-regions: "North China", "central China", "China's northeast".
        for m in re.finditer(r"\b(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral|[Nn]orth(?:east|west)|[Ss]outh(?:east|west))(?:ern)? China\b", st):
            if self._covered(sent, base + m.start(), base + m.end()):
                continue
            name = m.group(0)
            iri = self.link_or_mint(name[0].upper() + name[1:], "place", KG.MacroRegion, "a macro-region of China", sent)
            self.add_mention(iri, base + m.start(), base + m.end(), sent, "form")
        # "the northwest region", "China's northeast": the same macro-regions, named "Northwest China".
        for m in _MACRO_REGION_OTHER.finditer(st):
            if self._covered(sent, base + m.start(), base + m.end()):
                continue
            direction = m.group("d1") or m.group("d2")
            name = f"{direction[0].upper()}{direction[1:].lower()} China"
            iri = self.link_or_mint(name, "place", KG.MacroRegion, f"'{m.group(0)}' names the macro-region {name}", sent)
            self.add_mention(iri, base + m.start(), base + m.end(), sent, "form")
        # 2. Names by their form (a capitalised run ending in a head word).
        for s, e, name, kind, cls in self._form_names(st):
            if self._covered(sent, base + s, base + e):
                continue
            iri = self.link_or_mint(name, kind, cls, f"name ending in '{name.split()[-1]}' ({kind})", sent)
            self.add_mention(iri, base + s, base + e, sent, "form")
            self._zh_alt(iri, base + e)
        # 3. Appositives: "X, a leading ... company", "X was one of the earliest companies".
        for pat in (_APPOSITIVE_FIRM, _GIANT):
            m = pat.search(st)
            if m:
                name = m.group("name")
                if name.split()[0] in _NOT_NAME_START or self._covered(sent, base + m.start("name"), base + m.end("name")):
                    continue
                iri = self.link_or_mint(name, "org", KG.Firm, "a name described as a company", sent)
                self.add_mention(iri, base + m.start("name"), base + m.end("name"), sent, "appositive")
                words = name.split()
                if len(words) > 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]):
                    self.by_iri[iri].alt_labels.add((words[0], "en"))
                    self.local[fold(words[0])] = iri
        # 4. Names the graph (or this article) already has: longest match over the tokens.
        toks = tokens(st)
        i = 0
        while i < len(toks):
            hit = None
            for n in range(min(self.index.max_words + 1, len(toks) - i), 0, -1):
                words = [t for t, _, _ in toks[i:i + n]]
                key = " ".join(words)
                iris = self.index.iris_for_key(key) or ([self.local[key]] if key in self.local else [])
                if not iris and len(words[-1]) > 4 and words[-1].endswith("s"):
                    # a lost apostrophe: "Jinzhous productivity", "Chinas northeast"
                    key2 = " ".join(words[:-1] + [words[-1][:-1]])
                    iris = self.index.iris_for_key(key2) or ([self.local[key2]] if key2 in self.local else [])
                if iris:
                    hit = (n, iris)
                    break
            if hit:
                n, iris = hit
                s, e = base + toks[i][1], base + toks[i + n - 1][2]
                surface = text[s:e]
                lower_common = surface.islower() and n == 1 and kind_of(str(iris[0])) not in ("industry", "technology", "product")
                if not self._covered(sent, s, e) and not lower_common:
                    iri = self._by_context(iris, sent, s - base, e - base)
                    self._register_known(iri, surface, sent)
                    self.add_mention(iri, s, e, sent, "index")
                    self._zh_alt(iri, e)
                i += n
            else:
                i += 1
        # 5. Anaphora: "the park", "our company", a leading "It".
        for m in _ANAPHOR_RE.finditer(st):
            spec = ANAPHORS[m.group("w").lower()]
            tgt = self.last(spec, base + m.start())
            if tgt is not None and not self._covered(sent, base + m.start(), base + m.end()):
                self.add_mention(tgt, base + m.start(), base + m.end(), sent, "anaphor")
        m = _PRONOUN_RE.match(st)
        if m and sent.index > 0:
            prev = self.resolved.get(sent.index - 1)
            if re.search(r"\b(?:We|Our)\b", m.group(0)):
                # "We ...," said X, president of Y: "we" is Y
                for pm in PERSON_POST_AFTER.finditer(st):
                    org = [x for x in self.by_sentence.get(sent.index, [])
                           if pm.start("org") <= x.start - base < pm.end("org")
                           and kind_of(str(x.iri)) in ("org", "park")]
                    if org:
                        prev = org[0].iri
            if prev is not None:
                self.add_mention(prev, base + m.start(), base + m.end(), sent, "anaphor")
        # The sentence's resolved subject: its own, else its paragraph's, else the last one.
        subj = self.subject_of(sent.index)
        if subj is None:
            first = next((x for x in self.article.sentences if x.paragraph == sent.paragraph), None)
            if first is not None and first.index < sent.index:
                subj = self.resolved.get(first.index)
        if subj is None and sent.index > 0:
            subj = self.resolved.get(sent.index - 1)
        self.resolved[sent.index] = subj

    def _by_parent(self, iris: list[URIRef]) -> URIRef:
        """Several places of one name (the gazetteer has two "Qingshan District"s): the one whose
        parent (kg:locatedIn), or the parent's parent, the article names; else the first."""
        if len(iris) < 2:
            return iris[0]
        text = fold(self.article.text)

        def named(iri: URIRef, depth: int = 2) -> bool:
            k = self.index.known.get(iri)
            for parent in sorted(k.parents) if k else []:
                p = self.index.known.get(parent)
                names = [n for n, _ in p.names] if p else []
                if any(len(key) > 2 and re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", text)
                       for n in names for key in name_keys(n)[-1:]):
                    return True
                if depth > 1 and named(parent, depth - 1):
                    return True
            return False

        return next((i for i in iris if named(i)), iris[0])

    def _by_context(self, iris: list[URIRef], sent: Sentence, s: int, e: int) -> URIRef:
        """One name, nodes of several kinds ("industrial internet" as an industry and as a
        technology): the kind whose cue words ("technologies", "industries" ...) the sentence,
        then its paragraph, uses (the name itself left out); else the first by kind order."""
        kinds = {kind_of(str(i)) for i in iris}
        if len(iris) < 2 or len(kinds) < 2:
            return self._by_parent(iris)
        here = sent.text[:s] + " " + sent.text[e:]
        para = " ".join(x.text for x in self.article.sentences if x.paragraph == sent.paragraph and x is not sent)

        def score(iri: URIRef) -> int:
            cue = KIND_CUES.get(kind_of(str(iri)) or "")
            return 0 if cue is None else 2 * len(cue.findall(here)) + len(cue.findall(para))

        best = max(score(i) for i in iris)
        return next(i for i in iris if score(i) == best)

    def _zh_alt(self, iri: URIRef, end: int) -> None:
        m = _ZH_BRACKET.match(self.article.text, end)
        if m and iri in self.by_iri:
            self.by_iri[iri].alt_labels.add((m.group(1), "zh"))

    def _form_names(self, st: str) -> list[tuple[int, int, str, str, URIRef]]:
        out = []
        for m in re.finditer(r"[“\"]?(?:[A-Z][\w\-’'.]*|\d+(?:st|nd|rd|th)\b)[”\"]?(?:(?:\s+|,\s+(?=Ltd))(?:[“\"]?[A-Z0-9][\w\-’'.]*[”\"]?|of|and|the|for|&|on)(?=[\s,.;:)]|$))*", st):
            words = re.findall(r"\S+", m.group(0))
            offs = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group(0))]
            # drop clause-initial words and trailing connectors / punctuation
            i = 0
            while i < len(words) and words[i].strip("“\"”") in _NOT_NAME_START:
                i += 1
            j = len(words)
            while j > i and words[j - 1] in _CONNECT:
                j -= 1
            while i < j and words[i] in _CONNECT:
                i += 1
            if j - i < 2:
                continue
            sub = words[i:j]
            s = m.start() + offs[i][0]
            e = m.start() + offs[j - 1][1]
            raw = st[s:e]
            clean = raw.rstrip(".,;:") if not raw.endswith(("Co.", "Ltd.", "Inc.", "Corp.")) else raw
            e = s + len(clean)
            for ps, pe in self._split_coordination(clean):
                out.extend(self._name_of(st, s + ps, clean[ps:pe]))
        return out

    @staticmethod
    def _split_coordination(run: str) -> list[tuple[int, int]]:
        """Split "A Group and B Group" / "Ministry of X and the Ministry of Y" into its names."""
        parts = []
        start = 0
        for m in re.finditer(r",? and (?:the )?(?=[A-Z“\"])", run):
            left = run[start:m.start()]
            if any(rx.search(re.sub(r"[“”\"]", "", left)) for rx, _, _ in _HEAD_RE) or run[m.start():m.end()].endswith("the "):
                parts.append((start, m.start()))
                start = m.end()
        parts.append((start, len(run)))
        return parts

    def _name_of(self, st: str, s: int, clean: str) -> list[tuple[int, int, str, str, URIRef]]:
        """The name a capitalised run ``clean`` (at ``s`` in the sentence) holds, with its kind."""
        lead = len(clean) - len(clean.lstrip("“\""))
        name = re.sub(r"[“”\"]", "", clean).strip()
        if len(name.split()) < 2:
            return []
        for rx, kind, cls in _HEAD_RE:
            cut = self._cut_at_head(name, rx, keep_of=(kind == "org"))
            if cut:
                return [(s + lead, s + self._offset_end(clean, cut), cut, kind, cls)]
        for h, cls in _OPENING_HEADS.items():
            if name.startswith(h + " of"):
                return [(s + lead, s + len(clean), name, "org", cls)]
        return []

    @staticmethod
    def _cut_at_head(name: str, rx: re.Pattern, keep_of: bool = True) -> str | None:
        words = name.split(" ")
        for j in range(len(words), 1, -1):
            cand = " ".join(words[:j]).rstrip(",")
            if rx.search(cand) and not cand.split()[-1] in _CONNECT:
                # "X Agency of the Inner Mongolian Autonomous Region": an organisation keeps its
                # "of ..." tail; a place or zone does not ("Qingshan District of Baotou city" is
                # the district, in Baotou)
                if keep_of and j < len(words) and words[j] == "of" and rx.search(cand):
                    return " ".join(words).rstrip(",")
                return cand
        return None

    @staticmethod
    def _offset_end(clean: str, cut: str) -> int:
        # position in ``clean`` where ``cut`` (quotes removed) ends
        k = 0
        for ch in clean:
            if ch in "“”\"":
                k += 1
                continue
            break
        i = k
        n = 0
        while i < len(clean) and n < len(cut):
            if clean[i] in "“”\"":
                i += 1
                continue
            i += 1
            n += 1
        return i


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


def recognise(article: Article, index: NameIndex) -> Entities:
    ents = Entities(article, index)
    ents.scan()
    return ents
