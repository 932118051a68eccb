"""RDF terms as N-Triples text (kg.terms): every string makes one valid line that parsers read
back to the same value, and language tags keep one spelling."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.terms import from_oxigraph, from_rdflib, iri, language_case, literal, split_literal, to_oxigraph, typed

S, P = "<https://example.org/s>", "<https://example.org/p>"

# any Unicode scalar value: surrogates cannot be encoded in UTF-8 and never come out of a decoder
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def _parse_ntriples(line: str) -> list[tuple[object, object, object]]:
    return [(t.subject, t.predicate, t.object) for t in ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


@settings(max_examples=300, deadline=None)
@given(value=TEXT, lang=st.sampled_from([None, "zh-Hans", "zh-Hant", "en"]))
def test_any_text_is_one_line_that_parses_back(value: str, lang: str | None) -> None:
    term = literal(value, lang)
    line = f"{S} {P} {term} .\n"
    assert line.splitlines() == [line[:-1]]  # no character any reader takes for a line break
    (triple,) = _parse_ntriples(line)
    assert triple[2].value == value
    assert from_oxigraph(triple[2]) == term  # the tag's spelling comes back too
    graph = rdflib.Graph().parse(data=line, format="nt")
    (obj,) = graph.objects()
    assert str(obj) == value and (obj.language or None) == lang
    assert split_literal(term) == (value, lang, None)
    assert from_rdflib(obj) == term
    assert to_oxigraph(term) == triple[2]


@pytest.mark.parametrize(("value", "expected"), [
    ("a\nb", '"a\\nb"'),
    ('say "hi"\\', '"say \\"hi\\"\\\\"'),
    ("line\u2028sep\u2029", '"line\\u2028sep\\u2029"'),
    ("nel\x85vt\x0bff\x0c", '"nel\\u0085vt\\u000Bff\\f"'),
    ("上海合作组织", '"上海合作组织"'),
    ("𠀀emoji😀", '"𠀀emoji😀"'),
], ids=["newline", "quote-backslash", "unicode-separators", "c1-and-c0", "chinese", "astral"])
def test_escaping(value: str, expected: str) -> None:
    assert literal(value) == expected


@pytest.mark.parametrize(("tag", "expected"), [
    ("zh-hans", "zh-Hans"), ("ZH-HANT", "zh-Hant"), ("en", "en"), ("en-gb", "en-GB"), ("zh-hans-cn", "zh-Hans-CN"),
    ("es-419", "es-419"), ("x-private", "x-private"), ("de-ch-x-phonebk", "de-CH-x-phonebk"),
], ids=["script", "upper", "language", "region", "script-region", "numeric-region", "private", "private-tail"])
def test_language_case(tag: str, expected: str) -> None:
    assert language_case(tag) == expected
    assert literal("x", tag) == f'"x"@{expected}'


def test_typed_and_plain_string() -> None:
    assert typed(20, "positiveInteger") == '"20"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>'
    assert literal("x", datatype="http://www.w3.org/2001/XMLSchema#string") == '"x"'  # xsd:string is plain
    assert split_literal(typed("2020-11-10", "date")) == ("2020-11-10", None, "http://www.w3.org/2001/XMLSchema#date")


@pytest.mark.parametrize(("value", "expected"), [
    ("https://w3id.org/summit-kg/id/person/王毅", "<https://w3id.org/summit-kg/id/person/王毅>"),
    ("https://example.org/a b<c>", "<https://example.org/a%20b%3Cc%3E>"),
], ids=["cjk-kept", "unsafe-encoded"])
def test_iri(value: str, expected: str) -> None:
    assert iri(value) == expected
    assert _parse_ntriples(f"{expected} {P} {S} .\n")
