"""The one place that knows the file layout: which file goes to which named graph.

Layout (under the project home, or any folder given on the command line):

- ``ontology/*.ttl``  -> graph ``<base>graph/ontology``
- ``shapes/*.ttl``    -> graph ``<base>graph/shapes``
- ``data/<dir>/…``    -> graph ``<base>graph/<dir>`` (e.g. ``documents/xiushan-plan``),
  a file directly in ``data/`` -> graph ``<base>graph/<file stem>``.
- TriG and N-Quads files keep the graphs they name.

A resource with ``xsrv:sourceFile "name.txt"`` gets the text of that file (relative to
the Turtle file) as ``cnt:chars``, so SHACL can check every source span against it. A file
that carries the text itself (``xsrv-kg export`` writes it) needs no such file beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import formats, vocab
from ..config import Config
from ..errors import BadInput, NotFound
from ..progress import READING, WRITING, Progress
from ..store import Store

#: File suffix -> parser, for the RDF files the loader reads.
RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    f".{suffix}": fmt.rdf
    for fmt in (formats.TURTLE, formats.N_TRIPLES, formats.N_QUADS, formats.TRIG,
                formats.JSON_LD, formats.RDF_XML)
    for suffix in fmt.suffixes
}

PARTS = ("ontology", "data", "shapes")


@dataclass(frozen=True)
class Source:
    """One RDF file and the named graph it goes to."""

    path: Path
    graph: str
    part: str  # one of PARTS


def _rdf_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in RDF_SUFFIXES)


def _data_graph(config: Config, root: Path, path: Path) -> str:
    rel = path.relative_to(root)
    name = rel.parent.as_posix() if len(rel.parts) > 1 else rel.stem
    return config.graph_iri(name)


def data_sources(config: Config, paths: Sequence[Path] | None = None) -> list[Source]:
    """The data files to load: the project's ``data/`` or the files and folders given."""
    sources: list[Source] = []
    for given in paths or [config.data_dir]:
        path = Path(given)
        if not path.exists():
            raise NotFound(f"{path}: no such file or directory")
        if path.is_dir():
            found = _rdf_files(path)
            if not found:
                raise BadInput(f"{path}: no RDF files ({', '.join(RDF_SUFFIXES)}) in this folder")
            sources += [Source(f, _data_graph(config, path, f), "data") for f in found]
        elif path.suffix in RDF_SUFFIXES:
            sources.append(Source(path, config.graph_iri(path.stem), "data"))
        else:
            raise BadInput(f"{path}: not an RDF file (expected one of {', '.join(RDF_SUFFIXES)})")
    return sources


def project_sources(config: Config, part: str) -> list[Source]:
    """The project's own ontology or shapes files."""
    folder = config.ontology_dir if part == "ontology" else config.shapes_dir
    return [Source(f, config.graph_iri(part), part) for f in _rdf_files(folder)]


def parse(source: Source) -> list[ox.Quad]:
    """Parse one file completely; a syntax error names the file, line and column."""
    fmt = RDF_SUFFIXES[source.path.suffix]
    graph = ox.NamedNode(source.graph)
    try:
        # Fresh blank node ids per file: labels like _:b0 must not join across files.
        quads = list(ox.parse(path=str(source.path), format=fmt,
                              base_iri=source.path.resolve().as_uri(),
                              rename_blank_nodes=True))
    except SyntaxError as exc:
        if "LoadDocumentCallback" in str(exc):  # pyoxigraph never fetches; say it plainly
            raise BadInput(f"{source.path}: JSON-LD remote contexts are not fetched; put "
                           "the context in the file itself") from exc
        where = f"{source.path}:{exc.lineno}:{exc.offset}" if exc.lineno else str(source.path)
        raise BadInput(f"{where}: {syntax_message(exc)}") from exc
    except (OSError, ValueError) as exc:
        raise BadInput(f"{source.path}: {exc}") from exc
    feature = rdf12_feature(quads)
    if feature:
        raise BadInput(f"{source.path}: {feature}")
    if not fmt.supports_datasets:
        quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]
    return quads + _source_texts(source, quads)


#: Longest parser message quoted (pyoxigraph's RDF/XML errors quote the offending text).
MAX_MESSAGE = 300


def syntax_message(exc: SyntaxError) -> str:
    """A parser's error on one bounded line, without pyoxigraph's own position preamble (the
    caller says where)."""
    message = re.sub(r"^Parser error (at|between) [^:]*: ", "", exc.msg or str(exc)).strip()
    lines = message.splitlines() or [""]
    first = lines[0]
    if len(first) > MAX_MESSAGE or len(lines) > 1:
        return first[:MAX_MESSAGE] + " …"
    return first


def rdf12_feature(quads: Iterable[ox.Quad]) -> str | None:
    """Why ``quads`` cannot be used, if they use RDF 1.2: validation (rdflib, pySHACL) and
    writing through SPARQL Update know only RDF 1.1."""
    for quad in quads:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.Triple):
                return f"RDF 1.2 triple terms are not supported ({term})"
            if isinstance(term, ox.Literal) and term.direction:
                return f"RDF 1.2 directional language tags are not supported ({term})"
    return None


