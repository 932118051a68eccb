"""Property tests of untrusted input (issue 8): generated articles and meta files
(tests/strategies.py) through the whole pipeline, as ``kg build`` runs it in this process
(tests/pipeline_check.py: the article's id, the corpus Extractor, each format's renderer).

* every input is built, or refused with a one-line :class:`~kg.errors.KGError`: no other exception,
  no internal error (1,850 examples, 185 of each kind, base text cut to 400 characters; the
  outputs are rendered in every format);
* every output format (.ttl .trig .nq .nt .jsonld) of a built article parses back to the same
  statements in rdflib and in pyoxigraph (150 built examples of any kind, base text cut to 200
  characters: rdflib reads about 15,000 statements a second);
* ``kg validate`` finds the article's graphs, with the background graphs, conforming (30 built
  examples of any kind, base text cut to 200 characters; about a second each).

Hypothesis runs with a fixed seed (``derandomize``), no example database, no deadline and a
bounded number of examples, so the run is the same on every machine (about 1.5 minutes here).
The two slow properties do not shrink a failing example (a shrink step is a full check: it would
take minutes); reduce it with tools/fuzz.py's reducer, or write it down small. tools/fuzz.py runs
the same generators at full size for as long as it is given.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from pipeline_check import Checker, Outcome
from strategies import KINDS, Sources, cases

SOURCES = Sources.load()
FIXED = {"derandomize": True, "database": None, "deadline": None,
         "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                                   HealthCheck.filter_too_much]}
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
EACH_KIND = {kind: cases(SOURCES, kind, limit=400) for kind in KINDS}
SMALL = cases(SOURCES, None, limit=200)


def built_or_invalid(outcome: Outcome) -> bool:
    """Built, or made but not valid: what the output properties look at (a refusal or a crash is
    the first property's)."""
    return outcome.status == "built" or (outcome.failure is not None and outcome.failure.kind in ("invalid",
                                                                                                   "nonconforming"))


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each example is written (``article.txt`` and its meta file), one after the other."""
    return tmp_path_factory.mktemp("properties")


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=185, **FIXED)
@given(data=st.data())
def test_any_input_is_built_or_refused_with_one_line(checker: Checker, folder: Path, kind: str,
                                                      data: st.DataObject) -> None:
    case = data.draw(EACH_KIND[kind], label="case")
    outcome = checker.check(case, folder, parsers=())
    assert outcome.failure is None, str(outcome.failure)
    assert outcome.status in ("built", "refused")


@settings(max_examples=150, phases=NO_SHRINK, **FIXED)
@given(case=SMALL)
def test_every_format_parses_back_to_the_same_quads(checker: Checker, folder: Path, case) -> None:  # type: ignore[no-untyped-def]
    outcome = checker.check(case, folder)
    assume(built_or_invalid(outcome))
    assert outcome.failure is None, str(outcome.failure)


@settings(max_examples=30, phases=NO_SHRINK, **FIXED)
@given(case=SMALL)
def test_built_graphs_conform_to_the_shapes(checker: Checker, folder: Path, case) -> None:  # type: ignore[no-untyped-def]
    outcome = checker.check(case, folder, validate=True, parsers=())
    assume(built_or_invalid(outcome))
    assert outcome.failure is None, str(outcome.failure)
