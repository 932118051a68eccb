"""Benchmark of the network page (``kg viz``) on synthetic graphs. Not a test.

For each size it writes a synthetic TriG graph in the project's vocabulary (summits, states,
persons and their posts, organizations, cities, documents, initiatives, areas of cooperation and
the news articles, every fact with its evidence and source sentence, one article graph per
article), renders it with ``kg viz``, opens the page from a file:// URL in headless Chromium
(Debian's ``/usr/bin/chromium``, driven by Playwright) and prints a table:

  nodes      entity nodes in the graph (and drawn: ``kgViz.nodes.length``), edges drawn
  html       size of the page
  render     wall time of ``kg viz GRAPH -o PAGE`` (a fresh process, as a user runs it)
  ready      navigation start → ``document.body.dataset.state == "ready"`` (first stable frame)
  click      mouse click on a summit node → ``#kg-panel`` shows its label
  heap       JavaScript heap in use once ready

Usage: ``.venv/bin/python tools/bench_viz.py [--sizes 500,5000,20000] [--max-nodes N] [--keep DIR]``
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
READY_TIMEOUT_MS = 900_000
ID = "https://w3id.org/summit-kg/id/"
GRAPH = "https://w3id.org/summit-kg/graph/article/"
PREFIXES = """\
@prefix skg: <https://w3id.org/summit-kg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Share of the nodes per class (articles and summits are derived: one summit per article).
SHARES = {"state": 0.06, "org": 0.06, "city": 0.05, "area": 0.05, "document": 0.22, "initiative": 0.10,
          "post": 0.12}
CLASS = {"article": "skg:NewsArticle", "summit": "skg:Summit", "state": "skg:State",
         "org": "skg:InternationalOrganization", "city": "skg:City", "area": "skg:CooperationArea",
         "document": "skg:Document, skg:Declaration", "initiative": "skg:Initiative", "post": "skg:Post",
         "person": "skg:Person"}
WORD = {"article": "报道", "summit": "峰会", "state": "国", "org": "组织", "city": "市", "area": "领域",
        "document": "宣言", "initiative": "倡议", "post": "部长", "person": "某人"}
DIGITS = "〇一二三四五六七八九"


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@zh-Hans'


def label(kind: str, i: int) -> str:
    return "合成" + "".join(DIGITS[int(d)] for d in str(i)) + WORD[kind]


