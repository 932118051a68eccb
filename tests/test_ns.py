"""kg/ns.py is generated from the ontology and must match it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.ns import SKG

ROOT = Path(__file__).resolve().parent.parent


def test_ns_is_current() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_ns.py"), "--check"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr


def test_ns_is_closed() -> None:
    with pytest.raises(AttributeError):
        SKG.Sumit  # noqa: B018 - a misspelt term must fail


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty],
                         ids=["classes", "object-properties", "datatype-properties"])
def test_ns_every_term_is_in_the_ontology(kind: URIRef) -> None:
    graph = Graph().parse(ROOT / "ontology" / "summit.ttl")
    terms = {str(t) for t in graph.subjects(RDF.type, kind)}
    assert terms
    for term in terms:
        assert getattr(SKG, term.rsplit("#", 1)[1]) == URIRef(term)


def test_ns_ontology_has_version_and_bilingual_labels() -> None:
    graph = Graph().parse(ROOT / "ontology" / "summit.ttl")
    ontology = URIRef("https://w3id.org/summit-kg/ontology")
    assert graph.value(ontology, OWL.versionIRI) is not None
    from rdflib.namespace import RDFS

    for cls in graph.subjects(RDF.type, OWL.Class):
        langs = {label.language for label in graph.objects(cls, RDFS.label)}
        comments = {c.language for c in graph.objects(cls, RDFS.comment)}
        assert {"zh-Hans", "en"} <= langs, cls
        assert {"zh-Hans", "en"} <= comments, cls
