"""Turn facts into RDF quads: one named graph per article for stated facts, one for facts
inferred with background knowledge, each fact with an evidence node (its sentence, offsets
and rule). Quads are produced sorted, so every serialisation is deterministic.

A traditional-script article (``Article.converted``) was read in simplified script; its text,
sentences and evidence anchors are written as the article has them (``zh-Hant``, the same
offsets). Names read in it are given twice: the simplified value the rules produced
(``zh-Hans``) and the words as written (``zh-Hant``), see :func:`script_names`."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg import __version__, iris
from kg.model import Doc, Evidence, Fact, Ref, Value
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
#: Predicates of names: in a traditional-script article each is also given as written (zh-Hant).
NAME_PREDICATES = frozenset({"label", "alias", "title", "roleName"})
HANS, HANT = "zh-Hans", "zh-Hant"
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
        own, text_lang = doc.article.own_text, HANT if doc.article.converted else HANS
        sentence_iris = {}
        for sentence in doc.sentences:
            node = URIRef(f"{base}sentence/{sentence.index}")
            sentence_iris[sentence.index] = node
            add(node, RDF.type, SKG.Sentence)
            add(node, NIF.referenceContext, article)
            add(node, NIF.beginIndex, Literal(sentence.start, datatype=XSD.nonNegativeInteger))
            add(node, NIF.endIndex, Literal(sentence.end, datatype=XSD.nonNegativeInteger))
            add(node, NIF.anchorOf, Literal(own[sentence.start:sentence.end], lang=text_lang))
            add(node, SKG.sentenceIndex, Literal(sentence.index, datatype=XSD.nonNegativeInteger))
        rules = set()
        for fact in [*doc.facts, *script_names(doc)]:
            graph = names.inferred if fact.basis == "inferred" else g
            for s, p, o in self._triples(fact):
                add(s, p, o, graph)
                if fact.evidence is None:
                    continue
                ev = fact.evidence
                sentence = doc.sentence_at(ev.start)
                node = URIRef(f"{base}evidence/{_hash(s, p, o, ev.start, ev.end, ev.rule, *_lang_part(o))}")
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
                add(node, NIF.anchorOf, Literal(own[ev.start:ev.end], lang=text_lang), graph)
                add(node, SKG.rule, rule, graph)
                add(node, SKG.basis, URIRef(iris.entity("basis", fact.basis)), graph)
        for rule in rules:
            add(rule, RDF.type, SKG.ExtractionRule)
            add(rule, RDFS.label, Literal(str(rule).rsplit("/", 1)[-1]))
        return sorted(quads, key=quad_key)

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
        add(node, NIF.isString, Literal(a.own_text, lang=a.language))
        add(node, SKG.sha256, Literal(hashlib.sha256(a.own_text.encode("utf-8")).hexdigest()))
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


def _lang_part(o: "URIRef | Literal") -> tuple[str, ...]:
    """What tells "王毅"@zh-Hant from "王毅"@zh-Hans in an evidence IRI (nothing for zh-Hans, so
    the IRIs of simplified-script articles are as they were)."""
    return (o.language,) if isinstance(o, Literal) and o.language and o.language != HANS else ()


def quad_key(quad: Quad) -> tuple[str, str, str, str]:
    """Sort key of a quad: its N-Quads terms as text (fast, and the same order on every run)."""
    s, p, o, g = quad
    return (s.n3(), p.n3(), o.n3(), g.n3())


def _hash(*parts: object) -> str:
    return iris.short_hash(*parts)
