"""xsrv-kg: a knowledge graph of Chinese rural-revitalization policy documents, served over
SPARQL and as linked-data pages.

Data flows one way: files -> :mod:`.sources` -> :mod:`.store` -> services (:mod:`.query`,
:mod:`.validation`, :mod:`.linking`, :mod:`.pages`) -> interfaces (:mod:`.cli`,
:mod:`.server`). Each folder's docstring says what lives there and what it may import; the
README's *Code* section has the module table.
"""

__version__ = "0.1.0"
