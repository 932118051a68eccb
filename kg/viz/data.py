"""A graph file as plain data for the network page: entities, the facts between them, the facts
about them and the source sentences of every fact.

:func:`extract` runs SPARQL on a pyoxigraph store and returns a dict (no pyvis, no networkx)::

    {"nodes":     [{id, class, types, labels: {zh, en}, alt, kind, articles, facts, ev}],
     "edges":     [{source, target, kind, articles, facts: [{p, kind, articles, ev, note}]}],
     "articles":  [{id, iri, title, published, source, summits}],
     "summits":   [{id, label, label_en, date}],
     "evidence":  [{article, begin, end, text, basis, rule, p, sentence}],
     "sentences": [{article, begin, end, text}],
     "words":     {IRI: {zh, en}}}

A *node* is an entity of one of the classes in :data:`CLASSES` (summit, state, person…), with its
IRI as id. An *edge* joins two nodes and carries every fact from its source to its target: a triple
between two entities, a state's membership of an organization (``org:memberOf``, from a
``skg:Membership``) or an attendance (``schema:attendee``, also read from ``skg:Participation``).
Other triples of a node (dates, names, codes, the format…) are its ``facts``.

Every fact has a *kind*: ``stated`` (read in an article: in an article graph, or with evidence of
basis stated), ``inferred`` (in an ``…/inferred`` graph, or with evidence of basis inferred) or
``background`` (only in the reference or ontology graphs). A node's kind is the strongest kind of
anything said about it; a ``background`` node is one no article speaks of. Evidence indices point
into ``evidence``; offsets are those of the graph (code points, half-open, in ``nif:isString``).
Everything is sorted, so the same graph gives the same dict.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from kg.errors import InputError
from kg.pipeline.graph import bounded

if TYPE_CHECKING:  # pragma: no cover
    from kg.store import GraphStore

SKG = "https://w3id.org/summit-kg/ontology#"
PREFIXES = {
    "skg": SKG,
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}
GRAPH_BASE = "https://w3id.org/summit-kg/graph/"
ARTICLE_GRAPHS = GRAPH_BASE + "article/"


def expand(name: str) -> str:
    """``skg:Summit`` → the full IRI; a full IRI is returned as it is."""
    prefix, sep, local = name.partition(":")
    return PREFIXES[prefix] + local if sep and prefix in PREFIXES else name


@lru_cache(maxsize=4096)
def compact(iri: str) -> str:
    """The full IRI → ``skg:Summit`` when a known namespace matches, else the IRI."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


#: Display classes, strongest first (an entity typed with two of them takes the first), each with
#: the RDF classes that belong to it.
CLASSES: list[tuple[str, tuple[str, ...]]] = [
    ("Summit", ("skg:Summit",)),
    ("SummitSeries", ("skg:SummitSeries",)),
    ("NewsArticle", ("skg:NewsArticle",)),
    ("Document", ("skg:Document", "skg:Declaration", "skg:Statement", "skg:Communique", "skg:Plan",
                  "skg:Agreement", "skg:Resolution", "skg:Strategy")),
    ("Speech", ("skg:Speech",)),
    ("Initiative", ("skg:Initiative",)),
    ("Person", ("skg:Person",)),
    ("Post", ("skg:Post", "org:Post")),
    ("State", ("skg:State", "skg:MemberState", "skg:ObserverState")),
    ("Organization", ("skg:Organization", "skg:InternationalOrganization", "skg:GovernmentBody",
                      "skg:MediaOrganization", "org:OrganizationalUnit")),
    ("City", ("skg:City",)),
    ("CooperationArea", ("skg:CooperationArea",)),
]
CLASS_KEYS = [key for key, _ in CLASSES]
#: Display class → the RDF class whose words name it (legend, filters).
CLASS_IRIS = {key: expand(members[0]) for key, members in CLASSES}
_CLASS_OF = {expand(member): (rank, key) for rank, (key, members) in enumerate(CLASSES) for member in members}

KINDS = ("stated", "inferred", "background")
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

