"""What the network page frames and names first (kg.viz.layout): the main summit, the lead nodes
always named, and the label sizes of the level of detail, each on a small graph written for the test.

The page itself, in a browser, is tested in tests/test_viz_browser.py."""
from __future__ import annotations

from typing import Any

import pytest

from kg.viz.layout import label_sizes, lead, main_summit

ID = "https://w3id.org/summit-kg/id/"


def graph(links: dict[str, list[str]], *, summits: dict[str, str] | None = None,
          articles: list[list[str]] | None = None, background: tuple[str, ...] = ()) -> dict[str, Any]:
    """The plain data of kg.viz.data for ``links`` (node → the nodes it links to; a name starting with
    ``s`` is a summit, ``p`` a person, else a state), ``summits`` (name → date), one article per list
    of summits it is about."""
    names = sorted(set(links) | {t for targets in links.values() for t in targets})
    cls = {"s": "Summit", "p": "Person"}

    def node(name: str) -> dict[str, Any]:
        return {"id": ID + name, "class": cls.get(name[0], "State"), "labels": {"zh": name, "en": None},
                "kind": "background" if name in background else "stated"}

    dates = summits or {}
    return {"nodes": [node(n) for n in names],
            "edges": [{"source": ID + a, "target": ID + b,
                       "kind": "background" if {a, b} & set(background) else "stated"}
                      for a, targets in sorted(links.items()) for b in targets],
            "summits": [{"id": ID + s, "label": s, "label_en": None, "date": d} for s, d in sorted(dates.items())
                        if s not in background],
            "articles": [{"id": f"a{i}", "summits": [ID + s for s in about]} for i, about in enumerate(articles or [])]}


@pytest.mark.parametrize(("links", "summits", "articles", "expected"), [
    ({"s1": ["x", "y", "z"], "s2": ["x"]}, {"s1": "2020-01-01", "s2": "2021-01-01"}, [["s2"]], "s2"),
    ({"s1": ["x", "y", "z"], "s2": ["x"]}, {"s1": "2020-01-01", "s2": "2021-01-01"}, [["s2"], ["s1"]], "s1"),
    ({"s1": ["x", "y"], "s2": ["x", "z"]}, {"s1": "2020-01-01", "s2": "2021-01-01"}, [], "s2"),
    ({"x": ["y", "z", "w"], "y": ["z"]}, {}, [], "x"),
], ids=["one-article-its-summit", "corpus-most-links", "tie-later-date", "no-summit-most-connected"])
def test_main_summit(links: dict[str, list[str]], summits: dict[str, str], articles: list[list[str]],
                     expected: str) -> None:
    assert main_summit(graph(links, summits=summits, articles=articles)) == ID + expected


def test_main_summit_ignores_background() -> None:
    data = graph({"s1": ["x"], "s2": ["x", "y", "z"]}, summits={"s1": "2020-01-01", "s2": "2021-01-01"},
                 background=("s2",))
    assert main_summit(data) == ID + "s1"


def test_label_sizes_grow_with_links_background_at_base() -> None:
    data = graph({"x": ["a", "b", "c", "d"], "y": ["a"], "z": ["q"]}, background=("q",))
    size = {k.removeprefix(ID): v for k, v in label_sizes(data, 14.0, 12.0).items()}
    assert size["x"] == 26.0 and size["q"] == 14.0  # the hub gets the whole extra; background the base
    assert 14.0 < size["y"] < size["x"] and size["b"] < size["a"]  # a: two links, b: one


def test_lead_names_summits_and_the_most_central() -> None:
    links = {"s1": ["p1", "x"], "p1": ["x", "y"], **{f"p{i}": ["y"] for i in range(2, 14)}}
    data = graph(links, summits={"s1": "2020-01-01"})
    chosen = [i.removeprefix(ID) for i in lead(data, top=3)]
    assert chosen == ["s1", "y", "p1", "x"]  # the summit, then the three with most links (y: 13, p1: 3, x: 2)
