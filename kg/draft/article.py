"""Reading an article as fetched: title, date, publisher and body sentences with exact offsets.

The text is never changed: every :class:`Sentence` is ``article.text[start:end]``, so a sentence
used as ``kg:evidence`` is an exact substring of the article.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<mon>" + _MONTH + r")\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d{2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\s+(?P<mon>" + _MONTH + r")\s+(?P<y>(?:19|20)\d{2})\b"),
    re.compile(r"\b(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b"),
]
#: Lines of page furniture that end the body (generic web boilerplate, not any one site).
_FOOTER = re.compile(
    r"^\s*(?:[•·*-]\s*)?(?:Copyright|©|\(c\)\s|All rights reserved|Tell Us What You Think|Suggest To A Friend"
    r"|Related (?:News|Stories|Articles)|\[Editor|Editor:|Source:\s*$|please log ?in)", re.I)
_FURNITURE = re.compile(
    r"^\s*(?:[•·*-]\s*)?(?:Print|Share\b.*|Keywords?:.*|Updated:.*|Home\s*>.*|.*\.(?:jpe?g|png|gif)|Font size.*|"
    r"\[?Editor.*|Buy & Sell|Please be logged in.*|login.*|register)\s*$", re.I)
#: A leading site tag glued to the first sentence: "[Ferro-Alloys.comAs a province ...", "[Fellow]".
_LEAD_TAG = re.compile(r"\[(?:[^\]\n]{0,40}\]|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org)(?:\.cn)?)")
_SITE = re.compile(r"\[([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org)(?:\.cn)?)")
_COPYRIGHT = re.compile(r"Copyright\s*(?:©|\(c\))?\s*(?:\d{4}\s*)?([A-Z][\w&.' -]{1,60}?)\.?\s+All rights reserved", re.I)
#: "People's Daily Online) 17:13, December 07, 2021": a publisher before the dateline.
_DATELINE_PUBLISHER = re.compile(r"^\s*\(?([A-Z][\w&.' -]{2,60}?)\)?\s+\d{1,2}:\d{2},?\s")
#: "(China Daily)" at the end of a paragraph: the original source a syndicated page credits.
_CREDIT = re.compile(r"\(([A-Z][A-Za-z&.' -]{2,40})\)\s*$")

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {"co", "ltd", "inc", "corp", "no", "mr", "mrs", "ms", "dr", "prof", "st", "jan", "feb", "mar",
           "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gov", "dept", "vs", "etc",
           "e.g", "i.e", "u.s", "u.k", "approx", "est", "fig", "vol", "jr", "sr"}
_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+|$)")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the body: its exact text and where it is in the article."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int


@dataclass
class Article:
    """An article as fetched, with what the page says about itself."""

    text: str
    title: str
    date: _dt.date | None
    publisher: str | None = None
    original_source: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    file_name: str | None = None

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


def _parse_date(line: str) -> _dt.date | None:
    for pat in _DATE_PATTERNS:
        m = pat.search(line)
        if not m:
            continue
        gd = m.groupdict()
        month = int(gd["m"]) if gd.get("m") else MONTHS[gd["mon"][:3].lower()]
        try:
            return _dt.date(int(gd["y"]), month, int(gd["d"]))
        except ValueError:
            continue
    return None


def split_regex(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one paragraph) by a careful regex: ends at . ! ?
    (with closing quotes) before white space, except after abbreviations, initials and
    decimals, and when the next word starts in lower case."""
    spans = []
    s = start
    for m in _SENT_END.finditer(text, start, end):
        e = m.end()
        before = text[s:m.start()]
        word = re.search(r"([A-Za-z.]+)$", before)
        if text[m.start()] == "." and word:
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREV or len(w) == 1:
                continue
        nxt = re.match(r"\s*(\S)", text[e:end])
        if nxt and (nxt.group(1).islower() or nxt.group(1) in ",;:"):
            continue
        spans.append((s, e))
        s = e
        while s < end and text[s].isspace():
            s += 1
    if s < end and text[s:end].strip():
        spans.append((s, end))
    return spans


_PYSBD = None


def split_pysbd(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans by pysbd (optional; for comparison in bench/draft.py)."""
    global _PYSBD
    if _PYSBD is None:
        import pysbd  # type: ignore[import-not-found]

        _PYSBD = pysbd.Segmenter(language="en", clean=False, char_span=True)
    out = []
    for span in _PYSBD.segment(text[start:end]):
        s, e = start + span.start, start + span.end
        out.append((s, e))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def parse_article(text: str, *, file_name: str | None = None, splitter: str = "regex") -> Article:
    """Read an article as fetched (title, an "Updated:" or dated line, body, footer).

    ``splitter`` is ``"regex"`` (the default, measured best on the project's articles) or
    ``"pysbd"``.
    """
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        lines.append((pos, pos + len(raw.rstrip("\r\n")), raw.rstrip("\r\n")))
        pos += len(raw)
    # The dateline: the first line near the top holding a date.
    date_idx, date = None, None
    for i, (_, _, line) in enumerate(lines[:15]):
        d = _parse_date(line)
        if d and len(line.split()) <= 12:
            date_idx, date = i, d
            break
    # The title: the nearest earlier line that is not page furniture (breadcrumbs, sections).
    title = ""
    cand = range(date_idx - 1, -1, -1) if date_idx is not None else range(len(lines))
    for i in cand:
        line = lines[i][2].strip()
        if not line or ">" in line or _FURNITURE.match(line):
            continue
        title = line
        break
    publisher = None
    original = None
    if date_idx is not None:
        m = _DATELINE_PUBLISHER.match(lines[date_idx][2])
        if m:
            publisher = m.group(1).strip()
    body_start = date_idx + 1 if date_idx is not None else 0
    if date_idx is None and title:
        body_start = next(i for i, l in enumerate(lines) if l[2].strip() == title) + 1
    m = _COPYRIGHT.search(text)
    if m and not publisher:
        publisher = m.group(1).strip()
    split = split_pysbd if splitter == "pysbd" else split_regex
    sentences: list[Sentence] = []
    seen: set[str] = set()
    para = 0
    for s, e, line in lines[body_start:]:
        stripped = line.strip()
        if not stripped:
            continue
        if _FOOTER.match(stripped):
            break
        if _FURNITURE.match(stripped):
            continue
        ls, le = _trim(text, s, e)
        tag = _SITE.match(text, ls, le)
        if tag and not publisher:
            publisher = tag.group(1)
        lead = _LEAD_TAG.match(text, ls, le)
        if lead:
            ls = lead.end()
        credit = _CREDIT.search(text[ls:le])
        if credit and len(text[ls:le]) > 60:
            original = original or credit.group(1).strip()
        body = text[ls:le]
        # A heading: short and without a sentence's final punctuation.
        if len(body.split()) < 8 and not re.search(r"[.!?\"”]\s*$", body):
            continue
        para += 1
        for a, b in split(text, ls, le):
            a, b = _trim(text, a, b)
            if b <= a:
                continue
            sent = text[a:b]
            if re.fullmatch(r"[\[(][^\])]*[\])]", sent):
                continue  # a bracketed credit: "[Photo/...]", "(China Daily)"
            key = " ".join(sent.split())
            if key in seen:
                continue
            seen.add(key)
            sentences.append(Sentence(sent, a, b, para, len(sentences)))
    if original and publisher and original.lower() == publisher.lower():
        original = None
    return Article(text=text, title=title, date=date, publisher=publisher, original_source=original,
                   sentences=sentences, file_name=file_name)
