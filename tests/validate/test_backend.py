"""kg.validate.backend: the pieces of validating a store in place (the reports themselves are
compared with the memory path's in test_backend_commands.py)."""

from __future__ import annotations

import pytest

from kg.validate.backend import _has_blank, _has_blank_text

CASES = [
    (b"_:a <http://e/p> <http://e/o> .\n", True),
    (b"<http://e/s> <http://e/p> _:b .\n", True),
    (b'<http://e/s> <http://e/p> "x _:b" .\n', False),  # in a literal, not after an IRI
    (b"<http://e/s> <http://e/p> <http://e/o> .\n" * 10 + b"_:z <http://e/p> <http://e/o> .\n", True),
    (b'<http://e/s> <http://e/p> "_:" .\n', False),
]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 20])
@pytest.mark.parametrize(("text", "blank"), CASES)
def test_blank_nodes_found_in_a_dump_read_in_pieces(tmp_path, text, blank, chunk):
    path = tmp_path / "dump.nt"
    path.write_bytes(text)
    assert _has_blank(path, chunk=chunk) is blank
    assert _has_blank_text(text) is blank


def test_a_dump_that_cannot_be_written_is_one_line(tmp_path):
    import pyoxigraph as ox

    from kg.errors import InputError
    from kg.validate.core import as_shapes_graph
    from kg.validate.backend import _dump_and_check

    from kg.backends.oxigraph import StoreBackend

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o")))
    missing = tmp_path / "gone" / "merge.nt"
    with pytest.raises(InputError, match=r"gone: cannot write the data's triples there for validation \(.*\); set TMPDIR") as info:
        _dump_and_check(StoreBackend("(memory)", store=store), missing, as_shapes_graph(None), "shapes.ttl")
    assert "\n" not in str(info.value)
