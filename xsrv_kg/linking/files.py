"""The files ``xsrv-kg link`` generates (code table, code links, category alignments):
generate, write, and check that the committed ones are current."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..config import Config
from ..store import Store
from .alignment import (
    alignment_path,
    alignment_turtle,
    compute_alignment,
    distinct_docs,
    is_generated,
)
from .code_table import codes_turtle, read_code_table
from .links_turtle import links_turtle
from .plan_links import (
    CODES_PATH,
    CSV_PATH,
    codes_links_path,
    compute_all_links,
    plan_counties,
)


def generate_codes(config: Config) -> str:
    return codes_turtle(read_code_table(config.home / CSV_PATH))


def generation_store(config: Config) -> Store:
    """Every plan, the reference codes, the links and the *regenerated* code table (so that
    ``--write`` gives the same result whatever the committed generated files hold)."""
    from ..sources.loader import data_sources, load
    from ..store import open_store

    store = open_store("memory")
    # All the data (the plans' townships and categories, the counties' codes that pick each
    # county's rows, the links: to see which plans' categories are aligned by hand) but the
    # committed code table, replaced by its regeneration.
    committed = (config.home / CODES_PATH).resolve()
    load(store, [s for s in data_sources(config) if s.path.resolve() != committed])
    codes = ox.parse(generate_codes(config).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    graph = ox.NamedNode(config.graph_iri("reference/division-codes"))
    store.add([ox.Quad(t.subject, t.predicate, t.object, graph) for t in codes])
    return store


def generate(config: Config) -> tuple[dict[Path, str], list[str]]:
    """Each generated file (absolute path) and the text it should hold, and a line for each
    plan skipped or file left alone, saying why."""
    store = generation_store(config)
    files = {config.home / CODES_PATH: generate_codes(config)}
    linkings, notes = compute_all_links(store)
    for linking in linkings:
        files[config.home / codes_links_path(linking.plan)] = links_turtle(linking)
    for plan in distinct_docs(plan_counties(store)):
        alignment = compute_alignment(store, plan, config)
        if alignment.left_alone:
            notes.append(alignment.left_alone)
        elif not alignment.pairs:
            notes.append(f"no category of {plan.doc_slug} has the name of a municipal category: "
                         "nothing aligned")
        else:
            files[config.home / alignment_path(plan)] = alignment_turtle(alignment)
    return files, notes


def generated_files(config: Config) -> dict[Path, str]:
    """Each generated file (absolute path) and the text it should hold."""
    return generate(config)[0]


def orphan_files(config: Config, expected: dict[Path, str]) -> list[Path]:
    """Generated files under ``data/links/`` that nothing generates any more (their plan
    was removed, or now has a hand-written alignment elsewhere)."""
    return [path for path in sorted((config.data_dir / "links").glob("*/links.ttl"))
            if path not in expected and is_generated(path)]


def stale_files(config: Config) -> list[Path]:
    """The generated files whose committed text differs from a regeneration, that are
    missing, or that nothing generates any more."""
    expected = generated_files(config)
    return [path for path, text in expected.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text] + \
        orphan_files(config, expected)


def write_files(config: Config) -> tuple[list[tuple[Path, bool]], list[str]]:
    """Regenerate the code table and the links; (path, changed) for each file, and the notes
    of :func:`generate` (plus a line for each orphan generated file, which is not removed)."""
    expected, notes = generate(config)
    done = []
    for path, text in expected.items():
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        done.append((path, changed))
    notes += [f"{path}: generated earlier but nothing generates it now; remove it"
              for path in orphan_files(config, expected)]
    return done, notes
