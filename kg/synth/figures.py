"""The figures of synthetic data (:mod:`kg.synth.generate`): a firm's measurement, reported,
approximate, estimated or a target."""

from __future__ import annotations

import random

from kg.synth.terms import KG, OBS, A, Block, ns, plain, typed
from kg.synth.vocab import MEASURES


def measurement(
    rng: random.Random,
    g: str,
    article: str,
    firm: str,
    i: int,
    name: str,
    published: str,
    founded: int,
) -> Block:
    """A figure about firm ``i``: reported for a year between its founding and its source's."""
    measure, measure_label = MEASURES[rng.randrange(len(MEASURES))]
    value = rng.randint(1, 99_999) * 10 ** rng.randint(4, 6)
    stated = f"{value / 1e9:g} billion yuan" if value >= 1e9 else f"{value / 1e6:g} million yuan"
    r = rng.random()
    first = max(2015, founded)
    if first > 2022:
        r = 0.85 + r * 0.15  # too young for a past figure: an estimate or a target
    status, year = (
        ("reported", rng.randint(first, 2022))
        if r < 0.75
        else ("approximate", rng.randint(first, 2022))
        if r < 0.85
        else ("estimate", int(published[:4]))
        if r < 0.92
        else ("target", 2025)
    )
    about = "about " if status == "approximate" else ""
    if status == "target":
        evidence = f"{name} aims for {measure_label} of {stated} by {year}."
    else:
        evidence = f"{name} reported {measure_label} of {about}{stated} in {year}."
    return (
        g,
        f"{OBS}firm-{i}-{measure}-{year}>",
        [
            (A, KG + "Measurement>"),
            (KG + "about>", firm),
            (KG + "measure>", f"{ns('kgm')}{measure}>"),
            (KG + "value>", typed(value, "decimal")),
            (KG + "unit>", ns("cur") + "CNY>"),
            (KG + "period>", typed(year, "gYear")),
            (KG + "status>", f"{ns('kgs')}{status}>"),
            (KG + "statedAs>", plain(about + stated)),
            (KG + "evidence>", plain(evidence)),
            (KG + "sourceArticle>", article),
        ],
    )
