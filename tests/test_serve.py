"""``kg serve``: the SPARQL 1.1 Protocol over a real uvicorn on 127.0.0.1 (a free port), its worker
processes, limits and refusals, checked against pyoxigraph answering the same store directly."""
from __future__ import annotations

import csv
import importlib.util
import io
import itertools
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from listening import Listener

from kg.cli import main
from kg.query import bundled_queries
from kg.serve.answer import ResultTooLarge, answer
from kg.serve.app import ServeConfig, create_app, server_config
from kg.serve.formats import negotiate
from kg.serve.protocol import MAX_URL
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "articles" / "sco2020_video_summit.txt"
ARTICLE_GRAPH = "https://w3id.org/summit-kg/graph/article/sco2020_video_summit"
MAX_ROWS = 2000
TIMEOUT = 2.0
SELECT = "SELECT ?s ?label WHERE { ?s a skg:Summit ; skos:prefLabel ?label } ORDER BY ?s ?label"
CONSTRUCT = "CONSTRUCT { ?s a skg:Summit ; skos:prefLabel ?label } WHERE { ?s a skg:Summit ; skos:prefLabel ?label }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # a cartesian product, billions
CRASH = "SELECT * WHERE { BIND(" + "+".join(["1"] * 20000) + " AS ?x) }"  # overflows the engine's stack
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
               "rdfxml": "application/rdf+xml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("serve")
    graph = folder / "sco2020.trig"
    assert main(["build", str(ARTICLE), "-o", str(graph), "-q"]) == 0
    store = folder / "store"
    GraphStore.open(store, create=True).load(graph)
    return {"graph": graph, "store": store}


@pytest.fixture(scope="module")
def direct(built: dict[str, Path]) -> GraphStore:
    """The served store, opened read-only here too: the answers the endpoint must give."""
    return GraphStore.open(built["store"], read_only=True)


class Served:
    """The app on a real uvicorn in a thread (its workers are processes)."""

    def __init__(self, config: ServeConfig, http: Any = None) -> None:
        import uvicorn

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        settings = server_config(create_app(config), config)
        if http is not None:  # another HTTP parser than the one kg serve picks
            settings.http = http
        self.server = uvicorn.Server(settings)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        self.client = httpx.Client(base_url=self.url, timeout=30, trust_env=False)

    def close(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


@pytest.fixture(scope="module")
def served(built: dict[str, Path]) -> Iterator[Served]:
    server = Served(ServeConfig(store=built["store"], label="sco2020.trig", workers=2, timeout=TIMEOUT,
                                max_rows=MAX_ROWS))
    yield server
    server.close()


@pytest.fixture()
def client(served: Served) -> httpx.Client:
    return served.client


def solutions(body: bytes, fmt: str) -> list[dict[str, str]]:
    results = ox.parse_query_results(body, getattr(ox.QueryResultsFormat, fmt.upper()))
    return [{v.value: str(s[v]) for v in results.variables if s[v] is not None} for s in results]


def expected_solutions(direct: GraphStore, query: str, **dataset: Any) -> list[dict[str, str]]:
    body = direct.query(query, **dataset).serialize(format=ox.QueryResultsFormat.JSON)
    return solutions(body, "json")


def triples(body: bytes, fmt: str) -> set[str]:
    name = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}[fmt]
    return {str(t) for t in ox.parse(body, format=getattr(ox.RdfFormat, name))}


# -- results in every format -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(RESULT_TYPES), ids=list(RESULT_TYPES))
def test_select_in_every_result_format_by_accept(client: httpx.Client, direct: GraphStore, fmt: str) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": RESULT_TYPES[fmt]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == RESULT_TYPES[fmt]
    expected = expected_solutions(direct, SELECT)
    assert expected
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[0] == ["s", "label"] and len(table) == len(expected) + 1
    else:
        assert solutions(response.content, fmt) == expected


@pytest.mark.parametrize("fmt", list(GRAPH_TYPES), ids=list(GRAPH_TYPES))
def test_construct_in_every_graph_format_by_accept(client: httpx.Client, direct: GraphStore, fmt: str) -> None:
    response = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": GRAPH_TYPES[fmt]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == GRAPH_TYPES[fmt]
    expected = {str(t) for t in direct.query(CONSTRUCT)}
    assert expected and triples(response.content, fmt) == expected