RDF_TYPE = expand("rdf:type")
PREF_LABEL, ALT_LABEL, RDFS_LABEL = expand("skos:prefLabel"), expand("skos:altLabel"), expand("rdfs:label")
TITLE, IDENTIFIER = expand("dcterms:title"), expand("dcterms:identifier")
NOTATION = expand("skos:notation")
ATTENDEE, MEMBER_OF = expand("schema:attendee"), expand("org:memberOf")
PARTICIPATION, PARTICIPANT = expand("skg:participation"), expand("skg:participant")
BASIS = expand("skg:basis")
START, END = expand("schema:startDate"), expand("schema:endDate")
ABOUT, PUBLISHED, SOURCE = expand("schema:about"), expand("schema:datePublished"), expand("dcterms:source")
DERIVED_FROM = expand("prov:wasDerivedFrom")
MEMBERSHIP, PARTICIPATION_CLASS = expand("skg:Membership"), expand("skg:Participation")
NEWS_ARTICLE = expand("skg:NewsArticle")

#: Triples of a node that the page does not show: plumbing, hashes, curators' notes, links to sources,
#: and schema:eventAttendanceMode, which says what skg:format says.
SKIP_FACTS = frozenset(map(expand, (
    "rdf:type", "nif:isString", "skg:sha256", "skg:metaSha256", "skg:extractorSha256", "skg:extractorVersion",
    "prov:wasDerivedFrom", "rdfs:comment", "skos:hiddenLabel", "skos:inScheme", "skg:participation",
    "skg:inferredFrom", "nif:referenceContext", "org:memberDuring", "owl:sameAs", "skg:verified",
    "schema:eventAttendanceMode")))
#: Triples between two nodes that are listed among the facts of the subject instead of drawn: an
#: article mentions nearly everything in it, and its sentences are the evidence already.
FACT_NOT_EDGE = frozenset(map(expand, ("schema:mentions", "skos:exactMatch")))


@dataclass
class _Triple:
    """What is known about one triple: the kinds of the graphs it is in and its articles."""

    kinds: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    evidence: set[int] = field(default_factory=set)

    def kind(self) -> str:
        return min(self.kinds, key=_RANK.__getitem__) if self.kinds else "background"


def load(source: str | Path | GraphStore) -> dict[str, Any]:
    """The plain data of a graph file or store (one-line :class:`InputError` when it cannot be read)."""
    from kg.store import GraphStore

    store = source if isinstance(source, GraphStore) else GraphStore.from_file(source)
    data = extract(store)
    if not data["nodes"]:
        where = store.location if isinstance(source, GraphStore) else source
        raise InputError(f"{where or 'the graph'}: nothing to draw (no summit, state, organization, person, "
                         "document… in the graph)")
    return data


def _lexicon_words() -> dict[str, dict[str, str]]:
    from kg.resources import Resources

    return {expand(row["iri"]): {"zh": row["zh"], "en": row["en"]}
            for row in Resources().tsv("lexicon/viz_labels.tsv")}


