"""The curated questions offered beside an honest "not known": "Có phải bạn muốn hỏi …?".

A situation no curated answer covers well enough is declined (``routing.UNKNOWN_SITUATION``), but the closest
curated questions often are what the citizen meant: of the development wordings of ``make eval-match`` that were
declined, about half had the question they were written from among the three closest. Each is offered as a
button whose payload is one of its own phrasings, so that picking it asks that question in words the router
answers; a question none of whose phrasings (tried a few, written with marks first) routes back to it alone is
not offered, since picking it would only be declined again.

Plain Python over the knowledge base and the router, tested without Rasa.
"""

from __future__ import annotations

from threading import Lock
from typing import Dict, List, Sequence, Tuple
from weakref import WeakKeyDictionary

from actions.resolution import decide
from actions.routing import QUESTION, route
from knowledge.base import KnowledgeBase
from knowledge.questions import Question
from knowledge.vntext import has_diacritics

# Phrasings of one question tried as its button's payload: the first that routes back to it is used.
PHRASINGS_TRIED = 3


def offered(kb: KnowledgeBase, nearby: Sequence[Tuple[str, Question]]) -> List[str]:
    """For each nearby question in order, the phrasing its button sends; questions none of whose phrasings reach
    them are left out."""
    out = []
    for procedure_id, question in nearby:
        phrasing = _asking_phrasing(kb, procedure_id, question)
        if phrasing is not None:
            out.append(phrasing)
    return out


def _asking_phrasing(kb: KnowledgeBase, procedure_id: str, question: Question) -> str | None:
    marked = [p for p in question.phrasings if has_diacritics(p)]
    tried = (marked + [p for p in question.phrasings if p not in marked])[:PHRASINGS_TRIED]
    for phrasing in tried:
        if _routes_back(kb, procedure_id, question.id, phrasing):
            return phrasing
    return None


# What ``_routes_back`` found, per question index: a reload of the knowledge base builds a new index, so edited
# questions are tried again, and the old index's entries go with it.
_ROUTED: WeakKeyDictionary[object, Dict[Tuple[str, str, str], bool]] = WeakKeyDictionary()
_ROUTED_LOCK = Lock()


def _routes_back(kb: KnowledgeBase, procedure_id: str, question_id: str, phrasing: str) -> bool:
    """The phrasing, sent alone, is answered with its own question."""
    index = kb.question_index
    key = (procedure_id, question_id, phrasing)
    with _ROUTED_LOCK:
        known = _ROUTED.setdefault(index, {}).get(key)
    if known is not None:
        return known
    decision = decide(kb, phrasing)
    way = route(kb, phrasing, decision.procedure, decision.candidates)
    found = (way.kind == QUESTION and way.question is not None and way.question.id == question_id
             and way.procedure is not None and way.procedure.id == procedure_id)
    with _ROUTED_LOCK:
        _ROUTED.setdefault(index, {})[key] = found
    return found
