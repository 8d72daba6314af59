"""Benchmarks of xsrv-kg, each a script (``python benchmarks/NAME.py``; see README.md), and
what they share with the tests (:mod:`benchmarks.support`). A package so that
``benchmarks.support`` and ``benchmarks.synthetic`` import the same way from a script, from
the tests and from a shell at the repository root."""
