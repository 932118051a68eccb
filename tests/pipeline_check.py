"""Run one input through the whole pipeline and check what comes out: the oracle of the property
tests (tests/test_properties.py), of ``tools/fuzz.py`` and of the saved fuzz cases
(tests/test_fuzz_regressions.py).

:meth:`Checker.run` builds the article as ``kg build`` does, in this process (the corpus API: the
article's id read first, then :class:`kg.corpus.Extractor`, then each output format's renderer),
and reports a :class:`Failure` when

* ``crash``: an exception that is not a :class:`~kg.errors.KGError` escaped, or the article failed
  with an internal error (a bug met on it: :class:`kg.corpus.ArticleError`), or a
  :class:`~kg.errors.ResourceError` (broken bundled data, which no input may cause);
* ``message``: the article was refused, but the message is not one line;
* ``invalid``: an output format (.ttl .trig .nq .nt .jsonld) does not parse in rdflib or in
  pyoxigraph, or parses to other quads than the pipeline made (the union of the graphs for
  Turtle and N-Triples);
* ``nonconforming``: with ``validate=True``, the article built with the background graphs into
  N-Quads does not conform to the SHACL shapes (``kg validate``).

A refusal (any other ``KGError``) is a correct outcome. :attr:`Failure.signature` names the kind of
failure without its details (exception type and innermost ``kg`` function; format and parser;
shape): a reduced input is still failing when it fails with the same signature.
"""
from __future__ import annotations

import io
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.resources import Resources
    from kg.terms import Quad

#: Output extension → format name of kg.serialize.
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld"}
NAMED = frozenset({"trig", "nquads", "json-ld"})
PARSERS = ("pyoxigraph", "rdflib")

_FRAME = re.compile(r'File "([^"]+)", line \d+, in (\S+)')


@dataclass(frozen=True)
class Failure:
    """What went wrong with one input."""

    kind: str  # crash | message | invalid | nonconforming | hang
    where: str  # what failed, without details: the part of the signature
    detail: str  # one line

    @property
    def signature(self) -> str:
        return f"{self.kind}: {self.where}"

    def __str__(self) -> str:
        return f"{self.signature}: {self.detail}"


@dataclass(frozen=True)
class Outcome:
    """``status`` is built, refused or failed (then ``failure`` says why)."""

    status: str
    failure: Failure | None = None
    quads: int = 0
    message: str = ""  # the refusal


def _where(frames: list[tuple[str, str]]) -> str:
    """``kg/module.py:function`` of the innermost frame in the ``kg`` package (else the innermost)."""
    inside = [(file, func) for file, func in frames if "/kg/" in file.replace("\\", "/")]
    file, func = (inside or frames or [("?", "?")])[-1]
    file = file.replace("\\", "/")
    short = "kg/" + file.rsplit("/kg/", 1)[1] if "/kg/" in file else file.rsplit("/", 1)[-1]
    return f"{short}:{func}"


def crash_of(exc: BaseException) -> Failure:
    """An exception that escaped, as a ``crash`` failure."""
    frames = [(f.filename, f.name) for f in traceback.extract_tb(exc.__traceback__)]
    detail = " ".join(str(exc).split())[:300]
    return Failure("crash", f"{type(exc).__name__} in {_where(frames)}", detail)


def crash_of_article_error(error: Exception) -> Failure:
    """An internal error the corpus build caught for the article (its traceback kept as text)."""
    text = getattr(error, "traceback", "") or ""
    frames = _FRAME.findall(text)
    last = text.rstrip("\n").rsplit("\n", 1)[-1] if text else str(error)
    name = last.split(":", 1)[0].strip() or type(error).__name__
    return Failure("crash", f"{name.rsplit('.', 1)[-1]} in {_where(frames)}", " ".join(str(error).split())[:300])


