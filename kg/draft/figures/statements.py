"""Building the figure statements of an article: each number with its unit, period, status,
year-on-year change, measure concept and the thing it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef

from kg.draft.article import Article, Sentence
from kg.draft.entities import Entities
from kg.draft.figures.measures import measure_of
from kg.draft.figures.numbers import (AFTER_UNIT, COUNT_NP, COUNT_UNITS, NOT_COUNTED, NUMBER, SCALE, parse_number,
                                      unit_of)
from kg.draft.figures.periods import LEADING_TIME, NOW, period_of
from kg.draft.figures.status import APPROX, ESTIMATE, FORECAST, LOWER, PLAN, TARGET, UPPER
from kg.draft.names import kind_of
from kg.namespaces import CUR, KG, KGM, KGS, UNIT

_YOY = re.compile(
    r"^\s*(?:\)|\s)*,?\s*(?:(?:which is |which was )?(?P<dir>up|down|rising|falling|an? (?:year-on-year |annual )?"
    r"(?:increase|decrease|rise|drop|growth|decline) of|(?:increased|decreased|rose|fell|grew|dropped|declined)"
    r"(?: by)?)\s+(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)(?:\s+(?:year[- ]on[- ]year|from a year earlier|"
    r"over the previous year))?)", re.I)
_RANK = re.compile(r"\brank(?:s|ed)?\s+(?P<num>\d+)(?:st|nd|rd|th)\b", re.I)


@dataclass
class Figure:
    """One drafted figure."""

    value: Decimal
    unit: URIRef
    period: str  # "2021" or "2021-04-26"
    status: URIRef
    measure: URIRef | None
    about: URIRef | None
    stated_as: str
    evidence: str
    sentence: int
    start: int  # offset of the number in the article
    qualifier: URIRef | None = None
    yoy: Decimal | None = None
    why: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # reasons a person must look at it

    @property
    def period_is_date(self) -> bool:
        return len(self.period) == 10


def _clause_before(st: str, pos: int) -> str:
    """The words before ``pos`` back to the previous clause break (comma, semicolon, dash)."""
    cut = max(st.rfind(c, 0, pos) for c in (";", ":", "—", "(", ", "))
    return st[cut + 1 if cut >= 0 else 0:pos]


def extract_figures(article: Article, ents: Entities, main_subject: URIRef | None) -> list[Figure]:
    figures: list[Figure] = []
    inherited: str | None = None
    last_para = -1
    for sent in article.sentences:
        if sent.paragraph != last_para:
            inherited, last_para = None, sent.paragraph
        st = sent.text
        lead = LEADING_TIME.match(st)
        figures.extend(_sentence_figures(article, ents, main_subject, sent, inherited))
        if lead:
            inherited = lead.group(1)
        elif NOW.search(st):
            inherited = None
    return figures


def _sentence_figures(article: Article, ents: Entities, main_subject: URIRef | None, sent: Sentence,
                      inherited: str | None) -> list[Figure]:
    st = sent.text
    out: list[Figure] = []
    consumed: list[tuple[int, int]] = []
    prev_fig: Figure | None = None

    def subject(pos: int) -> tuple[URIRef | None, str]:
        w = st.rfind(", which", 0, pos)
        if w >= 0:
            ms = [m for m in ents.by_sentence.get(sent.index, []) if m.end - sent.start <= w
                  and kind_of(str(m.iri)) not in ("industry", "technology", "product")]
            non_loc = [m for m in ms if not re.search(r"\b(?:in|at|to|from)\s+(?:the\s+)?$",
                                                        st[max(0, m.start - sent.start - 10):m.start - sent.start])]
            if non_loc or ms:
                return (non_loc or ms)[-1].iri, "the thing the 'which' clause follows"
        s = ents.subject_of(sent.index)
        if s is not None:
            return s, "the sentence's subject"
        s = ents.resolved.get(sent.index)
        if s is not None:
            return s, "the subject of the paragraph or the previous sentence"
        return main_subject, "the article's main subject"

    # Ranks: "ranks 40th among ...".
    for m in _RANK.finditer(st):
        about, how = subject(m.start())
        fig = _make(article, sent, m.start("num"), Decimal(m.group("num")), KG["rank-position"], KGM.rank,
                    about, how, m.group(0) + st[m.end():].split(",")[0], inherited, ["pattern: 'ranks Nth'"])
        out.append(fig)
        consumed.append((m.start(), m.end()))
    for m in NUMBER.finditer(st):
        s, e = m.start(), m.end()
        if any(a <= s < b for a, b in consumed):
            continue
        raw = m.group("num")
        before = st[:s]
        after = st[e:]
        if re.search(r"(?:[A-Za-z]-?|No\.?\s|top\s|Top\s|#)$", before) or re.match(r"[A-Za-z]", after) \
                or re.search(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$", before):
            continue  # part of a name, a code or a date: G110, 5G, No 1, Feb 14
        if re.match(r"(?:st|nd|rd|th)\b|:\d", after):
            continue
        value = parse_number(raw)
        if value is None:
            continue
        is_word = raw[0].isalpha()
        scale = (m.group("scale") or "").lower()
        value = value * SCALE[scale]
        if not scale and re.fullmatch(r"(?:19|20)\d{2}", raw) and not AFTER_UNIT.match(after):
            continue  # a year
        unit = None
        measure_hint = None
        end = e
        noun = None
        if m.group("cur1"):
            unit = CUR.USD if "$" in m.group("cur1") else (CUR.EUR if "€" in m.group("cur1") else CUR.CNY)
        um = AFTER_UNIT.match(after)
        if um and unit is None:
            unit = unit_of(um.group("unit"))
            end = e + um.end()
        why = []
        if unit is None:
            # An "of which 140 billion" part takes the currency of the figure before it.
            if scale and prev_fig is not None and prev_fig.unit in (CUR.CNY, CUR.USD):
                unit = prev_fig.unit
                why.append("unit: the currency of the figure before it in the sentence")
            else:
                cm = COUNT_NP.match(after)
                if not cm:
                    continue
                noun = cm.group("noun").lower()
                if noun in NOT_COUNTED or (is_word and before.lower().endswith("the ")):
                    continue
                if is_word and re.search(r"\bone of\s*$", before):
                    continue
                unit = COUNT_UNITS.get(noun, UNIT.NUM)
                end = e + cm.end()
                why.append(f"count of '{cm.group('np')}'")
        else:
            why.append(f"value with unit '{st[e:end].strip() or m.group('cur1')}'" + (f" scaled by '{scale}'" if scale else ""))
        # Year-on-year change right after the figure: consumed, not a figure of its own.
        yoy = None
        ym = _YOY.match(st[end:])
        if ym and unit != UNIT.PERCENT:
            pct = Decimal(ym.group("pct"))
            if re.match(r"down|falling|a decrease|a drop|a decline|decreased|fell|dropped|declined", ym.group("dir"), re.I):
                pct = -pct
            yoy = pct
            consumed.append((end, end + ym.end()))
            why.append("year-on-year change after it")
        if unit == UNIT.PERCENT and re.search(r"\b(?:up|down|increase of|decrease of|rose|fell|grew|growth of|"
                                                r"rise of|drop of)\s*(?:by\s*)?$", before, re.I) and prev_fig is not None:
            continue  # a change of the figure before, not a figure
        if any(a <= s < b for a, b in consumed):
            continue
        # A conversion in brackets right after a figure: "79.14 billion yuan ($11.8 billion)".
        converted = prev_fig is not None and m.group("cur1") and re.search(r"\(\s*$", before) \
            and prev_fig.start - sent.start < s
        # Status from the words just before the number, and from the clause.
        pre = before[-40:]
        clause = _clause_before(st, s)
        stated_from = s
        status, qualifier = KGS.reported, None
        for rx, st_ in ((LOWER, KGS["lower-bound"]), (UPPER, KGS["upper-bound"]), (APPROX, KGS.approximate),
                        (ESTIMATE, KGS.estimate)):
            bm = rx.search(pre)
            if bm:
                status = st_
                stated_from = s - (len(pre) - bm.start())
                why.append(f"status: '{bm.group(0).strip()}'")
                break
        notes: list[str] = []
        period, future_year = period_of(article, sent, st, s, inherited, notes)
        fut = None
        if status != KGS.estimate:
            whole = st[:s] if not converted else st[:prev_fig.start - sent.start]
            if FORECAST.search(whole):
                fut = KGS.forecast
            elif TARGET.search(whole) or future_year:
                fut = KGS.target
            elif PLAN.search(whole):
                fut = KGS.plan
        measure, mwhy = measure_of(unit, noun, clause, st[s:], st, prev_fig)
        if measure == "area-planned" and fut == KGS.plan:
            fut = None
        if fut is not None:
            if status in (KGS["lower-bound"], KGS["upper-bound"], KGS.approximate):
                qualifier = status
            status = fut
            why.append(f"status: {str(fut).rsplit('/', 1)[-1]} (future wording)")
        if converted:
            measure, mwhy = (str(prev_fig.measure).rsplit("/", 1)[-1] if prev_fig.measure else None), \
                "the figure it converts"
            status, qualifier = prev_fig.status, prev_fig.qualifier
        if period is None:
            if fut is not None and article.year:
                period = str(article.year)
                notes.append("period: no date stated for a plan; the article's year")
            elif article.date:
                period = article.date.isoformat()
                notes.append("period: no date stated; the article's date")
            else:
                continue
        about, how = subject(s)
        if converted:
            about, how = prev_fig.about, "the figure it converts"
            if yoy is not None and prev_fig.yoy is None:
                prev_fig.yoy, yoy = yoy, None
                prev_fig.stated_as = st[prev_fig.start - sent.start:end + ym.end()].strip(" ,")
        stated = st[stated_from:end + (ym.end() if ym else 0)] if not converted else st[s - 1:end + 1]
        if converted:
            stated = st[s - 1:end] + (")" if st[end:end + 1] == ")" else "")
        fig = Figure(value=value, unit=unit, period=period, status=status,
                     measure=KGM[measure] if measure else None, about=about, stated_as=stated.strip(" ,"),
                     evidence=st, sentence=sent.index, start=sent.start + s, qualifier=qualifier, yoy=yoy,
                     why=why + ([f"measure: {mwhy}"] if measure else []) + [f"about: {how}"] + notes)
        if measure is None:
            fig.review.append("measure not recognised")
        if about is None:
            fig.review.append("subject not recognised")
        elif how == "the article's main subject":
            fig.review.append("subject guessed: the article's main subject")
        out.append(fig)
        consumed.append((s, end))
        prev_fig = fig
    out.sort(key=lambda f: f.start)
    return out


def _make(article: Article, sent: Sentence, pos: int, value: Decimal, unit: URIRef, measure: URIRef,
          about: URIRef | None, how: str, stated: str, inherited: str | None, why: list[str]) -> Figure:
    notes: list[str] = []
    period, _ = period_of(article, sent, sent.text, pos, inherited, notes)
    if period is None:
        period = article.date.isoformat() if article.date else "1900"
    return Figure(value=value, unit=unit, period=period, status=KGS.reported, measure=measure, about=about,
                  stated_as=stated.strip(), evidence=sent.text, sentence=sent.index, start=sent.start + pos,
                  why=why + [f"about: {how}"] + notes)
