"""The load test behind ``benchmarks/load.py`` (whose docstring says what it does): the
request mix (:mod:`.mix`), the server under load and its memory (:mod:`.server`), the clients
and how each answer is judged (:mod:`.client`), and the checks and the report
(:mod:`.report`)."""
