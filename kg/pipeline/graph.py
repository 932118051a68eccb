"""Turn facts into RDF quads: one named graph per article for stated facts, one for facts
inferred with background knowledge, each fact with an evidence node (its sentence, offsets
and rule). Quads are produced sorted, so every serialisation is deterministic.

What is written conforms to the shapes whatever the text: each evidence span lies inside its
sentence (a boundary the segmenter found inside a span, such as a 。 inside a 《…》 title, is no
boundary: see :func:`written_sentences`), and names (labels, titles) are cut at
:data:`MAX_LABEL` characters with a marker, the full text staying in the evidence.

A traditional-script article (``Article.converted``) was read in simplified script; its text,
sentences and evidence anchors are written as the article has them (``zh-Hant``, the same
offsets). Names read in it are given twice: the simplified value the rules produced
(``zh-Hans``) and the words as written (``zh-Hant``), see :func:`script_names`."""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg import __version__, iris
from kg.model import Doc, Evidence, Fact, Ref, Sentence, Value
from kg.terms import Quad, iri, literal, typed

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SDO = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SKG = iris.ONTOLOGY

#: Short predicate names used by the rules, and their IRIs.
PREDICATES: dict[str, str] = {
    "type": RDF + "type",
    "label": SKOS + "prefLabel",
    "alias": SKOS + "altLabel",
    "title": DCTERMS + "title",
    "about": SDO + "about",
    "mentions": SDO + "mentions",
    "startDate": SDO + "startDate",
    "endDate": SDO + "endDate",
    "attendee": SDO + "attendee",
    "holds": ORG + "holds",
    "postIn": ORG + "postIn",
    "roleName": SDO + "roleName",
    **{name: SKG + name for name in (
        "organizer", "inSeries", "council", "ordinal", "city", "hostState", "format", "chairState",
        "chairPerson", "participation", "participant", "basis", "inferredFrom", "documentType", "action",
        "adoptedAt", "mentionedAt", "proposedBy", "proposedAt", "speaker", "deliveredAt", "cooperationArea",
        "datelinePlace")},
}
#: Predicates of names: in a traditional-script article each is also given as written (zh-Hant).
NAME_PREDICATES = frozenset({"label", "alias", "title", "roleName"})
#: The longest name written (the value of a :data:`NAME_PREDICATES` fact), in characters: a longer
#: one (a 《…》 title of a page) is cut and ends in :data:`LABEL_MARK`; its evidence keeps it whole.
MAX_LABEL = 200
LABEL_MARK = "…"
HANS, HANT = "zh-Hans", "zh-Hant"
_MODES = {"video": "OnlineEventAttendanceMode", "in_person": "OfflineEventAttendanceMode",
          "hybrid": "MixedEventAttendanceMode"}


class _T:
    """The N-Triples text of the IRIs the writer uses, made once."""

    type = iri(RDF + "type")
    subject, predicate, object = iri(RDF + "subject"), iri(RDF + "predicate"), iri(RDF + "object")
    label = iri(RDFS + "label")
    identifier, language, title, source, publisher = (iri(DCTERMS + n) for n in (
        "identifier", "language", "title", "source", "publisher"))
    date_published, url = iri(SDO + "datePublished"), iri(SDO + "url")
    attendance_mode = iri(SDO + "eventAttendanceMode")
    bundle, derived = iri(PROV + "Bundle"), iri(PROV + "wasDerivedFrom")
    is_string, anchor_of = iri(NIF + "isString"), iri(NIF + "anchorOf")
    reference_context = iri(NIF + "referenceContext")
    begin, end = iri(NIF + "beginIndex"), iri(NIF + "endIndex")
    sentence_class, sentence_index, sentence = iri(SKG + "Sentence"), iri(SKG + "sentenceIndex"), iri(SKG + "sentence")
    evidence, article, rule, basis = iri(SKG + "Evidence"), iri(SKG + "article"), iri(SKG + "rule"), iri(SKG + "basis")
    rule_class, news_article = iri(SKG + "ExtractionRule"), iri(SKG + "NewsArticle")
    sha256, version = iri(SKG + "sha256"), iri(SKG + "extractorVersion")
    reference_graph = iri(iris.REFERENCE_GRAPH)
    predicates = {name: iri(value) for name, value in PREDICATES.items()}
    modes = {key: iri(SDO + value) for key, value in _MODES.items()}


