"""Where a command's graph lives: the Backend protocol and its registry (:mod:`kg.backends.base`),
the memory (rdflib), oxigraph (on-disk store), oxigraph-memory and endpoint backends, and
moving files into a store or an endpoint (bulk, merge, push)."""
