"""Relations an article states in common patterns: containment, founding years, people's posts,
firms in a zone, industries and sub-parks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.draft.article import Article
from kg.draft.entities import Entities, Mention
from kg.draft.names import kind_of, slugify
from kg.namespaces import KG, KGROLE
from kg.draft.entities import PERSON_POST_AFTER, PERSON_POST_BEFORE
from kg.draft.entities import ANAPHORS

#: Roles the ontology has (kgrole:); any other title is proposed as a new kgrole: concept.
KNOWN_ROLES = {"ceo", "president", "executive-vice-president", "director", "senior-official"}


#: The word after (or ending) a division's name in "X, Y province": Y is a division X is in.
_DIVISION_WORDS = r"(?:province|city|district|autonomous region|municipality|prefecture)"
_DIVISION_AFTER = re.compile(r"\s*" + _DIVISION_WORDS + r"\b")  # "Y province"
_DIVISION_ENDING = re.compile(r"\b" + _DIVISION_WORDS + r"$")  # a name that holds it: "Y Autonomous Region"
#: "North China", "Northwest China", "Central China": macro-regions of China by their name.
_IN_CHINA_BY_NAME = re.compile(r"(?:North|South|East|West|Central|Northeast|Northwest|Southeast|Southwest) China")


@dataclass(frozen=True)
class Relation:
    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal
    evidence: str
    why: str


@dataclass(frozen=True)
class Post:
    """A person's post: a kg:Membership (org:member, org:organization, org:role)."""

    person: URIRef
    organization: URIRef
    role: URIRef
    role_label: str
    evidence: str
    why: str


_PLACE_KINDS = ("place",)
_CONTAINERS = ("place", "park")


def _role_iri(title: str) -> URIRef:
    slug = slugify(title.replace("CEO", "ceo").replace("chief executive officer", "ceo").replace("chief executive", "ceo"))
    return KGROLE[slug]


def _list_items(text: str) -> list[str]:
    """Split "a, b, c and d" (or "a, b, and d") into its items."""
    parts = [p.strip() for p in re.split(r",\s*", text) if p.strip()]
    if parts:
        parts[-1] = re.sub(r"^and\s+", "", parts[-1])
        last = re.split(r"\s+and\s+(?=the\s|an?\s|[A-Z“\"])", parts[-1])
        if len(last) != 2:
            last = re.split(r"\s+and\s+", parts[-1])
        if len(last) == 2 and len(last[0].split()) == 1 and len(last[1].split()) > 1 and last[0].islower():
            # "electromechanical and engineering equipment": both share the head noun
            last = [last[0] + " " + last[1].split()[-1], last[1]]
        if len(last) == 2:
            parts = parts[:-1] + last
        elif len(parts) > 1 and parts[-1].startswith("and "):
            parts[-1] = parts[-1][4:]
    return [re.sub(r"^(?:and|the|a|an)\s+", "", p).strip(" .“”\"") for p in parts if p]


