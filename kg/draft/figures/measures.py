"""Measure concepts: what a figure measures (output value, investment, area planned, enterprises
...), from its unit, its counted noun and the words of its clause."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.namespaces import CUR, KG, UNIT

if TYPE_CHECKING:
    from kg.draft.figures.statements import Figure

# Measure concepts from the words around a figure: (unit family, regex, measure).
_MONEY_RULES = [
    (r"\bof which\s*@.*\b(?:put into production|in production|in operation)\b", "investment-in-production", "pre"),
    (r"\btax(?:es)?\b", "tax-revenue", "pre"),
    (r"\boutput value\b|\boutput\b|\bproduction value\b", "output-value", "pre"),
    (r"\bGDP\b|gross domestic product", "gdp", "pre"),
    (r"\b(?:companies|enterprises|firms) with (?:an? )?(?:annual )?(?:sales )?(?:revenue|turnover|income)\b",
     "revenue-threshold", "pre"),
    (r"\brevenue\b|\bsales\b|\bturnover\b|\bincome\b", "revenue", "pre"),
    (r"\bassets?\b", "assets", "pre"),
    (r"\beach\b.*\bvalue of\b|\bvalue of each\b|\bper project\b", "project-value", "pre"),
    (r"\binvest(?:ment|ed|ing)?\b", "investment", "pre"),
    (r"\bprofits?\b", "profit", "pre"),
    (r"\bexports?\b", "exports", "pre"),
]
_PERCENT_RULES = [
    (r"\befficiency\b", "efficiency-gain"),
    (r"\bcycle\b", "rd-cycle-reduction"),
    (r"\b(?:employees|staff|workers)\b.*\bback\b|\bback to work\b", "employees-back-share"),
    (r"\b(?:enterprises|companies)\b.*\bresumed\b", "enterprises-resumed-share"),
]
_COUNT_RULES = [
    (r"^(?:enterprises|companies|firms)$", r"\battract\w*\b.*\b(?:activities|conference|exhibition|expo|forum|fair)\b",
     "participants"),
    (r"^(?:participants|visitors|attendees|exhibitors|guests)$", None, "participants"),
    (r"^(?:enterprises|companies|firms|businesses)$", None, "enterprises"),
    (r"^projects$", None, "projects"),
    (r"^products$", r"\bfirst of (?:their|its) kind\b", "first-of-kind-products"),
    (r"^(?:products|technologies)$", r"\bnew\b", "new-products"),
    (r"^(?:forums|sub-forums|sessions|events|seminars)$", None, "sub-events"),
    (r"^servers$", None, "servers"),
    (r"^(?:factories|workshops|plants)$", r"\b(?:renovat|upgrad|transform)\w*", "factories-to-renovate"),
    (r".*", r"\bcapacity\b", "production-capacity"),
    (r".*", r"\b(?:a|per) day\b|\bdaily\b", "daily-orders"),
    (r".*", r"\borders?\b", "orders"),
    (r".*", r"\bproduc(?:e|ed|ing|tion)\b|\bmade\b", "units-produced"),
]


def measure_of(unit: URIRef, noun: str | None, clause: str, after: str, st: str,
             prev: Figure | None) -> tuple[str | None, str]:
    after_clause = re.split(r"[,;]\s|\band\b", after, maxsplit=1)[0]
    if unit in (CUR.CNY, CUR.USD, CUR.EUR):
        for rx, measure, where in _MONEY_RULES:
            text = clause + "@" + after_clause
            if re.search(rx, text, re.I):
                return measure, f"words '{re.search(rx, text, re.I).group(0)}'"
    elif unit == UNIT.PERCENT:
        for rx, measure in _PERCENT_RULES:
            if re.search(rx, clause + after_clause, re.I):
                return measure, f"words '{re.search(rx, clause + after_clause, re.I).group(0)}'"
    elif unit in (UNIT.KiloM2, UNIT.M2, UNIT.HA, KG.mu):
        text = clause + after_clause
        if re.search(r"under[- ]construction", text, re.I):
            return "area-under-construction", "words 'under construction'"
        if re.search(r"\b(?:constructed|built)\b", text, re.I):
            return "area-built", "words 'constructed/built'"
        if re.search(r"\bplann(?:ed|ing)\b", text + after, re.I):
            return "area-planned", "words 'planned'"
        return "area", "an area unit"
    elif unit in (UNIT.KiloM, UNIT.M):
        return "distance", "a length unit"
    elif unit in (UNIT.MIN, UNIT.HR):
        return "travel-time-by-car", "a time unit"
    elif unit == UNIT.KiloV:
        return "voltage", "a voltage unit"
    elif unit == UNIT.TONNE and re.search(r"capacity|productivity", clause, re.I):
        return "production-capacity", "words 'capacity/productivity'"
    elif unit == UNIT.TONNE and re.search(r"produc\w*|output", clause + after_clause, re.I):
        return "units-produced", "words 'produced/output'"
    if noun is not None:
        for nrx, crx, measure in _COUNT_RULES:
            if re.fullmatch(nrx, noun) and (crx is None or re.search(crx, clause + after_clause, re.I)):
                return measure, f"counted noun '{noun}'"
        return "count", f"counted noun '{noun}'"
    if prev is not None and prev.unit == unit and prev.measure is not None:
        return str(prev.measure).rsplit("/", 1)[-1], "the same as the figure before it"
    return None, ""
