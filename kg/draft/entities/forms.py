"""Names by their form: a capitalised run ending in a head word ("... Economic Development Zone",
"... Co., Ltd.") or opening with one ("Ministry of ..."), split at its coordinations."""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.namespaces import KG

# Head words and the kind/class a name ending in them gets ("... Economic Development Zone").
HEADS: list[tuple[str, str, URIRef]] = [
    (r"(?:Co\.?,? ?Ltd\.?|Co\.|Co|Ltd\.?|Inc\.?|Corp\.?|Corporation|Company|Group|Holdings)", "org", KG.Firm),
    (r"(?:Zone|Development Area|New Area)", "park", KG.DevelopmentZone),
    (r"(?:Industrial Park|Science Park|Technology Park|Park|Industrial Estate)", "park", KG.IndustrialPark),
    (r"(?:University|College|Institute|Academy)", "org", KG.Organization),
    (r"(?:Association|Federation|Chamber of Commerce|Alliance|Society)", "org", KG.IndustryAssociation),
    (r"(?:Ministry|Bureau|Commission|Agency|Committee|Administration|Department|Government|Office)", "org",
     KG.GovernmentBody),
    (r"(?:Exhibition|Expo|Fair)", "event", KG.Exhibition),
    (r"(?:Conference|Forum|Summit)", "event", KG.Conference),
    (r"(?:Airport)", "infra", KG.Airport),
    (r"(?:Railway Station|Station)", "infra", KG.RailwayStation),
    (r"(?:Highway|Expressway)", "infra", KG.Highway),
    (r"(?:River)", "infra", KG.River),
    (r"(?:District)", "place", KG.District),
    (r"(?:County)", "place", KG.AdministrativeDivision),
    (r"(?:Township)", "place", KG.Township),
]
HEAD_RE = [(re.compile(r"(?:^|\s)" + h + r"$"), k, c) for h, k, c in HEADS]
# Heads that open a name: "Ministry of Science and Technology".
OPENING_HEADS = {"Ministry": KG.GovernmentBody, "Bureau": KG.GovernmentBody, "University": KG.Organization,
                  "Administrative Committee": KG.GovernmentBody}
#: Capitalised words that start a sentence or clause but are not part of a name.
NOT_NAME_START = {
    "In", "The", "As", "On", "At", "According", "For", "By", "While", "It", "Its", "A", "An", "This", "That",
    "These", "Those", "And", "But", "With", "From", "To", "Of", "After", "Before", "Since", "So", "Today",
    "Meanwhile", "Despite", "Photo", "Our", "We", "He", "She", "They", "His", "Her", "Their", "Another",
    "Tech", "Company", "Local", "Riding", "Last", "This", "Next", "Founded", "Established", "Located",
    "Home", "Updated", "Hi", "Chinas", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    "January", "February", "March", "April", "June", "July", "August", "September", "October", "November",
    "December", "If", "When", "Where", "Also", "However", "Moreover", "Besides", "Over", "About", "Nearly",
    "More", "Some", "All", "Many", "Several", "Each", "Every", "Both", "Such", "Not", "Now", "Then",
}
CONNECT = {"of", "and", "the", "for", "&", "de", "on", "in"}


def form_names(st: str) -> list[tuple[int, int, str, str, URIRef]]:
    out = []
    for m in re.finditer(r"[“\"]?(?:[A-Z][\w\-’'.]*|\d+(?:st|nd|rd|th)\b)[”\"]?(?:(?:\s+|,\s+(?=Ltd))(?:[“\"]?[A-Z0-9][\w\-’'.]*[”\"]?|of|and|the|for|&|on)(?=[\s,.;:)]|$))*", st):
        words = re.findall(r"\S+", m.group(0))
        offs = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group(0))]
        # drop clause-initial words and trailing connectors / punctuation
        i = 0
        while i < len(words) and words[i].strip("“\"”") in NOT_NAME_START:
            i += 1
        j = len(words)
        while j > i and words[j - 1] in CONNECT:
            j -= 1
        while i < j and words[i] in CONNECT:
            i += 1
        if j - i < 2:
            continue
        sub = words[i:j]
        s = m.start() + offs[i][0]
        e = m.start() + offs[j - 1][1]
        raw = st[s:e]
        clean = raw.rstrip(".,;:") if not raw.endswith(("Co.", "Ltd.", "Inc.", "Corp.")) else raw
        e = s + len(clean)
        for ps, pe in split_coordination(clean):
            out.extend(name_of(st, s + ps, clean[ps:pe]))
    return out


def split_coordination(run: str) -> list[tuple[int, int]]:
    """Split "A Group and B Group" / "Ministry of X and the Ministry of Y" into its names."""
    parts = []
    start = 0
    for m in re.finditer(r",? and (?:the )?(?=[A-Z“\"])", run):
        left = run[start:m.start()]
        if any(rx.search(re.sub(r"[“”\"]", "", left)) for rx, _, _ in HEAD_RE) or run[m.start():m.end()].endswith("the "):
            parts.append((start, m.start()))
            start = m.end()
    parts.append((start, len(run)))
    return parts


def name_of(st: str, s: int, clean: str) -> list[tuple[int, int, str, str, URIRef]]:
    """The name a capitalised run ``clean`` (at ``s`` in the sentence) holds, with its kind."""
    lead = len(clean) - len(clean.lstrip("“\""))
    name = re.sub(r"[“”\"]", "", clean).strip()
    if len(name.split()) < 2:
        return []
    for rx, kind, cls in HEAD_RE:
        cut = cut_at_head(name, rx, keep_of=(kind == "org"))
        if cut:
            return [(s + lead, s + offset_end(clean, cut), cut, kind, cls)]
    for h, cls in OPENING_HEADS.items():
        if name.startswith(h + " of"):
            return [(s + lead, s + len(clean), name, "org", cls)]
    return []


def cut_at_head(name: str, rx: re.Pattern, keep_of: bool = True) -> str | None:
    words = name.split(" ")
    for j in range(len(words), 1, -1):
        cand = " ".join(words[:j]).rstrip(",")
        if rx.search(cand) and not cand.split()[-1] in CONNECT:
            # "X Agency of the Inner Mongolian Autonomous Region": an organisation keeps its
            # "of ..." tail; a place or zone does not ("Qingshan District of Baotou city" is
            # the district, in Baotou)
            if keep_of and j < len(words) and words[j] == "of" and rx.search(cand):
                return " ".join(words).rstrip(",")
            return cand
    return None


def offset_end(clean: str, cut: str) -> int:
    # position in ``clean`` where ``cut`` (quotes removed) ends
    k = 0
    for ch in clean:
        if ch in "“”\"":
            k += 1
            continue
        break
    i = k
    n = 0
    while i < len(clean) and n < len(cut):
        if clean[i] in "“”\"":
            i += 1
            continue
        i += 1
        n += 1
    return i