@lru_cache(maxsize=1 << 16)
def ref_iri(ref: Ref) -> str:
    """The entity's IRI as N-Triples text."""
    if ref.kind == "class":
        return iri(SKG + ref.key)
    if ref.kind == "article":
        return iri(iris.entity("article", iris.slug(ref.key)))
    return iri(iris.entity(ref.kind, ref.key))


def literal_of(value: Value) -> str:
    if value.datatype:
        return typed(value.value, value.datatype)
    return literal(str(value.value), value.lang)


@dataclass(frozen=True)
class GraphNames:
    article: str  # N-Triples text of the graph IRIs
    inferred: str

    @classmethod
    def of(cls, article_id: str) -> "GraphNames":
        return cls(iri(iris.article_graph(article_id)), iri(iris.inferred_graph(article_id)))


@lru_cache(maxsize=1 << 14)
def _count(n: int) -> str:
    return typed(n, "nonNegativeInteger")


class GraphWriter:
    """Quads of one article: its metadata, sentences, facts and their evidence, as N-Triples text
    (:mod:`kg.terms`), sorted: every serialisation of them is deterministic."""

    def __call__(self, doc: Doc) -> list[Quad]:
        names = GraphNames.of(doc.article.id)
        article = ref_iri(Ref("article", doc.article.id))
        base = f"{article[1:-1]}/"
        quads: set[Quad] = set()
        g = names.article
        add = quads.add
        self._article(doc, article, names, add)
        own, text_lang = doc.article.own_text, HANT if doc.article.converted else HANS
        facts = one_label_per_language([*doc.facts, *script_names(doc)])
        sentences = written_sentences(doc.article.text, doc.sentences,
                                      [f.evidence for f in facts if f.evidence is not None])
        starts = [sentence.start for sentence in sentences]
        sentence_iris = []
        for sentence in sentences:
            node = iri(f"{base}sentence/{sentence.index}")
            sentence_iris.append(node)
            add((node, _T.type, _T.sentence_class, g))
            add((node, _T.reference_context, article, g))
            add((node, _T.begin, _count(sentence.start), g))
            add((node, _T.end, _count(sentence.end), g))
            add((node, _T.anchor_of, literal(own[sentence.start:sentence.end], text_lang), g))
            add((node, _T.sentence_index, _count(sentence.index), g))
        rules: set[str] = set()
        for fact in facts:
            graph = names.inferred if fact.basis == "inferred" else g
            basis = iri(iris.entity("basis", fact.basis))
            for s, p, o, key in self._triples(fact):
                add((s, p, o, graph))
                ev = fact.evidence
                if ev is None:
                    continue
                sentence = max(bisect.bisect_right(starts, ev.start) - 1, 0)  # holds the span, see written_sentences
                node = iri(f"{base}evidence/{iris.short_hash(*key, ev.start, ev.end, ev.rule, *_lang_part(fact, p))}")
                rule = iri(iris.entity("rule", ev.rule))
                rules.add(rule)
                add((node, _T.type, _T.evidence, graph))
                add((node, _T.subject, s, graph))
                add((node, _T.predicate, p, graph))
                add((node, _T.object, o, graph))
                add((node, _T.sentence, sentence_iris[sentence], graph))
                add((node, _T.article, article, graph))
                add((node, _T.begin, _count(ev.start), graph))
                add((node, _T.end, _count(ev.end), graph))
                add((node, _T.anchor_of, literal(own[ev.start:ev.end], text_lang), graph))
                add((node, _T.rule, rule, graph))
                add((node, _T.basis, basis, graph))
        for rule in rules:
            add((rule, _T.type, _T.rule_class, g))
            add((rule, _T.label, literal(rule[1:-1].rsplit("/", 1)[-1]), g))
        return sorted(quads)

    @staticmethod
    def _triples(fact: Fact) -> Iterable[tuple[str, str, str, tuple[str, str, str]]]:
        """``(s, p, o, key)``: the terms and what names the fact's evidence node (the IRIs and the
        literal's value, as the evidence IRIs have always been minted)."""
        s_iri = ref_iri(fact.subject)
        p = PREDICATES[fact.predicate]
        obj = fact.object
        if isinstance(obj, Ref):
            o_term = ref_iri(obj)
            o_key = o_term[1:-1]
        elif fact.predicate in NAME_PREDICATES and not obj.datatype and len(obj.value) > MAX_LABEL:
            o_key = bounded(obj.value)
            o_term = literal(o_key, obj.lang)
        else:
            o_term, o_key = literal_of(obj), str(obj.value)
        yield s_iri, _T.predicates[fact.predicate], o_term, (s_iri[1:-1], p, o_key)
        if fact.predicate == "format" and isinstance(obj, Ref) and obj.key in _MODES:
            mode = _T.modes[obj.key]
            yield s_iri, _T.attendance_mode, mode, (s_iri[1:-1], _T.attendance_mode[1:-1], mode[1:-1])

    @staticmethod
    def _article(doc: Doc, node: str, names: GraphNames, add: Callable[[Quad], None]) -> None:
        a = doc.article
        g = names.article
        add((node, _T.type, _T.news_article, g))
        add((node, _T.identifier, literal(a.id), g))
        add((node, _T.language, literal(a.language), g))
        add((node, _T.is_string, literal(a.own_text, a.language), g))
        add((node, _T.sha256, literal(hashlib.sha256(a.own_text.encode("utf-8")).hexdigest()), g))
        add((node, _T.version, literal(f"summit-kg {__version__}"), g))
        if a.title:
            add((node, _T.title, literal(a.title, a.language), g))
        if a.published:
            add((node, _T.date_published, typed(a.published.isoformat(), "date"), g))
        if a.url:
            add((node, _T.url, typed(a.url, "anyURI"), g))
        if a.source:
            add((node, _T.source, literal(a.source, a.language), g))
        publisher = doc.context.get("source_org")
        if isinstance(publisher, Ref):
            add((node, _T.publisher, ref_iri(publisher), g))
        add((names.article, _T.type, _T.bundle, g))
        add((names.article, _T.derived, node, g))
        add((names.inferred, _T.type, _T.bundle, g))
        add((names.inferred, _T.derived, node, g))
        add((names.inferred, _T.derived, _T.reference_graph, g))


