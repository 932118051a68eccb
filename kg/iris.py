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


def slug(text: str) -> str:
    """A path segment from a label: NFKC, letters and digits kept (CJK included), the rest '-'."""
    text = unicodedata.normalize("NFKC", text).strip()
    return _UNSAFE.sub("-", text).strip("-").lower() or "x"


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
