"""xsrv-kg: a knowledge graph of Chinese rural-revitalization policy documents.

Layers (see ARCHITECTURE in the README): files -> loader -> store -> services
(query, validation, export) -> interfaces (CLI now, HTTP later).
"""

__version__ = "0.1.0"
