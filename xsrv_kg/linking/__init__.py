"""Links across documents and reference data: statistical division codes over time
(:mod:`.code_table`), county plans' townships linked to them (:mod:`.plan_links`), categories
aligned with the municipal plan (:mod:`.alignment`), the files ``xsrv-kg link`` writes
(:mod:`.files`) and the link report's renderings (:mod:`.report`).

May import: the foundation, :mod:`xsrv_kg.sparql`, :mod:`xsrv_kg.sources`, :mod:`xsrv_kg.store`.
"""
