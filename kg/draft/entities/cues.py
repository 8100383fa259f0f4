"""The wording that signals a mention: people beside their posts, anaphora ("the park", "its"),
appositives ("X, a leading ... company"), designations, macro-regions, Chinese names in brackets."""

from __future__ import annotations

import re

#: Words for anaphora: "the park" -> the last park named, "the company" -> the last firm.
ANAPHORS: dict[str, tuple[str, ...]] = {
    "park": ("park",), "zone": ("park",), "sub-park": ("park",),
    "company": ("org:Firm",), "firm": ("org:Firm",), "group": ("org:Firm",), "enterprise": ("org:Firm",),
    "association": ("org:IndustryAssociation",), "bureau": ("org:GovernmentBody",),
    "committee": ("org:GovernmentBody",), "government": ("org:GovernmentBody",),
    "district": ("place:District",), "city": ("place:PrefectureLevelCity",), "province": ("place:ProvinceLevelDivision",),
    "region": ("place:ProvinceLevelDivision", "place:MacroRegion", "place:EconomicArea"),
    "county": ("place",), "township": ("place:Township",), "town": ("place:Township",),
    "exhibition": ("event",), "conference": ("event",), "forum": ("event",), "expo": ("event",),
    "university": ("org",),
}
ANAPHOR_RE = re.compile(
    r"\b(?:[Tt]he|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir|[Tt]his)\s+(?P<w>" + "|".join(ANAPHORS) + r")(?:['’]s)?\b")
PRONOUN_RE = re.compile(r"^[\"“]?(?:[A-Z][\w ]{0,25},\s+)?(?:[Ii]t|[Ii]ts|[Ii]t’s|[Ii]t's|We|Our)\b")

ROLE_WORDS = (r"(?:(?:executive|deputy|vice|general|senior|chief|honorary|founding)\s+)*"
              r"(?:vice\s+)?(?:president|director(?:-general)?|CEO|chief executive(?: officer)?|chairman|chairwoman|"
              r"chair|general manager|manager|secretary|mayor|governor|head|founder|chief engineer|"
              r"party secretary|official|professor|dean|researcher|engineer|spokesperson|spokesman)")
PERSON = r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})"
PERSON_POST_AFTER = re.compile(PERSON + r",\s+(?P<role>" + ROLE_WORDS + r")\s+(?:of|at)\s+(?P<org>[^,.;:\"”]+)")
PERSON_POST_BEFORE = re.compile(r"(?P<org>\b[A-Z][\w&\- ]*?)\s+(?P<role>" + ROLE_WORDS + r"),?\s+" + PERSON + r"\b")
PERSON_SAID = re.compile(r"\bsaid\s+" + PERSON + r"\b|\b" + PERSON.replace("name", "name2") + r"\s+said\b")
ZH_BRACKET = re.compile(r"\s*[(（]\s*([\u3400-\u9fff][\u3400-\u9fff\w·]*)\s*[)）]")
APPOSITIVE_FIRM = re.compile(
    r"^(?:Tech giant\s+|[A-Z]\w+ giant\s+)?(?P<name>[A-Z][\w\-]*(?: [A-Z][\w\-]*){0,5})"
    r"(?:,\s+an?\s+[^,]{0,60}?\b(?:company|firm|manufacturer|maker|provider|enterprise|producer|group)\b"
    r"|\s+(?:is|was)\s+(?:one of\s+)?(?:the\s+)?[^,.]{0,40}?\b(?:companies|firms|enterprises|manufacturers)\b)")
GIANT = re.compile(r"\b(?:[Tt]ech|[Ii]ndustry|[A-Za-z]+) giant\s+(?P<name>[A-Z][\w\-]+(?: [A-Z][\w\-]+){0,3})")

DIRECTION = r"(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral|[Nn]orth(?:east|west)|[Ss]outh(?:east|west))"
MACRO_REGION_OTHER = re.compile(
    r"\b[Tt]he (?P<d1>" + DIRECTION + r")(?:ern)? region\b|\bChina(?:['’]s|s) (?P<d2>" + DIRECTION + r")\b")

DESIGNATION = re.compile(
    r"\btitle of (?:the )?(?P<d>[A-Z][^,.;“”\"]*?)(?= for | by |,|\.|$)"
    r"|\b(?:named|designated|recognized|recognised|listed)(?: as)? (?:an? |the )?[“\"](?P<q>[^”\"]+)[”\"]")
