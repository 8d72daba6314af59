"""The query service: everything between a SPARQL request and its written result.

- :mod:`.endpoint`: the one pipeline every query takes (dataset rules, SERVICE allow-list,
  limits, cache, updates), for HTTP and the CLI alike;
- :mod:`.executor`: **where a query runs** (worker processes, killed at the time limit);
- :mod:`.results`: **where a result is written** (SPARQL results and RDF, with caps);
- :mod:`.negotiation`: which format a client gets; :mod:`.cache`: results by store version;
- :mod:`.service_description`: the SPARQL 1.1 Service Description;
- :mod:`.console`: a result as the CLI prints it;
- :mod:`.hints`: what an empty result may have missed (``Xsrv-Hint``).

May import: the foundation, :mod:`xsrv_kg.sparql`, :mod:`xsrv_kg.sources`, :mod:`xsrv_kg.store`;
never Flask or click.
"""
