"""Periods: the year or date a figure is for, from the years the sentence names, "last year",
"this year", "so far", and the year a paragraph opens with."""

from __future__ import annotations

import re

from kg.draft.article import Article, Sentence

_YEAR_EXPR = re.compile(
    r"\b(?P<lead>(?:in|during|for|as of|by|by the end of|at the end of|since|until|in the first (?:half|"
    r"(?:two|three) quarters|quarter) of|in the (?:first|second|third|fourth) quarter of)\s+)?(?:the year\s+)?"
    r"(?P<y>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d)(?![ ]+[A-Z])", re.I)
_NOT_PERIOD = re.compile(r"\b(?:founded|established|set up|built|born|launched|started|opened|since)\s+"
                         r"(?:in\s+)?(?:[A-Z]\w+\s+in\s+)?$", re.I)
NOW = re.compile(r"\b(?:so far|to date|now|currently|at present|as of now|today|by now|these days)\b", re.I)
_LAST_YEAR = re.compile(r"\blast year\b", re.I)
_THIS_YEAR = re.compile(r"\bthis year\b", re.I)
_NEXT_YEAR = re.compile(r"\bnext year\b", re.I)
_QUARTERS = re.compile(r"\bin the first (?:half|three quarters|two quarters|quarter)\b|"
                       r"\bin the (?:first|second|third|fourth) quarter\b", re.I)
LEADING_TIME = re.compile(r"^[\"“]?(?:In|As of|By the end of|At the end of|During)\s+((?:19|20)\d{2})\b")


def period_of(article: Article, sent: Sentence, st: str, pos: int, inherited: str | None,
            notes: list[str]) -> tuple[str | None, bool]:
    """(period, explicit-future) for a figure at ``pos`` of the sentence."""
    year = article.year
    best = None
    for m in _YEAR_EXPR.finditer(st):
        if _NOT_PERIOD.search(st[:m.start("y")]):
            continue
        if st[max(0, m.start() - 4):m.start()].lower().endswith("the "):
            pass
        best = m
        if m.start() > pos:
            break
    if best is not None:
        y = int(best.group("y"))
        lead = (best.group("lead") or "").lower()
        if "quarter" in lead or "half" in lead:
            notes.append(f"period: '{best.group(0).strip()}'")
        future = lead.strip().startswith("by") and year is not None and y > year
        return str(y), future
    if year is not None:
        if _LAST_YEAR.search(st):
            return str(year - 1), False
        if _THIS_YEAR.search(st) or _NEXT_YEAR.search(st):
            if _QUARTERS.search(st):
                notes.append("period: part of the year")
            return str(year + (1 if _NEXT_YEAR.search(st) and not _THIS_YEAR.search(st) else 0)), False
        if _QUARTERS.search(st):
            notes.append("period: part of the article's year")
            return str(year), False
    if NOW.search(st) and article.date:
        return article.date.isoformat(), False
    if inherited:
        return inherited, False
    return None, False
