"""One county: its hierarchy and the choices drawn from the seed, ``divisions.ttl``, and the
parts written in order (text first, so every span is counted as the text grows)."""

from __future__ import annotations

from xsrv_kg.vocab import XSRV

from .classification import ClassificationWriting
from .document import DocumentWriting
from .injection import expect
from .places import (
    TOWNSHIP_KINDS,
    VILLAGE_KINDS,
    CountyOutput,
    en_township,
    en_village,
    hierarchy,
)
from .text import SourceWriting
from .turtle import en, plain, zh


class County(SourceWriting, ClassificationWriting, DocumentWriting):
    """Writes one county's text, divisions and plan; records the errors it injects."""

    def build(self) -> CountyOutput:
        """The county's three files; the text is written first, so every span the plan
        cites is counted as the text grows."""
        self.townships = hierarchy(self.rng, self.num, self.code, self.opts)
        self._choose()
        self._write_text()
        self._plan_document()
        self._plan_classification()
        self._plan_assignments()
        self._plan_funding()
        self._plan_goals_and_safeguards()
        self._divisions()
        files = {"plan.ttl": self.plan.text(), "divisions.ttl": self.divs.text(),
                 "source.txt": self.src.text()}
        villages = sum(len(t.villages) for t in self.townships)
        # + 1: the loader adds the text itself as cnt:chars.
        return CountyOutput(files, self.plan.triples + self.divs.triples + 1,
                            len(self.townships), villages, self.injected)

    def _choose(self) -> None:
        """Categories of townships and the named villages, drawn from the seed."""
        rng, ts = self.rng, self.townships
        n_pilot = rng.randint(1, 3)
        # At least two active townships: two kinds of error pick the first and the last.
        n_key = min(rng.randint(4, 7), len(ts) - n_pilot - 2)
        order = ts[:]
        rng.shuffle(order)
        self.pilot = sorted(order[:n_pilot], key=lambda t: t.number)
        key = order[n_pilot:n_pilot + n_key]
        self.key_municipal = key[0]
        self.key_county = sorted(key[1:], key=lambda t: t.number)
        self.key = sorted(key, key=lambda t: t.number)
        self.active = sorted(order[n_pilot + n_key:], key=lambda t: t.number)
        self.members = {"pilot": self.pilot, "key-assistance": self.key, "active": self.active}
        # Villages: one key-assistance village in each of some key townships; pilot villages
        # anywhere else (municipal 1, east-west 1-3, county-led 3-6), none chosen twice.
        n_key_villages = rng.randint(3, len(key))
        self.key_villages = sorted(
            (rng.choice(t.villages) for t in rng.sample(key, n_key_villages)),
            key=lambda v: v.local)
        taken = {v.local for v in self.key_villages}
        pool = [v for t in ts for v in t.villages if v.local not in taken]
        n_east_west, n_led = rng.randint(1, 3), rng.randint(3, 6)
        picked = rng.sample(pool, 1 + n_east_west + n_led)
        self.village_municipal = picked[0]
        self.village_east_west = sorted(picked[1:1 + n_east_west], key=lambda v: v.local)
        self.village_led = sorted(picked[1 + n_east_west:], key=lambda v: v.local)
        self.n_applied = rng.randint(3, 6)
        named = {v.local for v in picked} | taken
        self.unnamed = [v for t in ts for v in t.villages if v.local not in named]
        admin_named = sum(v.kind == "village" for t in ts for v in t.villages
                          if v.local in named)
        admin = sum(v.kind == "village" for t in ts for v in t.villages)
        self.n_rest = max(0, admin - admin_named - self.n_applied)

    # -- divisions.ttl ------------------------------------------------------------------

    def _divisions(self) -> None:
        d, num = self.divs, self.num
        d.node("c:county", ("a", "xsrv:CountyLevelDivision"),
               ("rdfs:label", [zh(self.name), en(f"Synthetic County {num}")]),
               ("xsrv:divisionKind", "xsrv:kind-county"),
               ("schema:containedInPlace", "m:division"),
               ("xsrv:divisionCode", plain(self.code)))
        missing_kind = self.unnamed[0] if "missing-kind" in self.errors else None
        two_townships = self.unnamed[-1] if "two-townships" in self.errors else None
        for t in self.townships:
            d.heading(t.name)
            d.node(f"c:{t.local}", ("a", "xsrv:TownshipLevelDivision"),
                   ("rdfs:label", [zh(t.name), en(en_township(t, num))]),
                   ("xsrv:divisionKind", TOWNSHIP_KINDS[t.kind][2]),
                   ("schema:containedInPlace", "c:county"),
                   ("xsrv:divisionCode", plain(t.code)))
            for v in t.villages:
                places = [f"c:{t.local}"]
                if v is two_townships:
                    other = self.townships[t.number % len(self.townships)]
                    places.append(f"c:{other.local}")
                    self.inject("two-townships", v.local,
                                f"{v.name} is contained in {t.name} and {other.name}",
                                [expect(self.iri(v.local), "VillageShape",
                                         "MaxCountConstraintComponent",
                                         "https://schema.org/containedInPlace")])
                kind = [] if v is missing_kind else [VILLAGE_KINDS[v.kind][2]]
                if v is missing_kind:
                    self.inject("missing-kind", v.local, f"{v.name} has no xsrv:divisionKind",
                                [expect(self.iri(v.local), "DivisionShape",
                                         "MinCountConstraintComponent", XSRV + "divisionKind")])
                d.node(f"c:{v.local}", ("a", "xsrv:VillageLevelDivision"),
                       ("rdfs:label", [zh(v.name), en(en_village(v, num))]),
                       ("xsrv:divisionKind", kind),
                       ("schema:containedInPlace", places))
