"""Figures in an article's sentences: value (scaled), unit, period, status, year-on-year change,
measure concept and the thing they are about. Regular expressions only (quantulum3 was measured:
2 s to load and it misreads "($11.8 billion)" and "20-minutes"; see docs/extraction.md).

One module per job: :mod:`~kg.draft.figures.numbers` (numbers and units),
:mod:`~kg.draft.figures.periods` (the period a figure is for), :mod:`~kg.draft.figures.status`
(status words), :mod:`~kg.draft.figures.measures` (measure concepts) and
:mod:`~kg.draft.figures.statements` (building the figures of an article)."""

from kg.draft.figures.numbers import COUNT_UNITS, NUMBER
from kg.draft.figures.statements import Figure, extract_figures

__all__ = ["COUNT_UNITS", "NUMBER", "Figure", "extract_figures"]
