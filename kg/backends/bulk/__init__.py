"""Moving RDF files in bulk into an on-disk Oxigraph store (``kg load``); what ``kg push``
(:mod:`kg.backends.push`) shares with it: which files, checked how, read with a progress count.

Files go where :func:`kg.rdf.loading.load_project` puts them, so every backend holds the same named
graphs: the ontology in ``graph:ontology``, quad formats (TriG, N-Quads, JSON-LD) in their own
graphs, triple formats in a graph named by the file's ``file:`` IRI. The default graph is then
made the RDF merge of the named graphs (see :mod:`kg.backends.base` for why). Loading streams: memory
stays flat however large the files are. ``progress(bytes_read, bytes_total)`` reports how far it got.
"""

from kg.backends.bulk.files import (
    CountingReader,
    Progress,
    Source,
    check_sources,
    open_counting,
    ox_format,
    parse_error,
    sources,
)
from kg.backends.bulk.interrupt import LoadInterrupted
from kg.backends.bulk.load import LoadReport, load_store

__all__ = [
    "CountingReader", "LoadInterrupted", "LoadReport", "Progress", "Source", "check_sources",
    "load_store", "open_counting", "ox_format", "parse_error", "sources",
]