@pytest.mark.parametrize(("form", "value", "media"), [
    ("SELECT", "tsv", "text/tab-separated-values"), ("SELECT", "xml", "application/sparql-results+xml"),
    ("SELECT", "text/csv", "text/csv"), ("CONSTRUCT", "json-ld", "application/ld+json"),
    ("CONSTRUCT", "nt", "application/n-triples"), ("CONSTRUCT", "rdf+xml", "application/rdf+xml"),
], ids=["tsv", "xml", "media-type", "json-ld", "nt", "rdf+xml"])
def test_format_parameter_overrides_accept(client: httpx.Client, form: str, value: str, media: str) -> None:
    query = SELECT if form == "SELECT" else CONSTRUCT
    response = client.get("/sparql", params={"query": query, "format": value},
                          headers={"Accept": "application/sparql-results+json, text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize(("form", "accept", "name"), [
    ("SELECT", None, "json"), ("SELECT", "*/*", "json"), ("CONSTRUCT", None, "turtle"),
    ("SELECT", "text/csv;q=0.5, text/tab-separated-values", "tsv"),
    ("CONSTRUCT", "application/json", "jsonld"), ("ASK", "application/xml", "xml"),
    ("SELECT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "xml"),
], ids=["select-default", "any", "graph-default", "q-values", "json-graph", "ask-xml", "browser"])
def test_negotiation(form: str, accept: str | None, name: str) -> None:
    assert negotiate(form, accept).name == name


def test_ask_and_describe(client: httpx.Client) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?s a skg:Summit }"})
    assert ask.json() == {"head": {}, "boolean": True}
    describe = client.get("/sparql", params={"query": "DESCRIBE state:CN"}, headers={"Accept": "text/turtle"})
    assert describe.status_code == 200 and "state:CN" in describe.text


@pytest.mark.parametrize("how", ["get", "form", "direct"], ids=["get", "post-form", "post-sparql-query"])
def test_protocol_operations(client: httpx.Client, direct: GraphStore, how: str) -> None:
    if how == "get":
        response = client.get("/sparql", params={"query": SELECT})
    elif how == "form":
        response = client.post("/sparql", data={"query": SELECT})
    else:
        response = client.post("/sparql", content=SELECT.encode(),
                               headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert response.status_code == 200, response.text
    assert solutions(response.content, "json") == expected_solutions(direct, SELECT)


def test_default_graph_uri_and_named_graph_uri(client: httpx.Client, direct: GraphStore) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    inside = client.get("/sparql", params={"query": count, "default-graph-uri": ARTICLE_GRAPH})
    merge = client.get("/sparql", params={"query": count})
    assert solutions(inside.content, "json") == expected_solutions(direct, count, default_graph=[ARTICLE_GRAPH])
    assert solutions(inside.content, "json") != solutions(merge.content, "json")
    names = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = client.post("/sparql", content=names.encode(), params={"named-graph-uri": ARTICLE_GRAPH},
                        headers={"Content-Type": "application/sparql-query"})
    assert solutions(named.content, "json") == [{"g": f"<{ARTICLE_GRAPH}>"}]
    # named graphs alone: the default graph is empty (SPARQL 1.1 Protocol, 2.1.4)
    empty = client.get("/sparql", params={"query": count, "named-graph-uri": ARTICLE_GRAPH})
    assert solutions(empty.content, "json")[0]["n"].startswith('"0"')
    bad = client.get("/sparql", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "default-graph-uri" in bad.text


# -- SPARQLWrapper -----------------------------------------------------------------------------


# SPARQLWrapper reads JSON-LD and RDF/XML into rdflib's ConjunctiveGraph, which rdflib 7 deprecates
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("fmt", "method"), [
    ("JSON", "GET"), ("XML", "GET"), ("CSV", "POST"), ("TSV", "POST"), ("JSON", "POSTDIRECTLY"),
    ("TURTLE", "GET"), ("N-Triples", "POST"), ("JSONLD", "POST"), ("RDFXML", "GET"),
], ids=["json", "xml", "csv", "tsv", "json-post-directly", "turtle", "n-triples", "json-ld", "rdf-xml"])
def test_sparqlwrapper(served: Served, direct: GraphStore, fmt: str, method: str) -> None:
    import SPARQLWrapper as sw

    wrapper = sw.SPARQLWrapper(f"{served.url}/sparql")
    graph_result = fmt in ("TURTLE", "N-Triples", "JSONLD", "RDFXML")
    wrapper.setQuery(CONSTRUCT if graph_result else SELECT)
    if fmt == "N-Triples":  # SPARQLWrapper has no name for it: plain content negotiation
        wrapper.setOnlyConneg(True)
        wrapper.addCustomHttpHeader("Accept", "application/n-triples")
        wrapper.setReturnFormat(sw.TURTLE)
    else:
        wrapper.setReturnFormat(getattr(sw, fmt))
    if method == "POSTDIRECTLY":
        wrapper.setMethod(sw.POST)
        wrapper.setRequestMethod(sw.POSTDIRECTLY)
    else:
        wrapper.setMethod(getattr(sw, method))
    result = wrapper.query().convert()
    if graph_result:
        expected = {str(t) for t in direct.query(CONSTRUCT)}
        graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
            data=result, format="nt" if fmt == "N-Triples" else "turtle")
        assert len(graph) == len(expected) > 0
    elif fmt == "JSON":
        assert len(result["results"]["bindings"]) == len(expected_solutions(direct, SELECT))
    elif fmt == "XML":
        assert len(result.getElementsByTagName("result")) == len(expected_solutions(direct, SELECT))
    else:
        lines = result.decode("utf-8").splitlines()
        assert len(lines) == len(expected_solutions(direct, SELECT)) + 1


