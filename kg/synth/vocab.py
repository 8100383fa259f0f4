"""The words synthetic data is made of (:mod:`kg.synth.generate`): names, industries, measures and
roles (the divisions are the gazetteer's)."""

from __future__ import annotations

SYLLABLES = (
    "an bai bao chang cheng da dong feng fu guang hai he heng hong hua jia jian jin jing "
    "kai long ming nan ning ping qing rui sheng shun tai tian tong wei xin xing yang yi yong "
    "yuan yun zhong zhi"
).split()
SURNAMES = (
    "Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin He Guo Ma Luo".split()
)
INDUSTRIES = (
    ("equipment-manufacturing", "equipment manufacturing", "Equipment"),
    ("rare-earth", "rare earth", "Rare Earth"),
    ("new-energy", "new energy", "New Energy"),
    ("new-materials", "new materials", "Materials"),
    ("automobiles", "automobiles", "Automotive"),
    ("engineering-machinery", "engineering machinery", "Machinery"),
    ("rail-transit-equipment", "rail transit equipment", "Rail Equipment"),
    ("electronics", "electronics", "Electronics"),
    ("biomedicine", "biomedicine", "Pharmaceutical"),
    ("chemicals", "chemicals", "Chemical"),
    ("steel", "steel", "Steel"),
    ("aluminium", "aluminium", "Aluminium"),
    ("coal", "coal", "Coal"),
    ("textiles", "textiles", "Textile"),
    ("food-processing", "food processing", "Food"),
    ("logistics", "logistics", "Logistics"),
    ("software", "software", "Software"),
    ("semiconductors", "semiconductors", "Semiconductor"),
    ("aerospace", "aerospace", "Aerospace"),
    ("shipbuilding", "shipbuilding", "Shipbuilding"),
    ("photovoltaics", "photovoltaics", "Solar"),
    ("hydrogen-energy", "hydrogen energy", "Hydrogen"),
    ("agricultural-machinery", "agricultural machinery", "Agricultural Machinery"),
    ("energy-storage", "energy storage", "Energy Storage"),
)
MEASURES = (
    ("revenue", "revenue"),
    ("output-value", "output value"),
    ("tax-revenue", "tax revenue"),
    ("investment", "investment"),
    ("assets", "assets"),
)
ROLES = (("ceo", "chief executive officer"), ("president", "president"), ("director", "director"))
