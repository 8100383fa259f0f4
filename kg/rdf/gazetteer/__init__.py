"""The gazetteer slice: the divisions and zones the project's data names, cut from the generated
gazetteer files at load time (docs/gazetteer.md, "The slice").

The gazetteer (``data/reference/gazetteer/*.trig``, written by ``python -m kg.reference.build``)
holds about 71,000 quads: rdflib parses them in about 2 s, too slow for a command that must
start in under 1 s. The project's in-memory graph therefore holds only the gazetteer's nodes
that the rest of the data names, their ancestors (``kg:locatedIn``, up to China), and every
gazetteer triple about them. The build writes one block per subject, blocks separated by a
blank line, one predicate per line; so the slice is a text scan that picks the blocks of the
nodes wanted, and rdflib parses a few hundred lines. The files stay the single source: the
tests check that the slice equals what a full parse gives for the same nodes. Commands that
need the whole gazetteer (``kg place``, ``kg load``) read the files whole, through pyoxigraph.

The package by job: :mod:`~kg.rdf.gazetteer.blocks` cuts the files into blocks,
:mod:`~kg.rdf.gazetteer.slice` picks a slice of them, :mod:`~kg.rdf.gazetteer.index` indexes the
whole gazetteer by name and code, :mod:`~kg.rdf.gazetteer.history` reads its history.
"""

from kg.rdf.gazetteer.blocks import DIVISIONS_FILE, BlockFile, Node, blocks_of, parents_in, read_blocks, read_into
from kg.rdf.gazetteer.history import History, Record, gazetteer_history
from kg.rdf.gazetteer.index import TYPE_WORDS, ZH_SUFFIXES, Gazetteer, name_key
from kg.rdf.gazetteer.slice import closure, mentioned, slice_for, slice_for_iris, slice_text

__all__ = [
    "DIVISIONS_FILE", "TYPE_WORDS", "ZH_SUFFIXES", "BlockFile", "Gazetteer", "History", "Node", "Record",
    "blocks_of", "closure", "gazetteer_history", "mentioned", "name_key", "parents_in", "read_blocks", "read_into",
    "slice_for", "slice_for_iris", "slice_text",
]
