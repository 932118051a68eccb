#!/usr/bin/env python3
"""Generate ontology/context.jsonld, the JSON-LD context of ``kg build -o OUT.jsonld``, from the
project's prefixes (kg.sparql.PREFIXES) and the ontology (ontology/summit.ttl).

Run from the repository root: ``python tools/gen_context.py`` (writes the file) or
``python tools/gen_context.py --check`` (exit 1 when it is out of date; tests/test_jsonld.py runs it).
The context is published at https://w3id.org/summit-kg/context.jsonld and embedded, whole, in every
JSON-LD file a build writes (readers never fetch a context).

What it holds, in this order:

* ``id`` and ``type``, aliases of ``@id`` and ``@type`` (``node.id``, ``node.type``);
* the prefixes of kg.sparql.PREFIXES (``skg:``, ``schema:``, ``state:``…); one whose name is also a
  term below is left out (``city``, ``rule``: ``node.city`` is the property skg:city; such IRIs
  are written ``kgid:city/…``);
* a term for every class of the ontology (``"type": "Summit"``);
* a term for every property of the ontology, named by its local name: object properties take
  IRIs (``"@type": "@id"``), datatype properties with an XSD range other than ``xsd:string`` are
  typed with it, those with range ``rdf:langString`` are language maps;
* a term for each property of another vocabulary the pipeline writes, from :data:`OTHER_TERMS`.
  ``label`` is ``skos:prefLabel`` (the canonical label, a language map: ``node.label["zh-Hans"]``);
  ``rdfs:label``, used by the background graphs, keeps its compact IRI.

The writer (kg/jsonld.py) reads this file; any value that does not fit a term's coercion (a
literal of another datatype, an IRI where a literal is expected, a plain string under a
language map) is written in full, under the same term or under the property's compact IRI, so the
context changes how the file looks, never what it means.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Graph, URIRef  # noqa: E402
from rdflib.namespace import OWL, RDF, RDFS, XSD  # noqa: E402

from kg import iris  # noqa: E402
from kg.jsonld import format_context  # noqa: E402
from kg.sparql import PREFIXES  # noqa: E402

ONTOLOGY = ROOT / "ontology" / "summit.ttl"
TARGET = ROOT / "ontology" / "context.jsonld"

ID = "@id"
LANGUAGE = "@language"

#: Datatypes of ontology properties whose range cannot name them: xsd:date is not in the OWL 2
#: datatype map, so these have the range rdfs:Literal (see the header of ontology/summit.ttl), while
#: their values are xsd:date (a value of another type, such as xsd:gYear, is written in full).
DATATYPES = {"skg:datelineDate": "xsd:date", "skg:effectiveDate": "xsd:date"}

#: Ranges read as "language-tagged strings": a language map.
LANGUAGE_RANGES = (str(RDF.langString), str(RDF.PlainLiteral))

#: Terms for the properties of other vocabularies that the pipeline and the background write:
#: (term, property as a compact IRI, coercion: "@id", "@language" (a language map), an XSD
#: datatype as a compact IRI, or None).
OTHER_TERMS: list[tuple[str, str, str | None]] = [
    # SKOS: labels and codes
    ("label", "skos:prefLabel", LANGUAGE),
    ("altLabel", "skos:altLabel", LANGUAGE),
    ("hiddenLabel", "skos:hiddenLabel", LANGUAGE),
    ("notation", "skos:notation", None),
    ("exactMatch", "skos:exactMatch", ID),
    ("inScheme", "skos:inScheme", ID),
    # RDFS: the ontology graph
    ("comment", "rdfs:comment", LANGUAGE),
    ("subClassOf", "rdfs:subClassOf", ID),
    ("subPropertyOf", "rdfs:subPropertyOf", ID),
    ("domain", "rdfs:domain", ID),
    ("range", "rdfs:range", ID),
    # evidence: RDF reification and NIF
    ("subject", "rdf:subject", ID),
    ("predicate", "rdf:predicate", ID),
    ("object", "rdf:object", None),  # an IRI or a literal of any type
    ("anchorOf", "nif:anchorOf", LANGUAGE),
    ("isString", "nif:isString", LANGUAGE),
    ("beginIndex", "nif:beginIndex", "xsd:nonNegativeInteger"),
    ("endIndex", "nif:endIndex", "xsd:nonNegativeInteger"),
    ("referenceContext", "nif:referenceContext", ID),
    # schema.org
    ("startDate", "schema:startDate", "xsd:date"),
    ("endDate", "schema:endDate", "xsd:date"),
    ("datePublished", "schema:datePublished", "xsd:date"),
    ("foundingDate", "schema:foundingDate", "xsd:date"),
    ("attendee", "schema:attendee", ID),
    ("mentions", "schema:mentions", ID),
    ("about", "schema:about", ID),
    ("containedInPlace", "schema:containedInPlace", ID),
    ("eventAttendanceMode", "schema:eventAttendanceMode", ID),
    ("roleName", "schema:roleName", LANGUAGE),
    ("url", "schema:url", "xsd:anyURI"),
    # W3C ORG
    ("member", "org:member", ID),
    ("organization", "org:organization", ID),
    ("role", "org:role", ID),
    ("memberDuring", "org:memberDuring", ID),
    ("holds", "org:holds", ID),
    ("postIn", "org:postIn", ID),
    ("subOrganizationOf", "org:subOrganizationOf", ID),
    ("unitOf", "org:unitOf", ID),
    # PROV-O, OWL-Time
    ("wasDerivedFrom", "prov:wasDerivedFrom", ID),
    ("hasBeginning", "time:hasBeginning", ID),
    ("hasEnd", "time:hasEnd", ID),
    ("inXSDDate", "time:inXSDDate", "xsd:date"),
    # Dublin Core
    ("title", "dcterms:title", LANGUAGE),
    ("description", "dcterms:description", LANGUAGE),
    ("source", "dcterms:source", LANGUAGE),
    ("identifier", "dcterms:identifier", None),
    ("language", "dcterms:language", None),
    ("publisher", "dcterms:publisher", ID),
    ("created", "dcterms:created", "xsd:date"),
    ("license", "dcterms:license", ID),
]


def _local(iri: str) -> str:
    return iri[len(iris.ONTOLOGY):]


def ontology_terms(graph: Graph) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Class terms (name → compact IRI) and property terms (name → definition) of the ontology."""
    classes: dict[str, str] = {}
    properties: dict[str, dict[str, str]] = {}
    for subject in graph.subjects(RDF.type, OWL.Class):
        if isinstance(subject, URIRef) and str(subject).startswith(iris.ONTOLOGY):
            classes[_local(str(subject))] = "skg:" + _local(str(subject))
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for subject in graph.subjects(RDF.type, kind):
            if not (isinstance(subject, URIRef) and str(subject).startswith(iris.ONTOLOGY)):
                continue
            definition = {"@id": "skg:" + _local(str(subject))}
            ranges = sorted(str(r) for r in graph.objects(subject, RDFS.range))
            if kind == OWL.ObjectProperty:
                definition["@type"] = ID
            elif definition["@id"] in DATATYPES:
                definition["@type"] = DATATYPES[definition["@id"]]
            elif len(ranges) == 1 and ranges[0] in LANGUAGE_RANGES:
                definition["@container"] = LANGUAGE
            elif len(ranges) == 1 and ranges[0].startswith(str(XSD)) and ranges[0] != str(XSD.string):
                definition["@type"] = "xsd:" + ranges[0][len(str(XSD)):]
            properties[_local(str(subject))] = definition
    return classes, properties


