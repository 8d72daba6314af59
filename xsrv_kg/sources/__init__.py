"""Files to named graphs and back: where the ontology, data, shapes and source texts live on
disk (:mod:`.loader`), spans of source text (:mod:`.spans`), and exports (:mod:`.export`).

May import: the foundation and :mod:`xsrv_kg.store`.
"""
