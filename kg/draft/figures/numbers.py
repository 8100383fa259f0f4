"""Numbers and units: a number as written ("1,200", "79.14 billion", "twelve"), its currency or
unit ("yuan", "sq km", "%"), and the counted noun of a bare count ("30 enterprises")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from kg.namespaces import CUR, KG, UNIT

_WORDNUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
            "fifty": 50, "a hundred": 100, "one hundred": 100, "hundreds": None, "dozens": None}
SCALE = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
          "million": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "thousand": Decimal(1000),
          "hundred million": Decimal(10) ** 8, "": Decimal(1)}
NUMBER = re.compile(
    r"(?<![\w.,\-/:])(?P<cur1>\$|US\$|¥|RMB\s?|€)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)\b)"
    r"(?:\s*(?P<scale>hundred million|trillion|billion|million|thousand|bn|mln)\b)?")
AFTER_UNIT = re.compile(
    r"\s*(?P<unit>yuan|RMB|renminbi|US dollars|dollars|euros|%|percent\b|per cent\b|"
    r"sq(?:uare)?\.? ?(?:km|kilomet(?:er|re)s?)\b|km2|km²|square met(?:er|re)s\b|sq\.? ?m\b|m2|㎡|hectares\b|mu\b|"
    r"kilomet(?:er|re)s?\b|km\b|met(?:er|re)s\b|-?minutes?\b|-?hours?\b|kilovolts?\b|kV\b|"
    r"(?:metric )?tonnes\b|(?:metric )?tons\b)", re.I)
_UNITS = [
    (r"yuan|rmb|renminbi", CUR.CNY), (r"us dollars|dollars", CUR.USD), (r"euros", CUR.EUR),
    (r"%|percent|per cent", UNIT.PERCENT),
    (r"sq(?:uare)?\.? ?(?:km|kilomet(?:er|re)s?)|km2|km²", UNIT.KiloM2),
    (r"square met(?:er|re)s|sq\.? ?m|m2|㎡", UNIT.M2), (r"hectares", UNIT.HA), (r"mu", KG.mu),
    (r"kilomet(?:er|re)s?|km", UNIT.KiloM), (r"met(?:er|re)s", UNIT.M),
    (r"-?minutes?", UNIT.MIN), (r"-?hours?", UNIT.HR), (r"kilovolts?|kv", UNIT.KiloV),
    (r"(?:metric )?(?:tonnes|tons)", UNIT.TONNE),
]
#: Counted nouns with a unit of their own in the ontology; every other count is unit:NUM.
COUNT_UNITS = {"vehicles": KG.vehicle, "servers": KG.server, "boxes": KG.box}
NOT_COUNTED = {"years", "months", "days", "weeks", "decades", "times", "hours", "minutes", "percent",
                "yuan", "dollars", "kilometers", "kilometres", "meters", "metres", "tonnes", "tons"}
COUNT_NP = re.compile(r"\s+(?P<np>(?:[a-z][\w\-]*\s+){0,3}?(?P<noun>[a-z][a-z\-]*(?:s|people|staff)))\b")


def parse_number(text: str) -> Decimal | None:
    t = text.lower().replace(",", "")
    if t in _WORDNUM:
        v = _WORDNUM[t]
        return Decimal(v) if v is not None else None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def unit_of(word: str) -> URIRef | None:
    w = word.lower().strip()
    for rx, u in _UNITS:
        if re.fullmatch(rx, w):
            return u
    return None