def context() -> dict[str, object]:
    """The context document: ``{"@context": {...}}``."""
    classes, properties = ontology_terms(Graph().parse(ONTOLOGY, format="turtle"))
    for term, curie, coercion in OTHER_TERMS:
        if term in properties:
            raise SystemExit(f"term {term!r} is both {curie} and skg:{term}")
        definition = {"@id": curie}
        if coercion == LANGUAGE:
            definition["@container"] = LANGUAGE
        elif coercion is not None:
            definition["@type"] = coercion
        properties[term] = definition
    clash = set(classes) & set(properties)
    if clash:
        raise SystemExit(f"class and property terms clash: {sorted(clash)}")
    used = {d["@id"] for d in properties.values()}
    if len(used) != len(properties):
        raise SystemExit("two terms name the same property")
    body: dict[str, object] = {"id": "@id", "type": "@type"}
    for name, namespace in sorted(PREFIXES.items()):
        if name in properties or name in classes:
            continue  # the term wins; IRIs in that namespace are written with another prefix
        if not namespace.endswith(("/", "#")):
            raise SystemExit(f"prefix {name}: {namespace} does not end with / or #, so JSON-LD 1.1 "
                             "would not read it as a prefix")
        body[name] = namespace
    for name in sorted(classes):
        body[name] = classes[name]
    for name in sorted(properties):
        body[name] = properties[name]
    return {"@context": body}


def render() -> str:
    """The context as it is published and embedded: one term a line (kg.jsonld.format_context)."""
    return format_context(context()) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python tools/gen_context.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
