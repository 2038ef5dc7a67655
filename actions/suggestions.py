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

from functools import lru_cache
from typing import List, Sequence, Tuple

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
        if _routes_back(kb, id(kb.question_index), procedure_id, question.id, phrasing):
            return phrasing
    return None


@lru_cache(maxsize=4096)
def _routes_back(kb: KnowledgeBase, index_id: int, procedure_id: str, question_id: str, phrasing: str) -> bool:
    """The phrasing, sent alone, is answered with its own question. Remembered per question index (a reload of
    the knowledge base builds a new one, so edited questions are tried again)."""
    decision = decide(kb, phrasing)
    way = route(kb, phrasing, decision.procedure, decision.candidates)
    return (way.kind == QUESTION and way.question is not None and way.question.id == question_id
            and way.procedure is not None and way.procedure.id == procedure_id)

