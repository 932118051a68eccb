"""The query page of ``kg serve`` (``kg.serve.page.query_page``): its HTML, and the page in a real
browser, served by ``kg serve``'s application on 127.0.0.1, running an example query and showing
its rows.

The browser tests need Debian's ``chromium`` (as ``tests/test_viz_browser.py``) and are skipped,
with the reason, only when ``/usr/bin/chromium`` is absent. The application serves a store of the
development article built with ``kg build``, on uvicorn in a thread on a free port of 127.0.0.1.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kg.errors import InputError
from kg.query import bundled_queries
from kg.serve.page import about, query_page
from kg.sparql import PREFIXES

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "data" / "vendor" / "yasgui"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
TIMEOUT_MS = 30_000
#: Attributes through which markup makes the browser fetch something.
FETCHING = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background", "ping", "manifest"}


class Parsed(HTMLParser):
    """Elements, attributes and the text of every ``<script>``/``<style>`` of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[tuple[str, dict[str, str], str]] = []  # (tag, attrs, raw text)
        self._open: tuple[str, dict[str, str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values))
        if tag in ("script", "style"):
            self._open = (tag, values)

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts.append((*self._open, data))
            self._open = None

    def by_id(self, ident: str) -> dict[str, str] | None:
        return next((attrs for _tag, attrs in self.elements if attrs.get("id") == ident), None)

    def csp(self) -> dict[str, list[str]]:
        meta = next(a for t, a in self.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        return {name: values for name, *values in (part.split() for part in meta["content"].split(";"))}

    def payload(self) -> dict:
        return json.loads(next(text for _t, attrs, text in self.texts if attrs.get("id") == "kg-data"))


@pytest.fixture(scope="module")
def page() -> str:
    return query_page()


@pytest.fixture(scope="module")
def parsed(page: str) -> Parsed:
    return Parsed(page)


def test_markup_and_styles_fetch_nothing_from_another_host(parsed: Parsed) -> None:
    remote = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
    fetched = [(tag, name, value) for tag, attrs in parsed.elements for name, value in attrs.items()
               if name in FETCHING and remote.search(value)]
    assert not fetched
    assert not [attrs for tag, attrs in parsed.elements if tag == "meta" and attrs.get("http-equiv") == "refresh"]
    styles = "".join(text for tag, _a, text in parsed.texts if tag == "style")
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", styles, re.IGNORECASE)
    assert "@font-face" not in styles


def test_scripts_name_no_public_endpoint_nor_source_map(parsed: Parsed) -> None:
    scripts = "".join(text for tag, _a, text in parsed.texts if tag == "script")
    for gone in ("dbpedia.org/sparql", "query.wikidata.org", "sourceMappingURL", "prefix.cc/popular"):
        assert gone not in scripts, gone


def test_policy_allows_own_scripts_and_own_origin_only(parsed: Parsed) -> None:
    """The Content-Security-Policy is what keeps every request on the page's origin, whatever a
    user types: nothing by default, the page's own scripts by hash, fetches to 'self' only."""
    csp = parsed.csp()
    assert csp["default-src"] == ["'none'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
    assert not [v for values in csp.values() for v in values if v not in ("'self'", "'none'", "'unsafe-inline'",
                                                                          "data:") and not v.startswith("'sha256-")]
    executed = [text for tag, attrs, text in parsed.texts if tag == "script" and "type" not in attrs]
    assert len(executed) == 2
    hashes = sorted(f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'" for t in executed)
    assert sorted(csp["script-src"]) == hashes
    assert "<script" not in "".join(text for tag, attrs, text in parsed.texts if attrs.get("id") == "kg-data")


def test_every_bundled_query_is_an_example(parsed: Parsed) -> None:
    queries = bundled_queries()
    buttons = [attrs["data-query"] for tag, attrs in parsed.elements if tag == "button" and "data-query" in attrs]
    assert buttons == list(queries)
    assert dict(parsed.payload()["examples"]) == queries
    assert parsed.payload()["prefixes"] == PREFIXES


@pytest.mark.parametrize("endpoint", ["/sparql", "/kg/query", "sparql"], ids=["default", "deeper", "relative"])
def test_endpoint_is_configurable(endpoint: str) -> None:
    parsed = Parsed(query_page(endpoint=endpoint, examples={"one": "SELECT * WHERE { ?s ?p ?o }"}))
    assert parsed.payload()["endpoint"] == endpoint


@pytest.mark.parametrize("endpoint", ["http://example.org/sparql", "https://127.0.0.1:8000/sparql",
                                      "//example.org/sparql", "javascript:alert(1)", "/sp arql", "\\\\host/sparql"],
                         ids=["http", "https", "scheme-relative", "javascript", "space", "backslashes"])
def test_endpoint_on_another_host_is_refused(endpoint: str) -> None:
    with pytest.raises(InputError, match="path on the page's own server"):
        query_page(endpoint=endpoint)


@pytest.mark.parametrize(("href", "link"), [("/network", "/network"), ("graph.html", "graph.html"), (None, None)],
                         ids=["default", "relative", "none"])
def test_network_link(href: str | None, link: str | None) -> None:
    parsed = Parsed(query_page(network_href=href, examples={"one": "ASK {}"}))
    anchor = parsed.by_id("kg-network")
    assert (anchor or {}).get("href") == link


def test_no_examples_is_refused() -> None:
    with pytest.raises(InputError, match="at least one example"):
        query_page(examples={})


def test_example_text_and_title_stay_text() -> None:
    sparql = '# evil: </script><script>alert(1)</script>\nSELECT ("</style>" AS ?x) {}'
    html = query_page(examples={"a<b>": sparql}, title="<i>T</i>")
    parsed = Parsed(html)
    assert dict(parsed.payload()["examples"]) == {"a<b>": sparql}
    assert "<i>T</i>" not in html and "&lt;i&gt;T&lt;/i&gt;" in html
    assert html.count("</script>") == 3  # the data and the two scripts
    button = next(attrs for tag, attrs in parsed.elements if tag == "button")
    assert button["data-query"] == "a<b>" and button["title"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize(("sparql", "expected"), [
    ("# members: who is a member. Columns: a, b\n# and more\nSELECT", "who is a member. Columns: a, b and more"),
    ("#\n# plain words\nSELECT", "plain words"),
    ("SELECT * {}\n# late comment", ""),
], ids=["named", "unnamed", "none"])
def test_about(sparql: str, expected: str) -> None:
    assert about(sparql) == expected


def test_vendored_files_are_what_the_tool_wrote() -> None:
    source = json.loads((VENDOR / "SOURCE.json").read_text(encoding="utf-8"))
    assert source["package"] == "@zazuko/yasgui" and source["licence"] == "MIT"
    assert re.fullmatch(r"\d+\.\d+\.\d+", source["version"]) and source["integrity"].startswith("sha512-")
    for name, entry in source["files"].items():
        raw = (VENDOR / name).read_bytes()
        assert (len(raw), hashlib.sha256(raw).hexdigest()) == (entry["bytes"], entry["sha256"]), name


# --- in a browser -------------------------------------------------------------------------------------------


class Served:
    """``kg serve``'s application over ``store`` on a real uvicorn in a thread, on a free port of
    127.0.0.1 (its query workers are processes)."""

    def __init__(self, store: Path) -> None:
        import uvicorn

        from kg.serve.app import ServeConfig, create_app, server_config

        config = ServeConfig(store=store, label="sco2020", workers=1, timeout=60)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(server_config(create_app(config), config))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        for _ in range(6000):
            if self.server.started:
                return self
            self.thread.join(0.01)
        raise AssertionError("kg serve did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


@pytest.fixture(scope="module")
def store(sco2020: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The development article built with ``kg build`` (shared fixture), loaded into a store."""
    from kg.store import GraphStore

    folder = tmp_path_factory.mktemp("page") / "store"
    GraphStore.open(folder, create=True).load(sco2020[".trig"])
    return folder


@pytest.fixture(scope="module")
def served(store: Path) -> Iterator[Served]:
    with Served(store) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (Debian package chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                      timeout=TIMEOUT_MS)
        yield chromium
        chromium.close()


@pytest.fixture()
def opened(browser, served: Served) -> Iterator[tuple[object, list[str], list[str]]]:  # type: ignore[no-untyped-def]
    """The page in a fresh browser context (a fresh profile: empty localStorage), ready; with the
    URL of every request and every console error and page error."""
    context = browser.new_context(service_workers="block")
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda req: requests.append(req.url))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda msg: errors.append(f"{msg.type}: {msg.text}") if msg.type in ("error", "assert")
            else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:|data:)"), lambda route: route.abort())
    try:
        page.goto(served.url + "/", wait_until="load")
        page.wait_for_function("() => document.body.dataset.state === 'ready'")
        yield page, requests, errors
    finally:
        context.close()


def foreign(requests: list[str]) -> list[str]:
    return [url for url in requests if not url.startswith("data:") and urlsplit(url).hostname != "127.0.0.1"]


def test_page_runs_an_example_and_shows_rows(opened, served: Served, store) -> None:  # type: ignore[no-untyped-def]
    page, requests, errors = opened
    queries = bundled_queries()
    first = next(iter(queries))
    assert page.evaluate("() => kgQuery.yasgui.getTab().getQuery()") == queries[first]  # fresh profile
    assert page.get_attribute(f"#kg-examples button[data-query='{first}']", "aria-current") == "true"
    page.click("#kg-examples button[data-query='members']")
    assert page.evaluate("() => [kgQuery.yasgui.getTab().getQuery(), kgQuery.yasgui.getTab().getName()]") == \
        [queries["members"], "members"]
    page.click(".tabPanel.active .yasqe_queryButton")
    rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr")
    rows.first.wait_for()
    from kg.store import GraphStore

    expected = list(GraphStore.open(store, read_only=True).query(queries["members"]))
    assert 0 < len(expected) <= 50  # one page of the table
    assert rows.count() == len(expected)
    assert expected[0]["label"].value in rows.first.inner_text()
    assert not foreign(requests), foreign(requests)
    assert {urlsplit(u).path for u in requests} >= {"/", "/sparql"}
    assert not errors


def test_no_completion_asks_another_host_and_prefixes_are_declared(opened) -> None:  # type: ignore[no-untyped-def]
    page, requests, errors = opened
    completers = page.evaluate("() => kgQuery.yasgui.getTab().getYasqe().config.autocompleters")
    assert "prefixes" in completers and not {"class", "property"} & set(completers)
    page.evaluate("() => { kgQuery.yasgui.getTab().setQuery('SELECT * WHERE {\\n  ?s ?p ?o\\n}'); }")
    page.evaluate("() => { const y = kgQuery.yasgui.getTab().getYasqe(); y.focus(); y.setCursor({line: 1, ch: 5}); }")
    page.keyboard.type("a skg:")  # ?s a skg: — a known prefix: its PREFIX line is added
    page.wait_for_function("() => kgQuery.yasgui.getTab().getQuery().startsWith('PREFIX skg:')")
    assert page.evaluate("() => kgQuery.yasgui.getTab().getQuery()").splitlines()[0] == \
        f"PREFIX skg: <{PREFIXES['skg']}>"
    page.keyboard.type("Summit ; schema:name ?n")
    page.wait_for_function("() => kgQuery.yasgui.getTab().getQuery().includes('PREFIX schema:')")
    assert f"PREFIX schema: <{PREFIXES['schema']}>" in page.evaluate("() => kgQuery.yasgui.getTab().getQuery()")
    assert not foreign(requests), foreign(requests)
    assert not errors


def test_network_link_opens_the_network_page(opened, served: Served) -> None:  # type: ignore[no-untyped-def]
    page, requests, errors = opened
    page.click("#kg-network")
    page.wait_for_url(served.url + "/network")
    assert not foreign(requests) and not errors
