"""Files to named graphs and back: where the ontology, data, shapes and source texts live on
disk (:mod:`.loader`), spans of source text (:mod:`.spans`), exports (:mod:`.export`) and a new
document's folder scaffolded from the template (:mod:`.scaffold`).

May import: the foundation and :mod:`xsrv_kg.store`.
"""
