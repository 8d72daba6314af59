"""Synthetic county plans shaped like the Xiushan plan, reproducible from a seed, with known
errors on request: the library behind ``benchmarks/generate.py`` (whose docstring says what is
generated and how it mirrors the real data).

Modules, in the order a county is written: :mod:`.places` (municipalities, townships,
villages, names and codes), :mod:`.wording` (what every plan says), :mod:`.turtle` (Turtle
and text written while counting triples and offsets), :mod:`.injection` (the known errors),
:mod:`.base` (one county's state), :mod:`.text`, :mod:`.classification` and
:mod:`.document` (the parts of a county), :mod:`.county` (them together), :mod:`.output`
(the whole output folder).
"""

from .injection import ERROR_KINDS
from .output import Summary, generate

__all__ = ["ERROR_KINDS", "Summary", "generate"]
