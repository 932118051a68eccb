"""RDF terms as N-Triples text: the plain, sortable values quads are made of.

The graph writer, the serialisers and ``--update`` pass quads around as tuples of four strings,
each term written as in N-Triples (``<iri>``, ``"text"@zh-Hans``, ``"3"^^<…#integer>``). They cost
no object per term, sort in the same order on every run, pickle cheaply to worker processes, and
an N-Quads line is just the four joined by spaces. rdflib terms are made only where rdflib is
still used (SHACL validation, the network page's reader), never on the per-article path.

Literals are escaped as N-Triples requires (``\\``, ``"``, line feed, carriage return) and, beyond
that, every character a line-oriented reader could take for a line break or that XML cannot
carry (C0 and C1 controls, U+2028, U+2029) is written as ``\\uXXXX``, so each statement is one
line for any tool. Language tags get the case RFC 5646 recommends (``zh-Hans``, ``en-GB``): tags
are compared without case, and one spelling makes parsing and writing again give the same bytes
(pyoxigraph, for one, lower-cases them).
"""
from __future__ import annotations

import re
from functools import lru_cache

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

Quad = tuple[str, str, str, str]
Triple = tuple[str, str, str]

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
# IRIREF may not hold these; IRIs minted by kg.iris never do, others are percent-encoded
_IRI_UNSAFE = re.compile('[\x00-\x20<>"{}|^`\\\\\x7f-\x9f\u2028\u2029]')


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def escape(value: str) -> str:
    """The body of an N-Triples string literal (without the quotes)."""
    return _NEEDS_ESCAPE.sub(_escape_char, value) if _NEEDS_ESCAPE.search(value) else value


def iri(value: str) -> str:
    """``<value>``; characters IRIREF cannot hold are percent-encoded (UTF-8)."""
    if _IRI_UNSAFE.search(value):
        value = _IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), value)
    return f"<{value}>"


@lru_cache(maxsize=256)
def language_case(tag: str) -> str:
    """A language tag in the case RFC 5646 §2.1.1 recommends: ``zh-hans-cn`` → ``zh-Hans-CN``.

    The first subtag and anything after a singleton (``x-…``, ``u-…``) are lower case; later
    four-letter subtags (scripts) are title case, two-letter ones (regions) upper case.
    """
    parts = tag.split("-")
    out = [parts[0].lower()]
    extension = len(parts[0]) == 1
    for part in parts[1:]:
        if extension or len(part) == 1:
            extension = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def literal(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal: plain, language-tagged or typed (``datatype`` a full IRI; ``xsd:string`` is plain)."""
    body = f'"{escape(value)}"'
    if lang:
        return f"{body}@{language_case(lang)}"
    if datatype and datatype != XSD_STRING:
        return f"{body}^^{iri(datatype)}"
    return body


def typed(value: object, xsd_name: str) -> str:
    """``"value"^^xsd:NAME``."""
    return f'"{escape(str(value))}"^^<{XSD}{xsd_name}>'


def nquad(quad: Quad) -> str:
    """One N-Quads line, newline included."""
    return f"{quad[0]} {quad[1]} {quad[2]} {quad[3]} .\n"


def ntriple(triple: Triple | Quad) -> str:
    """One N-Triples line, newline included (the graph of a quad left out)."""
    return f"{triple[0]} {triple[1]} {triple[2]} .\n"


def is_iri(term: str) -> bool:
    return term.startswith("<")


def iri_value(term: str) -> str:
    """The IRI of ``<…>``."""
    return term[1:-1]


_UCHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_UNESCAPE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape_char(match: re.Match[str]) -> str:
    short, long, echar = match.groups()
    if echar is not None:
        return _UNESCAPE[echar]
    return chr(int(short or long, 16))


def split_literal(term: str) -> tuple[str, str | None, str | None]:
    """``(value, language, datatype IRI)`` of a literal written by :func:`literal`."""
    end = term.rindex('"')
    body = term[1:end]
    value = _UCHAR.sub(_unescape_char, body) if "\\" in body else body
    rest = term[end + 1:]
    if rest.startswith("@"):
        return value, rest[1:], None
    if rest.startswith("^^"):
        return value, None, rest[3:-1]
    return value, None, None


def from_oxigraph(term: object) -> str:
    """A pyoxigraph term as N-Triples text, written as :func:`literal` writes it (tag case restored)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return literal(term.value, term.language, None if term.language else term.datatype.value)
    raise TypeError(f"unexpected RDF term {term!r}")


def from_rdflib(term: object) -> str:
    """An rdflib IRI or literal as N-Triples text (for background graphs parsed by rdflib)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, Literal):
        return literal(str(term), term.language, str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"unexpected RDF term {term!r}")


def to_oxigraph(term: str):  # type: ignore[no-untyped-def]
    """N-Triples text of one term as a pyoxigraph term."""
    import pyoxigraph as ox

    if term.startswith("<"):
        return ox.NamedNode(term[1:-1])
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    value, lang, datatype = split_literal(term)
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def to_rdflib(term: str):  # type: ignore[no-untyped-def]
    """N-Triples text of one term as an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if term.startswith("<"):
        return URIRef(iri_value(term))
    if term.startswith("_:"):
        return BNode(term[2:])
    value, lang, datatype = split_literal(term)
    return Literal(value, lang=lang, datatype=URIRef(datatype) if datatype and not lang else None)


__all__ = ["Quad", "Triple", "XSD", "escape", "from_oxigraph", "from_rdflib", "iri", "iri_value", "is_iri",
           "language_case", "literal", "nquad", "ntriple", "split_literal", "to_oxigraph", "to_rdflib", "typed"]
