"""SPARQL text before it reaches the engine: the predeclared prefixes, the read-only check and
one-line syntax errors.

A query given to ``kg query``, the Python API or ``kg serve`` may come from anyone (a ``.rq`` file
someone sent, a web page). :func:`check` reads it with a small lexer that follows the SPARQL 1.1
grammar's terminals (comments, the four string forms, IRI references, variables, words) and refuses,
before any I/O:

* SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``,
  ``MOVE``, ``COPY``, ``WITH``): graphs are written by ``kg build`` and ``kg load`` only;
* ``SERVICE``: a federated query would make this machine send requests to another host;
* brackets nested deeper than :data:`MAX_DEPTH`: the engine's recursive parser overflows its
  stack (a segmentation fault, not an error) on a few thousand levels.

The lexer only skips what SPARQL itself reads as a string, IRI or comment (it does not decode
``\\u`` escapes outside them, and neither does Oxigraph). Oxigraph reads keywords without a word
boundary (``trueSERVICE <x> {}`` is the literal true, then SERVICE), so SERVICE is refused anywhere
in a word except in the local part of a prefixed name (after its ':'), and brackets inside what
looks like an IRI count towards the depth. A keyword inside a string (``"SERVICE"``) is data and
passes. The ``kg serve`` workers and ``kg query``'s child are a second line: an engine crash costs
a process, not the server.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg import iris
from kg.errors import QueryError, QueryRefused
from kg.serialize import PREFIXES as SERIALIZE_PREFIXES

#: Prefixes every query may use without declaring them (a query's own PREFIX lines win).
PREFIXES: dict[str, str] = {
    **SERIALIZE_PREFIXES,
    "kgid": iris.ID,
    "graph": iris.GRAPH,
    "dct": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}

#: Deepest nesting of ``{ ( [`` accepted; hand-written queries stay below 20.
MAX_DEPTH = 128

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_HEX4 = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_LEXER = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|""" + _HEX4 + r""")*>)
    |(?P<var>[?$][^\s{}()\[\],;.<>"'#]*)
    |(?P<word>[^\s{}()\[\],;<>"'#?$=!&|+*/^]+)
    |(?P<open>[{(\[])
    |(?P<close>[})\]])
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Checked:
    """A query that passed :func:`check`: its text and its form (``SELECT``, ``ASK``, ``CONSTRUCT``,
    ``DESCRIBE``)."""

    text: str
    form: str


def check(text: str) -> Checked:
    """The query's form, or a :class:`QueryRefused` (update, ``SERVICE``) or :class:`QueryError`
    (nesting, no query form) before the engine sees it.

    Lexing a query costs about 0.2 ms a kilobyte; the endpoint checks each request twice (the
    server, for the result format; the worker, before the engine), and dashboards send the same
    queries again and again, so the verdicts of the last :data:`CHECK_CACHE` accepted queries of at
    most :data:`CHECK_CACHE_CHARS` characters are kept (refusals are raised again each time)."""
    if len(text) <= CHECK_CACHE_CHARS:
        return _check_cached(text)
    return _check(text)


#: How many accepted queries :func:`check` remembers, and the longest it remembers.
CHECK_CACHE = 256
CHECK_CACHE_CHARS = 16_384


@functools.lru_cache(maxsize=CHECK_CACHE)
def _check_cached(text: str) -> Checked:
    return _check(text)


def _check(text: str) -> Checked:
    depth = 0
    form = ""
    for match in _LEXER.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            word = match.group().upper()
            if _hides_service(word):
                raise QueryRefused("SERVICE is refused: a federated query would send requests to another host; "
                                   "query the data loaded here")
            if not form and word in QUERY_FORMS:
                form = word
            elif not form and word in UPDATE_WORDS:
                raise QueryRefused(f"SPARQL Update ({word}) is refused: this is a read-only query interface; "
                                   "graphs are written by kg build and kg load")
        elif kind in ("open", "close", "iri"):
            # brackets inside what looks like an IRI count too: ``?a<((…1))&&?b>0`` is a comparison
            for char in match.group():
                if char in "{([":
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise QueryError(f"the query nests brackets more than {MAX_DEPTH} deep "
                                         f"(at line {_line(text, match.start())}); simplify it")
                elif char in "})]":
                    depth -= 1
    if not form:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return Checked(text, form)


def _hides_service(word: str) -> bool:
    """Whether the engine may read the keyword SERVICE in this upper-cased word: it reads keywords
    without a word boundary, so ``TRUESERVICE``, ``1SERVICE`` and ``SERVICE:X`` (SERVICE, then the
    prefixed name ``:x``) all hold one. Only after a ':' is it part of a prefixed name's local part
    (``EX:CUSTOMERSERVICE``); a prefix named ``service:`` is refused with them."""
    at = word.find("SERVICE")
    while at >= 0:
        if ":" not in word[:at]:
            return True
        at = word.find("SERVICE", at + 1)
    return False


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


_CLASS = re.compile(r"\[[^\[\]]*\]")
_EXPECTED = re.compile(r'"[^"]*"|[A-Za-z][\w ]*\w')
_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


def syntax_message(exc: BaseException, text: str) -> str:
    """One line from Oxigraph's syntax error: position, what was expected (character classes
    dropped), and the undeclared prefix when that is the cause."""
    raw = " ".join(str(exc).split())
    position = _POSITION.match(raw)
    where = ""
    detail = raw
    if position:
        line, column = int(position.group(1)), int(position.group(2))
        where = f" at line {line}, column {column}"
        detail = raw[position.end():]
        if "Prefix not found" in detail:
            name = _prefix_at(text, line, column)
            return (f"SPARQL syntax error{where}: undeclared prefix {name + ':' if name else ''} "
                    f"(predeclared: {', '.join(sorted(PREFIXES))})")
    if detail.startswith("expected"):
        words = _EXPECTED.findall(_CLASS.sub("", detail[len("expected"):].replace("one of", "", 1)))
        detail = f"expected {', '.join(words[:8])}{', …' if len(words) > 8 else ''}" if words else "unexpected input"
    return f"SPARQL syntax error{where}: {detail}"


def _prefix_at(text: str, line: int, column: int) -> str:
    """The prefix name of the prefixed name that ends before ``line``:``column`` (1-based)."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    token = _TOKEN_END.split(lines[line - 1][: max(column - 1, 0)])[-1]
    return token.split(":", 1)[0] if ":" in token else ""


_TOKEN_END = re.compile(r"[\s{}()\[\],;]")
