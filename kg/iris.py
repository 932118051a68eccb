"""The IRI scheme: every entity gets a deterministic IRI, never a blank node.

``https://w3id.org/summit-kg/id/{kind}/{key}`` for entities, ``…/graph/…`` for named graphs.
Keys from the reference knowledge are codes (``state/CN``, ``org/sco``); keys of entities
found only in text are slugs of their canonical Chinese label (``person/乐玉成``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

BASE = "https://w3id.org/summit-kg/"
ONTOLOGY = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
REFERENCE_GRAPH = GRAPH + "reference"

_UNSAFE = re.compile(r"[^\w\u00b7·.-]+", re.UNICODE)

#: Longest slug kept whole; a longer one is cut and ends with a hash of the whole label.
MAX_SLUG = 96
_KEPT = MAX_SLUG - 17


def slug(text: str) -> str:
    """A path segment from a label: NFKC, letters and digits kept (CJK included), the rest '-'.

    Bounded: a slug longer than :data:`MAX_SLUG` characters keeps its first characters and ends
    with ``~`` and a hash of the whole (``~`` is never in an uncut slug, so no label's slug is
    another's cut one), so a 100,000-character title still gets a short, distinct IRI.

    >>> slug("上海合作组织 Summit")
    '上海合作组织-summit'
    >>> len(slug("论" * 100_000)) == MAX_SLUG
    True
    """
    text = unicodedata.normalize("NFKC", text).strip()
    whole = _UNSAFE.sub("-", text).strip("-").lower() or "x"
    if len(whole) <= MAX_SLUG:
        return whole
    return f"{whole[:_KEPT].rstrip('-')}~{short_hash(whole)}"  # '~' is never in an uncut slug


def entity(kind: str, key: str) -> str:
    return f"{ID}{kind}/{key}"


def split_entity(iri: str) -> tuple[str, str] | None:
    """``(kind, key)`` of an entity IRI minted by :func:`entity`, else None."""
    if not iri.startswith(ID):
        return None
    kind, _, key = iri[len(ID):].partition("/")
    return (kind, key) if key else None


def article_graph(article_id: str) -> str:
    return f"{GRAPH}article/{slug(article_id)}"


def inferred_graph(article_id: str) -> str:
    return f"{GRAPH}article/{slug(article_id)}/inferred"


def short_hash(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return digest[:16]
