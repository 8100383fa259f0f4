"""Helpers shared by the export tests (tests/test_export*.py): write, re-parse, compare."""

from __future__ import annotations

import io
import os
from pathlib import Path

from kg.export.registry import FORMATS, Format, write
from kg.rdf.terms import ExportData
from kg.rdf.loading import load_files

TESTS = Path(__file__).resolve().parents[1]
GOLDEN = TESTS / "golden" / "export"
SAMPLE = GOLDEN / "sample.trig"
#: Set KG_UPDATE_GOLDEN=1 to rewrite the golden outputs instead of comparing with them.
UPDATE_GOLDEN = os.environ.get("KG_UPDATE_GOLDEN") == "1"

RDF_FORMATS = [name for name, f in FORMATS.items() if f.kind == "rdf"]
NETWORK_FORMATS = [name for name, f in FORMATS.items() if f.kind == "network"]


def sample_data() -> ExportData:
    return ExportData.from_dataset(load_files([SAMPLE]))


def export_bytes(fmt: str, data: ExportData) -> bytes:
    """What ``fmt`` writes for ``data`` (single-file formats), in memory."""
    buf = io.BytesIO()
    write(FORMATS[fmt], data, None, buf)
    return buf.getvalue()


def export_file(fmt: str, data: ExportData, folder: Path, stem: str = "out") -> Path:
    f: Format = FORMATS[fmt]
    path = folder / f"{stem}{f.suffix}"
    write(f, data, path, io.BytesIO())
    return path


def union(data: ExportData) -> list:
    """The union of every graph, blank nodes canonicalised as one graph."""
    return ExportData.from_quads((s, p, o, None) for s, p, o in data.triples).quads


def same_content(fmt: str, exported: ExportData, parsed: ExportData) -> bool:
    """Quad formats must give back every quad in its graph; triple formats the union."""
    if FORMATS[fmt].graphs:
        return parsed.quads == exported.quads
    return union(parsed) == union(exported)


def reparse(path: Path) -> ExportData:
    return ExportData.from_dataset(load_files([path]))


# --- pyoxigraph: a second, independent parser -----------------------------------------------


def _ox_term(ox, t):  # type: ignore[no-untyped-def]
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return ox.DefaultGraph()
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    assert isinstance(t, Literal)
    if t.language:
        return ox.Literal(str(t), language=t.language)
    if t.datatype is not None:
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
    return ox.Literal(str(t))


def _canonical(ox, quads) -> list[str]:  # type: ignore[no-untyped-def]
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in ds)


def oxigraph_reads(path: Path) -> list[str]:
    """The file as pyoxigraph parses it, as canonical N-Quads lines."""
    import pyoxigraph as ox

    return _canonical(ox, ox.parse(path=str(path)))


def oxigraph_expected(fmt: str, data: ExportData) -> list[str]:
    """What pyoxigraph should read from the export of ``data`` in ``fmt``."""
    import pyoxigraph as ox

    keep = FORMATS[fmt].graphs
    quads = {(s, p, o, g if keep else None) for s, p, o, g in data.quads}
    return _canonical(ox, [ox.Quad(*(_ox_term(ox, t) for t in q)) for q in quads])