def bounded(name: str, limit: int = MAX_LABEL) -> str:
    """``name``, or its first ``limit - 1`` characters and :data:`LABEL_MARK` when it is longer."""
    return name if len(name) <= limit else name[:limit - 1] + LABEL_MARK


def one_label_per_language(facts: list[Fact]) -> list[Fact]:
    """The facts with one preferred label per entity and language tag, as the shapes require of a
    report: of several (names that differ only where IRIs do not, 上海宣言 and ？上海宣言, or two
    rules), the first in the text stays ``label``, the others become ``alias`` (skos:altLabel)."""
    first: dict[tuple[Ref, str], str] = {}
    for fact in sorted((f for f in facts if f.predicate == "label" and isinstance(f.object, Value)),
                       key=lambda f: (f.evidence.start if f.evidence else -1, f.object.value)):  # type: ignore[union-attr]
        first.setdefault((fact.subject, (fact.object.lang or "").lower()), fact.object.value)  # type: ignore[union-attr]
    out = []
    for fact in facts:
        obj = fact.object
        if fact.predicate == "label" and isinstance(obj, Value) and first[(fact.subject, (obj.lang or "").lower())] \
                != obj.value:
            fact = Fact(fact.subject, "alias", obj, fact.evidence, fact.basis)
        out.append(fact)
    return out


def written_sentences(text: str, sentences: Sequence[Sentence], spans: Iterable[Evidence]) -> list[Sentence]:
    """The sentences as written: the segmenter's, joined where an evidence span crosses a boundary.

    A span read across a sentence end (a 。 or ！ inside a 《…》 title, a name broken by a line
    break) shows that the boundary is none: the sentences it touches become one, so every span
    lies inside its sentence, as the shapes require. A span that reaches outside every sentence
    (into the blanks before the first one) widens the sentence it touches. Sentences are numbered
    again from 0; without a crossing span they are the segmenter's, unchanged.
    """
    if not sentences:
        spans = list(spans)
        if not spans:
            return []
        start, end = min(e.start for e in spans), max(e.end for e in spans)
        return [Sentence(0, start, end, text[start:end])]
    starts = [s.start for s in sentences]
    last = len(sentences) - 1
    joined_to = list(range(len(sentences)))  # the last sentence of the run each sentence opens or extends
    low = [s.start for s in sentences]
    high = [s.end for s in sentences]
    for ev in spans:
        first = max(bisect.bisect_right(starts, ev.start) - 1, 0)
        final = max(bisect.bisect_right(starts, max(ev.end - 1, ev.start)) - 1, first)
        joined_to[first] = max(joined_to[first], final)
        low[first] = min(low[first], ev.start)
        high[final] = max(high[final], ev.end)
    out: list[Sentence] = []
    i = 0
    while i <= last:
        j, reach = i, joined_to[i]
        while j < reach:
            j += 1
            reach = max(reach, joined_to[j])
        start, end = min(low[i:j + 1]), max(high[i:j + 1])
        same = i == j and (start, end) == (sentences[i].start, sentences[i].end)
        out.append(Sentence(len(out), start, end, sentences[i].text if same else text[start:end]))
        i = j + 1
    return out