@pytest.mark.parametrize(("fmt", "how"), [(fmt, how) for fmt, how in zip(
    [*RESULT_TYPES, *GRAPH_TYPES], itertools.cycle(["post", "get", "post-file"]), strict=False)],
    ids=[*RESULT_TYPES, *GRAPH_TYPES])
def test_curl_in_every_format(served: Served, direct: GraphStore, tmp_path: Path, fmt: str, how: str) -> None:
    """curl itself, as the README shows it: the query form-encoded by ``--data-urlencode`` (POST,
    ``-G`` for GET, ``query@FILE`` from a file), the format by ``Accept``."""
    import shutil

    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed (Debian: apt-get install curl)")
    graph = fmt in GRAPH_TYPES
    query = CONSTRUCT if graph else SELECT
    media = (GRAPH_TYPES if graph else RESULT_TYPES)[fmt]
    if how == "post-file":
        (tmp_path / "q.rq").write_text(query, encoding="utf-8")
        data = f"query@{tmp_path / 'q.rq'}"
    else:
        data = f"query={query}"
    command = [curl, "-sS", "--max-time", "30", "-H", f"Accept: {media}", "--data-urlencode", data,
               "-w", "\n%{http_code} %{content_type}", f"{served.url}/sparql", *(["-G"] if how == "get" else [])]
    done = subprocess.run(command, capture_output=True, timeout=60, check=True)
    body, _, status = done.stdout.rpartition(b"\n")
    assert status.decode().split(" ")[0] == "200", done.stdout[-300:]
    assert status.decode().split(" ")[1].split(";")[0] == media
    if graph:
        assert triples(body, fmt) == {str(t) for t in direct.query(CONSTRUCT)}
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) == len(expected_solutions(direct, SELECT)) + 1
    else:
        assert solutions(body, fmt) == expected_solutions(direct, SELECT)


# -- the service description, CORS, pages, the log --------------------------------------------


def test_service_description_parses(client: httpx.Client, served: Served, direct: GraphStore) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    (service,) = graph.subjects(rdflib.RDF.type, sd.Service)
    assert graph.value(service, sd.endpoint) == rdflib.URIRef(f"{served.url}/sparql")
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert len(set(graph.objects(service, sd.resultFormat))) == 8
    assert (service, sd.feature, sd.UnionDefaultGraph) not in graph  # the default graph is the merge
    default = graph.value(graph.value(service, sd.defaultDataset), sd.defaultGraph)
    triples_of = rdflib.URIRef("http://rdfs.org/ns/void#triples")
    assert int(graph.value(default, triples_of)) == direct.triple_count()
    names = {str(name) for name in graph.objects(None, sd.name)}
    assert names == set(direct.named_graphs())


