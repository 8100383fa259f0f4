"""Drafting an article's graph from its text, for a person to review (issue 21).

Library only; the ``kg draft`` command is a thin layer over :func:`draft_graph` and
:func:`write_draft`::

    article = parse_article(text, file_name="005_<hash>.txt")
    index = NameIndex.from_dataset(dataset)          # or kg.draft.sources.index_from_backend(backend)
    add_gazetteer(index, data_dir)                   # kg.draft.sources: the gazetteer's divisions
    ds = draft_graph(article, index)
    trig = write_draft(article, ds)                  # into data/graphs/draft_file_name(article)
"""

from kg.draft.article import Article, Sentence, parse_article
from kg.draft.entities import Entities, Entity, recognise
from kg.draft.figures import Figure, extract_figures
from kg.draft.graph import (DRAFT, NEEDS_REVIEW, REVIEW_NOTE, REVIEW_STATUS, DraftDataset, article_slug,
                            draft_file_name, draft_graph, text_file_name, text_hash, write_draft)
from kg.draft.names import NameIndex, mint_iri, name_keys, slugify
from kg.draft.relations import Post, Relation, extract_relations
from kg.draft.sources import (DraftPlan, DraftSummary, add_gazetteer, index_from_backend, plan_files,
                              read_article_text, save_draft, summarise)

__all__ = ["Article", "Sentence", "parse_article", "Entities", "Entity", "recognise", "Figure",
           "extract_figures", "DRAFT", "NEEDS_REVIEW", "REVIEW_NOTE", "REVIEW_STATUS", "DraftDataset",
           "article_slug", "draft_file_name", "draft_graph", "text_file_name", "text_hash", "write_draft",
           "NameIndex", "mint_iri", "name_keys", "slugify", "Post", "Relation", "extract_relations",
           "DraftPlan", "DraftSummary", "add_gazetteer", "index_from_backend", "plan_files", "read_article_text",
           "save_draft", "summarise"]
