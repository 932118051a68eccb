"""One family of errors. The CLI prints ``KGError`` as one line and exits with its ``exit_code``."""
from __future__ import annotations


def one_line(value: object) -> str:
    """An error's text (or any text) on one line: runs of whitespace, line breaks included, as one space."""
    return " ".join(str(value).split())


class KGError(Exception):
    """Base class of every error summit-kg reports to its user."""

    exit_code = 1


class InputError(KGError):
    """Bad input: a missing, empty, undecodable or unparseable file, or a bad option."""

    exit_code = 2


class EncodingError(InputError):
    """An article whose encoding cannot be determined with certainty."""


class QueryError(KGError):
    """A SPARQL query that does not parse, or an unknown bundled query name."""

    exit_code = 2


class ResourceError(KGError):
    """A bundled data file (dictionary, pattern, ontology) is missing or malformed."""

    exit_code = 3


class ValidationError(KGError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1


class QueryRefused(QueryError):
    """A query this read-only interface does not run: SPARQL Update, ``SERVICE``, ``LOAD``."""


class QueryTimeout(QueryError):
    """A query that did not finish within its time limit; its work was stopped (exit 124, as
    timeout(1))."""

    exit_code = 124


class QueryCrashed(QueryError):
    """A query that made the SPARQL engine's process die (a stack overflow in the engine)."""