def test_cors(client: httpx.Client) -> None:
    simple = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://example.org"})
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in simple.headers
    preflight = client.options("/sparql", headers={"Origin": "http://example.org",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize(("root_path", "path", "method", "route"), [
    ("", "/sparql", "GET", "sparql"),
    ("", "/sparql", "POST", "sparql"),
    ("", "/sparql", "OPTIONS", "pages"),  # a CORS preflight: Starlette's middleware answers it
    ("", "/", "GET", "pages"),
    ("", "/sparql/", "GET", "pages"),
    ("/kg", "/kg/sparql", "GET", "sparql"),
    ("/kg", "/kg/sparql", "POST", "sparql"),
    ("/kg", "/kg/sparqlx", "GET", "pages"),
    ("/kg", "/kg", "GET", "pages"),
    ("/kg", "/kg/network", "GET", "pages"),
], ids=["get", "post", "preflight", "page", "slash", "mounted-get", "mounted-post", "mounted-longer", "mounted-root",
        "mounted-page"])
def test_sparql_requests_take_the_short_route_mounted_or_not(root_path: str, path: str, method: str,
                                                              route: str) -> None:
    import asyncio

    from kg.serve.app import _Front

    taken = []

    def app(name: str) -> Any:
        async def answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
            taken.append(name)
        return answer

    scope = {"type": "http", "method": method, "path": path, "root_path": root_path}
    asyncio.run(_Front(app("sparql"), app("pages"))(scope, None, None))
    assert taken == [route]


def test_query_page_and_network_page(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/sparql" in page.text
    network = client.get("/network")
    assert network.status_code == 200 and "vis" in network.text and "<html" in network.text.lower()
    start = time.monotonic()
    assert client.get("/network").text == network.text  # drawn once
    assert time.monotonic() - start < 1


def test_one_log_line_per_request(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    # The server logs after the last byte is sent, so a line may land a moment after the client has its
    # answer; the line of an earlier test's request can land here too, so only /sparql lines count.
    def sparql_lines() -> list[str]:
        return [m for r in caplog.records if r.name == "kg.serve" and " /sparql " in (m := r.getMessage())]

    with caplog.at_level(logging.INFO, logger="kg.serve"):
        client.post("/sparql", data={"query": SELECT})
        client.post("/sparql", data={"query": "SELECT * WHERE {"})
        deadline = time.monotonic() + 5
        while len(sparql_lines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # a duplicate line would have arrived by now
    lines = sparql_lines()
    assert len(lines) == 2
    assert " POST /sparql 200 " in lines[0] and "SELECT" in lines[0] and " rows" in lines[0]
    assert " POST /sparql 400 " in lines[1] and "error: SPARQL syntax error" in lines[1]


# -- refusals and limits -----------------------------------------------------------------------


@pytest.mark.parametrize("request_kind", ["service", "service-lower-case", "load-as-query", "load-as-update",
                                          "insert-as-query", "update-form", "update-body"])
def test_nothing_leaves_and_writes_are_refused(client: httpx.Client, request_kind: str) -> None:
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/sparql"
    try:
        if request_kind == "service":
            query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
            response = client.get("/sparql", params={"query": query})
        elif request_kind == "service-lower-case":
            query = f"select * {{ service silent <{target}> {{ ?s ?p ?o }} }}"
            response = client.post("/sparql", data={"query": query})
        elif request_kind == "load-as-query":
            response = client.post("/sparql", data={"query": f"LOAD <{target}>"})
        elif request_kind == "load-as-update":
            response = client.post("/sparql", data={"update": f"LOAD <{target}>"})
        elif request_kind == "insert-as-query":
            response = client.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
        elif request_kind == "update-form":
            response = client.post("/sparql", data={"update": "DROP ALL"})
        else:
            response = client.post("/sparql", content=f"LOAD <{target}>".encode(),
                                   headers={"Content-Type": "application/sparql-update"})
        time.sleep(0.2)
    finally:
        listener.close()
    assert response.status_code == 403
    assert len(response.text.strip().splitlines()) == 1 and "refused" in response.text
    assert listener.connections == []
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize(("kwargs", "status", "words"), [
    ({"params": {"query": "SELECT * WHERE {"}}, 400, "syntax error at line 1"),
    ({"params": {"query": "SELECT ?x WHERE { ?x a undeclared:Thing }"}}, 400, "undeclared prefix"),
    ({"params": {"query": "no query here"}}, 400, "not a SPARQL query"),
    ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "give one"),
    ({"method": "POST", "data": {"format": "json"}}, 400, "no query"),
    ({"params": {"query": SELECT}, "headers": {"Accept": "image/png"}}, 406, "offered"),
    ({"params": {"query": CONSTRUCT, "format": "csv"}}, 406, "not a format of CONSTRUCT"),
    ({"method": "POST", "content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "application/sparql-query"),
    ({"method": "POST", "content": b"ASK {}", "headers": {"Content-Type": "application/sparql-query; charset=latin-1"}},
     415, "UTF-8"),
    ({"method": "POST", "data": {"query": "ASK {}" + " " * (1 << 20)}}, 413, "larger than"),
    ({"method": "PUT", "content": b"ASK {}"}, 405, ""),
], ids=["syntax", "prefix", "not-a-query", "two-queries", "no-query", "406-accept", "406-format", "415-type",
        "415-charset", "413-body", "405-put"])
def test_request_errors_are_one_line(client: httpx.Client, kwargs: dict[str, Any], status: int, words: str) -> None:
    method = kwargs.pop("method", "GET")
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == status
    assert words in response.text and len(response.text.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def served_h11(built: dict[str, Path]) -> Iterator[Served]:
    server = Served(ServeConfig(store=built["store"], workers=1, timeout=TIMEOUT, max_rows=MAX_ROWS), http="h11")
    yield server
    server.close()


@pytest.mark.parametrize("parser", ["httptools", "h11"])
@pytest.mark.parametrize(("excess", "status"), [(-100, 200), (1, 414), (1 << 18, 414)],
                         ids=["under", "just-over", "far-over"])
def test_a_url_longer_than_64_kib_is_414_with_either_parser(request: pytest.FixtureRequest, parser: str,
                                                            excess: int, status: int) -> None:
    import http.client
    from urllib.parse import quote

    if parser == "httptools":
        pytest.importorskip("httptools")
    served = request.getfixturevalue("served" if parser == "httptools" else "served_h11")
    start = "/sparql?query=" + quote("ASK {}#")
    host, port = served.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)  # httpx refuses such URLs itself
    try:
        connection.request("GET", start + "x" * (MAX_URL + excess - len(start)))
        response = connection.getresponse()
        body = response.read()
        assert response.status == status, body[:200]
        assert (b"POST the query" in body) == (status == 414)
    finally:
        connection.close()


@pytest.mark.parametrize(("request_head", "status", "words"), [
    (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * (2 << 20) + b"\r\n\r\n", b"431",
     b"headers are longer than"),
    (b"GET /sparql?query=ASK%7B%7D%23" + b"x" * (8 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414", b"POST the query"),
], ids=["2-MiB-header", "8-MiB-url"])
def test_a_huge_request_head_is_refused_whole_and_the_server_goes_on(served: Served, request_head: bytes,
                                                                     status: bytes, words: bytes) -> None:
    pytest.importorskip("httptools")
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request_head)  # all of it: the server reads what it refuses (no reset)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 " + status + b" ") and words in answer
    assert served.client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def _long_get(excess: int) -> bytes:
    start = b"/sparql?query=ASK%7B%7D%23"
    return b"GET " + start + b"x" * (MAX_URL + excess - len(start)) + b" HTTP/1.1\r\nHost: x\r\n\r\n"


def _pieces(data: bytes, *cuts: int) -> list[bytes]:
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


ASK = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
POST_HEAD = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
             b"Content-Length: 70006\r\n\r\n")
POST_BODY = b"ASK {}#" + b"x" * 69_999  # no space, CR or LF in the 70,002 bytes after its first space
CHUNKED = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n")
#: Writes after which the test reads an answer before it writes again.
ANSWERED = (ASK, POST_BODY)


@pytest.mark.parametrize(("writes", "statuses"), [
    ([_long_get(0)], [b"200"]),
    ([_long_get(1)], [b"414"]),
    (_pieces(_long_get(1), 2, 5, 40_000), [b"414"]),  # the method, then the target, in pieces
    (_pieces(_long_get(0), 2, 5, 40_000), [b"200"]),
    (_pieces(_long_get(1), 4, 4 + MAX_URL, 5 + MAX_URL), [b"414"]),  # cut at the target's first and last byte
    (_pieces(_long_get(0), 3, 4, 4 + MAX_URL), [b"200"]),  # cut at the space, the target's end
    ([b"\r\n" + _long_get(1)], [b"414"]),  # an empty line first (tolerated by the parser)
    ([POST_HEAD, POST_BODY, _long_get(1)], [b"200", b"414"]),  # a body in a piece of its own: not a URL
    ([ASK, _long_get(1)], [b"200", b"414"]),  # kept alive: the next request is measured again
    ([ASK + _long_get(1)], [b"200", b"414"]),  # pipelined: the second is measured by the parser's callback
    ([b"GET /sparql HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n"], [b"400"]),  # not HTTP: 400
    ([ASK + b"GET /sparql HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n"], [b"200", b"400"]),  # after the 200
    ([CHUNKED + b"6\r\nASK {}\r\nZZ\r\n"], [b"400"]),  # a broken body: the application is not left waiting
    ([CHUNKED + b"6\r\nASK {}\r\n", b"ZZ\r\n"], [b"400"]),  # the same, after the application has started
    ([ASK + CHUNKED + b"6\r\nASK {}\r\nZZ\r\n"], [b"200", b"400"]),  # the same, pipelined: after the 200
    ([b"GET http://x HTTP/1.1\r\nHost: x\r\n\r\n"], [b"400"]),  # an absolute URL without a path
], ids=["exactly-64-kib", "one-over", "over-in-pieces", "exactly-in-pieces", "over-cut-at-target",
        "exactly-cut-at-target", "leading-crlf", "post-body-then-long", "second-request", "pipelined",
        "invalid", "pipelined-invalid", "broken-body", "broken-body-later", "broken-body-pipelined",
        "no-path"])
def test_a_refused_request_is_one_log_line(served: Served, writes: list[bytes], statuses: list[bytes]) -> None:
    """A request the protocol refuses (a URL that httptools cannot parse, input that is not HTTP, a
    malformed body) is one ``kg.serve`` line, and uvicorn's own warning is not logged too."""
    pytest.importorskip("httptools")
    records: dict[str, list[str]] = {"uvicorn.error": [], "kg.serve": []}
    handlers = {}
    for name, kept in records.items():
        handlers[name] = handler = logging.Handler()
        handler.emit = lambda record, kept=kept: kept.append(record.getMessage())  # type: ignore[method-assign]
        logging.getLogger(name).addHandler(handler)
    level = logging.getLogger("kg.serve").level
    logging.getLogger("kg.serve").setLevel(logging.INFO)
    host, port = served.url.removeprefix("http://").split(":")
    answers = b""
    refused = [status for status in statuses if status != b"200"]

    def refusals() -> list[str]:  # the statuses of the server's lines for refused requests
        return [m[1] for line in records["kg.serve"] if (m := re.search(r" (\d{3}) \d+ ms .* error: ", line))]

    try:
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            for data in writes:
                before = answers.count(b"HTTP/1.1 ")
                sock.sendall(data)
                if data in ANSWERED:  # its answer before the next request
                    while answers.count(b"HTTP/1.1 ") == before or not answers.rstrip().endswith(b"}"):
                        answers += sock.recv(65536)
                else:
                    time.sleep(0.05)
            if statuses[-1] == b"200":  # the server closes after a refusal; after an answer, the client does
                sock.shutdown(socket.SHUT_WR)
            while chunk := sock.recv(65536):
                answers += chunk
        deadline = time.monotonic() + 5  # the line is logged just after the answer is sent
        while len(refusals()) < len(refused) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # a second line would have come by now
    finally:
        logging.getLogger("kg.serve").setLevel(level)
        for name, handler in handlers.items():
            logging.getLogger(name).removeHandler(handler)
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", answers) == statuses
    if statuses[-1] == b"414":
        assert b"POST the query" in answers
    assert refusals() == [status.decode() for status in refused]
    assert records["uvicorn.error"] == []


def test_a_bug_in_a_parser_callback_is_logged_with_its_traceback(served: Served,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Input the parser refuses is one quiet line; a callback that fails for another reason is a
    bug, and uvicorn's log has it with the traceback."""
    pytest.importorskip("httptools")

    def on_header(self: Any, name: bytes, value: bytes) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(served.server.config.http, "on_header", on_header)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("uvicorn.error").addHandler(handler)
    host, port = served.url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(ASK)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
    finally:
        logging.getLogger("uvicorn.error").removeHandler(handler)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert [(r.levelno, type(r.exc_info[1]) if r.exc_info else None) for r in records] == [(logging.ERROR, KeyError)]


def test_without_httptools_the_parser_is_h11(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.serve.protocol import http_protocol

    assert http_protocol() != "h11" or importlib.util.find_spec("httptools") is None
    monkeypatch.setitem(sys.modules, "uvicorn.protocols.http.httptools_impl", None)  # import fails
    assert http_protocol() == "h11"


def test_errors_are_json_for_a_client_preferring_it(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE {"}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.json()["status"] == 400
    assert "syntax error" in response.json()["error"]


@pytest.mark.parametrize("fmt", list(RESULT_TYPES) + ["turtle"], ids=list(RESULT_TYPES) + ["turtle"])
def test_row_limit_is_an_error_never_a_cut_answer(client: httpx.Client, fmt: str) -> None:
    query = ("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {}" if fmt == "turtle"
             else "SELECT * WHERE {{ ?s ?p ?o }} LIMIT {}")
    exact = client.get("/sparql", params={"query": query.format(MAX_ROWS), "format": fmt})
    assert exact.status_code == 200
    over = client.get("/sparql", params={"query": query.format(MAX_ROWS + 1), "format": fmt})
    assert over.status_code == 400 and f"more than {MAX_ROWS:,}" in over.text


@pytest.mark.parametrize("fmt", ["json", "tsv", "turtle"], ids=["json", "tsv", "turtle"])
def test_answers_are_bounded_in_bytes(direct: GraphStore, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # a few rows of huge values: CONCAT doubling a string (30 doublings would be gigabytes)
    import kg.serve.answer

    monkeypatch.setattr(kg.serve.answer, "MAX_BYTES", 4096)
    doubled = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(10))
    form = "CONSTRUCT { <http://e/s> <http://e/p> ?x }" if fmt == "turtle" else "SELECT ?x"
    query = f'{form} WHERE {{ BIND("abcdefgh" AS ?a0) {doubled} BIND(?a10 AS ?x) }}'
    with pytest.raises(ResultTooLarge, match="larger than 0 MiB"):
        answer(direct, query, fmt, max_rows=100)
    assert answer(direct, query.replace("?a10 AS", "?a5 AS"), fmt, max_rows=100).rows == 1


@pytest.mark.parametrize("fmt", ["json", "csv"], ids=["json", "csv"])
def test_row_count_is_exact_when_values_look_like_rows(direct: GraphStore, fmt: str) -> None:
    # a value holding ',{' (JSON) or CRLF (CSV) raises the quick count: the answer is counted again exactly
    query = 'SELECT ?x WHERE { VALUES ?x { "a,{b" "c\\r\\nd" "e,{},f" } }'
    result = answer(direct, query, fmt, max_rows=3)
    assert result.rows == 3
    with pytest.raises(ResultTooLarge, match="more than 2 rows"):
        answer(direct, query, fmt, max_rows=2)


def full_pool(client: httpx.Client) -> None:
    """Wait until both workers are ready (after a test that had some killed)."""
    deadline = time.monotonic() + 60
    while client.get("/health").json()["workers"] < 2:
        assert time.monotonic() < deadline, "the workers were not replaced"
        time.sleep(0.1)


def test_timeout_stops_the_query_and_the_next_is_answered(client: httpx.Client) -> None:
    full_pool(client)
    start = time.monotonic()
    response = client.post("/sparql", data={"query": SLOW})
    assert response.status_code == 503 and "did not finish within 2 s" in response.text
    assert time.monotonic() - start < TIMEOUT + 3
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_query_that_crashes_the_engine_gets_an_error_and_the_server_stays_up(client: httpx.Client) -> None:
    full_pool(client)
    replaced = client.get("/health").json()["replaced"]
    response = client.post("/sparql", data={"query": CRASH})
    assert response.status_code == 500 and "crashed the SPARQL engine" in response.text
    assert "SIGSEGV" in response.text or "SIGABRT" in response.text
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    full_pool(client)
    assert client.get("/health").json()["replaced"] == replaced + 1


def test_requests_wait_for_a_free_worker_within_the_deadline(client: httpx.Client) -> None:
    results: list[int] = []

    def slow() -> None:
        results.append(client.post("/sparql", data={"query": SLOW}).status_code)

    full_pool(client)
    threads = [threading.Thread(target=slow) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [503, 503, 503]
    full_pool(client)
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# -- the command -------------------------------------------------------------------------------

SERVE = """
import argparse, signal, sys
from kg.serve.cli import add_arguments, run
def stop(signum, frame):
    raise KeyboardInterrupt
signal.signal(signal.SIGTERM, stop)
parser = argparse.ArgumentParser()
add_arguments(parser)
try:
    sys.exit(run(parser.parse_args(sys.argv[1:])))
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_serve_command_a_graph_file_on_a_free_port(built: dict[str, Path], tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(built["graph"]), "--port", "0", "--workers", "1"],
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline(), proc.stderr.readline()]
        assert lines[0].startswith("kg: loading")
        assert lines[1].startswith("kg: serving sco2020.trig at http://127.0.0.1:") and "Ctrl-C" in lines[1]
        url = lines[1].split(" at ")[1].split()[0]
        assert len(list(tmp_path.glob("kg-serve-*"))) == 1
        with httpx.Client(trust_env=False, timeout=30) as client:
            assert client.get(f"{url}sparql", params={"query": "ASK { ?s a skg:Summit }"}).json()["boolean"]
        log = proc.stderr.readline()
        assert " GET /sparql 200 " in log and "ASK" in log
    finally:
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in rest
    assert not list(tmp_path.glob("kg-serve-*"))  # the temporary store is removed


@pytest.mark.parametrize(("argv", "message"), [
    (["--port", "0"], "give a graph file or --store DIR"),
    (["--store", "{missing}", "--port", "0"], "no such folder"),
    (["{graph}", "--timeout", "0"], "--timeout must be at least"),
    (["{graph}", "--queue-timeout", "-1"], "--queue-timeout must be at least 0"),
    (["{graph}", "--workers", "0"], "--workers must be at least 1"),
    (["{graph}", "--host", "no-such-host.invalid"], "--host no-such-host.invalid"),
], ids=["no-operand", "missing-store", "timeout", "queue-timeout", "workers", "host"])
def test_serve_command_errors(built: dict[str, Path], tmp_path: Path, argv: list[str], message: str) -> None:
    import argparse

    from kg.errors import InputError
    from kg.serve.cli import add_arguments, run

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    argv = [a.format(graph=built["graph"], missing=tmp_path / "missing") for a in argv]
    with pytest.raises(InputError, match=message):
        run(parser.parse_args(argv))


def test_a_port_in_use_is_one_line(built: dict[str, Path]) -> None:
    import argparse

    from kg.errors import InputError
    from kg.serve.cli import add_arguments, run

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        with pytest.raises(InputError, match=f"cannot listen on 127.0.0.1:{port}"):
            run(parser.parse_args(["--store", str(built["store"]), "--port", str(port)]))


def test_json_answer_is_what_pyoxigraph_writes(direct: GraphStore) -> None:
    for name, query in bundled_queries().items():
        written = direct.query(query).serialize(format=ox.QueryResultsFormat.JSON)
        result = answer(direct, query, "json", max_rows=100_000)
        assert result.body == written, name
        assert result.rows == len(json.loads(written)["results"]["bindings"]), name
        xml = answer(direct, query, "xml", max_rows=100_000)
        assert len(ET.fromstring(xml.body).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == xml.rows


def test_workers_on_a_folder_that_is_not_a_store_is_one_line(tmp_path: Path) -> None:
    import asyncio

    from kg.errors import InputError
    from kg.serve.workers import WorkerPool

    async def start() -> None:
        await WorkerPool(tmp_path, 1).start()

    with pytest.raises(InputError, match="not a summit-kg store"):
        asyncio.run(start())


@pytest.mark.parametrize(("wait", "answered"), [(0.5, False), (20.0, True)], ids=["wait-0.5s", "wait-20s"])
def test_a_request_that_waited_for_a_worker_still_has_its_whole_time_to_run(built: dict[str, Path],
                                                                            wait: float, answered: bool) -> None:
    import asyncio

    from kg.errors import QueryTimeout
    from kg.serve.workers import QueryRequest, WorkerPool

    async def scenario() -> tuple[BaseException | None, str]:
        async with WorkerPool(built["store"], 1) as pool:
            slow = asyncio.ensure_future(pool.run(QueryRequest(SLOW, "json", 10), 1.5))
            await asyncio.sleep(0.2)  # the slow query has the only worker
            cheap = await asyncio.gather(pool.run(QueryRequest("ASK {}", "json", 10), 1.5, wait),
                                         return_exceptions=True)
            with pytest.raises(QueryTimeout, match="did not finish within 1.5 s"):
                await slow
            return (cheap[0] if isinstance(cheap[0], BaseException) else None), str(cheap[0])

    error, text = asyncio.run(scenario())
    if answered:  # it waited for the slow query to be stopped and a worker to start, then ran
        assert error is None and '"boolean":true' in text
    else:  # 0.5 s in line, then refused: the workers were busy (no worker was killed for it)
        assert isinstance(error, QueryTimeout) and "were busy for 0.5 s" in text


def test_those_waiting_learn_at_once_that_no_worker_can_start(built: dict[str, Path], tmp_path: Path) -> None:
    import asyncio
    import shutil

    from kg.errors import QueryTimeout
    from kg.serve.workers import NoWorker, QueryRequest, WorkerPool

    store = tmp_path / "store"
    shutil.copytree(built["store"], store)

    async def scenario() -> tuple[BaseException, float]:
        async with WorkerPool(store, 1) as pool:
            slow = asyncio.ensure_future(pool.run(QueryRequest(SLOW, "json", 10), 1.0))
            await asyncio.sleep(0.2)  # the slow query has the only worker
            store.rename(tmp_path / "gone")  # its replacement will not open the store
            start = time.monotonic()
            (waiting,) = await asyncio.gather(pool.run(QueryRequest("ASK {}", "json", 10), 1.0, 60.0),
                                              return_exceptions=True)
            with pytest.raises(QueryTimeout):
                await slow
            assert isinstance(waiting, BaseException)
            return waiting, time.monotonic() - start

    error, waited = asyncio.run(scenario())
    assert isinstance(error, NoWorker) and "could not start" in str(error), error
    assert waited < 30  # not the whole 60 s in line


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_a_worker_killed_while_idle_is_replaced_and_the_request_answered(built: dict[str, Path], loop: str) -> None:
    import asyncio

    from kg.serve.workers import QueryRequest, WorkerPool

    if loop == "uvloop":
        uvloop = pytest.importorskip("uvloop")

    async def scenario() -> tuple[bytes, int, int]:
        async with WorkerPool(built["store"], 1) as pool:
            first = await pool.run(QueryRequest("ASK {}", "json", 10), 30)
            (worker,) = pool._workers
            os.kill(worker.process.pid, signal.SIGKILL)
            for _ in range(300):  # it is dead, and idle: its socket is closed
                if not worker.alive:
                    break
                await asyncio.sleep(0.05)
            assert not worker.alive
            second = await pool.run(QueryRequest("ASK {}", "json", 10), 30)
            assert second.body == first.body
            return second.body, pool.replaced, pool.alive

    runner = asyncio.run if loop == "asyncio" else uvloop.run
    body, replaced, alive = runner(scenario())
    assert json.loads(body) == {"head": {}, "boolean": True} and replaced == 1 and alive == 1


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_answers_of_every_size_come_whole_through_the_worker_socket(built: dict[str, Path], loop: str) -> None:
    import asyncio

    from kg.serve.workers import QueryRequest, WorkerPool

    if loop == "uvloop":
        uvloop = pytest.importorskip("uvloop")
    sizes = [0, 1, 100, 70_000, 3_000_000]  # a value of 3 MB comes in many reads
    queries = [f'SELECT ?v WHERE {{ BIND(CONCAT("", "{"x" * n}") AS ?v) }}' for n in sizes]

    async def scenario() -> list[bytes]:
        async with WorkerPool(built["store"], 2) as pool:
            return [answer.body for answer in await asyncio.gather(
                *(pool.run(QueryRequest(text, "tsv", 10), 60) for text in queries))]

    runner = asyncio.run if loop == "asyncio" else uvloop.run
    for body, n in zip(runner(scenario()), sizes, strict=True):
        assert body.split(b"\n")[1] == b'"' + b"x" * n + b'"'


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                                ("0.0.0.0", False), ("192.168.1.10", False), ("example.org", False)],
                         ids=["ipv4", "localhost", "ipv6", "any", "lan", "name"])
def test_only_loopback_addresses_pass_without_a_warning(host: str, loopback: bool) -> None:
    from kg.serve.cli import _loopback

    assert _loopback(host) is loopback


def test_without_the_serve_extra_one_line(built: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    from kg.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    assert main(["serve", "--store", str(built["store"]), "--port", "0"]) == 2
    assert capsys.readouterr().err == "kg: error: kg serve needs uvicorn: pip install 'summit-kg[serve]'\n"


@pytest.mark.parametrize("uvloop", [True, False], ids=["uvloop", "without-uvloop"])
def test_the_event_loop_is_uvloop_s_where_installed(uvloop: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.serve.cli import _new_loop

    if uvloop:
        pytest.importorskip("uvloop")
    else:
        monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop raises ImportError
    loop = _new_loop()
    try:
        assert type(loop).__module__.split(".")[0] == ("uvloop" if uvloop else "asyncio")
    finally:
        loop.close()