def _source_texts(source: Source, quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    """``cnt:chars`` for every ``xsrv:sourceFile`` named in the file.

    A file that already holds the text (the project's own exports carry it as ``cnt:chars``)
    is self-contained: the text is used as it is and the named file need not exist. When the
    file does exist too, the two must be the same text, or nothing could say which one the
    spans were checked against.
    """
    given: dict[ox.NamedNode | ox.BlankNode, set[str]] = {}
    for q in quads:
        if q.predicate.value == vocab.CNT_CHARS and isinstance(q.object, ox.Literal):
            given.setdefault(q.subject, set()).add(q.object.value)
    extra = []
    for q in quads:
        if q.predicate.value != vocab.SOURCE_FILE:
            continue
        name = q.object.value
        # A plain file name beside the data file: never a path that reaches elsewhere.
        if name in {"", ".", ".."} or Path(name).name != name or "\\" in name:
            raise BadInput(f"{source.path}: xsrv:sourceFile {name!r} must name a file in the "
                           "same folder")
        text_path = source.path.parent / name
        held = given.get(q.subject)
        if held and not text_path.exists():
            continue  # a self-contained file: its cnt:chars is the text
        try:
            text = text_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"{source.path}: source text {name!r} unreadable: {exc}") from exc
        for other in sorted(held or ()):
            if other != text:
                raise BadInput(f"{source.path}: the cnt:chars of {q.subject} differs from "
                               f"its source text {name!r} ({text_difference(other, text)})")
        if not held:
            extra.append(ox.Quad(q.subject, ox.NamedNode(vocab.CNT_CHARS), ox.Literal(text),
                                 q.graph_name))
    return extra


def text_difference(given: str, expected: str) -> str:
    """Where two texts first differ, in words (code points from 0, as spans count).

    >>> text_difference("abcd", "abxd")
    'first difference at character 2'
    >>> text_difference("ab", "abc")
    '2 characters instead of 3'
    """
    for index, (a, b) in enumerate(zip(given, expected, strict=False)):
        if a != b:
            return f"first difference at character {index}"
    return f"{len(given)} characters instead of {len(expected)}"


def _sizes(sources: Sequence[Source]) -> list[int]:
    sizes = []
    for source in sources:
        try:
            sizes.append(source.path.stat().st_size)
        except OSError:
            sizes.append(0)  # parse() says what is wrong with it
    return sizes


def load(store: Store, sources: Sequence[Source], *, progress: Progress | None = None) -> None:
    """Parse and add each file; a file that fails to parse adds nothing. ``progress`` hears
    of the bytes read."""
    sizes = _sizes(sources)
    done = 0
    for source, size in zip(sources, sizes, strict=True):
        store.add(parse(source))
        done += size
        if progress:
            progress(READING, done, sum(sizes))


def push(store: Store, sources: Sequence[Source], *, progress: Progress | None = None
         ) -> list[tuple[str, int, list[Path]]]:
    """Put files into a (persistent) store, replacing the graphs they go to.

    Every file is parsed before anything is written, so a file that does not parse leaves
    the store exactly as it was. Each target graph is then replaced in one transaction by
    the quads of all its files: a file is never half loaded, and loading again is
    idempotent. Returns (graph, quads, files) per graph, in the order written. ``progress``
    hears of the bytes read, then of the quads written.
    """
    by_graph: dict[str, tuple[list[ox.Quad], list[Path]]] = {}
    sizes, read = _sizes(sources), 0
    for source, size in zip(sources, sizes, strict=True):
        read += size
        for quad in parse(source):
            name = source.graph if isinstance(quad.graph_name, ox.DefaultGraph) \
                else quad.graph_name.value
            quads, files = by_graph.setdefault(name, ([], []))
            quads.append(quad)
            if not files or files[-1] != source.path:
                files.append(source.path)
        if progress:
            progress(READING, read, sum(sizes))
    total, written = sum(len(quads) for quads, _ in by_graph.values()), 0
    for name, (quads, _) in by_graph.items():
        store.put(name, quads)
        written += len(quads)
        if progress:
            progress(WRITING, written, total)
    return [(name, len(quads), files) for name, (quads, files) in by_graph.items()]


def project_files(config: Config, data_paths: Sequence[Path] | None = None,
                  parts: Iterable[str] = PARTS) -> list[Source]:
    """The files of the chosen parts: the project's ontology and shapes, and its data (or
    the data files and folders given)."""
    sources: list[Source] = []
    for part in parts:
        sources += data_sources(config, data_paths) if part == "data" \
            else project_sources(config, part)
    return sources


def load_project(store: Store, config: Config, data_paths: Sequence[Path] | None = None,
                 parts: Iterable[str] = PARTS, *, progress: Progress | None = None
                 ) -> list[Source]:
    """Load ontology, data and shapes (or the chosen parts) and say what was loaded."""
    sources = project_files(config, data_paths, parts)
    load(store, sources, progress=progress)
    return sources
