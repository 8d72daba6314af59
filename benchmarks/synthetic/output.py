"""The whole output: how many counties a triple target needs, every county's folder, the
municipalities' file and ``errors.json``, and the one-line summary of what was written."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from xsrv_kg.config import Config
from xsrv_kg.sources import loader
from xsrv_kg.store import open_store

from .county import County
from .injection import plan_errors
from .notice import Notice
from .places import (
    COUNTIES_PER_MUNICIPALITY,
    MAX_COUNTIES,
    MIN_TOWNSHIPS,
    MIN_VILLAGES,
    Options,
    municipalities_file,
)

#: Notices are numbered 0001 … 9999 (their codes are 8 and four digits).
MAX_NOTICES = 9999


def base_triples(config: Config | None = None) -> int:
    """Quads of the project's ontology and shapes, as the loader loads them."""
    store = open_store("memory")
    loader.load_project(store, config or Config(), parts=("ontology", "shapes"))
    return len(store)


@dataclass
class Summary:
    """What a run wrote, for the one-line report."""

    counties: int
    townships: int
    villages: int
    triples: int
    data_triples: int
    base_triples: int
    errors: int
    seconds: float
    target: int | None = None
    notices: int = 0

    def line(self) -> str:
        target = f" (target {self.target})" if self.target else ""
        notices = f" notices={self.notices}" if self.notices else ""
        return (f"counties={self.counties}{notices} townships={self.townships} "
                f"villages={self.villages} triples={self.triples}{target} "
                f"[data {self.data_triples} + ontology/shapes {self.base_triples}] "
                f"errors={self.errors} seconds={self.seconds:.2f}")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def _prepare(out: Path, force: bool) -> None:
    """An empty output folder; with ``force``, what an earlier run wrote is removed first."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty (use --force to replace generated data)")
        for old in sorted((out / "documents").glob("synthetic-*")):
            shutil.rmtree(old)
        shutil.rmtree(out / "reference" / "synthetic-municipalities", ignore_errors=True)
        (out / "errors.json").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def counties_for_triples(target: int, opts: Options, base: int) -> int:
    """The number of counties whose output comes nearest ``target`` quads in all."""
    per_municipality = municipalities_file(1, opts.seed)[1]
    total, n = base, 0
    while n < MAX_COUNTIES:
        extra = County(n + 1, opts).build().triples
        if n % COUNTIES_PER_MUNICIPALITY == 0:
            extra += per_municipality  # the county opens a new municipality
        if n and abs(total + extra - target) >= abs(total - target):
            break
        total += extra
        n += 1
    return max(n, 1)


def generate(out: Path, counties: int | None = None, *, triples: int | None = None,
             seed: int = 1, errors: int = 0, townships: int = 27, villages: int = 10,
             notices: int = 0, documents: int | None = None, force: bool = False,
             config: Config | None = None) -> Summary:
    """Write the synthetic data to ``out`` and say what was written.

    ``documents`` mixes kinds: one county plan in four, the rest designation notices
    (:mod:`.notice`); ``notices`` adds that many notices to ``counties`` plans.
    """
    started = time.perf_counter()
    if documents is not None:
        if documents < 2:
            raise ValueError("--documents must be at least 2 (a plan and a notice)")
        counties, notices = max(1, documents // 4), documents - max(1, documents // 4)
    if notices < 0 or notices > MAX_NOTICES:
        raise ValueError(f"--notices must be 0 … {MAX_NOTICES}")
    opts = Options(seed=seed, townships=townships, villages=villages)
    if townships < MIN_TOWNSHIPS:
        raise ValueError(f"--townships must be at least {MIN_TOWNSHIPS} (3 pilot, 4 "
                         "key-assistance, 2 active)")
    if villages < 1 or townships * max(1, villages - 2) < MIN_VILLAGES:
        raise ValueError(f"too few villages: a county names up to {MIN_VILLAGES - 2} and "
                         "two more must stay unnamed (raise --villages)")
    if errors < 0 or (triples is not None and triples < 1):
        raise ValueError("--errors must be 0 or more and --triples 1 or more")
    base = base_triples(config)
    if triples is not None:
        counties = counties_for_triples(triples, opts, base)
    if not counties or counties < 1 or counties > MAX_COUNTIES:
        raise ValueError(f"--counties must be 1 … {MAX_COUNTIES}")
    planned = plan_errors(counties, errors)
    by_county: dict[int, list[str]] = {}
    for county, kind in planned:
        by_county.setdefault(county, []).append(kind)
    _prepare(out, force)
    total_t = total_v = data = 0
    injected: dict[tuple[int, str], dict[str, object]] = {}
    for index in range(1, counties + 1):
        result = County(index, opts, by_county.get(index, ())).build()
        folder = out / "documents" / f"synthetic-county-{index:04d}"
        for name, text in result.files.items():
            _write(folder / name, text)
        total_t += result.townships
        total_v += result.villages
        data += result.triples
        for entry in result.injected:
            injected[(index, str(entry["kind"]))] = entry
    for index in range(1, notices + 1):
        built = Notice(index, seed).build()
        for name, text in built.files.items():
            _write(out / "documents" / f"synthetic-notice-{index:04d}" / name, text)
        total_t += built.townships
        total_v += built.villages
        data += built.triples
    text, mun_triples = municipalities_file(counties, seed)
    _write(out / "reference" / "synthetic-municipalities" / "municipalities.ttl", text)
    data += mun_triples
    manifest = {
        "generator": "benchmarks/generate.py",
        "seed": seed, "counties": counties, "notices": notices, "townships": townships,
        "villages": villages,
        "note": "Each entry lists the SHACL results (severity Violation) its injection yields; "
                "'shape' is the named shape (the node shape a property shape or SPARQL "
                "constraint belongs to), 'path' the sh:resultPath or null.",
        "errors": [{"id": j + 1, **injected[(county, kind)]}
                   for j, (county, kind) in enumerate(planned)],
    }
    _write(out / "errors.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return Summary(counties, total_t, total_v, data + base, data, base, errors,
                   time.perf_counter() - started, triples, notices)
