"""What the web pages show, as data (the JSON twins): a resource's description
(:mod:`.describe`), a document's overview (:mod:`.overview`) and its chart (:mod:`.chart`),
names of IRIs in the reader's language (:mod:`.names`) and where a link goes (:mod:`.hrefs`).

Plain functions over a :class:`~xsrv_kg.store.Store`; they know nothing of HTTP.
May import: the foundation, :mod:`xsrv_kg.sparql`, :mod:`xsrv_kg.sources`, :mod:`xsrv_kg.store`.
"""
