"""kg: a knowledge graph of Chinese regions, industrial parks and firms built from news reporting.

The library functions live in one module per job (``kg.rdf.loading``, ``kg.query.engine``, ``kg.validate.core``,
``kg.export.registry``, ``kg.network.measures`` ...); ``kg.cli`` is the thin click layer over them.
Nothing heavy is imported here, so ``import kg`` and ``kg --help`` stay fast.
"""

__version__ = "0.1.0"