def _is_internal(error: Exception) -> bool:
    """A per-article error that stands for a bug, not for bad input."""
    from kg import corpus
    from kg.errors import ResourceError

    article_error = getattr(corpus, "ArticleError", None)
    return isinstance(error, ResourceError) or (article_error is not None and isinstance(error, article_error))


class Checker:
    """The pipeline set up once, and the checks of one input at a time."""

    def __init__(self, resources: Resources | None = None) -> None:
        from kg.corpus import Extractor, extractor_sha256
        from kg.resources import Resources

        self.resources = resources or Resources()
        self.extractor = Extractor(self.resources)
        self.key = extractor_sha256(self.resources)
        self._warm_up()

    def _warm_up(self) -> None:
        """Load what the first article would load (dictionaries, the segmenter, OpenCC), so that
        it is not counted against the first input."""
        from kg.pipeline.read import RawArticle

        text = "上海合作组织成员国元首理事会第二十次会议11月10日在北京举行，習近平主持會議。"
        self.extractor.pipeline.document(RawArticle("warm-up", Path("warm-up.txt"), text, {}))

    # ---- one input

    def check(self, case, folder: Path, *, validate: bool = False,  # type: ignore[no-untyped-def]
              parsers: tuple[str, ...] = PARSERS) -> Outcome:
        """Write ``case`` (a :class:`strategies.Case`) into ``folder`` and :meth:`run` it."""
        return self.run(case.write(folder), validate=validate, parsers=parsers)

    def run(self, path: Path, *, validate: bool = False, parsers: tuple[str, ...] = PARSERS) -> Outcome:
        """Build the article at ``path`` (its meta file beside it) and check every output."""
        from kg.corpus import Task, ordered
        from kg.errors import KGError

        try:
            ordered([path])  # kg build reads every article's id before extracting any
            outcome, quads = self.extractor(Task(path, None, self.key))
        except KGError as exc:  # raised, not returned: a ResourceError, or a new path of the build
            if _is_internal(exc):
                return Outcome("failed", crash_of(exc))
            return self._refused(exc)
        except Exception as exc:  # noqa: BLE001 - the very thing looked for
            return Outcome("failed", crash_of(exc))
        if outcome.status != "built":
            assert outcome.error is not None
            if _is_internal(outcome.error):
                return Outcome("failed", crash_of_article_error(outcome.error))
            return self._refused(outcome.error)
        failure = self.round_trip(quads, parsers)
        if failure is None and validate:
            failure = self.validate(path)
        return Outcome("failed", failure, len(quads)) if failure else Outcome("built", quads=len(quads))

    @staticmethod
    def _refused(error: Exception) -> Outcome:
        message = str(error)
        if len(message.splitlines()) != 1:
            return Outcome("failed", Failure("message", type(error).__name__, repr(message[:300])))
        return Outcome("refused", message=message)

    # ---- the outputs

    def round_trip(self, quads: list[Quad], parsers: tuple[str, ...] = PARSERS) -> Failure | None:
        """Each format written as a build writes it, parsed back by each parser: the same statements.

        The N-Quads output, as a parser reads it, is compared term by term with the pipeline's
        quads; every other format with that reading, in the parser's own terms (quick)."""
        try:
            rendered = {fmt: render(quads, fmt) for fmt in FORMATS.values()}
        except Exception as exc:  # noqa: BLE001
            return crash_of(exc)
        suffix_of = {fmt: suffix for suffix, fmt in FORMATS.items()}
        for parser in parsers:
            read: dict[str, set[tuple[object, ...]]] = {}
            for fmt, data in rendered.items():
                try:
                    read[fmt] = parse_native(data, fmt, parser)
                except Exception as exc:  # noqa: BLE001 - any parser error means the output is not valid
                    return Failure("invalid", f"{suffix_of[fmt]} {parser}",
                                   f"does not parse: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
            reference = read["nquads"]
            if as_text(reference) != set(quads):
                return _differs(".nq", parser, set(quads), as_text(reference))
            union = {statement[:3] for statement in reference}
            for fmt, got in read.items():
                expected = reference if fmt in NAMED else union
                if got != expected:
                    return _differs(suffix_of[fmt], parser, as_text(expected), as_text(got))
        return None

    def validate(self, path: Path) -> Failure | None:
        """``kg validate`` of the article built with the background graphs; a failure when it does
        not conform (the first violation names it)."""
        import tempfile

        from kg.corpus import build_corpus
        from kg.parallel import SerialExecutor
        from kg.serialize import Output
        from kg.validate import validate_file

        with tempfile.TemporaryDirectory(prefix="kg-check-") as tmp:
            out = Path(tmp) / "built.nq"
            with out.open("wb") as handle:
                output = Output("nquads", handle)
                build_corpus([path], output, executor=SerialExecutor(self.extractor), resources=self.resources)
            conforms, report = validate_file(out)
        if conforms:
            return None
        lines = report.splitlines()
        first = next((line for line in lines if line.startswith("Violation")), lines[0] if lines else "")
        where = first.removeprefix("Violation:").strip().rsplit(" (", 1)[0]
        index = lines.index(first) if first in lines else 0
        return Failure("nonconforming", where, " | ".join(lines[index:index + 3])[:600])


def render(quads: list[Quad], fmt: str) -> bytes:
    """One article's quads in ``fmt``, as a corpus build writes them (its Output and renderer)."""
    from kg.serialize import Output

    buffer = io.BytesIO()
    output = Output(fmt, buffer)
    output.add(output.renderer(quads), len(quads))
    output.close()
    return buffer.getvalue()


def parse_native(data: bytes, fmt: str, parser: str) -> set[tuple[object, ...]]:
    """The statements of ``data`` in the parser's own terms: ``(s, p, o, g)`` for formats with
    named graphs (``g`` None for the default graph), ``(s, p, o)`` else."""
    out: set[tuple[object, ...]] = set()
    if parser == "pyoxigraph":
        import pyoxigraph as ox

        formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                   "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD}
        for q in ox.parse(data, format=formats[fmt]):
            if fmt in NAMED:
                out.add((q.subject, q.predicate, q.object,
                         q.graph_name if isinstance(q.graph_name, ox.NamedNode) else None))
            else:
                out.add((q.subject, q.predicate, q.object))
        return out
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=fmt)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if fmt in NAMED:
            name = g.identifier if hasattr(g, "identifier") else g
            out.add((s, p, o, None if name == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else name))
        else:
            out.add((s, p, o))
    return out


