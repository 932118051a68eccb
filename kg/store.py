"""Load a graph file into an in-memory pyoxigraph store for SPARQL."""
from __future__ import annotations

from pathlib import Path

from kg.errors import InputError

_OX_FORMATS = {".ttl": "TURTLE", ".trig": "TRIG", ".nq": "N_QUADS", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD",
               ".json": "JSON_LD"}


def graph_file(path: str | Path, formats: dict[str, str]) -> tuple[Path, str]:
    """Check that ``path`` is an existing graph file with one of ``formats``' extensions."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in formats:
        known = ", ".join(sorted(formats))
        raise InputError(f"{path}: unknown graph format {suffix or '(none)'!r}; use one of {known}")
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
    return path, suffix


def load_store(path: str | Path):  # type: ignore[no-untyped-def]
    """A pyoxigraph Store holding the file's quads; one-line InputError when it cannot."""
    import pyoxigraph as ox

    path, suffix = graph_file(path, _OX_FORMATS)
    store = ox.Store()
    try:
        with path.open("rb") as handle:
            store.load(handle, format=getattr(ox.RdfFormat, _OX_FORMATS[suffix]))
    except SyntaxError as exc:
        syntax = _OX_FORMATS[suffix].replace("_", "-")
        raise InputError(f"{path}: does not parse as {syntax}: {_one_line(exc)}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot load ({_one_line(exc)})") from None
    if len(store) == 0:
        raise InputError(f"{path}: the graph is empty")
    return store


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
