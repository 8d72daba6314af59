"""What the web pages show, as data (the JSON twins):

- :mod:`.describe`: one resource's description and its RDF twin; :mod:`.terms`: the records a
  page makes of RDF terms, and the source sentences spans cite; :mod:`.assignments`: a unit's
  category assignments and fund rules; :mod:`.namespaces`: a hash namespace's page;
- :mod:`.overview`: a plan's overview, and :mod:`.chart` its SVG chart;
- :mod:`.search`: finding resources by name, pinyin slug or prefixed name;
- :mod:`.names`: names of IRIs in the reader's language; :mod:`.hrefs`: where a link goes.

Plain functions over a :class:`~xsrv_kg.store.Store`; they know nothing of HTTP.
May import: the foundation, :mod:`xsrv_kg.sparql`, :mod:`xsrv_kg.sources`, :mod:`xsrv_kg.store`.
"""
