"""The whole gazetteer indexed by subject, parent, name and code (``kg place``, ``kg synth``, maps)."""

from __future__ import annotations

import re
from pathlib import Path

from kg.rdf.gazetteer.blocks import Node, blocks_of, read_into


#: English words for kinds of division or zone, dropped to make a short name ("Qingshan District").
TYPE_WORDS = frozenset(
    "city district county banner league prefecture autonomous area new mining forestry special "
    "region province municipality shi qu xian qi meng sheng zizhiqu zizhixian zizhizhou diqu".split()
)


_TONES = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ",
    "aaaaeeeeiiiioooouuuuuuuuuAAAAEEEEIIIIOOOOUUUU",
)
_NOT_NAME = re.compile(r"[\W_]+")
#: Chinese words for kinds of division, dropped to make a short name (内蒙古自治区 -> 内蒙古).
ZH_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "盟", "区", "县", "旗")


def name_key(text: str) -> str:
    """A name as the index compares it: no tone marks, no case, no spaces or punctuation."""
    return _NOT_NAME.sub("", text.translate(_TONES).casefold())


class Gazetteer:
    """The whole gazetteer, cut into blocks and indexed by subject, parent, name and code: enough
    for ``kg place`` and ``kg synth`` without parsing 71,000 quads."""

    def __init__(self, paths: list[Path]) -> None:
        self.files = [blocks_of(p) for p in paths]
        self.nodes: dict[str, Node] = {}
        self.children: dict[str, list[str]] = {}
        self.by_name: dict[str, set[str]] = {}
        for f in self.files:
            for iri, chunks in f.blocks.items():
                node = self.nodes.get(iri)
                if node is None:
                    node = self.nodes[iri] = Node(iri, [], [], None, None, [], [])
                for chunk in chunks:
                    read_into(f, chunk, node)
        for node in self.nodes.values():
            for parent in node.parents:
                self.children.setdefault(parent, []).append(node.iri)
            for key in self._keys(node):
                self.by_name.setdefault(key, set()).add(node.iri)
            for key in (node.code, node.notation):
                if key:
                    self.by_name.setdefault(name_key(key), set()).add(node.iri)

    @staticmethod
    def _keys(node: Node) -> set[str]:
        keys = set()
        for text, lang in node.names:
            keys.add(name_key(text))
            words = text.split()
            if len(words) > 1 and lang in ("en", "zh-latn-pinyin"):  # "Qingshan District", "Bāotóu Shì"
                stem = [w for w in words if name_key(w) not in TYPE_WORDS]
                if stem:
                    keys.add(name_key(" ".join(stem)))
        zh = [text for text, lang in node.names if lang == "zh"]
        for z in zh:
            for suffix in ZH_SUFFIXES:
                if z.endswith(suffix) and len(z) > len(suffix) + 1:
                    keys.add(name_key(z[: -len(suffix)]))
                    break
        if any(z.endswith("市") for z in zh):  # a city: "Baotou City" as well as "Baotou"
            keys |= {name_key(text) + "city" for text, lang in node.names if lang == "en"}
        keys.discard("")
        return keys

    def find(self, name: str) -> list[str]:
        """The nodes with this name (any language, full or short, any case, tones or none)."""
        return sorted(self.by_name.get(name_key(name), ()))

    def containing(self, text: str) -> list[str]:
        """The nodes one of whose names contains ``text`` (any case)."""
        wanted = text.casefold()
        return sorted(n.iri for n in self.nodes.values() if any(wanted in t.casefold() for t, _ in n.names))

    def point(self, iri: str) -> tuple[float, float] | None:
        """(latitude, longitude) of a node, if the gazetteer gives one."""
        node = self.nodes.get(iri)
        if node is None or node.latitude is None or node.longitude is None:
            return None
        return float(node.latitude), float(node.longitude)
