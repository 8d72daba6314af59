"""Names of IRIs in the reader's language, fetched from the store in batches: one naming for
every page (resource pages, overview). Falls back zh -> en -> any -> the short name."""

from __future__ import annotations

from collections.abc import Iterable

from ..sparql import rq
from ..store import Store
from ..vocab import FALLBACK, shorten_iri


class Names:
    """Names of IRIs in each language, fetched in batches."""

    def __init__(self, store: Store, lang: str) -> None:
        self.store = store
        self.lang = lang
        self._names: dict[str, dict[str, list[str]]] = {}

    def fetch(self, iris: Iterable[str]) -> None:
        wanted = sorted({i for i in iris if i not in self._names})
        if not wanted:
            return
        for iri in wanted:
            self._names[iri] = {}
        for row in rq.select(self.store, "describe-labels", "iri", wanted):
            label = row["label"]
            self._names[row["iri"].value].setdefault(label.language or "", []).append(label.value)
        unnamed = [i for i in wanted if not self._names[i]]
        if unnamed:
            for row in rq.select(self.store, "describe-assignment-labels", "iri", unnamed):
                lang = row["unit"].language or ""
                names = self._names[row["iri"].value].setdefault(lang, [])
                if not names:
                    names.append(f"{row['unit'].value} → {row['category'].value}")

    def by_lang(self, iri: str) -> dict[str, list[str]]:
        self.fetch([iri])
        return self._names[iri]

    def label(self, iri: str) -> str:
        """The name in the reader's language, then zh, en, any; else the short name."""
        names = self.by_lang(iri)
        for lang in (self.lang, *FALLBACK):
            if names.get(lang):
                return names[lang][0]
        for found in names.values():
            if found:
                return found[0]
        return local_name(iri)


def local_name(iri: str) -> str:
    """``xsrv:FundRule`` for a known namespace, else the part after the last ``#`` or ``/``."""
    short = shorten_iri(iri)
    if not short.startswith("<"):
        return short
    tail = iri.rstrip("/#")
    cut = max(tail.rfind("#"), tail.rfind("/"))
    return tail[cut + 1:] or iri
