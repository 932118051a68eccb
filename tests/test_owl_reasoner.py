"""HermiT, the OWL 2 DL reasoner that owlready2 ships (run on Java), finds the ontology consistent, and a
graph built from the seed article with it; a value outside a range of the ontology makes a graph
inconsistent (issue 9).

OWL 2's datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps) has no ``xsd:date``. The
ontology names only datatypes of the map (see the header of ontology/summit.ttl) and is checked
strictly. Built graphs keep their dates typed ``xsd:date`` (``xsd:gYear`` / ``xsd:gYearMonth`` when only
the year / month is known) so that SPARQL compares them as dates and the SHACL shapes check them; for
a built graph HermiT runs with ``ignoreUnsupportedDatatypes`` (owlready2's
``ignore_unsupported_datatypes=True``), which reads each such literal as a value of unknown datatype:
everything else is reasoned over, and the test asserts that those date types are all it ignores.

Nothing is fetched: the graphs have no ``owl:imports`` (asserted; owlready2 would load an import),
owlready2 reads a local N-Triples file and hands HermiT a local export of it. Each HermiT run starts a
JVM (1-3 s). Skipped when ``java`` is absent (.ci/run installs Debian's default-jre-headless).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = [ROOT / "ontology" / "summit.ttl", ROOT / "ontology" / "vocabularies.ttl"]
SKG = "https://w3id.org/summit-kg/ontology#"

#: The OWL 2 datatype map, plus rdfs:Literal (OWL 2 Structural Specification, section 4).
OWL2_DATATYPES = frozenset({
    OWL.real, OWL.rational, RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal,
    XSD.decimal, XSD.integer, XSD.nonNegativeInteger, XSD.nonPositiveInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt,
    XSD.unsignedShort, XSD.unsignedByte, XSD.double, XSD.float, XSD.string, XSD.normalizedString,
    XSD.token, XSD.language, XSD.Name, XSD.NCName, XSD.NMTOKEN, XSD.boolean, XSD.hexBinary,
    XSD.base64Binary, XSD.anyURI, XSD.dateTime, XSD.dateTimeStamp,
})
#: Datatypes outside the map that built graphs use on purpose (dates, see the module docstring).
DATE_TYPES = frozenset({XSD.date, XSD.gYearMonth, XSD.gYear})
#: Namespaces whose IRIs OWL 2 DL reserves: none of them may name a class of ours.
RESERVED = (str(RDF), str(RDFS), str(XSD), str(OWL))

needs_java = pytest.mark.skipif(shutil.which("java") is None,
                                reason="java is not installed (HermiT runs on Java; .ci/run installs "
                                       "Debian's default-jre-headless)")


def _graph(*sources: Path, turtle: str = "") -> Graph:
    """The union of the Turtle files ``sources`` and of the Turtle text ``turtle``."""
    graph = Graph()
    for source in sources:
        graph.parse(source, format="turtle")
    if turtle:
        graph.parse(data=f"@prefix skg: <{SKG}> .\n@prefix xsd: <{XSD}> .\n{turtle}", format="turtle")
    return graph


def _hermit(graph: Graph, folder: Path, *, ignore_unsupported_datatypes: bool = False) -> None:
    """Run HermiT on ``graph`` through owlready2; raises ``OwlReadyInconsistentOntologyError`` when the
    graph is inconsistent, ``OwlReadyJavaError`` when HermiT refuses it."""
    assert not list(graph.triples((None, OWL.imports, None))), "owl:imports would be fetched"
    path = folder / "graph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    try:
        world.get_ontology(path.as_uri()).load()
        owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=ignore_unsupported_datatypes)
    finally:
        world.close()


def _unsupported_datatypes(graph: Graph) -> set[URIRef]:
    return {o.datatype for o in graph.objects() if isinstance(o, Literal) and o.datatype is not None
            and o.datatype not in OWL2_DATATYPES}


def test_ontology_ranges_are_owl2_datatypes() -> None:
    graph = _graph(*ONTOLOGY)
    ranges = {prop: rng for prop in graph.subjects(RDF.type, OWL.DatatypeProperty)
              for rng in graph.objects(prop, RDFS.range)}
    assert ranges
    assert {p: r for p, r in ranges.items() if r not in OWL2_DATATYPES} == {}


def test_ontology_names_no_reserved_iri_as_a_class() -> None:
    graph = _graph(*ONTOLOGY)
    object_ranges = (r for p in graph.subjects(RDF.type, OWL.ObjectProperty) for r in graph.objects(p, RDFS.range))
    classes = {*graph.objects(None, RDFS.subClassOf), *graph.objects(None, RDFS.domain), *object_ranges}
    assert classes
    assert sorted(c for c in classes if str(c).startswith(RESERVED)) == []


@needs_java
def test_hermit_finds_the_ontology_consistent(tmp_path: Path) -> None:
    _hermit(_graph(*ONTOLOGY), tmp_path)


@needs_java
def test_hermit_finds_a_built_graph_consistent(sco2020: dict[str, Path], tmp_path: Path) -> None:
    graph = _graph(sco2020[".ttl"], *ONTOLOGY)
    assert (URIRef(SKG + "Summit"), RDF.type, OWL.Class) in graph
    unsupported = _unsupported_datatypes(graph)
    assert XSD.date in unsupported  # dates stay typed for SPARQL and SHACL
    assert unsupported <= DATE_TYPES  # and they are all that HermiT is told to ignore
    _hermit(graph, tmp_path, ignore_unsupported_datatypes=True)


@needs_java
@pytest.mark.parametrize(("turtle", "consistent"), [
    ('<urn:test:summit> skg:ordinal "20"^^xsd:positiveInteger .', True),
    ('<urn:test:summit> skg:ordinal "0"^^xsd:integer .', False),
    ('<urn:test:fact> skg:verified "yes" .', False),
    ('<urn:test:article> skg:datelinePlace "莫斯科"@zh-Hans .', True),
    ('<urn:test:article> skg:datelinePlace "3"^^xsd:integer .', False),
], ids=["ordinal-positive", "ordinal-zero", "verified-not-boolean", "dateline-place-zh", "dateline-place-number"])
def test_hermit_checks_the_ranges(turtle: str, consistent: bool, tmp_path: Path) -> None:
    graph = _graph(*ONTOLOGY, turtle=turtle)
    if consistent:
        _hermit(graph, tmp_path)
    else:
        with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
            _hermit(graph, tmp_path)
