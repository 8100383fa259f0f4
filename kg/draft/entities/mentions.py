"""Finding the things an article names, sentence by sentence: people and their posts,
designations, macro-regions, names by their form, appositives, the graph's own names (longest
match), then anaphora; and each sentence's resolved subject."""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.draft.article import Article, Sentence
from kg.draft.entities.choosing import by_context
from kg.draft.entities.cues import (ANAPHOR_RE, ANAPHORS, APPOSITIVE_FIRM, DESIGNATION, GIANT, MACRO_REGION_OTHER,
                                    PERSON_POST_AFTER, PERSON_POST_BEFORE, PERSON_SAID, PRONOUN_RE, ZH_BRACKET)
from kg.draft.entities.forms import NOT_NAME_START, form_names
from kg.draft.entities.registry import Entities
from kg.draft.names import NameIndex, fold, kind_of, tokens
from kg.namespaces import KG


def recognise(article: Article, index: NameIndex) -> Entities:
    ents = Entities(article, index)
    for sent in article.sentences:
        scan_sentence(ents, sent)
    return ents


def covered(ents: Entities, sent: Sentence, s: int, e: int) -> bool:
    return any(m.start < e and s < m.end for m in ents.by_sentence.get(sent.index, []) if m.how != "anaphor")


def scan_sentence(ents: Entities, sent: Sentence) -> None:
    text = ents.article.text
    base = sent.start
    st = sent.text
    # 1. People and their posts ("X, president of Y", "Company CEO, X").
    for pat in (PERSON_POST_AFTER, PERSON_POST_BEFORE):
        for m in pat.finditer(st):
            name = m.group("name")
            if ents.index.lookup(name) and kind_of(str(ents.index.lookup(name)[0])) != "person":
                continue
            iri = ents.link_or_mint(name, "person", KG.Person, "a person's name beside a title", sent)
            ents.add_mention(iri, base + m.start("name"), base + m.end("name"), sent, "person")
    for m in PERSON_SAID.finditer(st):
        g = "name" if m.group("name") else "name2"
        name = m.group(g)
        if ents.index.lookup(name) or covered(ents, sent, base + m.start(g), base + m.end(g)):
            continue
        if name.split()[0] in NOT_NAME_START:
            continue
        iri = ents.link_or_mint(name, "person", KG.Person, "a person's name with 'said'", sent)
        ents.add_mention(iri, base + m.start(g), base + m.end(g), sent, "person")
    # 2a. Titles and designations: "the title of X", "named a “X”".
    for m in DESIGNATION.finditer(st):
        g = "d" if m.group("d") else "q"
        name = m.group(g).strip()
        if len(name.split()) < 2:
            continue
        iri = ents.link_or_mint(name, "designation", KG.Designation, "a title or designation conferred", sent)
        ents.add_mention(iri, base + m.start(g), base + m.start(g) + len(name), sent, "form")
    # 2b. Macro-regions: "North China", "central China", "China's northeast".
    for m in re.finditer(r"\b(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral|[Nn]orth(?:east|west)|[Ss]outh(?:east|west))(?:ern)? China\b", st):
        if covered(ents, sent, base + m.start(), base + m.end()):
            continue
        name = m.group(0)
        iri = ents.link_or_mint(name[0].upper() + name[1:], "place", KG.MacroRegion, "a macro-region of China", sent)
        ents.add_mention(iri, base + m.start(), base + m.end(), sent, "form")
    # "the northwest region", "China's northeast": the same macro-regions, named "Northwest China".
    for m in MACRO_REGION_OTHER.finditer(st):
        if covered(ents, sent, base + m.start(), base + m.end()):
            continue
        direction = m.group("d1") or m.group("d2")
        name = f"{direction[0].upper()}{direction[1:].lower()} China"
        iri = ents.link_or_mint(name, "place", KG.MacroRegion, f"'{m.group(0)}' names the macro-region {name}", sent)
        ents.add_mention(iri, base + m.start(), base + m.end(), sent, "form")
    # 2. Names by their form (a capitalised run ending in a head word).
    for s, e, name, kind, cls in form_names(st):
        if covered(ents, sent, base + s, base + e):
            continue
        iri = ents.link_or_mint(name, kind, cls, f"name ending in '{name.split()[-1]}' ({kind})", sent)
        ents.add_mention(iri, base + s, base + e, sent, "form")
        zh_alt(ents, iri, base + e)
    # 3. Appositives: "X, a leading ... company", "X was one of the earliest companies".
    for pat in (APPOSITIVE_FIRM, GIANT):
        m = pat.search(st)
        if m:
            name = m.group("name")
            if name.split()[0] in NOT_NAME_START or covered(ents, sent, base + m.start("name"), base + m.end("name")):
                continue
            iri = ents.link_or_mint(name, "org", KG.Firm, "a name described as a company", sent)
            ents.add_mention(iri, base + m.start("name"), base + m.end("name"), sent, "appositive")
            words = name.split()
            if len(words) > 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]):
                ents.by_iri[iri].alt_labels.add((words[0], "en"))
                ents.local[fold(words[0])] = iri
    # 4. Names the graph (or this article) already has: longest match over the tokens.
    toks = tokens(st)
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(ents.index.max_words + 1, len(toks) - i), 0, -1):
            words = [t for t, _, _ in toks[i:i + n]]
            key = " ".join(words)
            iris = ents.index.iris_for_key(key) or ([ents.local[key]] if key in ents.local else [])
            if not iris and len(words[-1]) > 4 and words[-1].endswith("s"):
                # a lost apostrophe: "Jinzhous productivity", "Chinas northeast"
                key2 = " ".join(words[:-1] + [words[-1][:-1]])
                iris = ents.index.iris_for_key(key2) or ([ents.local[key2]] if key2 in ents.local else [])
            if iris:
                hit = (n, iris)
                break
        if hit:
            n, iris = hit
            s, e = base + toks[i][1], base + toks[i + n - 1][2]
            surface = text[s:e]
            lower_common = surface.islower() and n == 1 and kind_of(str(iris[0])) not in ("industry", "technology", "product")
            if not covered(ents, sent, s, e) and not lower_common:
                iri = by_context(ents.index, ents.article, iris, sent, s - base, e - base)
                ents.register_known(iri, surface, sent)
                ents.add_mention(iri, s, e, sent, "index")
                zh_alt(ents, iri, e)
            i += n
        else:
            i += 1
    # 5. Anaphora: "the park", "our company", a leading "It".
    for m in ANAPHOR_RE.finditer(st):
        spec = ANAPHORS[m.group("w").lower()]
        tgt = ents.last(spec, base + m.start())
        if tgt is not None and not covered(ents, sent, base + m.start(), base + m.end()):
            ents.add_mention(tgt, base + m.start(), base + m.end(), sent, "anaphor")
    m = PRONOUN_RE.match(st)
    if m and sent.index > 0:
        prev = ents.resolved.get(sent.index - 1)
        if re.search(r"\b(?:We|Our)\b", m.group(0)):
            # "We ...," said X, president of Y: "we" is Y
            for pm in PERSON_POST_AFTER.finditer(st):
                org = [x for x in ents.by_sentence.get(sent.index, [])
                       if pm.start("org") <= x.start - base < pm.end("org")
                       and kind_of(str(x.iri)) in ("org", "park")]
                if org:
                    prev = org[0].iri
        if prev is not None:
            ents.add_mention(prev, base + m.start(), base + m.end(), sent, "anaphor")
    # The sentence's resolved subject: its own, else its paragraph's, else the last one.
    subj = ents.subject_of(sent.index)
    if subj is None:
        first = next((x for x in ents.article.sentences if x.paragraph == sent.paragraph), None)
        if first is not None and first.index < sent.index:
            subj = ents.resolved.get(first.index)
    if subj is None and sent.index > 0:
        subj = ents.resolved.get(sent.index - 1)
    ents.resolved[sent.index] = subj


def zh_alt(ents: Entities, iri: URIRef, end: int) -> None:
    m = ZH_BRACKET.match(ents.article.text, end)
    if m and iri in ents.by_iri:
        ents.by_iri[iri].alt_labels.add((m.group(1), "zh"))

