from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.provenance.figures import (
    INFINITY,
    Figure,
    change_range,
    disjoint,
    format_amount,
    format_change,
    format_number,
    period_parts,
    previous_period,
    rounding,
    value_range,
)
from kg.namespaces import CUR, KGS, UNIT

D = Decimal


def fig(value: str, status: str = "reported", stated_as: str | None = None, qualifier: str | None = None) -> Figure:
    return Figure(
        node=URIRef("http://example.org/m"), graph=URIRef("http://example.org/g"), about=None, measure=None,
        period=None, value=D(value), unit=CUR["CNY"], status=KGS[status],
        qualifier=KGS[qualifier] if qualifier else None, yoy=None, relative_to=None, part_of=None,
        stated_as=stated_as, evidence=(), notes=(),
    )


@pytest.mark.parametrize(
    ("value", "stated_as", "half"),
    [
        ("79140000000", "79.14 billion yuan ($11.8 billion)", "5000000"),  # 79.14 billion: +-0.005 billion
        ("11800000000", "($11.8 billion)", "50000000"),  # the second number fits, the first does not
        ("170", "170 supporting enterprises", "0.5"),
        ("1500", "over 1,500 leasing companies", "0.5"),
        ("2", "two kilometers away", "0.5"),  # a number word
        ("7", "seven sub parks", "0.5"),
        ("99", "about 99 percent", "0.5"),
        ("67000000000", None, "0"),  # no words: exact
        ("67000000000", "some investment", "0"),  # no number that fits: exact
    ],
)
def test_rounding_comes_from_the_number_as_written(value, stated_as, half):
    assert rounding(D(value), stated_as) == D(half)


def test_ranges_by_status_and_qualifier():
    assert value_range(fig("100", stated_as="100")) == (D("99.5"), D("100.5"))
    assert value_range(fig("220", "lower-bound", "over 220")) == (D("219.5"), INFINITY)
    assert value_range(fig("500", "upper-bound", "500")) == (-INFINITY, D("500.5"))
    assert value_range(fig("100", "approximate")) == (D("95.00"), D("105.00"))
    # a plan "to renovate more than 20" is a lower bound through its qualifier
    assert value_range(fig("20", "plan", "more than 20", qualifier="lower-bound"))[1] == INFINITY


def test_disjoint():
    assert disjoint((D(1), D(2)), (D(3), D(4)))
    assert not disjoint((D(1), D(3)), (D(3), D(4)))
    assert not disjoint((D(1), INFINITY), (D(100), D(200)))


def test_change_range_from_rounded_figures():
    # 1.7 billion (1.65..1.75) to 1.8 billion (1.75..1.85): 0 % to 12.12 %
    lo, hi = change_range((D("1.75"), D("1.85")), (D("1.65"), D("1.75")))
    assert lo == 0
    assert round(hi, 2) == D("12.12")
    assert change_range((D(1), D(2)), (D(0), D(1))) is None  # nothing to grow from


def test_periods():
    assert period_parts(Literal("2021", datatype=XSD.gYear)) == (2021,)
    assert period_parts(Literal("2017-12-11", datatype=XSD.date)) == (2017, 12, 11)
    assert period_parts("so far") is None
    assert period_parts(None) is None
    assert previous_period((2017, 12, 11)) == (2016, 12, 11)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        ("79140000000", CUR["CNY"], "79.14 billion yuan"),
        ("100000000", CUR["CNY"], "100 million yuan"),
        ("15000", UNIT["NUM"], "15,000"),
        ("31.460", UNIT["PERCENT"], "31.46%"),
        ("8.0", UNIT["KiloM2"], "8 sq km"),
        ("-2500", CUR["CNY"], "-2,500 yuan"),
    ],
)
def test_format_amount(value, unit, text):
    assert format_amount(D(value), unit, "yuan") == text


def test_format_number_and_change():
    assert format_number(D("1.5E+12")) == "1.5 trillion"
    assert format_change(Literal("31.46", datatype=XSD.decimal)) == "+31.46%"
    assert format_change(Literal("-3.0", datatype=XSD.decimal)) == "-3%"
    assert format_change(None) == ""
