"""The SPARQL language, read as text: one lexer, what a request's text asks for before it
runs, and the product's own queries (the ``.rq`` files beside this module) with values bound.

May import: the foundation (:mod:`xsrv_kg.errors`, :mod:`xsrv_kg.vocab`) and, for running a
shipped query, the :class:`~xsrv_kg.store.Store` it is given.
"""