def as_text(statements: set[tuple[object, ...]]) -> set[tuple[str, ...]]:
    """Parsed statements as N-Triples terms (:func:`kg.terms.from_oxigraph`, ``from_rdflib``);
    the default graph is ``""``."""
    from kg.terms import from_oxigraph, from_rdflib

    seen: dict[object, str] = {None: ""}  # a term is converted once (predicates, subjects and graphs repeat)

    def term(t: object) -> str:
        found = seen.get(t)
        if found is None:
            found = seen[t] = from_oxigraph(t) if type(t).__module__.startswith("pyoxigraph") else from_rdflib(t)
        return found

    return {tuple(term(t) for t in statement) for statement in statements}


def parse(data: bytes, fmt: str, parser: str) -> set[tuple[str, ...]]:
    """The statements of ``data`` as N-Triples terms (see :func:`parse_native`)."""
    return as_text(parse_native(data, fmt, parser))


def _differs(suffix: str, parser: str, expected: set[tuple[str, ...]], got: set[tuple[str, ...]]) -> Failure:
    missing, extra = sorted(expected - got), sorted(got - expected)
    return Failure("invalid", f"{suffix} {parser}",
                   f"{len(missing)} statements lost, {len(extra)} changed or added; "
                   f"first lost {missing[:1]!r}, first added {extra[:1]!r}"[:600])


__all__ = ["FORMATS", "Checker", "Failure", "Outcome", "as_text", "crash_of", "parse", "parse_native", "render"]
