"""The lexicon: every name, title and pattern word the recognisers use, read from ``data/``.

Names of states, organizations, cities, persons and initiatives come from the labels of the
reference knowledge (``skos:prefLabel``, ``altLabel``, ``hiddenLabel``); titles, areas,
document words and councils from the TSV/JSONL files in ``data/lexicon``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SDO, SKOS

from kg import iris
from kg.errors import ResourceError
from kg.model import Ref
from kg.ns import SKG
from kg.pipeline.fold import fold
from kg.resources import Resources

#: Entity kinds whose names come from the reference knowledge.
NAMED_KINDS = ("state", "org", "city", "person", "initiative")
ORG_UNIT = URIRef("http://www.w3.org/ns/org#OrganizationalUnit")


@dataclass(frozen=True)
class Post:
    title: str
    kind: str
    state: str | None
    leader: bool


@dataclass(frozen=True)
class Council:
    pattern: str
    council: str


@dataclass(frozen=True)
class Membership:
    """A dated status of a state in an organization, from the reference knowledge."""

    ref: Ref
    org: Ref
    state: Ref
    status: str
    start: dt.date
    end: dt.date | None

    def holds_on(self, date: dt.date) -> bool:
        return self.start <= date and (self.end is None or date < self.end)


@dataclass
class Lexicon:
    """Names and pattern words; build it with :meth:`load`."""

    names: dict[str, list[Ref]] = field(default_factory=dict)  # written form -> entities
    labels: dict[Ref, str] = field(default_factory=dict)  # canonical zh label of known entities
    hant_labels: dict[Ref, set[str]] = field(default_factory=dict)  # zh-Hant labels of known entities
    classes: dict[Ref, set[str]] = field(default_factory=dict)  # local names of rdf:type
    posts: dict[str, Post] = field(default_factory=dict)
    shapes: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> {part: effect} (name_shapes.tsv)
    areas: dict[str, str] = field(default_factory=dict)
    doc_types: dict[str, str] = field(default_factory=dict)
    doc_verbs: dict[str, str] = field(default_factory=dict)
    councils: list[Council] = field(default_factory=list)
    blockers: set[str] = field(default_factory=set)
    name_boundaries: tuple[str, ...] = ()
    name_starts_not: tuple[str, ...] = ()
    non_name_pos: frozenset[str] = frozenset()
    summit_words: dict[str, re.Pattern[str]] = field(default_factory=dict)
    summits: dict[Ref, dt.date] = field(default_factory=dict)  # reference summits and their start dates
    summit_formats: set[Ref] = field(default_factory=set)  # reference summits with a known format
    series: set[Ref] = field(default_factory=set)
    memberships: list[Membership] = field(default_factory=list)
    city_state: dict[Ref, Ref] = field(default_factory=dict)  # city -> the state it lies in
    summit_city: dict[Ref, Ref] = field(default_factory=dict)  # reference summit -> its city

    @classmethod
    def load(cls, resources: Resources, reference: Graph) -> "Lexicon":
        lex = cls()
        lex._read_names(reference)
        for row in resources.tsv("lexicon/posts.tsv"):
            lex.posts[row["title"]] = Post(row["title"], row["kind"], row["state"] or None, row["leader"] == "yes")
        for row in resources.tsv("lexicon/name_shapes.tsv"):
            lex.shapes.setdefault(row["role"], {})[row["word"]] = row["effect"]
        lex.areas = {row["label"]: row["en"] for row in resources.tsv("lexicon/areas.tsv")}
        lex.doc_types = {row["suffix"]: row["type"] for row in resources.tsv("lexicon/document_types.tsv")}
        lex.doc_verbs = {row["verb"]: row["action"] for row in resources.tsv("lexicon/document_verbs.tsv")}
        lex.councils = [Council(row["pattern"], row["council"]) for row in resources.jsonl("lexicon/councils.jsonl")]
        lex.blockers = set(resources.words("lexicon/blockers.txt"))
        lex.name_boundaries = tuple(resources.words("lexicon/name_boundaries.txt"))
        lex.non_name_pos = frozenset(resources.words("lexicon/non_name_pos.txt"))
        # a name starts with none of the function words, nor with a verb that ends names
        lex.name_starts_not = tuple(dict.fromkeys(resources.words("lexicon/name_starts_not.txt")
                                                  + [w for w in lex.name_boundaries if len(w) >= 2]))
        by_role: dict[str, list[str]] = {}
        for row in resources.jsonl("lexicon/summit_words.jsonl"):
            by_role.setdefault(row["role"], []).append(row["pattern"])
        lex.summit_words = {role: re.compile("|".join(f"(?:{p})" for p in pats)) for role, pats in by_role.items()}
        lex._read_summits(reference)
        lex._read_memberships(reference)
        for row in resources.tsv("lexicon/person_names.tsv"):
            lex._add_name(row["name"], Ref("person", iris.slug(row["name"])))
        for row in resources.tsv("lexicon/cities.tsv"):
            city = Ref("city", row["city"])
            lex._add_name(row["city"], city)
            lex.city_state.setdefault(city, Ref("state", row["state"]))
        for city, _, state in sorted(reference.triples((None, SDO.containedInPlace, None))):
            parts, state_parts = iris.split_entity(str(city)), iris.split_entity(str(state))
            if parts and state_parts and parts[0] == "city" and state_parts[0] == "state":
                lex.city_state[Ref(*parts)] = Ref(*state_parts)
        if not lex.names:
            raise ResourceError("the reference knowledge names no entity (data/reference/*.ttl)")
        return lex

    def _read_names(self, graph: Graph) -> None:
        for subject in sorted(set(graph.subjects(RDF.type, None))):
            if not isinstance(subject, URIRef):
                continue
            parts = iris.split_entity(str(subject))
            if parts is None or parts[0] not in NAMED_KINDS:
                continue
            ref = Ref(*parts)
            types = {str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in graph.objects(subject, RDF.type)}
            unit_only = types <= {"OrganizationalUnit", "Organization"} and (subject, RDF.type, ORG_UNIT) in graph
            if ref.kind == "org" and unit_only:
                types.add("UnitOnly")
            self.classes[ref] = types
            for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in sorted(graph.objects(subject, predicate)):
                    if not isinstance(label, Literal) or not (label.language or "").startswith("zh"):
                        continue
                    if "hant" in (label.language or "").lower():
                        # zh-Hant(-HK) labels are not matched (the match text is simplified); they say
                        # which written forms a traditional report needs to add (kg.pipeline.graph)
                        self.hant_labels.setdefault(ref, set()).add(str(label))
                        continue
                    text = str(label)
                    if predicate == SKOS.prefLabel and ref not in self.labels:
                        self.labels[ref] = text
                    if ref.kind == "person" and predicate != SKOS.prefLabel and text != self.labels.get(ref):
                        continue  # 国家主席习近平: titles before names are read by the person rule
                    if len(text) >= 2:
                        refs = self.names.setdefault(fold(text), [])
                        if ref not in refs:
                            refs.append(ref)

    def _add_name(self, name: str, ref: Ref) -> None:
        """A written form from a lexicon file; the reference knowledge's entities come first."""
        refs = self.names.setdefault(fold(name), [])
        if not any(r.kind == ref.kind for r in refs):
            refs.append(ref)

    def _read_summits(self, graph: Graph) -> None:
        for subject, _, _ in sorted(graph.triples((None, RDF.type, SKG.Summit))):
            parts = iris.split_entity(str(subject))
            if parts is None:
                continue
            ref = Ref(*parts)
            for label in sorted(graph.objects(subject, SKOS.prefLabel)):
                if isinstance(label, Literal) and (label.language or "").startswith("zh"):
                    self.labels.setdefault(ref, str(label))
            start = graph.value(subject, SDO.startDate)
            if isinstance(start, Literal) and isinstance(start.toPython(), dt.date):
                self.summits[ref] = start.toPython()
            else:
                self.summits.setdefault(ref, None)  # type: ignore[arg-type]
            if graph.value(subject, SKG.format) is not None:
                self.summit_formats.add(ref)
            city = iris.split_entity(str(graph.value(subject, SKG.city) or ""))
            if city is not None:
                self.summit_city[ref] = Ref(*city)
        for subject in sorted(graph.subjects(RDF.type, SKG.SummitSeries)):
            parts = iris.split_entity(str(subject))
            if parts:
                self.series.add(Ref(*parts))

    def _read_memberships(self, graph: Graph) -> None:
        for subject in sorted(graph.subjects(RDF.type, SKG.Membership)):
            parts = [iris.split_entity(str(graph.value(subject, p) or ""))
                     for p in (ORG.organization, ORG.member, ORG.role)]
            own = iris.split_entity(str(subject))
            start = graph.value(subject, SKG.effectiveDate) or graph.value(subject, SDO.startDate)
            end = graph.value(subject, SDO.endDate)
            if own is None or None in parts or not isinstance(start, Literal):
                continue
            start_value = start.toPython()
            if not isinstance(start_value, dt.date):
                start_value = graph.value(subject, SDO.startDate).toPython()  # type: ignore[union-attr]
            org, state, role = (Ref(*p) for p in parts)  # type: ignore[misc]
            self.memberships.append(Membership(Ref(*own), org, state, role.key, start_value,
                                               end.toPython() if isinstance(end, Literal) else None))

    def memberships_on(self, org: Ref, status: str, date: dt.date) -> list[Membership]:
        """States holding ``status`` in ``org`` on ``date`` (start <= date < end)."""
        out = {m.state: m for m in self.memberships if m.org == org and m.status == status and m.holds_on(date)}
        return [out[k] for k in sorted(out, key=lambda r: r.key)]

    def terms(self) -> list[str]:
        """Every written form the segmenter should keep as one word."""
        words = set(self.names) | set(self.posts) | set(self.areas) | self.blockers
        return sorted(w for w in words if len(w) >= 2)

    def doc_type(self, name: str) -> tuple[str, str] | None:
        """``(suffix, type)`` of the longest document-type suffix ``name`` ends with."""
        for suffix in sorted(self.doc_types, key=len, reverse=True):
            if name.endswith(suffix):
                return suffix, self.doc_types[suffix]
        return None

    def gazetteer_pattern(self) -> re.Pattern[str]:
        """One alternation of every name, title and blocker; longest first wins."""
        words = set(self.names) | set(self.posts) | self.blockers
        ordered = sorted(words, key=lambda w: (-len(w), w))
        return re.compile("|".join(map(re.escape, ordered)))
