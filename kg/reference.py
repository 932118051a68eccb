"""Background knowledge: the ontology, its controlled vocabularies and the reference facts
(states, organizations, memberships, summit series), each kept in its own named graph."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from kg import iris
from kg.errors import ResourceError
from kg.resources import Resources

ONTOLOGY_GRAPH = URIRef(iris.GRAPH + "ontology")
REFERENCE_GRAPH = URIRef(iris.REFERENCE_GRAPH)


@dataclass
class Background:
    ontology: Graph  # the OWL ontology and the SKOS vocabularies
    reference: Graph  # the reference facts

    @classmethod
    def load(cls, resources: Resources) -> "Background":
        ontology = _parse(resources.ontology_files)
        reference = _parse(resources.reference_files)
        return cls(ontology, reference)

    def graphs(self) -> list[tuple[URIRef, Graph]]:
        return [(ONTOLOGY_GRAPH, self.ontology), (REFERENCE_GRAPH, self.reference)]


def _parse(paths: list) -> Graph:  # type: ignore[type-arg]
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many parser-specific types
            raise ResourceError(f"{path.name}: bundled Turtle does not parse ({exc})") from exc
    return graph
