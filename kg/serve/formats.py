"""Which serialisation a SPARQL request gets: the result formats of each query form, their media
types, and content negotiation on ``Accept`` (q-values, by python-mimeparse) with the ``format=``
parameter as an override.

A SELECT or ASK query answers with a result table (SPARQL JSON by default, XML, CSV, TSV); a
CONSTRUCT or DESCRIBE query with a graph (Turtle by default, N-Triples, JSON-LD, RDF/XML). Equal
preferences in ``Accept`` go to the default, then to the order of :data:`RESULT_FORMATS` and
:data:`GRAPH_FORMATS`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from kg.errors import KGError


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name (``format=``), the media type it is sent with and the
    media types of ``Accept`` it answers (the first is its own)."""

    name: str
    content_type: str
    accepts: tuple[str, ...]
    label: str


RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/sparql-results+json", "application/json"),
           "SPARQL 1.1 Query Results JSON"),
    Format("xml", "application/sparql-results+xml",
           ("application/sparql-results+xml", "application/xml", "text/xml"), "SPARQL Query Results XML"),
    Format("csv", "text/csv; charset=utf-8", ("text/csv",), "SPARQL 1.1 Query Results CSV"),
    Format("tsv", "text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",),
           "SPARQL 1.1 Query Results TSV"),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle; charset=utf-8", ("text/turtle", "application/x-turtle", "application/turtle"),
           "Turtle"),
    Format("ntriples", "application/n-triples", ("application/n-triples",), "N-Triples"),
    Format("jsonld", "application/ld+json", ("application/ld+json", "application/json"), "JSON-LD (expanded)"),
    Format("rdfxml", "application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml"), "RDF/XML"),
)

#: ``format=`` spellings → the name of a result format and of a graph format (SPARQLWrapper sends
#: ``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``n3``, ``rdf+xml``, ``json-ld``).
ALIASES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"),
    "ntriples": (None, "ntriples"), "n-triples": (None, "ntriples"), "nt": (None, "ntriples"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
}

GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


class NotAcceptable(KGError):
    """No format of the query's form is acceptable to the client (HTTP 406)."""

    exit_code = 2


class BadAccept(KGError):
    """An ``Accept`` header that does not parse (HTTP 400)."""

    exit_code = 2


def formats_for(form: str) -> tuple[Format, ...]:
    """The formats a query of ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE) can be answered in."""
    return GRAPH_FORMATS if form in GRAPH_FORMS else RESULT_FORMATS


def by_name(name: str) -> Format:
    for fmt in RESULT_FORMATS + GRAPH_FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def negotiate(form: str, accept: str | None, format_values: list[str] | tuple[str, ...] = ()) -> Format:
    """The format of the answer to a query of ``form``: the first ``format=`` value that names one
    (a short name or media types), else the best match of ``Accept``, else the default."""
    offered = formats_for(form)
    kind = 1 if form in GRAPH_FORMS else 0
    for value in format_values:
        value = value.strip()
        alias = ALIASES.get(value.lower())
        if alias is not None:
            if alias[kind] is not None:
                return by_name(alias[kind])
            continue
        if "/" in value:
            found = _best(offered, value)
            if found is not None:
                return found
    if format_values and any(v.strip() for v in format_values):
        names = ", ".join(f.name for f in offered)
        raise NotAcceptable(f"format={format_values[0].strip()} is not a format of {form} results; use {names}")
    if accept is None or not accept.strip():
        return offered[0]
    found = _best(offered, accept)
    if found is None:
        types = ", ".join(t for f in offered for t in f.accepts)
        raise NotAcceptable(f"none of the accepted media types is offered for {form} results; offered: {types}")
    return found


def prefers_json(accept: str | None) -> bool:
    """Whether an error should be JSON for this ``Accept`` (JSON preferred to plain text)."""
    if not accept:
        return False
    try:
        return _match(["application/json", "text/plain"], accept) == "application/json"
    except BadAccept:
        return False


def _best(offered: tuple[Format, ...], accept: str) -> Format | None:
    """The best of ``offered`` for ``accept``; remembered for headers of a usual length."""
    return _best_cached(offered, accept) if len(accept) <= 1024 else _best_cached.__wrapped__(offered, accept)


@functools.lru_cache(maxsize=256)  # a client sends the same Accept with every request
def _best_cached(offered: tuple[Format, ...], accept: str) -> Format | None:
    # mimeparse gives ties to the last candidate: list the formats from least to most preferred
    candidates = [(media, fmt) for fmt in reversed(offered) for media in reversed(fmt.accepts)]
    best = _match([media for media, _ in candidates], accept)
    for media, fmt in reversed(candidates):
        if media == best:
            return fmt
    return None


def _match(supported: list[str], accept: str) -> str:
    import mimeparse

    try:
        return str(mimeparse.best_match(supported, accept))
    except (ValueError, mimeparse.MimeTypeParseException) as exc:
        raise BadAccept(f"the Accept header does not parse: {' '.join(str(exc).split()) or accept[:100]}") from None
