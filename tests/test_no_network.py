"""No request leaves the machine, whatever the input (issue 8): a listener on 127.0.0.1 (a free
port) records every connection, and ``build``, ``load``, ``query``, ``validate``, ``stats``,
``viz`` and ``eval`` run in this process (``kg.cli.main``) on inputs that name
``http://127.0.0.1:PORT/…`` wherever an input can name a URL: article text, the meta ``url``, a
JSON-LD graph whose ``@context`` is that URL or ``@import``s it, ``owl:imports`` in Turtle, a
previous output of ``--update``, SPARQL ``SERVICE``, ``LOAD``, ``FROM`` and ``FROM NAMED``, a
``.rq`` file, a gold file. No connection may arrive, and no command ends in an internal error.
(The listener accepts and closes at once, so a command that does try fails fast instead of
waiting.)
"""
from __future__ import annotations

import json
import select
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "data" / "eval" / "articles" / "invented_sco30.txt"
GOLD = ROOT / "tests" / "data" / "eval" / "gold" / "invented_sco30.json"

INTERNAL_ERROR = 70  # the exit status of a bug: bad input is one line and 1 or 2

@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that records every connection (and the first bytes sent).

    A thread accepts connections as they come and closes them, so that a client waiting for an
    answer fails at once; :meth:`drain` takes what is still waiting in the backlog. A connection
    is in the backlog as soon as ``connect()`` returns in the client, so after a command has
    returned, ``drain`` sees every connection it made, without waiting."""

    sock: socket.socket
    arrivals: list[str] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def drain(self) -> None:
        with self.lock:
            while True:
                try:
                    conn, peer = self.sock.accept()
                except (BlockingIOError, InterruptedError):
                    return
                with conn:
                    conn.settimeout(0.2)
                    try:
                        first = conn.recv(200)
                    except OSError:
                        first = b""
                self.arrivals.append(f"{peer[0]}:{peer[1]} sent {first[:120]!r}")

    def serve(self) -> None:
        while not self.stopped.is_set():
            select.select([self.sock], [], [], 0.1)
            self.drain()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.setblocking(False)
    found = Listener(sock)
    thread = threading.Thread(target=found.serve, daemon=True)
    thread.start()
    yield found
    found.stopped.set()
    thread.join(timeout=5)
    sock.close()


@pytest.fixture()
def quiet(listener: Listener) -> Iterator[Listener]:
    """The listener with no arrivals so far; after the test, still none."""
    listener.drain()
    listener.arrivals.clear()
    yield listener
    listener.drain()
    assert listener.arrivals == [], f"connections arrived: {listener.arrivals}"


@pytest.fixture(scope="module")
def inputs(listener: Listener, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Articles, graphs, queries and gold files that name the listener's URL; a graph built from them."""
    url = listener.url
    root = tmp_path_factory.mktemp("no-network")
    articles = root / "articles"
    articles.mkdir()
    text = ARTICLE.read_text(encoding="utf-8")
    (articles / "invented_sco30.txt").write_text(f"{text}\n原文链接：{url}article.html\n参见 <{url}img.png>。\n",
                                                 encoding="utf-8")
    meta = {"id": "invented_sco30", "title": f"测试 {url}", "published": "2031-07-04", "url": f"{url}article.html",
            "source": url, "@context": f"{url}context.jsonld"}
    (articles / "invented_sco30.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    gold = root / "gold"
    gold.mkdir()
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    record["$schema"] = f"{url}gold.schema.json"
    record["@context"] = f"{url}context.jsonld"
    (gold / GOLD.name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    built = root / "built.trig"
    assert main(["build", str(articles), "-o", str(built), "-q"]) == 0
    node = {"@id": "https://w3id.org/summit-kg/id/summit/x", "name": "远程上下文"}
    graphs = {
        "context.jsonld": {"@context": f"{url}context.jsonld", **node},
        "import.jsonld": {"@context": {"@import": f"{url}import.jsonld", "name": "http://schema.org/name"}, **node},
        "context-list.jsonld": {"@context": [f"{url}a.jsonld", {"name": "http://schema.org/name"}], **node},
    }
    paths = {"articles": articles, "gold": gold, "built": built}
    for name, document in graphs.items():
        paths[name] = root / name
        paths[name].write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    imports = root / "imports.ttl"
    imports.write_text(f"@base <{url}> .\n<{url}graph> <http://www.w3.org/2002/07/owl#imports> <{url}onto.ttl> .\n"
                       f"<{url}x> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{url}more.ttl> .\n",
                       encoding="utf-8")
    paths["imports.ttl"] = imports
    query = root / "remote.rq"
    query.write_text(f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}", encoding="utf-8")
    paths["remote.rq"] = query
    return paths


JSONLD_GRAPHS = ["context.jsonld", "import.jsonld", "context-list.jsonld"]
GRAPHS = [*JSONLD_GRAPHS, "imports.ttl", "built"]


def test_listener_sees_a_connection(listener: Listener) -> None:
    """The listener works: a connection made on purpose is recorded."""
    listener.arrivals.clear()
    with socket.create_connection(("127.0.0.1", listener.sock.getsockname()[1]), timeout=2) as conn:
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
    listener.drain()
    assert len(listener.arrivals) == 1
    listener.arrivals.clear()


@pytest.mark.parametrize("graph", ["context.jsonld", "import.jsonld"])
def test_rdflib_alone_would_fetch_a_remote_context(listener: Listener, inputs: dict[str, Path], graph: str) -> None:
    """The JSON-LD inputs do name something to fetch: rdflib, asked directly, connects (the
    listener closes the connection, so the parse fails)."""
    import rdflib

    listener.drain()
    listener.arrivals.clear()
    with pytest.raises(Exception):  # noqa: B017 - whatever the closed connection makes rdflib raise
        rdflib.Dataset().parse(inputs[graph], format="json-ld")
    listener.drain()
    assert len(listener.arrivals) == 1 and "GET /" in listener.arrivals[0]
    listener.arrivals.clear()


def test_pyoxigraph_alone_would_run_service(listener: Listener) -> None:
    """SERVICE does make a request when nothing refuses it first: pyoxigraph, asked directly."""
    import pyoxigraph as ox

    listener.drain()
    listener.arrivals.clear()
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}sparql> {{ ?s ?p ?o }} }}"))
    listener.drain()
    assert len(listener.arrivals) == 1 and "POST /sparql" in listener.arrivals[0]
    listener.arrivals.clear()


