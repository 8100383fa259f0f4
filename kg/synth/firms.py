"""The firms of synthetic data (:mod:`kg.synth.generate`), one synthetic source at a time: its
article, its firms with their places, industries and links, people in roles, figures."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

from kg.synth.figures import measurement
from kg.synth.places import SOURCE_SIZE, Hierarchy
from kg.synth.terms import (
    ARTICLE,
    GRAPH,
    IN,
    IND,
    INDUSTRY,
    KG,
    LABEL,
    MEMBERSHIP,
    ORG,
    ORGN,
    PERSON,
    YEAR,
    A,
    Block,
    en,
    labels,
    ns,
    plain,
    synth_name,
    typed,
)
from kg.synth.vocab import INDUSTRIES, ROLES, SURNAMES


def source(rng: random.Random, h: Hierarchy, k: int, firms: int, seed: int) -> Iterator[Block]:
    """The blocks of synthetic source ``k`` (1-based): its article and its firms' facts."""
    g = f"{GRAPH}source-{k}>"
    article = f"{ARTICLE}source-{k}>"
    published = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = f"Synthetic source {k}"
    yield (
        g,
        g,
        [
            (A, KG + "ArticleGraph>"),
            (LABEL, en(f"Facts of '{title}'")),
            (ns("prov") + "wasDerivedFrom>", article),
        ],
    )
    # The shapes ask for a text file name like the project's articles' (NNN_<hash>.txt); a
    # synthetic source has no text, so the name is made up in that form.
    file_name = (
        f"{(k - 1) % 1000:03d}_{hashlib.sha1(f'synth-{seed}-{k}'.encode()).hexdigest()[:16]}.txt"
    )
    yield (
        g,
        article,
        [
            (A, KG + "Article>"),
            *labels(title),
            (ns("schema") + "headline>", en(title)),
            (ns("schema") + "datePublished>", typed(published, "date")),
            (KG + "fileName>", plain(file_name)),
        ],
    )
    parks, districts = h.parks, h.districts
    n_ind, n_parks, n_districts = len(INDUSTRIES), len(parks), len(districts)
    for i in range((k - 1) * SOURCE_SIZE + 1, min(firms, k * SOURCE_SIZE) + 1):
        firm = f"{ORGN}firm-{i}>"
        if rng.random() < 0.6:
            place, _, ind = parks[rng.randrange(n_parks)]
            if rng.random() < 0.3:
                ind = rng.randrange(n_ind)
        else:
            place = districts[rng.randrange(n_districts)][0]
            ind = rng.randrange(n_ind)
        name = f"{synth_name(rng)} {INDUSTRIES[ind][2]} Co., Ltd."
        year = 2023 - int(rng.random() ** 2 * 44)
        pairs = [
            (A, KG + "Firm>"),
            *labels(name),
            (IN, place),
            (YEAR, typed(year, "gYear")),
            (INDUSTRY, f"{IND}{INDUSTRIES[ind][0]}>"),
        ]
        r = rng.random()
        links = 0 if r < 0.3 else 1 if r < 0.8 else 2
        seen = {i}
        for _ in range(links):
            j = i + rng.randint(-2000, 2000) if rng.random() < 0.8 else rng.randint(1, firms)
            if 1 <= j <= firms and j not in seen:
                seen.add(j)
                pairs.append((KG + "supplierOf>", f"{ORGN}firm-{j}>"))
        if rng.random() < 0.2:
            j = rng.randint(1, firms)
            if j != i:
                pairs.append((KG + "investsIn>", f"{ORGN}firm-{j}>"))
        yield (g, firm, pairs)
        if rng.random() < 0.1:
            person = f"{PERSON}person-{i}>"
            pname = f"{rng.choice(SURNAMES)} {synth_name(rng)}"
            role, role_label = ROLES[rng.randrange(len(ROLES))]
            yield (g, person, [(A, KG + "Person>"), *labels(pname)])
            yield (
                g,
                f"{MEMBERSHIP}person-{i}-{role}>",
                [
                    (A, KG + "Membership>"),
                    (LABEL, en(f"{pname}, {role_label} of {name}")),
                    (ORG + "member>", person),
                    (ORG + "organization>", firm),
                    (ORG + "role>", f"{ns('kgrole')}{role}>"),
                    (KG + "evidence>", plain(f"said {pname}, {role_label} of {name}.")),
                ],
            )
        if rng.random() < 0.15:
            yield measurement(rng, g, article, firm, i, name, published, year)
