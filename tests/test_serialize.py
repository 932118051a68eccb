"""The streaming writers (kg.serialize): every format parses to the same statements, the bytes do
not depend on the order quads come in, union formats merge sorted runs without duplicates."""
from __future__ import annotations

import gzip
import io

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.serialize import Output, Renderer, serialize
from kg.terms import iri, literal, typed

EX = "https://w3id.org/summit-kg/id/"
G1, G2 = iri("https://w3id.org/summit-kg/graph/article/a"), iri("https://w3id.org/summit-kg/graph/article/b")
TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = iri("http://www.w3.org/2004/02/skos/core#prefLabel")
SUMMIT = iri("https://w3id.org/summit-kg/ontology#Summit")
S1, S2 = iri(EX + "summit/x/1"), iri(EX + "person/李明")
ODD = iri(EX + "area/a.")  # a local name Turtle cannot abbreviate (ends with a dot)

QUADS = [
    (S1, TYPE, SUMMIT, G1),
    (S1, LABEL, literal("某某合作组织第一次峰会", "zh-Hans"), G1),
    (S1, LABEL, literal("某某合作組織第一次峰會", "zh-Hant"), G1),
    (S1, iri("https://schema.org/startDate"), typed("2031-05-06", "date"), G1),
    (S2, LABEL, literal('引号"与\\反斜杠\n换行\u2028分隔', "zh-Hans"), G1),
    (ODD, TYPE, SUMMIT, G1),
    (S1, TYPE, SUMMIT, G2),  # the same triple in another graph: one triple in the union formats
    (S2, iri("https://w3id.org/summit-kg/ontology#ordinal"), typed(1, "positiveInteger"), G2),
]
OX = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD,
      "nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}
RDFLIB = {"nquads": "nquads", "trig": "trig", "json-ld": "json-ld", "nt": "nt", "turtle": "turtle"}
NAMED = {"nquads", "trig", "json-ld"}


def _expected(fmt: str) -> set[tuple[str, ...]]:
    return {q if fmt in NAMED else q[:3] for q in QUADS}


def _ox_statements(data: bytes, fmt: str) -> set[tuple[str, ...]]:
    from kg.terms import from_oxigraph

    out = set()
    for q in ox.parse(data, format=OX[fmt]):
        terms = (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object))
        out.add(terms + (iri(q.graph_name.value),) if fmt in NAMED else terms)
    return out


@pytest.mark.parametrize("fmt", list(OX), ids=list(OX))
def test_every_format_parses_to_the_same_statements(fmt: str) -> None:
    data = serialize(QUADS, fmt)
    assert _ox_statements(data, fmt) == _expected(fmt)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=RDFLIB[fmt])
    count = len(set(dataset.quads((None, None, None, None)))) if fmt in NAMED else len(dataset.default_graph)
    assert count == len(_expected(fmt))


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(range(len(QUADS))))
@pytest.mark.parametrize("fmt", list(OX), ids=list(OX))
def test_bytes_do_not_depend_on_the_order_of_quads(fmt: str, order: list[int]) -> None:
    assert serialize([QUADS[i] for i in order], fmt) == serialize(QUADS, fmt)


def test_turtle_abbreviates_only_safe_names() -> None:
    text = serialize(QUADS, "turtle").decode("utf-8")
    assert "person:李明" in text and "a skg:Summit" in text
    assert f"{ODD} a skg:Summit" in text  # full IRI: 'a.' is not a Turtle local name


@pytest.mark.parametrize("fmt", ["nt", "turtle"], ids=["ntriples", "turtle"])
def test_union_runs_on_disk_give_the_same_bytes(fmt: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With a run size of 2 lines, each article's triples go to temporary files and are merged."""
    articles = [QUADS[:3], QUADS[3:6], QUADS[6:]]
    buffer = io.BytesIO()
    output = Output(fmt, buffer, run_size=2, tmp_dir=tmp_path)
    for quads in articles:
        output.add(output.renderer(quads), len(quads))
    assert list(tmp_path.iterdir())  # runs were spilled
    output.close()
    assert buffer.getvalue() == serialize(QUADS, fmt)
    assert output.statements == len(_expected(fmt))
    assert not list(tmp_path.iterdir())  # and removed


@pytest.mark.parametrize("fmt", list(OX), ids=list(OX))
def test_gzip_output_is_the_same_document(fmt: str) -> None:
    buffer = io.BytesIO()
    output = Output(fmt, buffer, compress=True)
    for quads in ([q for q in QUADS if q[3] == G1], [q for q in QUADS if q[3] == G2]):
        output.add(output.renderer(quads), len(quads))
    output.close()
    again = io.BytesIO()
    second = Output(fmt, again, compress=True)
    for quads in ([q for q in QUADS if q[3] == G1], [q for q in QUADS if q[3] == G2]):
        second.add(second.renderer(quads), len(quads))
    second.close()
    assert buffer.getvalue() == again.getvalue()  # no time stamp or file name in the members
    assert gzip.decompress(buffer.getvalue()) == serialize(QUADS, fmt)


def test_renderer_of_union_formats_gives_sorted_distinct_lines() -> None:
    lines = Renderer("nt")(QUADS + QUADS)
    assert isinstance(lines, str)
    assert lines.splitlines() == sorted(set(lines.splitlines())) and len(lines.splitlines()) == 7


@pytest.mark.parametrize("target", ["file", "memory"], ids=["copy-file-range", "through-memory"])
def test_spooled_payloads_are_copied_exactly(tmp_path, target: str) -> None:  # type: ignore[no-untyped-def]
    from kg.serialize import Spooled

    spool = tmp_path / "chunk"
    spool.write_bytes(b"head|" + "第一篇".encode() + b"|" + b"x" * 3_000_000 + b"|tail")
    first, second = Spooled(str(spool), 5, 9), Spooled(str(spool), 15, 3_000_000)
    if target == "file":
        with (tmp_path / "out").open("wb") as out:
            out.write(b"[")
            first.copy_to(out)
            out.write(b"]")
            second.copy_to(out)
        data = (tmp_path / "out").read_bytes()
    else:
        buffer = io.BytesIO()
        buffer.write(b"[")
        first.copy_to(buffer)
        buffer.write(b"]")
        second.copy_to(buffer)
        data = buffer.getvalue()
    assert data == b"[" + "第一篇".encode() + b"]" + b"x" * 3_000_000
