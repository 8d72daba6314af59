"""The HTTP interface: the app factory (:mod:`.app`), one blueprint per concern
(:mod:`.blueprints`), error bodies, CORS, compression and security headers (:mod:`.http`), the
UI's words (:mod:`.i18n`) and the WSGI server that stops cleanly (:mod:`.serving`).

Thin: a request becomes a service call, its answer a response. May import everything below it
(:mod:`xsrv_kg.query`, :mod:`xsrv_kg.validation`, :mod:`xsrv_kg.pages`, :mod:`xsrv_kg.linking`,
:mod:`xsrv_kg.sources`, :mod:`xsrv_kg.store`, the foundation); nothing imports it but the CLI.
"""
