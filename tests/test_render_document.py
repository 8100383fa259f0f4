"""kg.render's document and outline renderers (used by kg describe, kg why, kg conflicts)."""

from __future__ import annotations

import pytest

from kg.render import Section, Table, render_document, render_outline


def test_document_text():
    sections = [
        Section(fields=[("IRI", "http://x"), ("Located in", "A › B")]),
        Section("Empty"),
        Section("Rows", lines=["one", "two"]),
        Section("Figures", table=Table(["period", "value"], [("2021", "a very long cell " * 5)])),
    ]
    out = render_document("Title", sections, "text")
    assert out == (
        "Title\n=====\n\n"
        "IRI:        http://x\nLocated in: A › B\n\n"
        "Rows\n----\n  one\n  two\n\n"
        "Figures\n-------\n"
        f"period  value\n------  {'-' * 85}\n2021    {'a very long cell ' * 5}".rstrip() + "\n"
    )


def test_document_markdown_escapes_pipes():
    out = render_document("T|1", [Section(fields=[("k", "a|b")], lines=["x|y"])], "markdown")
    assert out == "## T\\|1\n\n- **k:** a\\|b\n\n- x\\|y\n"


def test_outline_text_and_markdown():
    items = [(0, "fact one"), (1, "source"), (2, "“quote”"), (0, "fact two"), (1, "source")]
    assert render_outline("T", items, "text") == (
        "T\n=\n\nfact one\n  source\n    “quote”\n\nfact two\n  source\n"
    )
    assert render_outline(None, items, "markdown") == (
        "fact one\n- source\n  - “quote”\n\nfact two\n- source\n"
    )


@pytest.mark.parametrize("fn", [render_document, render_outline])
def test_unknown_format(fn):
    with pytest.raises(ValueError, match="unknown"):
        fn("T", [], "html")
