"""Synthetic national-scale data in the project's ontology, generated and written as a stream.

The administrative hierarchy is China's real one, from the gazetteer (docs/gazetteer.md): its
county-level divisions (all 2,845 from 100,000 firms; an even spread of them, scaled down, for
fewer firms) with the prefecture- and province-level divisions they are in, under their real
IRIs, codes and names; some 2,500 synthetic parks and sub-parks; firms sit in parks or districts
and have founding years, industries, people in roles, supplier and investor links and
measurements with their sources. Reference data goes into one named graph, each synthetic
source's facts into a graph of its own.

Nothing is held per firm: memory stays flat however many firms are asked for, and the same
seed gives the same bytes. Every IRI but the divisions' has a ``synth-`` slug, so synthetic
parks and firms never merge with the project's real ones (the divisions do: they are real).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from kg.errors import UsageError
from kg.synth.firms import source
from kg.synth.places import FULL_AT, FULL_SIZE, SOURCE_SIZE, SynthSize, hierarchy, synth_size
from kg.synth.terms import XSD, A, Block

__all__ = ["FULL_AT", "FULL_SIZE", "SOURCE_SIZE", "XSD", "A", "Block", "SynthSize", "generate", "synth_size"]


def generate(
    firms: int, seed: int = 0, progress: Callable[[int], None] | None = None
) -> Iterator[Block]:
    """Every block of a synthetic dataset, in a fixed order; ``progress(firms_done)`` after each source."""
    if firms < 1:
        raise UsageError(f"--firms must be at least 1 (got {firms})")
    rng = random.Random(seed)
    size = synth_size(firms)
    h = hierarchy(rng, size, seed)
    yield from h.blocks
    for k in range(1, size.sources + 1):
        yield from source(rng, h, k, firms, seed)
        if progress is not None:
            progress(min(firms, k * SOURCE_SIZE))
