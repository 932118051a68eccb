#!/usr/bin/env python3
"""Write docs/tour.ipynb, the notebook tour of the Python API, from the cells below (without
outputs: tests/test_notebook.py executes it, and Jupyter shows the outputs when you run it).

    .venv/bin/python tools/make_tour.py [OUT]       (default: docs/tour.ipynb)
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent

CELLS = [
    ("markdown", """# A tour of summit-kg in a notebook

Build the knowledge graph of the bundled reports, query it into DataFrames, plot attendance over
time, and look at the network page inline. Run it from the repository's root folder (or set
`ARTICLES` to a folder of your own reports)."""),
    ("code", """from pathlib import Path

import kg

ARTICLES = next(p for p in (Path("data/articles"), Path("../data/articles")) if p.is_dir())
g = kg.build(ARTICLES)  # the same code path as `kg build data/articles`
g"""),
    ("markdown", """Each article keeps its own named graphs; queries read their merge. A bundled query by name
gives rows as dicts of Python values (dates as `datetime.date`), or a DataFrame:"""),
    ("code", """summits = g.query("summits", as_frame=True)
summits[["label", "startDate", "city", "format"]].sort_values("startDate").tail(10)"""),
    ("code", """attendees = g.query("attendees", as_frame=True)
attendees.groupby("kind").size()"""),
    ("markdown", """Any SPARQL works, with the project's prefixes predeclared; values are bound, never pasted
into the text:"""),
    ("code", """from pyoxigraph import NamedNode

first = NamedNode(summits.sort_values("startDate").iloc[0]["summit"])
g.query('''SELECT ?summit ?state ?name WHERE {
             ?summit skg:participation [ skg:participant ?state ] .
             ?state a skg:State ; skos:prefLabel ?name FILTER(langMatches(lang(?name), "zh-Hans"))
           } ORDER BY ?name''', summit=first, as_frame=True)"""),
    ("markdown", "## Attendance over time\n\nAttending states per meeting, by start date:"),
    ("code", """import matplotlib.pyplot as plt

states = attendees[attendees["kind"] == "state"].groupby("summit").size().rename("states")
timeline = summits.set_index("summit").join(states, how="inner").dropna(subset=["startDate"])
timeline = timeline.sort_values("startDate")
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(timeline["startDate"], timeline["states"], marker="o")
ax.set_xlabel("start date")
ax.set_ylabel("attending states")
ax.set_title("States attending each meeting")
fig.tight_layout()"""),
    ("markdown", """## Files, validation and the network page

`g.write` writes what `kg build -o` writes (the same bytes), `g.validate()` checks the SHACL
shapes, and the graph shows itself as the interactive network page:"""),
    ("code", """import tempfile

out = Path(tempfile.mkdtemp()) / "corpus.trig"
g.write(out)
print(out, out.stat().st_size // 1024, "KiB")
print("conforms:", bool(g.validate()))"""),
    ("code", "kg.build(ARTICLES / \"sco2020_video_summit.txt\")  # one article's page, inline"),
]


def main(argv: list[str]) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    for number, (kind, source) in enumerate(CELLS):
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        cell["id"] = f"cell-{number:02d}"  # stable ids: the file does not change when regenerated
        notebook.cells.append(cell)
    nbformat.validate(notebook)
    target = Path(argv[0]) if argv else ROOT / "docs" / "tour.ipynb"
    target.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
