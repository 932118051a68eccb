"""Turn facts into RDF quads: one named graph per article for stated facts, one for facts
inferred with background knowledge, each fact with an evidence node (its sentence, offsets
and rule). Quads are produced sorted, so every serialisation is deterministic."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg import __version__, iris
from kg.model import Doc, Fact, Ref, Value
from kg.ns import SKG

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

Quad = tuple[URIRef, URIRef, "URIRef | Literal", URIRef]

#: Short predicate names used by the rules, and their IRIs.
PREDICATES: dict[str, URIRef] = {
    "type": RDF.type,
    "label": SKOS.prefLabel,
    "alias": SKOS.altLabel,
    "title": DCTERMS.title,
    "about": SDO.about,
    "mentions": SDO.mentions,
    "startDate": SDO.startDate,
    "endDate": SDO.endDate,
    "attendee": SDO.attendee,
    "holds": ORG.holds,
    "postIn": ORG.postIn,
    "roleName": SDO.roleName,
    **{name: getattr(SKG, name) for name in (
        "organizer", "inSeries", "council", "ordinal", "city", "hostState", "format", "chairState",
        "chairPerson", "participation", "participant", "basis", "inferredFrom", "documentType", "action",
        "adoptedAt", "mentionedAt", "proposedBy", "proposedAt", "speaker", "deliveredAt", "cooperationArea",
        "datelinePlace")},
}
_MODES = {"video": SDO.OnlineEventAttendanceMode, "in_person": SDO.OfflineEventAttendanceMode,
          "hybrid": SDO.MixedEventAttendanceMode}


def ref_iri(ref: Ref) -> URIRef:
    if ref.kind == "class":
        return getattr(SKG, ref.key)
    if ref.kind == "article":
        return URIRef(iris.entity("article", iris.slug(ref.key)))
    return URIRef(iris.entity(ref.kind, ref.key))


def literal(value: Value) -> Literal:
    if value.datatype:
        return Literal(value.value, datatype=XSD[value.datatype])
    if value.lang:
        return Literal(value.value, lang=value.lang)
    return Literal(value.value)


@dataclass(frozen=True)
class GraphNames:
    article: URIRef
    inferred: URIRef

    @classmethod
    def of(cls, article_id: str) -> "GraphNames":
        return cls(URIRef(iris.article_graph(article_id)), URIRef(iris.inferred_graph(article_id)))


class GraphWriter:
    """Quads of one article: its metadata, sentences, facts and their evidence."""

    def __call__(self, doc: Doc) -> list[Quad]:
        names = GraphNames.of(doc.article.id)
        article = ref_iri(Ref("article", doc.article.id))
        base = f"{article}/"
        quads: set[Quad] = set()
        g = names.article

        def add(s: URIRef, p: URIRef, o: "URIRef | Literal", graph: URIRef = g) -> None:
            quads.add((s, p, o, graph))

        self._article(doc, article, add)
        sentence_iris = {}
        for sentence in doc.sentences:
            node = URIRef(f"{base}sentence/{sentence.index}")
            sentence_iris[sentence.index] = node
            add(node, RDF.type, SKG.Sentence)
            add(node, NIF.referenceContext, article)
            add(node, NIF.beginIndex, Literal(sentence.start, datatype=XSD.nonNegativeInteger))
            add(node, NIF.endIndex, Literal(sentence.end, datatype=XSD.nonNegativeInteger))
            add(node, NIF.anchorOf, Literal(sentence.text, lang="zh-Hans"))
            add(node, SKG.sentenceIndex, Literal(sentence.index, datatype=XSD.nonNegativeInteger))
        rules = set()
        for fact in doc.facts:
            graph = names.inferred if fact.basis == "inferred" else g
            for s, p, o in self._triples(fact):
                add(s, p, o, graph)
                if fact.evidence is None:
                    continue
                ev = fact.evidence
                sentence = doc.sentence_at(ev.start)
                node = URIRef(f"{base}evidence/{_hash(s, p, o, ev.start, ev.end, ev.rule)}")
                rule = URIRef(iris.entity("rule", ev.rule))
                rules.add(rule)
                add(node, RDF.type, SKG.Evidence, graph)
                add(node, RDF.subject, s, graph)
                add(node, RDF.predicate, p, graph)
                add(node, RDF.object, o, graph)
                add(node, SKG.sentence, sentence_iris[sentence.index], graph)
                add(node, SKG.article, article, graph)
                add(node, NIF.beginIndex, Literal(ev.start, datatype=XSD.nonNegativeInteger), graph)
                add(node, NIF.endIndex, Literal(ev.end, datatype=XSD.nonNegativeInteger), graph)
                add(node, NIF.anchorOf, Literal(doc.article.text[ev.start:ev.end], lang="zh-Hans"), graph)
                add(node, SKG.rule, rule, graph)
                add(node, SKG.basis, URIRef(iris.entity("basis", fact.basis)), graph)
        for rule in rules:
            add(rule, RDF.type, SKG.ExtractionRule)
            add(rule, RDFS.label, Literal(str(rule).rsplit("/", 1)[-1]))
        return sorted(quads)

    @staticmethod
    def _triples(fact: Fact) -> Iterable[tuple[URIRef, URIRef, "URIRef | Literal"]]:
        s = ref_iri(fact.subject)
        p = PREDICATES[fact.predicate]
        o = ref_iri(fact.object) if isinstance(fact.object, Ref) else literal(fact.object)
        yield s, p, o
        if fact.predicate == "format" and isinstance(fact.object, Ref) and fact.object.key in _MODES:
            yield s, SDO.eventAttendanceMode, _MODES[fact.object.key]

    @staticmethod
    def _article(doc: Doc, node: URIRef, add) -> None:  # type: ignore[no-untyped-def]
        a = doc.article
        add(node, RDF.type, SKG.NewsArticle)
        add(node, DCTERMS.identifier, Literal(a.id))
        add(node, DCTERMS.language, Literal(a.language))
        add(node, NIF.isString, Literal(a.text, lang=a.language))
        add(node, SKG.sha256, Literal(hashlib.sha256(a.text.encode("utf-8")).hexdigest()))
        add(node, SKG.extractorVersion, Literal(f"summit-kg {__version__}"))
        if a.title:
            add(node, DCTERMS.title, Literal(a.title, lang=a.language))
        if a.published:
            add(node, SDO.datePublished, Literal(a.published.isoformat(), datatype=XSD.date))
        if a.url:
            add(node, SDO.url, Literal(a.url, datatype=XSD.anyURI))
        if a.source:
            add(node, DCTERMS.source, Literal(a.source, lang=a.language))
        publisher = doc.context.get("source_org")
        if isinstance(publisher, Ref):
            add(node, DCTERMS.publisher, ref_iri(publisher))
        names = GraphNames.of(a.id)
        add(names.article, RDF.type, PROV.Bundle)
        add(names.article, PROV.wasDerivedFrom, node)
        add(names.inferred, RDF.type, PROV.Bundle)
        add(names.inferred, PROV.wasDerivedFrom, node)
        add(names.inferred, PROV.wasDerivedFrom, URIRef(iris.REFERENCE_GRAPH))


def _hash(*parts: object) -> str:
    return iris.short_hash(*parts)