def script_names(doc: Doc) -> list[Fact]:
    """The names of a traditional-script article as written: ``zh-Hant`` facts beside the rules'.

    * A name fact (:data:`NAME_PREDICATES`) whose value is the simplified text of its evidence
      span, or of a part of it, is repeated with that part of the article as written. A value
      that is not a span of the text (a label composed by a rule) stays ``zh-Hans`` only.
    * An entity of the reference knowledge gets no label fact (its label is the reference's);
      where a fact's evidence span is exactly its simplified label, that span as written becomes
      its ``zh-Hant`` label — or an altLabel where the reference has zh-Hant names
      (``doc.context["reference_hant"]``, from CLDR) and the article writes another one.

    ``skos:prefLabel`` takes one value per language tag: of several written forms of one
    label (台/臺), the first in the text is the ``zh-Hant`` prefLabel, the others altLabels.
    Each fact keeps the evidence (span and rule) of the fact it comes from. Nothing for a
    simplified-script article.
    """
    article = doc.article
    if not article.converted:
        return []
    text, own = article.hans_text, article.own_text
    reference_hant: dict[Ref, set[str]] = doc.context.get("reference_hant", {})  # type: ignore[assignment]
    found: list[tuple[int, int, Fact]] = []
    for fact in doc.facts:
        ev = fact.evidence
        if ev is None:
            continue
        obj = fact.object
        if fact.predicate in NAME_PREDICATES and isinstance(obj, Value) and obj.lang in (None, HANS) \
                and obj.datatype is None and obj.value:
            at = text.find(obj.value, ev.start, ev.end)
            if at >= 0:
                written = Value(own[at:at + len(obj.value)], lang=HANT)
                found.append((at, at + len(obj.value), Fact(fact.subject, fact.predicate, written, ev, fact.basis)))
        for ref in (fact.subject, obj):
            entity = doc.entities.get(ref) if isinstance(ref, Ref) else None
            if entity is not None and entity.known and text[ev.start:ev.end] == entity.label:
                written = Value(own[ev.start:ev.end], lang=HANT)
                known_hant = reference_hant.get(entity.ref, set())
                if written.value in known_hant:
                    continue  # the reference's own zh-Hant name (CLDR)
                # beside a zh-Hant name of the reference, the article's form is another name
                label = Fact(entity.ref, "alias" if known_hant else "label", written,
                             Evidence(ev.start, ev.end, ev.rule))
                found.append((ev.start, ev.end, label))
    preferred: dict[Ref, str] = {}
    out = []
    for _start, _end, fact in sorted(found, key=lambda item: (item[0], item[1], str(item[2]))):
        if fact.predicate == "label" and isinstance(fact.object, Value):
            first = preferred.setdefault(fact.subject, fact.object.value)
            if fact.object.value != first:
                fact = Fact(fact.subject, "alias", fact.object, fact.evidence, fact.basis)
        out.append(fact)
    return out


def _lang_part(fact: Fact, predicate: str) -> tuple[str, ...]:
    """What tells "王毅"@zh-Hant from "王毅"@zh-Hans in an evidence IRI (nothing for zh-Hans, so
    the IRIs of simplified-script articles are as they were)."""
    obj = fact.object
    if predicate != _T.attendance_mode and isinstance(obj, Value) and not obj.datatype and obj.lang \
            and obj.lang != HANS:
        return (obj.lang,)
    return ()