@pytest.mark.parametrize("fmt", [".jsonld", ".trig", ".ttl"], ids=["jsonld", "trig", "turtle"])
def test_build(quiet: Listener, inputs: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    assert main(["build", str(inputs["articles"]), "-o", str(tmp_path / f"out{fmt}"), "-q"]) == 0


@pytest.mark.parametrize("previous", JSONLD_GRAPHS)
def test_build_update_reads_a_previous_output(quiet: Listener, inputs: dict[str, Path], tmp_path: Path,
                                              previous: str) -> None:
    out = tmp_path / "out.jsonld"
    shutil.copy(inputs[previous], out)
    assert main(["build", str(inputs["articles"]), "-o", str(out), "--update", "-q"]) in (0, 2)


@pytest.mark.parametrize("graph", GRAPHS)
def test_load_and_query_a_store(quiet: Listener, inputs: dict[str, Path], tmp_path: Path, graph: str) -> None:
    store = tmp_path / "store"
    if main(["load", str(inputs[graph]), "--store", str(store), "-q"]) == 0:
        assert main(["query", "--store", str(store), "SELECT * WHERE { ?s ?p ?o } LIMIT 1"]) == 0


def _queries(url: str) -> dict[str, str]:
    return {
        "service": f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
        "service-silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}",
        "load": f"LOAD <{url}data.ttl>",
        "load-into": f"LOAD SILENT <{url}data.ttl> INTO GRAPH <{url}g>",
        "from": f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }} LIMIT 1",
        "from-named": f"SELECT * FROM NAMED <{url}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
        "construct-service": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
        "describe": f"DESCRIBE <{url}thing>",
        "iri-function": f"SELECT (IRI(\"{url}x\") AS ?x) WHERE {{}}",
    }


@pytest.mark.parametrize("name", list(_queries("http://x/")))
def test_query_text(quiet: Listener, inputs: dict[str, Path], name: str) -> None:
    assert main(["query", str(inputs["built"]), _queries(quiet.url)[name], "--timeout", "20"]) != INTERNAL_ERROR


def test_query_file(quiet: Listener, inputs: dict[str, Path]) -> None:
    assert main(["query", str(inputs["built"]), str(inputs["remote.rq"]), "--timeout", "20"]) != INTERNAL_ERROR


@pytest.mark.parametrize("graph", GRAPHS)
def test_query_a_graph_file(quiet: Listener, inputs: dict[str, Path], graph: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert main(["query", str(inputs[graph]), query, "--timeout", "20"]) != INTERNAL_ERROR


@pytest.mark.parametrize("graph", GRAPHS)
def test_validate(quiet: Listener, inputs: dict[str, Path], graph: str) -> None:
    assert main(["validate", str(inputs[graph]), "-q"]) != INTERNAL_ERROR


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("central", [False, True], ids=["counts", "central"])
def test_stats(quiet: Listener, inputs: dict[str, Path], graph: str, central: bool) -> None:
    assert main(["stats", str(inputs[graph]), *(["--central"] if central else [])]) != INTERNAL_ERROR


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("suffix", [".html", ".graphml"], ids=["html", "graphml"])
def test_viz(quiet: Listener, inputs: dict[str, Path], tmp_path: Path, graph: str, suffix: str) -> None:
    assert main(["viz", str(inputs[graph]), "-o", str(tmp_path / f"page{suffix}"), "-q"]) != INTERNAL_ERROR


def test_eval(quiet: Listener, inputs: dict[str, Path], tmp_path: Path) -> None:
    status = main(["eval", str(inputs["articles"]), "--gold", str(inputs["gold"]), "--json", str(tmp_path / "e.json"),
                   "-q"])
    assert status != INTERNAL_ERROR