def _term(term: Any) -> tuple[str, str, str]:
    """``(kind, value, lang)`` of a pyoxigraph term: kind ``iri``, ``lit`` or ``blank``."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return "iri", term.value, ""
    if isinstance(term, ox.Literal):
        return "lit", term.value, (term.language or "").lower()
    return "blank", str(term), ""


def _okey(kind: str, value: str, lang: str) -> str:
    """A hashable key of an object term: IRIs by value, literals by value and language."""
    return value if kind == "iri" else f"\x00{value}\x00{lang}"


_NOT_PROVENANCE = f"MINUS {{ ?s a <{SKG}Evidence> }} MINUS {{ ?s a <{SKG}Sentence> }}"


def _quads(store: Any) -> list[tuple[str | None, str, str, tuple[str, str, str]]]:
    """Every quad but those of evidence and sentence nodes (read by :data:`_EVIDENCE`), as
    ``(graph or None, subject, predicate, object term)``, sorted."""
    out = []
    named = f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o {_NOT_PROVENANCE} }} }}"
    for solution in store.query(named):
        g, s, p, o = solution[0], solution[1], solution[2], solution[3]
        out.append((g.value, _term(s)[1], p.value, _term(o)))
    # the file's own default graph: the triples of the merge that no named graph holds
    default = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o {_NOT_PROVENANCE} FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
    for solution in store.query(default):
        s, p, o = solution[0], solution[1], solution[2]
        out.append((None, _term(s)[1], p.value, _term(o)))
    return sorted(out, key=lambda q: (q[0] or "", q[1], q[2], q[3]))


_EVIDENCE = """
PREFIX skg: <https://w3id.org/summit-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?p ?o ?basis ?rule ?article ?begin ?end ?anchor ?sentence ?sbegin ?send ?stext WHERE {
  ?e a skg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?e skg:basis ?b . OPTIONAL { ?b skos:notation ?bn } BIND(COALESCE(STR(?bn), STR(?b)) AS ?basis) }
  OPTIONAL { ?e skg:rule ?rule }
  OPTIONAL { ?e skg:article ?a . ?a dcterms:identifier ?article }
  OPTIONAL { ?e nif:beginIndex ?begin ; nif:endIndex ?end }
  OPTIONAL { ?e nif:anchorOf ?anchor }
  OPTIONAL { ?e skg:sentence ?sentence .
             ?sentence nif:anchorOf ?stext ; nif:beginIndex ?sbegin ; nif:endIndex ?send }
}
"""


def _int(term: Any) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


class _Builder:
    """One pass over the quads and the evidence; :meth:`result` gives the plain dict."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.quads = _quads(store)
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for _g, s, p, (ok, ov, lang) in self.quads:
            if p == RDF_TYPE and ok == "iri":
                self.types[s].add(ov)
            elif p in (PREF_LABEL, RDFS_LABEL, TITLE, NOTATION, ALT_LABEL) and ok == "lit":
                self.labels[s][f"{p} {lang}"].append(bounded(ov))  # a graph of an older build may hold any length
        self.classes: dict[str, str] = {}
        for s, types in self.types.items():
            found = sorted(_CLASS_OF[t] for t in types if t in _CLASS_OF)
            if found:
                self.classes[s] = found[0][1]
        self.graph_article = self._graph_articles()
        self.has_evidence = bool(store.query(f"ASK {{ ?e a <{SKG}Evidence> }}"))
        self.triples: dict[tuple[str, str, str], _Triple] = defaultdict(_Triple)
        self.objects: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self.touch: dict[str, _Triple] = defaultdict(_Triple)  # per node: kinds and articles of all it is in
        self.evidence_by_subject: dict[str, set[int]] = {}
        self._label_cache: dict[tuple[str, str], str | None] = {}
        self.notes: dict[tuple[str, str, str], str] = {}
        self.notes_en: dict[tuple[str, str, str], str] = {}

    # graphs and articles -----------------------------------------------------------------------

    def _graph_articles(self) -> dict[str, str]:
        """Named graph → article id: the bundles derived from an article, else the graph's name."""
        ids = {}
        for _, s, p, (_ok, ov, _lang) in self.quads:
            if p == IDENTIFIER and self.classes.get(s) == "NewsArticle":
                ids[s] = ov
        found: dict[str, str] = {}
        for _, s, p, (_ok, ov, _lang) in self.quads:
            if p == DERIVED_FROM and ov in ids and s.startswith(ARTICLE_GRAPHS):
                found[s] = ids[ov]
        from kg.iris import slug

        by_slug = {slug(aid): aid for aid in ids.values()}
        for g in {q[0] for q in self.quads if q[0] and q[0].startswith(ARTICLE_GRAPHS)}:
            if g not in found:
                key = g[len(ARTICLE_GRAPHS):].removesuffix("/inferred")
                found[g] = by_slug.get(key, key)
        return found

    def graph_kind(self, graph: str | None) -> str | None:
        """The kind of a fact from the graph it is in: an article's graphs give stated or inferred,
        the project's other graphs (reference, ontology) background. In the default graph (Turtle,
        N-Triples) the evidence decides: without evidence a fact is background when the file has
        evidence at all, else (a graph written by hand) stated, like a graph of someone else's."""
        if graph in self.graph_article:
            return "inferred" if graph.endswith("/inferred") else "stated"
        if graph is not None and graph.startswith(GRAPH_BASE):
            return "background"
        if graph is None and self.has_evidence:
            return None
        return "stated"

    # labels --------------------------------------------------------------------------------------

    def label(self, iri: str, lang: str = "zh") -> str | None:
        """The zh-Hans (or English) label of an IRI, or None."""
        key = (iri, lang)
        if key not in self._label_cache:
            self._label_cache[key] = self._label(iri, lang)
        return self._label_cache[key]

    def _label(self, iri: str, lang: str) -> str | None:
        found = self.labels.get(iri, {})
        if lang == "en":
            order = [f"{PREF_LABEL} en", f"{RDFS_LABEL} en", f"{TITLE} en"]
            for key in order:
                if found.get(key):
                    return sorted(found[key])[0]
            return None
        order = [f"{p} {lg}" for p in (PREF_LABEL, RDFS_LABEL, TITLE)
                 for lg in ("zh-hans", "zh", "zh-cn", "zh-hant", "")]
        for key in order:
            if found.get(key):
                return sorted(found[key])[0]
        for key in sorted(found):
            if key.startswith(PREF_LABEL) and found[key]:
                return sorted(found[key])[0]
        if found.get(f"{NOTATION} "):
            return sorted(found[f"{NOTATION} "])[0]
        return None

    @staticmethod
    def tail(iri: str) -> str:
        """A readable name from an IRI alone: its prefixed name, or its last path segment (at most
        :data:`~kg.pipeline.graph.MAX_LABEL` characters, as labels)."""
        short = compact(iri)
        if short != iri:
            return bounded(short)
        return bounded(unquote(iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]) or iri)

    def value_label(self, iri: str, lang: str = "zh") -> str:
        return self.label(iri, lang) or self.tail(iri)

    # the pass --------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        memberships: dict[str, dict[str, Any]] = defaultdict(lambda: {"kinds": set(), "articles": set()})
        participations: dict[str, dict[str, Any]] = defaultdict(lambda: {"kinds": set(), "articles": set()})
        for g, s, p, o in self.quads:
            gk, article = self.graph_kind(g), self.graph_article.get(g or "")
            ok, ov, lang = o
            okey = _okey(ok, ov, lang)
            if s in self.classes:
                info = self.triples[(s, p, okey)]
                self.objects[(s, p, okey)] = o
                if gk:
                    info.kinds.add(gk)
                if article:
                    info.articles.add(article)
            for node in (s, ov if ok == "iri" and p != RDF_TYPE else None):
                if node in self.classes:
                    if gk:
                        self.touch[node].kinds.add(gk)
                    if article:
                        self.touch[node].articles.add(article)
            stype = self.types.get(s, set())
            if MEMBERSHIP in stype or PARTICIPATION_CLASS in stype:
                record = (memberships if MEMBERSHIP in stype else participations)[s]
                record[p] = ov
                if gk:
                    record["kinds"].add(gk)
                if article:
                    record["articles"].add(article)
            if p == PARTICIPATION and ok == "iri":
                participations[ov]["summit"] = s
        self.evidence, self.sentences = self._evidence()
        self._derived(memberships, participations)
        return self._result()

    def _evidence(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Evidence entries (deduplicated, sorted) and their sentences; links them to triples and nodes."""
        raw = []
        for row in self.store.query(_EVIDENCE):
            s, p, o = _term(row["s"])[1], row["p"].value, _term(row["o"])
            basis = row["basis"].value if row["basis"] is not None else "stated"
            basis = basis.rsplit("/", 1)[-1] if basis.startswith("http") else basis
            raw.append({
                "s": s, "p": p, "o": o, "basis": basis if basis in KINDS else "stated",
                "rule": self.tail(row["rule"].value) if row["rule"] is not None else "",
                "article": row["article"].value if row["article"] is not None else "",
                "begin": _int(row["begin"]), "end": _int(row["end"]),
                "text": row["anchor"].value if row["anchor"] is not None else "",
                "sentence": (row["sentence"].value, _int(row["sbegin"]), _int(row["send"]), row["stext"].value)
                if row["sentence"] is not None else None,
            })
        sentence_keys = sorted({(r["article"], r["sentence"][1] or 0, r["sentence"][2] or 0, r["sentence"][3])
                                for r in raw if r["sentence"] is not None})
        sentence_index = {key: i for i, key in enumerate(sentence_keys)}
        sentences = [{"article": a, "begin": b, "end": e, "text": t} for a, b, e, t in sentence_keys]

        def entry_key(r: dict[str, Any]) -> tuple[Any, ...]:
            sent = r["sentence"]
            sidx = sentence_index[(r["article"], sent[1] or 0, sent[2] or 0, sent[3])] if sent else -1
            return (r["article"], r["begin"] if r["begin"] is not None else -1,
                    r["end"] if r["end"] is not None else -1, compact(r["p"]), r["basis"], r["rule"], sidx,
                    r["text"])

        keys = sorted({entry_key(r) for r in raw})
        index = {key: i for i, key in enumerate(keys)}
        entries = [{"article": k[0], "begin": k[1], "end": k[2], "p": expand(k[3]), "basis": k[4], "rule": k[5],
                    "sentence": k[6] if k[6] >= 0 else None, "text": k[7]} for k in keys]
        for r in raw:
            i = index[entry_key(r)]
            s, p, (ok, ov, lang) = r["s"], r["p"], r["o"]
            key = (s, p, _okey(ok, ov, lang))
            if s in self.classes:
                info = self.triples[key]
                self.objects.setdefault(key, r["o"])
                info.kinds.add(r["basis"])
                info.evidence.add(i)
                if r["article"]:
                    info.articles.add(r["article"])
            for node in (s, ov if ok == "iri" and p != RDF_TYPE else None):
                if node in self.classes:
                    self.touch[node].kinds.add(r["basis"])
                    self.touch[node].evidence.add(i)
                    if r["article"]:
                        self.touch[node].articles.add(r["article"])
            self.evidence_by_subject.setdefault(s, set()).add(i)
        return entries, sentences

    def _derived(self, memberships: dict[str, dict[str, Any]], participations: dict[str, dict[str, Any]]) -> None:
        """Edges read through a Membership (state → organization) or a Participation (summit → attendee)."""
        for _iri, m in sorted(memberships.items()):
            state, organization = m.get(expand("org:member")), m.get(expand("org:organization"))
            if state not in self.classes or organization not in self.classes:
                continue
            key = (state, MEMBER_OF, organization)
            info = self.triples[key]
            self.objects[key] = ("iri", organization, "")
            info.kinds |= m["kinds"]
            info.articles |= m["articles"]
            role = m.get(expand("org:role"))
            for lang, notes in (("zh", self.notes), ("en", self.notes_en)):
                status = self.value_label(role, lang) if role else ""
                dates = " – ".join(d for d in (m.get(START), m.get(END)) if d)
                if m.get(START) and not m.get(END):
                    dates += " –"
                note = "，".join(x for x in (status, dates) if x) if lang == "zh" else ", ".join(
                    x for x in (status, dates) if x)
                previous = notes.get(key)
                notes[key] = f"{previous}; {note}" if previous and note not in previous else note
        for iri, pr in sorted(participations.items()):
            summit, who = pr.get("summit"), pr.get(PARTICIPANT)
            if summit not in self.classes or who not in self.classes:
                continue
            key = (summit, ATTENDEE, who)
            info = self.triples[key]
            self.objects[key] = ("iri", who, "")
            info.kinds |= pr["kinds"]
            info.articles |= pr["articles"]
            if not info.evidence:  # no schema:attendee of its own: the participation's evidence
                info.evidence |= self.evidence_by_subject.get(iri, set())
            basis = pr.get(BASIS)
            if basis:
                info.kinds.add(basis.rsplit("/", 1)[-1] if basis.rsplit("/", 1)[-1] in KINDS else "stated")

    # the result ------------------------------------------------------------------------------------

    def _result(self) -> dict[str, Any]:
        words = _lexicon_words()
        used_words: set[str] = set()
        nodes: dict[str, dict[str, Any]] = {}
        for iri in sorted(self.classes):
            touch = self.touch.get(iri, _Triple())
            zh = self.label(iri) or self.tail(iri)
            en = self.label(iri, "en")
            alt = sorted({v for k, vs in self.labels.get(iri, {}).items() for v in vs
                          if k.split(" ")[0] in (PREF_LABEL, ALT_LABEL, RDFS_LABEL)} - {zh})
            types = sorted(t for t in self.types[iri] if t in _CLASS_OF)
            used_words |= set(types)
            nodes[iri] = {"id": iri, "class": self.classes[iri], "types": types, "labels": {"zh": zh, "en": en},
                          "alt": alt, "kind": touch.kind(), "articles": sorted(touch.articles), "facts": [],
                          "ev": sorted(touch.evidence)}
        pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for key in sorted(self.triples):
            s, p, okey = key
            info = self.triples[key]
            ok, ov, lang = self.objects[key]
            if p in SKIP_FACTS or ok == "blank":
                continue
            used_words.add(p)
            fact = {"p": p, "kind": info.kind(), "articles": sorted(info.articles), "ev": sorted(info.evidence)}
            if ok == "iri" and ov in self.classes and p not in FACT_NOT_EDGE:
                if ov == s:
                    continue
                fact["note"], fact["note_en"] = self.notes.get(key), self.notes_en.get(key)
                pairs[(s, ov)].append(fact)
                continue
            if ok == "iri":
                fact.update(value=self.value_label(ov), value_en=self.label(ov, "en"), lang="",
                            target=ov if ov in self.classes else None)
            else:
                fact.update(value=ov, value_en=None, lang=lang, target=None)
            nodes[s]["facts"].append(fact)
        edges = []
        for (s, o), facts in sorted(pairs.items()):
            kinds = {f["kind"] for f in facts}
            edges.append({"source": s, "target": o, "kind": min(kinds, key=_RANK.__getitem__),
                          "articles": sorted({a for f in facts for a in f["articles"]}), "facts": facts})
        for node in nodes.values():
            node["facts"].sort(key=lambda f: (f["p"] != PREF_LABEL, compact(f["p"]), f["value"], f["lang"]))
        used_words |= {p for e in self.evidence for p in [e["p"]]}
        used_words |= set(CLASS_IRIS.values())
        return {
            "nodes": list(nodes.values()),
            "edges": edges,
            "articles": self._articles(nodes),
            "summits": self._summits(nodes),
            "evidence": self.evidence,
            "sentences": self.sentences,
            "words": {iri: self._words(iri, words) for iri in sorted(used_words)},
        }

    def _words(self, iri: str, lexicon: dict[str, dict[str, str]]) -> dict[str, str]:
        if iri in lexicon:
            return dict(lexicon[iri])
        local = self.tail(iri).split(":", 1)[-1]
        return {"zh": self.label(iri) or local, "en": self.label(iri, "en") or local}

    def _values(self, iri: str, predicate: str) -> list[str]:
        """The sorted values of one subject and predicate (an index built on first use)."""
        if not hasattr(self, "_by_subject"):
            index: dict[tuple[str, str], list[str]] = defaultdict(list)
            for (s, p, _), (_ok, ov, _lang) in self.objects.items():
                index[(s, p)].append(ov)
            self._by_subject = {key: sorted(values) for key, values in index.items()}
        return self._by_subject.get((iri, predicate), [])

    def _first(self, iri: str, predicate: str) -> str | None:
        values = self._values(iri, predicate)
        return values[0] if values else None

    def _articles(self, nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for iri, node in nodes.items():
            if node["class"] != "NewsArticle":
                continue
            aid = self._first(iri, IDENTIFIER) or self.tail(iri)
            out.append({"id": aid, "iri": iri, "title": self._first(iri, TITLE) or "",
                        "published": self._first(iri, PUBLISHED) or "", "source": self._first(iri, SOURCE) or "",
                        "summits": [o for o in self._values(iri, ABOUT) if o in nodes]})
        known = {a["id"] for a in out}
        for aid in sorted({a for n in nodes.values() for a in n["articles"]} - known):
            out.append({"id": aid, "iri": "", "title": "", "published": "", "source": "", "summits": []})
        return sorted(out, key=lambda a: a["id"])

    def _summits(self, nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for iri, node in nodes.items():
            if node["class"] == "Summit" and node["kind"] != "background":
                out.append({"id": iri, "label": node["labels"]["zh"], "label_en": node["labels"]["en"],
                            "date": self._first(iri, START) or ""})
        return sorted(out, key=lambda s: (s["date"] or "9999", s["label"], s["id"]))


def extract(store: Any) -> dict[str, Any]:
    """The plain data of a pyoxigraph store (see the module docstring)."""
    return _Builder(store).run()