def extract_relations(article: Article, ents: Entities) -> tuple[list[Relation], list[Post]]:
    rels: list[Relation] = []
    posts: list[Post] = []
    text = article.text

    def add(s, p, o, ev, why):  # type: ignore[no-untyped-def]
        if s is None or o is None or s == o:
            return
        r = Relation(s, p, o, ev, why)
        if not any(x.subject == s and x.predicate == p and x.object == o for x in rels):
            rels.append(r)

    for sent in article.sentences:
        st = sent.text
        ms: list[Mention] = ents.by_sentence.get(sent.index, [])

        def at(a: int, b: int, kinds: tuple[str, ...] | None = None) -> Mention | None:
            for m in ms:
                if m.start - sent.start >= a and m.end - sent.start <= b and (
                        kinds is None or kind_of(str(m.iri)) in kinds):
                    return m
            return None

        def before(pos: int, kinds: tuple[str, ...] | None = None) -> Mention | None:
            cand = [m for m in ms if m.end - sent.start <= pos and (kinds is None or kind_of(str(m.iri)) in kinds)]
            return cand[-1] if cand else None

        def after(pos: int, kinds: tuple[str, ...] | None = None) -> Mention | None:
            for m in ms:
                if m.start - sent.start >= pos and (kinds is None or kind_of(str(m.iri)) in kinds):
                    return m
            return None

        # "X's Y" / "X’s Y district": Y in X (both places or parks).
        for m in re.finditer(r"['’]s\s+", st):
            a = before(m.start() + 0, _PLACE_KINDS)
            b = after(m.end(), _CONTAINERS)
            if a and b and a.end - sent.start == m.start() and b.start - sent.start == m.end():
                add(b.iri, KG.locatedIn, a.iri, st, "pattern: \"X's Y\" (Y in X)")
        # "Y of X city" / "Y in X" / "Y, X province" / "Y, located in X" / "situated in" / "under X".
        for m in re.finditer(r"(?:(?:\s*[(（][^)）]*[)）])?,?\s+(?:(?:is|are|was|were)\s+)?(?:located|situated|based)\s+(?:in|on)\s+(?:the\s+\w+\s+part\s+of\s+)?|\s+of\s+|\s+in\s+|,\s*(?:a\s+\w+\s+under\s+)?|,\s*capital of\s+)", st):
            a = before(m.start() + 1, _CONTAINERS + ("org", "infra"))
            b = after(m.end() - 0)
            if not a or not b or b.start - sent.start != m.end():
                continue
            gap = st[a.end - sent.start:m.start()].strip().lower()
            if gap not in ("", "city", "district", "county", "province", "region", "autonomous region"):
                continue
            # "located in North China's Inner Mongolia": the last place of a possessive chain
            while True:
                nxt = after(b.end - sent.start, _PLACE_KINDS)
                if nxt is not None and re.fullmatch(r"['’]s\s+", st[b.end - sent.start:nxt.start - sent.start]):
                    b = nxt
                else:
                    break
            if kind_of(str(b.iri)) not in _PLACE_KINDS:
                continue
            sep = m.group(0)
            ka, kb = kind_of(str(a.iri)), kind_of(str(b.iri))
            tail = st[b.end - sent.start:b.end - sent.start + 30].lower()
            if "located" in sep or "situated" in sep or "based" in sep:
                add(a.iri, KG.locatedIn, b.iri, st, "pattern: 'X, located in Y'")
            elif sep.strip() == "of" and ka == "place" and re.match(r"\s*(?:city|province|county)", tail):
                add(a.iri, KG.locatedIn, b.iri, st, "pattern: 'Y of X city'")
            elif sep.strip() == "in" and ka in ("place", "park") and (
                    re.match(r"\s*(?:province|city|region|autonomous region|district|county)", tail)
                    or (ka == "place" and kb == "place")):
                add(a.iri, KG.locatedIn, b.iri, st, "pattern: 'X in Y'")
            elif sep.startswith(",") and "capital" in sep:
                add(a.iri, KG.locatedIn, b.iri, st, "pattern: 'X, capital of Y'")
            elif sep.startswith(",") and "under" in sep:
                add(a.iri, KG.locatedIn, b.iri, st, "pattern: 'X, a township under Y'")
            elif sep.startswith(",") and ka == "place" and (
                    _DIVISION_AFTER.match(tail) or _DIVISION_ENDING.search(b.text.lower())):
                add(a.iri, KG.locatedIn, b.iri, st, "pattern: 'X, Y province'")
        # "X, capital of [central China's] Y": X in Y.
        for m in re.finditer(r",\s*(?:the\s+)?capital of\s+([^,]+)", st):
            a = before(m.start() + 1, ("place",))
            inner = [x for x in ms if x.start - sent.start >= m.start(1) and x.end - sent.start <= m.end(1)
                     and kind_of(str(x.iri)) == "place"]
            if a and inner and a.end - sent.start == m.start():
                add(a.iri, KG.locatedIn, inner[-1].iri, st, "pattern: 'X, capital of Y'")
        # Founding year: "Founded in 2006, the park ..." / "X was founded in 2018" / "X, ... founded in ... in 1997".
        for m in re.finditer(r"\b(?:[Ff]ounded|[Ee]stablished|[Ss]et up|[Bb]uilt)\s+(?:in\s+[A-Z]\w+\s+)?in\s+((?:19|20)\d{2})\b", st):
            if m.start() == 0 or st[:m.start()].strip() in ("", "\"", "“"):
                subj = after(m.end(), ("place", "park", "org", "infra", "event"))
            else:
                subj = before(m.start(), ("park", "org", "infra", "event")) or ents.resolved.get(sent.index) and None
                subj = subj or (ms[0] if ms else None)
            iri = subj.iri if isinstance(subj, Mention) else None
            if iri is not None:
                add(iri, KG.foundingYear, Literal(m.group(1), datatype=XSD.gYear), st, "pattern: 'founded in YYYY'")
        # Sub-parks: "The park has seven sub parks, A, B and C."
        m = re.search(r"\b(?:has|have|includes?|comprises?|consists of)\s+(?:\w+\s+)?(?:sub[- ]?parks|sub-zones|parks within it)\s*[,:]\s*(.+?)\.?$", st)
        if m:
            host = before(m.start(), ("park",)) or (ents.resolved.get(sent.index) and None)
            host_iri = host.iri if host else ents.resolved.get(sent.index)
            if host_iri is not None and kind_of(str(host_iri)) == "park":
                for item in _list_items(m.group(1)):
                    if not item:
                        continue
                    iri = ents.link_or_mint(item, "park", KG.SubPark, "listed as a sub-park", sent)
                    ents.by_iri[iri].cls = KG.SubPark if not ents.by_iri[iri].existing else ents.by_iri[iri].cls
                    add(iri, KG.subParkOf, host_iri, st, "pattern: 'has N sub parks, A, B ...'")
                    add(iri, KG.locatedIn, host_iri, st, "a sub-park is located in its park")
        # Firms in a zone: "N supporting enterprises, such as A and B" / "leading companies including A, B".
        m = re.search(r"\b(?:enterprises|companies|firms|manufacturers)\b[^.]*?\b(?:such as|including|like)\s+(.+?)(?:\.|$)", st)
        if m:
            host = ents.resolved.get(sent.index)
            if host is not None and kind_of(str(host)) == "park":
                for item in _list_items(m.group(1)):
                    if len(item.split()) > 8 or not item[:1].isupper():
                        continue
                    iri = ents.link_or_mint(item, "org", KG.Firm, "listed among a zone's enterprises", sent)
                    add(iri, KG.locatedIn, host, st, "pattern: 'enterprises such as A and B' in a park")
        # "X was one of the earliest companies in the zone": X in the zone.
        m = re.search(r"\b(?:companies|firms|enterprises)\s+in\s+(?:the\s+)?(zone|park)\b", st)
        if m and ms:
            firm = ms[0] if kind_of(str(ms[0].iri)) == "org" else None
            zone = at(m.start(1) - 4, m.end(1) + 1, ("park",))
            if firm and zone:
                add(firm.iri, KG.locatedIn, zone.iri, st, "pattern: 'X was one of the companies in the zone'")
        # Industries: "engaged in A, B and C" / "prioritized X" / "pillars are: A, B" / "leading industries".
        m = re.search(r"\b(?:is|are|was|were)\s+engaged in\s+(.+?)(?:\.|$)", st)
        subj = ents.resolved.get(sent.index)
        if m and subj is not None and not re.search(r"\d", m.group(1)):
            for item in _list_items(m.group(1)):
                iri = ents.link_or_mint(item, "industry", KG.Industry, "an industry the subject is engaged in", sent)
                add(subj, KG.industry, iri, st, "pattern: 'engaged in A, B and C'")
        m = re.search(r"\b(?:pillars|pillar industries|leading industries|key industries)\s+(?:are|include)\s*:?\s*(.+?)(?:\.|$)", st)
        if m:
            host = subj or ents.resolved.get(sent.index - 1)
            if host is not None:
                for item in _list_items(m.group(1)):
                    iri = ents.link_or_mint(item, "industry", KG.Industry, "listed as a pillar industry", sent)
                    add(host, KG.pillarIndustry, iri, st, "pattern: 'the pillars are: A, B ...'")
        m = re.search(r"\b(?:has )?prioriti[sz]ed\s+([a-z][a-z\- ]+?)(?:,|\.| which| as)", st)
        if m and subj is not None:
            iri = ents.link_or_mint(m.group(1), "industry", KG.Industry, "an industry the subject prioritises", sent)
            add(subj, KG.industry, iri, st, "pattern: 'has prioritized X'")
        # People's posts.
        for pat in (PERSON_POST_AFTER, PERSON_POST_BEFORE):
            for pm in pat.finditer(st):
                pstart = sent.start + pm.start("name")
                person = next((x for x in ms if x.start == pstart and kind_of(str(x.iri)) == "person"), None)
                if person is None:
                    continue
                org_text = pm.group("org").strip()
                org_iri = None
                ow = re.match(r"(?:the\s+)?(company|firm|group|association|bureau|committee|zone|park|Company)\b", org_text)
                if ow or org_text.lower() in ("company", "the company"):
                    word = (ow.group(1) if ow else "company").lower()
                    org_iri = ents.last(ANAPHORS.get(word, ("org",)), sent.start + pm.start())
                else:
                    om = at(pm.start("org"), pm.end("org") + 1, ("org", "park", "place"))
                    if om is not None and (om.end - om.start) < 0.8 * len(re.sub(r"^the\s+", "", org_text)):
                        om = None
                    if om is not None:
                        org_iri = om.iri
                    else:
                        name = re.sub(r"^the\s+", "", org_text)
                        org_iri = ents.link_or_mint(name, "org", KG.GovernmentBody if re.search(
                            r"bureau|ministry|commission|government|committee|department", name, re.I) else KG.Organization,
                            "the organisation of a person's post", sent)
                if org_iri is None:
                    continue
                role = pm.group("role")
                role_iri = _role_iri(role.lower() if role != "CEO" else "ceo")
                quote = st[max(0, pm.start() - 5 if st[max(0, pm.start() - 5):pm.start()] == "said " else pm.start()):]
                posts.append(Post(person.iri, org_iri, role_iri, role, st, f"pattern: a person's title ('{pm.group(0)[:60]}')"))
    # A macro-region named "<direction> China" is in China: the name says so.
    for m in list(ents.mentions):
        e = ents.by_iri.get(m.iri)
        if e is None or e.cls != KG.MacroRegion or not _IN_CHINA_BY_NAME.fullmatch(e.label):
            continue
        sent = article.sentences[m.sentence]
        china = ents.link_or_mint("China", "place", KG.Country, "the country a macro-region's name holds", sent)
        add(m.iri, KG.locatedIn, china, sent.text, f"pattern: '{e.label}' is a region of China by its name")
    return rels, posts
