"""The W3C SPARQL 1.1 Protocol and Service Description runner behind
``tests/test_w3c_protocol.py``.

Vendored here (see README.md; not covered by the project's licence): the manifests in
``protocol/`` and ``service-description/``. The project's own (MIT): these modules, which
read the manifests (:mod:`.manifest`), encode each protocol test as HTTP requests
(:mod:`.protocol_tests`, on :mod:`.steps` and :mod:`.stand_ins`), send them and check the
answers (:mod:`.client`), and check the service description (:mod:`.service_description`).
"""
