"""Status words: the wording before a figure that makes it a bound, an approximation or an
estimate, and the wording of a clause that makes it a forecast, a target or a plan."""

from __future__ import annotations

import re

LOWER = re.compile(r"\b(?:more than|over|above|exceeding|surpassing|at least|in excess of|upwards of|beyond|"
                    r"greater than)\s*$", re.I)
UPPER = re.compile(r"\b(?:up to|at most|less than|under|below|no more than|can reach|could reach|"
                    r"as much as|maximum of)\s*$", re.I)
APPROX = re.compile(r"\b(?:about|around|nearly|almost|approximately|roughly|some|close to|approx\.)\s*$", re.I)
ESTIMATE = re.compile(r"\b(?:an? )?estimated(?:\s+\w+){0,3}\s+(?:of\s+)?$|\bestimate[sd]? (?:at|of)\s*$", re.I)
FORECAST = re.compile(r"\b(?:expect(?:s|ed|ing)?|forecast(?:s|ed)?|projected|predicted|anticipated|is set to|"
                       r"are set to|likely to)\b", re.I)
TARGET = re.compile(r"\b(?:target(?:s|ed)?|aim(?:s|ing)? (?:to|at|for)|goal|strive|seeks? to)\b", re.I)
PLAN = re.compile(r"\b(?:will|plans? to|planned to|planning to|is to be|are to be|scheduled to)\b", re.I)
