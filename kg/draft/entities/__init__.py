"""Finding the things an article names: by the form of the name, by the graph's own names
(a :class:`~kg.draft.names.NameIndex`), and by anaphora ("the park", "the company", "its").

One module per job: :mod:`~kg.draft.entities.forms` (names by their form),
:mod:`~kg.draft.entities.cues` (the wording that signals a mention),
:mod:`~kg.draft.entities.choosing` (choosing among candidate nodes),
:mod:`~kg.draft.entities.registry` (linking or proposing new things, the mentions) and
:mod:`~kg.draft.entities.mentions` (the scan, sentence by sentence)."""

from kg.draft.entities.choosing import KIND_CUES
from kg.draft.entities.cues import ANAPHORS, PERSON_POST_AFTER, PERSON_POST_BEFORE, PERSON_SAID, ROLE_WORDS
from kg.draft.entities.forms import HEADS
from kg.draft.entities.mentions import recognise
from kg.draft.entities.registry import Entities, Entity, Mention

__all__ = ["ANAPHORS", "Entities", "Entity", "HEADS", "KIND_CUES", "Mention", "PERSON_POST_AFTER",
           "PERSON_POST_BEFORE", "PERSON_SAID", "ROLE_WORDS", "recognise"]
