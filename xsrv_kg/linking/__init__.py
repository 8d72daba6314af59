"""Links across documents and reference data, and the files ``xsrv-kg link`` generates:

- :mod:`.code_table`: the statistical division code table (a CSV of six editions) as Turtle;
- :mod:`.plan_links`: each county plan's townships linked to their entries in the edition
  whose names match the plan's (and the county plans and editions, read from the store);
- :mod:`.links_turtle`: those links as Turtle, with what each rests on;
- :mod:`.alignment`: each county plan's categories aligned with the municipal plan's by
  their shared names, and as Turtle;
- :mod:`.files`: those files generated, written (``link --write``) and checked
  (``link --check``; a hand-written file, without the GENERATED line, is left alone);
- :mod:`.report`: where a plan's names and each edition differ (``link --report``), and its
  text, JSON and HTML renderings.

Run ``xsrv-kg link --write`` after changing the CSV, a plan's townships or categories, or
adding a plan; ``xsrv-kg link --check`` (and the tests) fail while a committed file differs
from a regeneration or is missing.

May import: the foundation, :mod:`xsrv_kg.sparql`, :mod:`xsrv_kg.sources`, :mod:`xsrv_kg.store`.
"""