def generate(n: int, path: Path, seed: int = 1) -> int:
    """Write a synthetic graph of about ``n`` entity nodes to ``path`` (TriG); return the node count."""
    rnd = random.Random(seed)
    articles = max(1, n // 50)
    counts = {"article": articles, "summit": articles}
    counts.update({k: max(2, int(n * share)) for k, share in SHARES.items()})
    counts["person"] = max(2, n - sum(counts.values()))
    ids = {k: [f"{ID}{k}/synth/{i}" for i in range(c)] for k, c in counts.items()}
    # facts[a] = (subject, predicate, object) read in article a
    facts: list[list[tuple[str, str, str]]] = [[] for _ in range(articles)]
    home: dict[str, int] = {}

    def put(a: int, s: str, p: str, o: str) -> None:
        facts[a].append((s, p, o))
        home.setdefault(s, a)
        home.setdefault(o, a)

    def pick(kind: str) -> str:
        return rnd.choice(ids[kind])

    for a, summit in enumerate(ids["summit"]):
        put(a, summit, "skg:organizer", pick("org"))
        put(a, summit, "skg:chairState", pick("state"))
        put(a, summit, "skg:city", pick("city"))
        for _ in range(2):
            put(a, summit, "skg:cooperationArea", pick("area"))
    by_article = lambda i, kind: i * articles // counts[kind]  # noqa: E731  (spread each class over articles)
    for i, doc in enumerate(ids["document"]):
        a = by_article(i, "document")
        put(a, doc, "skg:adoptedAt", ids["summit"][a])
    for i, ini in enumerate(ids["initiative"]):
        a = by_article(i, "initiative")
        put(a, ini, "skg:proposedAt", ids["summit"][a])
        put(a, ini, "skg:proposedBy", pick("state"))
    for i, post in enumerate(ids["post"]):
        put(by_article(i, "post"), post, "org:postIn", pick("state"))
    for i, person in enumerate(ids["person"]):
        a = by_article(i, "person")
        put(a, ids["summit"][a], "schema:attendee", person)
        put(a, person, "org:holds", pick("post"))
    for i, city in enumerate(ids["city"]):
        put(by_article(i, "city"), city, "skg:ofState", pick("state"))
    for kind in ("state", "org", "area"):  # every node in some fact
        for i, node in enumerate(ids[kind]):
            if node not in home:
                put(by_article(i, kind), ids["summit"][by_article(i, kind)], "schema:attendee" if kind != "area"
                    else "skg:cooperationArea", node)

    names = {iri: label(kind, i) for kind, iris in ids.items() for i, iri in enumerate(iris)}
    verb = {"skg:organizer": "由{o}主办", "skg:chairState": "由{o}担任轮值主席国", "skg:city": "在{o}举行",
            "skg:cooperationArea": "推进{o}合作", "skg:adoptedAt": "在{o}上通过", "skg:proposedAt": "在{o}上提出",
            "skg:proposedBy": "由{o}提出", "org:postIn": "是{o}的职务", "schema:attendee": "有{o}出席",
            "org:holds": "担任{o}", "skg:ofState": "位于{o}"}
    with path.open("w", encoding="utf-8") as out:
        out.write(PREFIXES)
        for a in range(articles):
            article = ids["article"][a]
            text, sentences, evidence = [], [], []
            offset = 0
            for k, (s, p, o) in enumerate(facts[a]):
                clause = verb[p].format(o=names[o])
                sentence = f"据报道，{names[s]}{clause}。"
                begin = offset + sentence.index(clause)
                sentences.append((k, offset, sentence))
                evidence.append((k, s, p, o, begin, begin + len(clause), clause))
                text.append(sentence)
                offset += len(sentence)
            out.write(f"\n<{GRAPH}synth-{a}> {{\n")
            out.write(f"<{GRAPH}synth-{a}> a prov:Bundle ; prov:wasDerivedFrom <{article}> .\n")
            mentioned = sorted({x for s, _, o in facts[a] for x in (s, o)})
            out.write(f"<{article}> a skg:NewsArticle ; dcterms:identifier \"synth-{a}\" ;\n"
                      f"  dcterms:title {lit(names[article])} ; schema:datePublished \"2020-01-01\"^^xsd:date ;\n"
                      f"  schema:about <{ids['summit'][a]}> ;\n"
                      f"  schema:mentions {', '.join(f'<{m}>' for m in mentioned)} ;\n"
                      f"  nif:isString {lit(''.join(text))} .\n")
            for iri in mentioned:
                if home[iri] == a:
                    kind = iri[len(ID):].split("/", 1)[0]
                    out.write(f"<{iri}> a {CLASS[kind]} ; skos:prefLabel {lit(names[iri])} .\n")
            for s, p, o in facts[a]:
                out.write(f"<{s}> {p} <{o}> .\n")
            for k, begin, sentence in sentences:
                out.write(f"<{article}/sentence/{k}> a skg:Sentence ; nif:anchorOf {lit(sentence)} ;\n"
                          f"  nif:beginIndex {begin} ; nif:endIndex {begin + len(sentence)} ;\n"
                          f"  nif:referenceContext <{article}> .\n")
            for k, s, p, o, begin, end, anchor in evidence:
                out.write(f"<{article}/evidence/{k}> a skg:Evidence ; rdf:subject <{s}> ; rdf:predicate {p} ;\n"
                          f"  rdf:object <{o}> ; skg:article <{article}> ; skg:sentence <{article}/sentence/{k}> ;\n"
                          f"  skg:basis <{ID}basis/stated> ; skg:rule <{ID}rule/synthetic> ;\n"
                          f"  nif:beginIndex {begin} ; nif:endIndex {end} ; nif:anchorOf {lit(anchor)} .\n")
            out.write("}\n")
    return sum(counts.values())


# Records, inside the page, when body[data-state] first becomes "ready" and when #kg-panel first
# shows a wanted text after a click (performance.now(): milliseconds since navigation start).
INIT = """
window.__kgBench = {ready: null, down: null, filled: null, want: null};
new MutationObserver(() => {
    const b = window.__kgBench, now = performance.now();
    if (b.ready === null && document.body && document.body.dataset.state === 'ready') b.ready = now;
    const panel = document.getElementById('kg-panel');
    if (b.want !== null && b.filled === null && panel && panel.textContent.includes(b.want)) b.filled = now;
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
addEventListener('pointerdown', () => {
    if (window.__kgBench.down === null) window.__kgBench.down = performance.now();
}, true);
"""


def measure(browser, html: Path, summit: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    try:
        context.add_init_script(INIT)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                      else route.abort())
        page = context.new_page()
        page.set_default_timeout(READY_TIMEOUT_MS)
        page.goto(html.resolve().as_uri(), wait_until="commit")
        page.wait_for_function("() => window.__kgBench && window.__kgBench.ready !== null", polling=50,
                               timeout=READY_TIMEOUT_MS)
        ready = page.evaluate("() => window.__kgBench.ready")
        counts = page.evaluate("() => [kgViz.nodes.length, kgViz.edges.length]")
        heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : 0")
        want = page.evaluate("(id) => { const n = kgViz.nodes.get(id); return n ? String(n.label).split('\\n')[0] "
                             ": null; }", summit)
        click = float("nan")
        if want:
            point = page.evaluate("""(id) => {
                const net = kgViz.network;
                net.focus(id, {scale: 1.2, animation: false});
                const dom = net.canvasToDOM(net.getPositions([id])[id]);
                const canvas = (net.canvas && net.canvas.frame && net.canvas.frame.canvas)
                    || document.querySelector('.vis-network canvas');
                const box = canvas.getBoundingClientRect();
                return {x: box.left + dom.x, y: box.top + dom.y};
            }""", summit)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            page.evaluate("(want) => { window.__kgBench.want = want; window.__kgBench.down = null; }", want)
            page.mouse.click(point["x"], point["y"])
            page.wait_for_function("() => window.__kgBench.filled !== null", timeout=60_000)
            click = page.evaluate("() => window.__kgBench.filled - window.__kgBench.down")
        return {"ready": ready / 1000, "nodes": counts[0], "edges": counts[1], "heap": heap / 2**20, "click": click}
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,5000,20000", help="node counts, comma-separated")
    parser.add_argument("--max-nodes", type=int, help="passed on to kg viz (its default aggregates above 5,000)")
    parser.add_argument("--keep", type=Path, help="keep the graphs and pages in this folder")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    from playwright.sync_api import sync_playwright

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-viz-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for n in sizes:
                graph, html = work / f"synth-{n}.trig", work / f"synth-{n}.html"
                nodes = generate(n, graph)
                t0 = time.perf_counter()
                extra = ["--max-nodes", str(args.max_nodes)] if args.max_nodes else []
                proc = subprocess.run([sys.executable, "-m", "kg", "viz", str(graph), "-o", str(html), *extra],
                                      capture_output=True, text=True)
                render = time.perf_counter() - t0
                if proc.returncode != 0:
                    print(f"kg viz failed on {n} nodes: {proc.stderr.strip()}", file=sys.stderr)
                    return 1
                page = measure(browser, html, f"{ID}summit/synth/0")
                rows.append((nodes, page["nodes"], page["edges"], graph.stat().st_size / 2**20,
                             html.stat().st_size / 2**20, render, page["ready"], page["click"], page["heap"]))
                print(f"{n}: done", file=sys.stderr, flush=True)
            browser.close()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print("| nodes | drawn nodes / edges | graph (TriG) | page (HTML) | kg viz | first stable frame | click → panel "
          "| JS heap |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for nodes, drawn, edges, trig, size, render, ready, click, heap in rows:
        print(f"| {nodes:,} | {drawn:,} / {edges:,} | {trig:.1f} MB | {size:.1f} MB | {render:.1f} s | {ready:.1f} s "
              f"| {click:.0f} ms | {heap:.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
