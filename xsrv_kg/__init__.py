"""xsrv-kg: a knowledge graph of Chinese rural-revitalization policy documents, served over
SPARQL and as linked-data pages.

Data flows one way: files -> :mod:`.sources` -> :mod:`.store` -> services (:mod:`.query`,
:mod:`.validation`, :mod:`.linking`, :mod:`.pages`) -> interfaces (:mod:`.cli`,
:mod:`.server`) and the Python API (:mod:`.api`, ``from xsrv_kg import KnowledgeGraph``).
Each folder's docstring says what lives there and what it may import; the
README's *Code* section has the module table.
"""

__version__ = "0.1.0"

__all__ = ["KnowledgeGraph", "__version__"]


def __getattr__(name: str) -> object:
    """``from xsrv_kg import KnowledgeGraph`` (:mod:`.api`), imported on first use so the
    command line starts without the query and validation stacks."""
    if name == "KnowledgeGraph":
        from .api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'xsrv_kg' has no attribute {name!r}")
