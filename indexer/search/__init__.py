"""Search: a parsed query planned per language into polyfind's own plan (planner.py over a
Vocabulary, vocabulary.py; plan.py; typos.py), ranked by concept counting over the scoring
core (ranked.py, indexer/scoring/), explained on request (explain.py), and answered as hits
with snippets and translations (results.py) by the one service the CLI and the web app
share (service.py: searcher pool, generations, caches, admission)."""

from .planner import script_languages
from .results import Hit, SearchResponse, Translation
from .service import (
    SEARCHERS_PER_PROCESS,
    GenerationGone,
    Lease,
    OlderGeneration,
    SearcherPool,
    SearchService,
)

__all__ = [
    "SEARCHERS_PER_PROCESS",
    "GenerationGone",
    "Hit",
    "Lease",
    "OlderGeneration",
    "SearchResponse",
    "SearchService",
    "SearcherPool",
    "Translation",
    "script_languages",
]
