"""The national gazetteer: reference graphs of China's divisions built from registry packages.

``python -m kg.reference.build`` reads the data shipped in a few packages (installed by hand
into a build environment, see docs/gazetteer.md) and writes the committed TriG files under
``data/reference/gazetteer/``. Nothing in this package runs at kg's install or load time.
"""
