"""Figures in an article's sentences: value (scaled), unit, period, status, year-on-year change,
measure concept and the thing they are about. Regular expressions only (quantulum3 was measured:
2 s to load and it misreads "($11.8 billion)" and "20-minutes"; see docs/extraction.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from kg.draft.article import Article, Sentence
from kg.draft.entities import Entities
from kg.draft.names import kind_of
from kg.namespaces import CUR, KG, KGM, KGS, UNIT

_WORDNUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
            "fifty": 50, "a hundred": 100, "one hundred": 100, "hundreds": None, "dozens": None}
_SCALE = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
          "million": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "thousand": Decimal(1000),
          "hundred million": Decimal(10) ** 8, "": Decimal(1)}
NUMBER = re.compile(
    r"(?<![\w.,\-/:])(?P<cur1>\$|US\$|¥|RMB\s?|€)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)\b)"
    r"(?:\s*(?P<scale>hundred million|trillion|billion|million|thousand|bn|mln)\b)?")
_AFTER_UNIT = re.compile(
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
_NOT_COUNTED = {"years", "months", "days", "weeks", "decades", "times", "hours", "minutes", "percent",
                "yuan", "dollars", "kilometers", "kilometres", "meters", "metres", "tonnes", "tons"}
_COUNT_NP = re.compile(r"\s+(?P<np>(?:[a-z][\w\-]*\s+){0,3}?(?P<noun>[a-z][a-z\-]*(?:s|people|staff)))\b")

_LOWER = re.compile(r"\b(?:more than|over|above|exceeding|surpassing|at least|in excess of|upwards of|beyond|"
                    r"greater than)\s*$", re.I)
_UPPER = re.compile(r"\b(?:up to|at most|less than|under|below|no more than|can reach|could reach|"
                    r"as much as|maximum of)\s*$", re.I)
_APPROX = re.compile(r"\b(?:about|around|nearly|almost|approximately|roughly|some|close to|approx\.)\s*$", re.I)
_ESTIMATE = re.compile(r"\b(?:an? )?estimated(?:\s+\w+){0,3}\s+(?:of\s+)?$|\bestimate[sd]? (?:at|of)\s*$", re.I)
_FORECAST = re.compile(r"\b(?:expect(?:s|ed|ing)?|forecast(?:s|ed)?|projected|predicted|anticipated|is set to|"
                       r"are set to|likely to)\b", re.I)
_TARGET = re.compile(r"\b(?:target(?:s|ed)?|aim(?:s|ing)? (?:to|at|for)|goal|strive|seeks? to)\b", re.I)
_PLAN = re.compile(r"\b(?:will|plans? to|planned to|planning to|is to be|are to be|scheduled to)\b", re.I)

_YOY = re.compile(
    r"^\s*(?:\)|\s)*,?\s*(?:(?:which is |which was )?(?P<dir>up|down|rising|falling|an? (?:year-on-year |annual )?"
    r"(?:increase|decrease|rise|drop|growth|decline) of|(?:increased|decreased|rose|fell|grew|dropped|declined)"
    r"(?: by)?)\s+(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)(?:\s+(?:year[- ]on[- ]year|from a year earlier|"
    r"over the previous year))?)", re.I)
_RANK = re.compile(r"\brank(?:s|ed)?\s+(?P<num>\d+)(?:st|nd|rd|th)\b", re.I)

_YEAR_EXPR = re.compile(
    r"\b(?P<lead>(?:in|during|for|as of|by|by the end of|at the end of|since|until|in the first (?:half|"
    r"(?:two|three) quarters|quarter) of|in the (?:first|second|third|fourth) quarter of)\s+)?(?:the year\s+)?"
    r"(?P<y>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d)(?![ ]+[A-Z])", re.I)
_NOT_PERIOD = re.compile(r"\b(?:founded|established|set up|built|born|launched|started|opened|since)\s+"
                         r"(?:in\s+)?(?:[A-Z]\w+\s+in\s+)?$", re.I)
_NOW = re.compile(r"\b(?:so far|to date|now|currently|at present|as of now|today|by now|these days)\b", re.I)
_LAST_YEAR = re.compile(r"\blast year\b", re.I)
_THIS_YEAR = re.compile(r"\bthis year\b", re.I)
_NEXT_YEAR = re.compile(r"\bnext year\b", re.I)
_QUARTERS = re.compile(r"\bin the first (?:half|three quarters|two quarters|quarter)\b|"
                       r"\bin the (?:first|second|third|fourth) quarter\b", re.I)
_LEADING_TIME = re.compile(r"^[\"“]?(?:In|As of|By the end of|At the end of|During)\s+((?:19|20)\d{2})\b")

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


def _num(text: str) -> Decimal | None:
    t = text.lower().replace(",", "")
    if t in _WORDNUM:
        v = _WORDNUM[t]
        return Decimal(v) if v is not None else None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _unit_of(word: str) -> URIRef | None:
    w = word.lower().strip()
    for rx, u in _UNITS:
        if re.fullmatch(rx, w):
            return u
    return None


def _clause_before(st: str, pos: int) -> str:
    """The words before ``pos`` back to the previous clause break (comma, semicolon, dash)."""
    cut = max(st.rfind(c, 0, pos) for c in (";", ":", "—", "(", ", "))
    return st[cut + 1 if cut >= 0 else 0:pos]


def _period(article: Article, sent: Sentence, st: str, pos: int, inherited: str | None,
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
    if _NOW.search(st) and article.date:
        return article.date.isoformat(), False
    if inherited:
        return inherited, False
    return None, False


def extract_figures(article: Article, ents: Entities, main_subject: URIRef | None) -> list[Figure]:
    figures: list[Figure] = []
    inherited: str | None = None
    last_para = -1
    for sent in article.sentences:
        if sent.paragraph != last_para:
            inherited, last_para = None, sent.paragraph
        st = sent.text
        lead = _LEADING_TIME.match(st)
        figures.extend(_sentence_figures(article, ents, main_subject, sent, inherited))
        if lead:
            inherited = lead.group(1)
        elif _NOW.search(st):
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
        value = _num(raw)
        if value is None:
            continue
        is_word = raw[0].isalpha()
        scale = (m.group("scale") or "").lower()
        value = value * _SCALE[scale]
        if not scale and re.fullmatch(r"(?:19|20)\d{2}", raw) and not _AFTER_UNIT.match(after):
            continue  # a year
        unit = None
        measure_hint = None
        end = e
        noun = None
        if m.group("cur1"):
            unit = CUR.USD if "$" in m.group("cur1") else (CUR.EUR if "€" in m.group("cur1") else CUR.CNY)
        um = _AFTER_UNIT.match(after)
        if um and unit is None:
            unit = _unit_of(um.group("unit"))
            end = e + um.end()
        why = []
        if unit is None:
            # An "of which 140 billion" part takes the currency of the figure before it.
            if scale and prev_fig is not None and prev_fig.unit in (CUR.CNY, CUR.USD):
                unit = prev_fig.unit
                why.append("unit: the currency of the figure before it in the sentence")
            else:
                cm = _COUNT_NP.match(after)
                if not cm:
                    continue
                noun = cm.group("noun").lower()
                if noun in _NOT_COUNTED or (is_word and before.lower().endswith("the ")):
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
        for rx, st_ in ((_LOWER, KGS["lower-bound"]), (_UPPER, KGS["upper-bound"]), (_APPROX, KGS.approximate),
                        (_ESTIMATE, KGS.estimate)):
            bm = rx.search(pre)
            if bm:
                status = st_
                stated_from = s - (len(pre) - bm.start())
                why.append(f"status: '{bm.group(0).strip()}'")
                break
        notes: list[str] = []
        period, future_year = _period(article, sent, st, s, inherited, notes)
        fut = None
        if status != KGS.estimate:
            whole = st[:s] if not converted else st[:prev_fig.start - sent.start]
            if _FORECAST.search(whole):
                fut = KGS.forecast
            elif _TARGET.search(whole) or future_year:
                fut = KGS.target
            elif _PLAN.search(whole):
                fut = KGS.plan
        measure, mwhy = _measure(unit, noun, clause, st[s:], st, prev_fig)
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
    period, _ = _period(article, sent, sent.text, pos, inherited, notes)
    if period is None:
        period = article.date.isoformat() if article.date else "1900"
    return Figure(value=value, unit=unit, period=period, status=KGS.reported, measure=measure, about=about,
                  stated_as=stated.strip(), evidence=sent.text, sentence=sent.index, start=sent.start + pos,
                  why=why + [f"about: {how}"] + notes)


def _measure(unit: URIRef, noun: str | None, clause: str, after: str, st: str,
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
