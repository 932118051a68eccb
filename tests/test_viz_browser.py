"""The network page (`kg viz`) in a real browser: headless Chromium driven by Playwright.

The page is opened from a file:// URL and must work offline and without errors, draw the graph,
fill the details panel when a node is clicked, render Chinese as glyphs, and show labels that
look like HTML as text. The tests need Debian's ``chromium`` (``.ci/run`` installs it with a CJK
font) and are skipped, with the reason, only when ``/usr/bin/chromium`` is absent.

The page must be readable at first sight: at first view, after a click on the main summit and
after a class filter, the labels of the summit and of the ten most central nodes are drawn at
12 px or more on screen, on the seed article's page and on the corpus page.

``KG_UPDATE_SCREENSHOT=1`` also writes the README screenshots: ``docs/screenshot.png`` (the seed
article, its summit clicked) and ``docs/viz-first-view.png``, ``docs/viz-after-click.png``,
``docs/viz-after-filter.png`` (the corpus page in those three states).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTICLE = ROOT / "data" / "articles" / "sco2020_video_summit.txt"
ARTICLES = ROOT / "data" / "articles"
SUMMIT = "https://w3id.org/summit-kg/id/summit/sco/heads-of-state/20"
SUMMIT_LABEL = "上海合作组织成员国元首理事会第二十次会议"
SCREENSHOT = ROOT / "docs" / "screenshot.png"
READABLE_PX = 12  # on screen: the smallest label the framed views may draw for the summit and the central nodes

# Chromium's own flags for a quiet, reproducible, offline run (no sandbox: CI runs as root).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
TIMEOUT_MS = 30_000  # for every wait: the first stable frame, the panel, navigation
VIEWPORT = {"width": 1400, "height": 900}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"{CHROMIUM} is absent (Debian package chromium; .ci/run installs it)")

XSS_SUMMIT = "https://w3id.org/summit-kg/id/summit/test/injected/1"
XSS_STATE = "https://w3id.org/summit-kg/id/state/XX"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"
XSS_TTL = (Path(__file__).resolve().parent / "data" / "viz" / "injected.ttl").read_text(encoding="utf-8")


def build(source: Path, out: Path) -> Path:
    """Run ``kg build SOURCE -o OUT -q`` as a user would and return the graph."""
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(source), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"kg build failed ({proc.returncode}): {proc.stderr}"
    return out


def render(graph: Path, out: Path) -> Path:
    """Run ``kg viz GRAPH -o OUT`` as a user would and return the page."""
    proc = subprocess.run([sys.executable, "-m", "kg", "viz", str(graph), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"kg viz failed ({proc.returncode}): {proc.stderr}"
    assert out.is_file() and out.stat().st_size > 0
    return out


@dataclass
class Opened:
    """A page opened in the browser, with everything it did since navigation."""

    page: object
    html: Path
    url: str
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests for anything but the page's own file and data: URIs."""
        return [u for u in self.requests if u.split("#")[0] != self.url and not u.startswith("data:")]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module. Playwright launches it with a fresh, temporary profile
    (user-data dir) that it deletes on close."""
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                      timeout=TIMEOUT_MS)
        yield chromium
        chromium.close()


@contextmanager
def open_page(browser, html: Path) -> Iterator[Opened]:
    """Open ``html`` in a new browser context, record requests, console errors, page errors and
    dialogs, and wait until the page says it is ready (network drawn and stabilised)."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN",
                                  service_workers="block")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    opened = Opened(page, html, html.resolve().as_uri())
    context.on("request", lambda req: opened.requests.append(req.url))
    page.on("websocket", lambda ws: opened.websockets.append(ws.url))
    page.on("console", lambda msg: opened.console_errors.append(f"{msg.type}: {msg.text} {msg.location}")
            if msg.type in ("error", "assert") else None)
    page.on("pageerror", lambda exc: opened.page_errors.append(str(exc)))

    def on_dialog(dialog) -> None:
        opened.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # Nothing may leave the machine: anything that is not the file itself (or a data: URI) is refused.
    context.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())
    try:
        page.goto(opened.url, wait_until="load")
        try:
            page.wait_for_function("() => document.body && document.body.dataset.state === 'ready'")
        except PlaywrightTimeout:
            state = page.evaluate("() => document.body && document.body.dataset.state")
            pytest.fail(f"{html.name} not ready after {TIMEOUT_MS} ms (state {state!r}); page errors "
                        f"{opened.page_errors}, console errors {opened.console_errors}, dialogs {opened.dialogs}")
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="module")
def sco2020_page(browser, sco2020: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    """The development article built with kg build (shared fixture ``sco2020``), drawn with kg viz."""
    html = render(sco2020[".trig"], tmp_path_factory.mktemp("viz-sco2020") / "sco2020.html")
    with open_page(browser, html) as opened:
        yield opened


@pytest.fixture(scope="module")
def injected_page(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    """A tiny hand-written graph whose labels are HTML and a closing script tag."""
    out = tmp_path_factory.mktemp("viz-injected")
    graph = out / "injected.ttl"
    graph.write_text(XSS_TTL, encoding="utf-8")
    with open_page(browser, render(graph, out / "injected.html")) as opened:
        yield opened


@pytest.fixture(scope="module", params=["sco2020", "injected"])
def any_page(request: pytest.FixtureRequest) -> Opened:
    return request.getfixturevalue(f"{request.param}_page")


def click_node(opened: Opened, node_id: str) -> str:
    """Click a node where it is drawn and return the text of ``#kg-panel`` once it names the node.

    The node's canvas position goes through ``network.canvasToDOM`` plus the canvas' offset in the
    page. If the node is off screen or under another node, the view is first centred on it."""
    page = opened.page
    where = """([id, focus]) => {
        const net = window.kgViz.network;
        net.unselectAll();
        if (focus) net.focus(id, {scale: 1.5, animation: false});
        const pos = net.getPositions([id])[id];
        if (!pos) return null;
        const dom = net.canvasToDOM(pos);
        const canvas = (net.canvas && net.canvas.frame && net.canvas.frame.canvas)
            || document.querySelector('.vis-network canvas');
        const box = canvas.getBoundingClientRect();
        const inside = dom.x > 2 && dom.y > 2 && dom.x < box.width - 2 && dom.y < box.height - 2;
        const top = document.elementFromPoint(box.left + dom.x, box.top + dom.y);
        return {x: box.left + dom.x, y: box.top + dom.y, hit: inside && top === canvas
                && net.getNodeAt({x: dom.x, y: dom.y}) === id};
    }"""
    selected = "(id) => window.kgViz.network.getSelectedNodes().includes(id)"
    for attempt in range(3):  # a click that lands elsewhere (a tooltip, a node moving) is tried again
        point = page.evaluate(where, [node_id, attempt > 0])
        assert point is not None, f"node {node_id} is not in the network"
        if not point["hit"]:
            point = page.evaluate(where, [node_id, True])
            assert point["hit"], f"node {node_id} cannot be clicked at {point}"
        page.mouse.click(point["x"], point["y"])
        try:
            page.wait_for_function(selected, arg=node_id, timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    else:
        pytest.fail(f"three clicks on {node_id} did not select it")
    label = page.evaluate("(id) => String(window.kgViz.nodes.get(id).label)", node_id)
    panel = page.locator("#kg-panel")
    page.wait_for_function("(label) => document.querySelector('#kg-panel').textContent.includes(label)",
                           arg=label.split("\n")[0].rstrip("…")[:8])
    return panel.inner_text()


def squash(text: str) -> str:
    """Text without any white space (ideographic spaces included), to compare text and page."""
    return re.sub(r"\s+", "", text)


def summit_sentences(graph: Path) -> set[str]:
    """The source sentences of the summit's evidence, from the built graph."""
    import rdflib

    g = rdflib.Graph()
    g.parse(graph)
    rows = g.query("""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX skg: <https://w3id.org/summit-kg/ontology#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT DISTINCT ?s WHERE { ?e rdf:subject ?summit ; skg:sentence/nif:anchorOf ?s }""",
                   initBindings={"summit": rdflib.URIRef(SUMMIT)})
    return {str(row[0]) for row in rows}


# --- the development article ---------------------------------------------------------------------

def test_viz_browser_page_contract(sco2020_page: Opened) -> None:
    page = sco2020_page.page
    counts = page.evaluate("() => ({nodes: kgViz.nodes.length, edges: kgViz.edges.length})")
    assert counts["nodes"] > 10 and counts["edges"] > 10, counts
    assert page.evaluate("(id) => kgViz.nodes.get(id) !== null", SUMMIT)
    for control in ("#kg-panel", "#kg-legend", "#kg-search", "#kg-filter-class", "#kg-filter-article",
                    "#kg-filter-summit", "#kg-show-background"):
        assert page.locator(control).count() == 1, f"{control} missing"


def test_viz_browser_click_summit_fills_panel(sco2020_page: Opened, sco2020: dict[str, Path],
                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    text = click_node(sco2020_page, SUMMIT)
    assert SUMMIT_LABEL in text
    sentences = summit_sentences(sco2020[".ttl"])
    article = squash(ARTICLE.read_text(encoding="utf-8"))
    assert sentences and all(squash(s) in article for s in sentences)
    shown = [s for s in sentences if squash(s) in squash(text)]
    assert shown, f"no source sentence of the summit in the panel:\n{text[:2000]}"
    marks = sco2020_page.page.locator("#kg-panel mark")
    assert marks.count() >= 1, "no highlighted evidence (<mark>) in the panel"
    marked = [squash(m) for m in marks.all_inner_texts()]
    assert any(m and m in article for m in marked), marked
    sco2020_page.page.screenshot(path=str(tmp_path_factory.mktemp("viz-shot") / "sco2020.png"))
    if os.environ.get("KG_UPDATE_SCREENSHOT") == "1":
        save_screenshot(sco2020_page.page, SCREENSHOT)


# How "glyphs, not boxes" is checked: every distinct character of the summit's label is drawn on a
# canvas in the font the page uses (the panel's computed font-family, the node labels' vis font face).
# A missing glyph is drawn as the fallback's .notdef box, the same picture for every character, so
# the test asks that (1) each character leaves ink, (2) all characters give different pictures,
# (3) none looks like the picture of an unassigned code point (U+0378, certainly tofu), and
# (4) each advances about one em, as ideographs of a CJK font do (a .notdef box is narrower).
# This holds for any CJK font (Noto, WenQuanYi…) and fails with none installed.
GLYPHS = """([font, text]) => {
    const size = 40, c = document.createElement('canvas');
    c.width = c.height = 2 * size;
    const g = c.getContext('2d', {willReadFrequently: true});
    g.font = size + 'px ' + font;
    g.textBaseline = 'top';
    const draw = (ch) => {
        g.clearRect(0, 0, c.width, c.height);
        g.fillText(ch, 4, 4);
        const rgba = g.getImageData(0, 0, c.width, c.height).data;
        let ink = 0, hash = 2166136261;  // FNV-1a of the alpha channel: the picture in short
        for (let i = 3; i < rgba.length; i += 4) {
            ink += rgba[i] > 0;
            hash = Math.imul(hash ^ rgba[i], 16777619) >>> 0;
        }
        return {ink, picture: hash.toString(16), em: g.measureText(ch).width / size};
    };
    const chars = [...new Set(text)];
    return {font: g.font, tofu: draw('\\u0378').picture,
            glyphs: chars.map(ch => ({ch, ...draw(ch)}))};
}"""


@pytest.mark.parametrize("where", ["panel", "node-labels"])
def test_viz_browser_chinese_renders_as_glyphs(sco2020_page: Opened, where: str) -> None:
    page = sco2020_page.page
    if where == "panel":
        font = page.evaluate("() => getComputedStyle(document.querySelector('#kg-panel')).fontFamily")
    else:
        font = page.evaluate("""(id) => {
            const n = kgViz.network.body && kgViz.network.body.nodes[id];
            return (n && n.options.font && n.options.font.face) || 'arial'; }""", SUMMIT)
    result = page.evaluate(GLYPHS, [font, SUMMIT_LABEL])
    glyphs = result["glyphs"]
    assert len(glyphs) >= 10
    assert all(g["ink"] for g in glyphs), f"characters without ink in {result['font']}"
    pictures = {g["ch"]: g["picture"] for g in glyphs}
    assert len(set(pictures.values())) == len(glyphs), f"identical (tofu) glyphs in {result['font']}: {pictures}"
    assert not [g["ch"] for g in glyphs if g["picture"] == result["tofu"]], f"tofu in {result['font']}"
    widths = {g["ch"]: round(g["em"], 2) for g in glyphs}
    assert all(0.9 <= w <= 1.1 for w in widths.values()), f"not full-width glyphs in {result['font']}: {widths}"


# --- labels that look like HTML ---------------------------------------------------------------------

@pytest.mark.parametrize(("node", "label"), [(XSS_SUMMIT, XSS_IMG), (XSS_STATE, XSS_SCRIPT)],
                         ids=["img-onerror", "script-close"])
def test_viz_browser_label_is_text_not_html(injected_page: Opened, node: str, label: str) -> None:
    page = injected_page.page
    assert page.evaluate("(id) => kgViz.nodes.get(id).label", node) == label
    text = click_node(injected_page, node)
    assert label in text
    assert page.locator("#kg-panel img, #kg-panel script").count() == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"], [onerror]').length") == 0
    injected = "() => [...document.scripts].filter(s => s.textContent.trim() === 'alert(2)').length"
    assert page.evaluate(injected) == 0, "the closing script tag in a label ended the page's script"
    assert not injected_page.dialogs


# --- both pages: offline, quiet ------------------------------------------------------------------

def test_viz_browser_only_the_file_is_loaded(any_page: Opened) -> None:
    assert any_page.url in [u.split("#")[0] for u in any_page.requests]
    assert not any_page.foreign_requests(), any_page.foreign_requests()
    assert not [u for u in any_page.requests if u.rstrip("/").endswith("/x")]
    assert not any_page.websockets


def test_viz_browser_no_errors_no_dialogs(any_page: Opened) -> None:
    # Interact first, so that errors in the handlers count too: search, filters, background, a click.
    page = any_page.page
    page.fill("#kg-search", "上海")
    page.press("#kg-search", "Enter")
    page.fill("#kg-search", "")
    for control in ("#kg-filter-class", "#kg-filter-article", "#kg-filter-summit"):
        if page.locator(f"{control} option").count() > 1:
            page.select_option(control, index=1)
        page.select_option(control, value="")
    page.click("#kg-show-background")
    page.click("#kg-show-background")
    page.wait_for_function("() => document.body.dataset.state === 'ready'")
    visible = page.evaluate("() => kgViz.nodes.getIds({filter: n => !n.hidden})")
    assert visible
    click_node(any_page, SUMMIT if SUMMIT in visible else visible[0])
    assert not any_page.page_errors, any_page.page_errors
    assert not any_page.console_errors, any_page.console_errors
    assert not any_page.dialogs, any_page.dialogs


def test_viz_browser_ready_means_stable(browser, any_page: Opened) -> None:
    """Once the page says "ready", nodes stay where they are (else clicks miss and pictures differ)."""
    with open_page(browser, any_page.html) as fresh:  # a page just ready, not one clicked on already
        page = fresh.page
        before = page.evaluate("() => kgViz.network.getPositions()")
        page.wait_for_timeout(1_500)  # watch the drawn network for a while: nothing may move
        after = page.evaluate("() => kgViz.network.getPositions()")
        moved = {node: (before[node], after[node]) for node in before
                 if abs(before[node]["x"] - after[node]["x"]) + abs(before[node]["y"] - after[node]["y"]) > 1}
        assert not moved, f"{len(moved)} of {len(before)} nodes moved after 'ready', e.g. {next(iter(moved.items()))}"


# --- readable at first sight: label sizes at first view, after a click, after a class filter ------------

# The label of each node is measured as drawn: the page's canvas context records every fillText (text,
# font size × the context's transform, where it lands on screen) during one redraw. A node's label is
# the line that starts its label, nearest below the node; none means vis-network did not draw it (off
# screen, or under its draw threshold). `vis` is the same size from vis-network's own objects:
# the label's font size × network.getScale().
LABELS = """(ids) => new Promise((resolve) => {
    const net = kgViz.network, canvas = net.canvas.frame.canvas, ctx = canvas.getContext('2d');
    const ratio = canvas.width / canvas.clientWidth;  // device pixels per CSS pixel
    const texts = [];
    ctx.fillText = function (text, x, y) {
        const m = this.getTransform(), size = parseFloat(/([0-9.]+)px/.exec(this.font)[1]);
        const width = this.measureText(text).width;
        texts.push({text: String(text), px: size * Math.hypot(m.a, m.b) / ratio,
                    x: (m.a * (x + width / 2) + m.c * y + m.e) / ratio, y: (m.b * x + m.d * y + m.f) / ratio});
        return CanvasRenderingContext2D.prototype.fillText.apply(this, arguments);
    };
    net.once('afterDrawing', () => {
        delete ctx.fillText;
        const scale = net.getScale(), w = canvas.clientWidth, h = canvas.clientHeight, out = {};
        for (const id of ids) {
            const item = kgViz.nodes.get(id), node = net.body.nodes[id];
            const label = String(item.label), at = net.canvasToDOM(net.getPositions([id])[id]);
            const font = node.labelModule.fontOptions.size, reach = (node.options.size + 4 * font) * scale + 12;
            let best = null, distance = Infinity;
            for (const t of texts) {
                const d = Math.hypot(t.x - at.x, t.y - at.y);
                if (t.text.trim() && label.startsWith(t.text) && d < reach && d < distance) { best = t; distance = d; }
            }
            out[id] = {label: label.slice(0, 24), hidden: !!item.hidden, vis: font * scale,
                       drawn: best && best.px, onScreen: !!best && best.x > 0 && best.x < w && best.y > 0 && best.y < h,
                       inside: at.x > 0 && at.x < w && at.y > 0 && at.y < h};
        }
        resolve({scale, labels: out});
    });
    net.redraw();
})"""
SETTLED = "() => document.body.dataset.state === 'ready' && document.body.dataset.view === 'still'"
STATES = ("first-view", "after-click", "after-filter")
FILTER_CLASS = "State"  # 国家: the filter of the issue


def most_central(graph: Path, top: int = 10) -> list[str]:
    """The ``top`` most central nodes of the page's graph: kg.viz.layout.central's ranking (the
    entities of kg stats --central), most links first."""
    from kg.viz import data, layout

    rows = sorted(layout.central(data.load(graph), top=top), key=lambda r: (-r["degree"], r["label"], r["id"]))
    return [r["id"] for r in rows[:top]]


@dataclass
class Views:
    """The label sizes measured in each state of one page, and what the class filter left."""

    page: str
    central: list[str]
    neighbours: list[str] = field(default_factory=list)
    states: dict[str, dict] = field(default_factory=dict)
    filtered: dict = field(default_factory=dict)


def measure_views(browser, html: Path, graph: Path, name: str, screenshots: bool) -> Views:
    """Open ``html`` fresh and measure the labels of the main summit and the ten most central nodes
    at first view, after a click on the summit, after the class filter; screenshot each state."""
    views = Views(name, most_central(graph))
    with open_page(browser, html) as opened:
        page = opened.page
        focus = page.evaluate("() => kgViz.focus")
        assert focus == SUMMIT, f"the page frames {focus} first, not the main summit"
        ids = [SUMMIT, *[i for i in views.central if i != SUMMIT]]
        views.neighbours = page.evaluate("""(id) => kgViz.network.getConnectedNodes(id)
            .filter(n => !kgViz.nodes.get(n).hidden)""", SUMMIT)

        def state(key: str) -> None:
            page.wait_for_function(SETTLED)
            views.states[key] = page.evaluate(LABELS, list(dict.fromkeys(ids + views.neighbours)))
            if screenshots:
                save_screenshot(page, ROOT / "docs" / f"viz-{key}.png")

        state("first-view")
        click_node(opened, SUMMIT)
        state("after-click")
        page.mouse.click(*first_empty_point(page))  # clear the click's highlight, then filter
        page.select_option("#kg-filter-class", FILTER_CLASS)
        state("after-filter")
        views.filtered = page.evaluate("""(cls) => {
            const D = JSON.parse(document.getElementById('kg-data').textContent);
            const shown = kgViz.nodes.get({filter: n => !n.hidden});
            const of = shown.filter(n => D.classKeys[D.ni[D.nodes.findIndex(m => m.id === n.id)][0]] === cls);
            return {count: document.getElementById('kg-count').textContent, nodes: shown.length, ofClass: of.length,
                    edges: kgViz.edges.get({filter: e => !e.hidden}).length};
        }""", FILTER_CLASS)
        assert not opened.page_errors and not opened.console_errors, (opened.page_errors, opened.console_errors)
    return views


def save_screenshot(page, path: Path) -> None:
    """The viewport as a PNG of 256 colours (Pillow's max-coverage palette refined by k-means: flat
    colours stay exact, no channel moves by more than about 12; a third of the bytes)."""
    import io

    from PIL import Image

    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    path.parent.mkdir(exist_ok=True)
    palette = shot.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, kmeans=3, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)


def first_empty_point(page) -> tuple[float, float]:
    """A point of the canvas with no node or edge under it (a click there clears the selection)."""
    point = page.evaluate("""() => {
        const net = kgViz.network, box = document.querySelector('#kg-network canvas').getBoundingClientRect();
        for (let y = 10; y < box.height; y += 23) for (let x = 10; x < box.width; x += 23)
            if (net.getNodeAt({x, y}) === undefined && net.getEdgeAt({x, y}) === undefined)
                return [box.left + x, box.top + y];
        return null; }""")
    assert point, "no empty point on the canvas"
    return point[0], point[1]


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every bundled article in one graph, as tools/render_viz.py draws viz/corpus.html."""
    return build(ARTICLES, tmp_path_factory.mktemp("viz-corpus") / "corpus.trig")


@pytest.fixture(scope="module", params=["seed", "corpus"])
def views(request: pytest.FixtureRequest, browser, sco2020: dict[str, Path], tmp_path_factory) -> Views:
    """Label sizes of the seed article's page and of the corpus page; the corpus page's states are the
    screenshots of docs/ when KG_UPDATE_SCREENSHOT=1."""
    graph = sco2020[".trig"] if request.param == "seed" else request.getfixturevalue("corpus_graph")
    html = render(graph, tmp_path_factory.mktemp(f"viz-views-{request.param}") / f"{request.param}.html")
    update = request.param == "corpus" and os.environ.get("KG_UPDATE_SCREENSHOT") == "1"
    return measure_views(browser, html, graph, request.param, update)


@pytest.mark.parametrize("key", STATES)
def test_viz_browser_labels_readable(views: Views, key: str) -> None:
    """The summit's label and those of the ten most central nodes the view shows are drawn at ≥ 12 px;
    every one of them left by the filter is at ≥ 12 px by vis-network's own numbers too."""
    measured = views.states[key]
    labels = {i: measured["labels"][i] for i in [SUMMIT, *views.central]}
    print(f"{views.page} {key}: scale {measured['scale']:.3f}; " + "; ".join(
        f"{m['label']} {m['drawn'] or 0:.1f}px{'' if m['onScreen'] else ' (off screen)'}"
        f"{' (hidden)' if m['hidden'] else ''}" for m in labels.values()))
    summit = labels[SUMMIT]
    assert summit["onScreen"] and summit["drawn"] >= READABLE_PX, summit
    small = {i: m for i, m in labels.items() if not m["hidden"] and (m["vis"] < READABLE_PX
                                                                      or (m["drawn"] or 99) < READABLE_PX)}
    assert not small, f"labels under {READABLE_PX} px at {key}: {small}"
    assert len(views.central) == 10
    if key == "after-click":  # the summit's neighbours the view shows are all named
        around = {i: measured["labels"][i] for i in views.neighbours}
        unnamed = {i: m for i, m in around.items() if m["inside"] and (m["drawn"] or 0) < READABLE_PX}
        assert not unnamed and len(around) > 10, f"neighbours not named after the click: {unnamed}"


def test_viz_browser_class_filter_keeps_links_and_neighbours(views: Views) -> None:
    filtered = views.filtered
    assert filtered["ofClass"] > 0 and filtered["edges"] > 0, filtered
    assert filtered["nodes"] > filtered["ofClass"], f"no neighbour kept: {filtered}"
    assert not filtered["count"].endswith(" 0 条连线"), filtered


def fresh_view_of(page) -> dict:
    """The view and the positions of the nodes shown."""
    return page.evaluate("""() => ({scale: kgViz.network.getScale(), at: kgViz.network.getViewPosition(),
        positions: kgViz.network.getPositions(kgViz.nodes.getIds({filter: n => !n.hidden}))})""")


def test_viz_browser_background_toggle_keeps_the_view(browser, sco2020_page: Opened) -> None:
    """Showing the background nodes moves no article node and changes neither scale nor centre."""
    with open_page(browser, sco2020_page.html) as fresh:
        page = fresh.page
        before = fresh_view_of(page)
        page.click("#kg-show-background")
        page.wait_for_timeout(300)  # a few frames: nothing may start moving
        after = fresh_view_of(page)
        assert len(after["positions"]) > 2 * len(before["positions"])  # the background is drawn
        assert after["scale"] == pytest.approx(before["scale"]) and after["at"] == pytest.approx(before["at"])
        moved = [n for n, p in before["positions"].items()
                 if abs(p["x"] - after["positions"][n]["x"]) + abs(p["y"] - after["positions"][n]["y"]) > 1]
        assert not moved, f"{len(moved)} article nodes moved when the background was shown"


@pytest.mark.parametrize(("scale", "named"), [(0.3, "lead"), (1.0, "all")], ids=["zoomed-out", "zoomed-in"])
def test_viz_browser_level_of_detail(browser, sco2020_page: Opened, scale: float, named: str) -> None:
    """Zoomed out, the lead nodes (summits, the most central) keep labels of 12 px and the others are
    not drawn smaller; zoomed in, every node in view is named."""
    with open_page(browser, sco2020_page.html) as fresh:
        page = fresh.page
        page.evaluate("([id, s]) => kgViz.network.moveTo({position: kgViz.network.getPositions([id])[id], "
                      "scale: s, animation: false})", [SUMMIT, scale])
        lead = set(page.evaluate("""() => { const D = JSON.parse(document.getElementById('kg-data').textContent);
            return D.lead.map(k => D.nodes[k].id); }"""))
        ids = page.evaluate("() => kgViz.nodes.getIds({filter: n => !n.hidden})")
        labels = page.evaluate(LABELS, ids)["labels"]
        inside = {i: m for i, m in labels.items() if m["inside"]}
        assert SUMMIT in lead and len(inside) > 10
        too_small = {i: m for i, m in inside.items() if m["drawn"] is not None and m["drawn"] < READABLE_PX - 1}
        assert not too_small, f"labels drawn under {READABLE_PX - 1} px: {too_small}"
        unnamed = {m["label"] for i, m in inside.items() if m["drawn"] is None and (named == "all" or i in lead)}
        assert not unnamed, f"unnamed at scale {scale}: {unnamed}"
        if named == "lead":  # the level of detail: most of the other nodes are not named from this far
            others = [m for i, m in inside.items() if i not in lead]
            assert sum(m["drawn"] is None for m in others) > len(others) / 2, others


def test_viz_browser_legend_beside_the_canvas_and_full_names_in_selects(sco2020_page: Opened) -> None:
    page = sco2020_page.page
    boxes = page.evaluate("""() => [document.querySelector('#kg-legend'), document.querySelector('#kg-network canvas')]
        .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
    (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes
    assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, f"the legend {boxes[0]} covers the canvas {boxes[1]}"
    options = page.evaluate("""() => [...document.querySelectorAll('#kg-bar select option')]
        .map(o => [o.textContent, o.title])""")
    assert options and all(text == title for text, title in options), options
    page.select_option("#kg-filter-summit", SUMMIT)
    assert page.evaluate("() => document.querySelector('#kg-filter-summit').title") == f"{SUMMIT_LABEL} (2020-11-10)"
    page.select_option("#kg-filter-summit", "")
