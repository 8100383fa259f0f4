"""Where the project's own files are: the ontology, shapes, data and named queries.

In a checkout (or an editable install) they are the top-level folders of the repository; in a
wheel they are packaged under ``kg/_project``. ``KG_HOME`` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``."""
    env = os.environ.get("KG_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    packaged = here / "_project"
    if (packaged / "ontology").is_dir():
        return packaged
    return here.parent


def ontology_file() -> Path:
    return project_root() / "ontology" / "kg.ttl"


def shapes_file() -> Path:
    return project_root() / "ontology" / "shapes.ttl"


def data_dir() -> Path:
    return project_root() / "data"


def article_texts_dir() -> Path:
    return data_dir() / "articles"


def article_graph_files() -> list[Path]:
    """One TriG file per article, sorted by name."""
    return sorted((data_dir() / "graphs").glob("*.trig"))


def reference_files() -> list[Path]:
    """Reference data with its own stated source (one named graph per file)."""
    return sorted((data_dir() / "reference").glob("*.trig"))


def gazetteer_files() -> list[Path]:
    """The generated gazetteer (docs/gazetteer.md): the project's graph holds the slice of it
    that the data names; ``kg place`` and ``kg load`` read it whole."""
    return sorted((data_dir() / "reference" / "gazetteer").glob("*.trig"))


def outline_file() -> Path:
    """Province-level outlines of China for maps, generated with the gazetteer."""
    return data_dir() / "reference" / "gazetteer" / "outlines.json"


def queries_dir() -> Path:
    return project_root() / "queries"
