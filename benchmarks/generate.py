"""Synthetic national-scale data: many county plans shaped like the Xiushan plan.

    python benchmarks/generate.py --counties N [--seed S] [--errors K] --out DIR
    python benchmarks/generate.py --triples T  [--seed S] [--errors K] --out DIR
    python benchmarks/generate.py --documents N [--seed S] --out DIR   # plans and notices

Why: the one real county plan is a few thousand triples; loading, querying and validating at
national scale (China has about 2 800 county-level units) needs data of the same shape, many
times over, reproducible from a seed, and, for testing the validator, with known errors.

**How it mirrors the real data** (``data/documents/xiushan-plan/``). Every county gets what
the Xiushan plan has, with the same classes and properties, so the shipped shapes apply:

- a ``source.txt`` written like the real text (title, 一、总体要求, 二、细化分类 with the
  township and village lists, 三、重点举措 with the fund sentences, 四、保障措施), and every
  fact cites ``xsrv:sourceSpan [ oa:hasSource …text ; oa:start ; oa:end ; oa:exact ]`` with
  offsets in Unicode code points counted while the text is written, so each quote matches;
- the document (``xsrv:PolicyDocument``, ELI title, sections ``eli:is_part_of``, status
  trial, ``dcterms:spatial`` the county, ``eli:based_on`` its municipality's plan), the
  bodies (县财政, 县委农办; 市财政 of the municipality), principles, an editorial note and an
  interpretation;
- the hierarchy: a municipality (``xsrv:ProvinceLevelDivision``, 40 counties each) > the
  county > 27 townships (镇/乡/街道) > 8–12 villages each (村/社区/居委会), with codes;
- the three categories 先行示范类 / 重点帮扶类 / 积极推进类 and five tiers as SKOS schemes of
  the document, one ``xsrv:CategoryAssignment`` per township and per named village, and the
  declared counts (concepts, townships with their partition, villages with theirs). The
  split varies (1–3 pilot, 4–7 key-assistance of which one municipal, the rest active; the
  real one is 2 + 6 + 19) and every count the text enumerates equals its members;
- the fund rules of 三（四） (payer, amount in yuan as ``xsd:decimal``, payment basis,
  ``time:hasDuration``, recipients by category, tier and level), the 5-year transition
  period, the land quota, goals with targets, measures, safeguards and recurring activities.

Like the real plan, four village counts are stated but not fully enumerated (pilot villages,
county demonstration villages, township-applied villages, the remaining administrative
villages): each county adds the same four ``sh:Info`` results the real plan adds
(``xsh:IncompleteAssignmentCountShape``). There are no violations and no warnings.

**Designation notices** (``--notices K``, or ``--documents N``: one county plan in four, the
rest notices) are shaped like ``tests/fixtures/example-notice/``: a made-up prefecture-level
city (合成地市NNNN) proposes (拟评定, status 公示) advanced townships and demonstration
villages, the villages grouped by county-level unit (区, 县 or 县级市), every list and group
with its declared count written in Arabic or Chinese numerals, counts scoped to the city or
the county (``xsrv:countedWithin``), a community among some villages; no violation, no
warning (``benchmarks/synthetic/notice.py``).

**What is synthetic**: everything. IRIs live under ``<base>id/synthetic/``
(``…/county-0001/t05``, ``…/municipality-01/division``); names are 合成市01, 合成县0001,
合成镇0001-05, 合成村0001-05-03 (English "Synthetic …"); statistical codes begin with 9, which
no real province code does (county ``9MMCCC``, township county + 3 digits); amounts, years
and splits are drawn from the seed. Each text says right after its title that it is made up.

**Layout** (each folder becomes its own named graph when DIR is given as a data path)::

    DIR/documents/synthetic-county-NNNN/{plan.ttl, divisions.ttl, source.txt}
        -> <base>graph/documents/synthetic-county-NNNN
    DIR/documents/synthetic-notice-NNNN/{notice.ttl, source.txt}   (--notices, --documents)
        -> <base>graph/documents/synthetic-notice-NNNN
    DIR/reference/synthetic-municipalities/municipalities.ttl
        -> <base>graph/reference/synthetic-municipalities
    DIR/errors.json   (the manifest of injected errors; not RDF, not loaded)

Give DIR as a whole (``xsrv-kg validate DIR``): a county folder alone lacks the municipal
plan its ``eli:based_on`` points at.

**Errors** (``--errors K``): K known violations of twelve kinds (see :data:`ERROR_KINDS`),
spread over the counties, each listed in ``errors.json`` with the results pySHACL reports for
it (focus node, named source shape, constraint component, path). Some kinds yield two
results; the manifest lists both.

``errors.json`` (written on every run; ``"errors": []`` without ``--errors``)::

    {"generator": "benchmarks/generate.py", "seed": 1, "counties": 2, "townships": 27,
     "villages": 10, "note": "…",
     "errors": [{"id": 1, "kind": "count-mismatch", "county": "synthetic-county-0001",
                 "focus": "<IRI of the node the error was put on>", "description": "…",
                 "expected": [{"severity": "Violation", "focus": "<sh:focusNode IRI>",
                               "shape": "https://w3id.org/xsrv-kg/shapes#AssignmentCountShape",
                               "component": "http://www.w3.org/ns/shacl#SPARQLConstraintComponent",
                               "path": null}]}, …]}

``shape`` is the named shape a result belongs to (the node shape of a property shape or
SPARQL constraint, as the validation report names it); ``path`` the ``sh:resultPath`` IRI
or null. The violations of a validation, as a multiset of (focus, shape, component, path),
equal the union of the ``expected`` lists. Two results come from ``two-categories`` (the
township: ``OneCategoryPerDocumentShape``; the pilot count: ``AssignmentCountShape``),
``unclassified`` (the township: ``EveryTownshipClassifiedShape``; the active count:
``AssignmentCountShape``) and ``partition-mismatch`` (the township count:
``DivisionCountShape`` and ``PartitionSumShape``); the focus of ``span-mismatch`` is the
county's source text (``SpanMatchesTextShape`` checks spans per text).

**Triples** are counted while the Turtle is written (each predicate-object pair, each span's
four), plus one ``cnt:chars`` per source text that the loader adds, plus the ontology and
shapes; that is the number of quads ``xsrv-kg validate DIR`` loads. Output is byte-identical
for the same arguments. Writing 10^6 triples (332 counties) takes a few seconds; validating
them with pySHACL does not scale the same way (about 2-3 CPU seconds per default county), so
validate a few counties, and load or query the many.

The code is the package ``benchmarks/synthetic/`` (one module per concern: places, wording,
Turtle writing, error injection, the parts of a county, the output folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import ERROR_KINDS, generate  # noqa: E402

__all__ = ["ERROR_KINDS", "generate", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--counties", type=int, help="number of county plans")
    size.add_argument("--triples", type=int,
                      help="about this many quads in all, ontology and shapes included")
    size.add_argument("--documents", type=int,
                      help="this many documents of mixed kinds: one county plan in four, the "
                           "rest designation notices")
    parser.add_argument("--notices", type=int, default=0,
                        help="designation notices besides the county plans")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", type=int, default=0, metavar="K",
                        help="inject K known violations (listed in DIR/errors.json)")
    parser.add_argument("--townships", type=int, default=27, help="townships per county")
    parser.add_argument("--villages", type=int, default=10,
                        help="mean villages per township (each has N-2 … N+2)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--force", action="store_true",
                        help="replace what an earlier run wrote in DIR")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.out, args.counties, triples=args.triples, seed=args.seed,
                           errors=args.errors, townships=args.townships,
                           villages=args.villages, notices=args.notices,
                           documents=args.documents, force=args.force)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
