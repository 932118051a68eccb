"""``kg push``: graphs sent with the SPARQL 1.1 Graph Store HTTP Protocol.

A small Graph Store written for the test (Starlette on 127.0.0.1, in a thread) records each
request: their shapes, authentication and the errors. The end-to-end tests start real servers on
127.0.0.1 (Oxigraph's ``oxigraph serve``, Debian's Virtuoso ``virtuoso-t``), push a corpus where
two articles report one summit, and compare every bundled query's rows with ``kg query``'s; they
are skipped, with the reason, where a server binary is missing.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import gzip
import hashlib
import io
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from kg import iris, push_cli
from kg.errors import InputError
from kg.push import CHUNK, MERGED_GRAPH, PushError, Source, _MergeBody, push, server_message

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"  # two reports of the SCO summit of 2022, one of 2024
EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Two named graphs sharing a triple, a graph coming back later in the file, and a triple of the
# file's default graph: a TriG file written for these tests.
TRIG = f"""@prefix ex: <{EX}> .
ex:g1 {{ ex:a ex:p "一"@zh-Hans . ex:a ex:n "5"^^<{XSD}nonNegativeInteger> . }}
ex:g2 {{ ex:a ex:p "一"@zh-Hans . ex:b ex:p ex:c . }}
ex:g1 {{ ex:d ex:p ex:e . }}
ex:x ex:p ex:y .
"""
LINE_A = f'<{EX}a> <{EX}p> "一"@zh-Hans .\n'
LINE_N = f'<{EX}a> <{EX}n> "5"^^<{XSD}nonNegativeInteger> .\n'
LINE_B = f"<{EX}b> <{EX}p> <{EX}c> .\n"
LINE_D = f"<{EX}d> <{EX}p> <{EX}e> .\n"
LINE_X = f"<{EX}x> <{EX}p> <{EX}y> .\n"


# ------------------------------------------------------------------------------- a Graph Store stub


@dataclass
class Seen:
    method: str
    target: str  # path and query as sent
    headers: dict[str, str]
    body: bytes

    @property
    def lines(self) -> list[str]:
        return self.body.decode("utf-8").splitlines(keepends=True)


@dataclass
class Stub:
    """What the stub Graph Store does and what it saw."""

    url: str = ""
    requests: list[Seen] = field(default_factory=list)
    auth: str | None = None  # "basic" or "digest": answer 401 until the credentials are right
    user: str = "alice"
    password: str = "s3cret"
    fail: tuple[int, str, str] | None = None  # (status, content type, body) for every PUT/POST
    delay: float = 0.0
    location: str | None = None  # answer PUT/POST with a redirect there

    def reset(self) -> None:
        self.requests.clear()
        self.auth, self.fail, self.delay, self.location = None, None, 0.0, None

    @property
    def uploads(self) -> list[Seen]:
        return [r for r in self.requests if r.method in ("PUT", "POST") and self._authorised(r)]

    def _authorised(self, seen: Seen) -> bool:
        header = seen.headers.get("authorization", "")
        if self.auth is None:
            return True
        if self.auth == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return header == f"Basic {token}"
        if not header.startswith("Digest "):
            return False
        fields = dict(_digest_fields(header[len("Digest "):]))
        ha1 = _md5(f"{self.user}:stub:{self.password}")
        ha2 = _md5(f"{seen.method}:{fields.get('uri')}")
        expected = _md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("uri") == seen.target and fields.get("response") == expected

    def app(self):  # type: ignore[no-untyped-def]
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        async def store(request: Request) -> Response:
            target = request.scope["raw_path"].decode()
            if request.scope["query_string"]:
                target += "?" + request.scope["query_string"].decode()
            seen = Seen(request.method, target, {k.lower(): v for k, v in request.headers.items()},
                        await request.body())
            self.requests.append(seen)
            if self.delay:
                await asyncio.sleep(self.delay)
            if not self._authorised(seen):
                challenge = ('Basic realm="stub"' if self.auth == "basic" else
                             'Digest realm="stub", nonce="n0nce", opaque="0paque", qop="auth", algorithm="MD5"')
                return Response("who are you?", status_code=401, headers={"WWW-Authenticate": challenge})
            if request.method == "OPTIONS":
                return Response(status_code=204)
            if self.location is not None:
                return Response(status_code=307, headers={"Location": self.location})
            if self.fail is not None:
                status, kind, text = self.fail
                return Response(text, status_code=status, media_type=kind)
            return Response(status_code=201 if request.method == "PUT" else 204)

        return Starlette(routes=[Route("/store", store, methods=["OPTIONS", "PUT", "POST"])])


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _digest_fields(text: str) -> Iterator[tuple[str, str]]:
    from urllib.request import parse_http_list

    for part in parse_http_list(text):
        key, _, value = part.strip().partition("=")
        yield key, value.strip('"')


@pytest.fixture(scope="module")
def stub_server() -> Iterator[Stub]:
    import uvicorn

    stub = Stub()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    stub.url = f"http://127.0.0.1:{sock.getsockname()[1]}/store"
    config = uvicorn.Config(stub.app(), log_level="error", access_log=False, lifespan="off", ws="none",
                            http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the stub Graph Store did not start"
    yield stub
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture()
def stub(stub_server: Stub) -> Iterator[Stub]:
    stub_server.reset()
    yield stub_server
    stub_server.reset()


@pytest.fixture()
def trig(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


@pytest.fixture()
def listener() -> Iterator[socket.socket]:
    """A socket listening on 127.0.0.1 that nothing should connect to."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    yield sock
    sock.close()


def _untouched(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0.2)
    return not readable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ----------------------------------------------------------------------------------- request shapes


def test_each_named_graph_is_put_then_the_merge_replaces_the_default_graph(stub: Stub, trig: Path) -> None:
    report = push(trig, stub.url)
    shapes = [(r.method, r.target) for r in stub.requests]
    assert shapes == [("OPTIONS", "/store"),
                      ("PUT", "/store?graph=http%3A%2F%2Fexample.org%2Fg1"),
                      ("PUT", "/store?graph=http%3A%2F%2Fexample.org%2Fg2"),
                      ("POST", "/store?graph=http%3A%2F%2Fexample.org%2Fg1"),  # g1 again: added, not replaced
                      ("PUT", "/store?default")]
    g1, g2, g1_again, merge = stub.uploads
    assert g1.lines == [LINE_A, LINE_N] and g2.lines == [LINE_A, LINE_B] and g1_again.lines == [LINE_D]
    assert sorted(set(merge.lines)) == sorted({LINE_A, LINE_N, LINE_B, LINE_D, LINE_X})  # the file's default graph too
    assert [(s.graph, s.method, s.triples, s.merge) for s in report.graphs] == [
        (EX + "g1", "PUT", 2, False), (EX + "g2", "PUT", 2, False), (EX + "g1", "POST", 1, False),
        (None, "PUT", 6, True)]
    assert (report.named_graphs, report.triples) == (2, 5)


def test_bodies_are_n_triples_with_a_content_length_never_chunked(stub: Stub, trig: Path) -> None:
    push(trig, stub.url)
    for seen in stub.uploads:
        assert seen.headers["content-type"] == "application/n-triples"
        assert int(seen.headers["content-length"]) == len(seen.body)
        assert "transfer-encoding" not in seen.headers


def test_literals_keep_their_language_tag_case_and_datatype(stub: Stub, trig: Path) -> None:
    push(trig, stub.url)
    body = stub.uploads[0].body.decode("utf-8")
    assert '"一"@zh-Hans' in body  # not zh-hans, as pyoxigraph's own writer would put it
    assert f"^^<{XSD}nonNegativeInteger>" in body  # not xsd:integer, as Oxigraph's store keeps it


def test_the_merge_can_go_to_a_named_graph(stub: Stub, trig: Path) -> None:
    push(trig, stub.url, merge_graph=MERGED_GRAPH)
    assert MERGED_GRAPH == iris.GRAPH + "merged"
    assert stub.uploads[-1].target == "/store?graph=https%3A%2F%2Fw3id.org%2Fsummit-kg%2Fgraph%2Fmerged"
    assert sorted(set(stub.uploads[-1].lines)) == sorted({LINE_A, LINE_N, LINE_B, LINE_D, LINE_X})


def test_a_graph_iri_beyond_ascii_is_percent_encoded_as_utf_8(stub: Stub, tmp_path: Path) -> None:
    path = tmp_path / "cjk.trig"
    path.write_text(f"<{EX}图/撒马尔罕> {{ <{EX}b> <{EX}p> <{EX}c> . }}", encoding="utf-8")
    push(path, stub.url)
    assert stub.uploads[0].target == ("/store?graph=http%3A%2F%2Fexample.org%2F%E5%9B%BE"
                                      "%2F%E6%92%92%E9%A9%AC%E5%B0%94%E7%BD%95")


@pytest.mark.parametrize("name, writer", [
    ("tiny.nt", lambda text: text.encode()),
    ("tiny.nt.gz", lambda text: gzip.compress(text.encode())),
], ids=["nt", "nt.gz"])
def test_a_file_of_triples_is_sent_as_the_merge_only(stub: Stub, tmp_path: Path, name, writer) -> None:
    path = tmp_path / name
    path.write_bytes(writer(LINE_B + LINE_D))
    push(path, stub.url)
    assert [(r.method, r.target) for r in stub.uploads] == [("PUT", "/store?default")]
    assert stub.uploads[0].lines == [LINE_B, LINE_D]


def test_n_quads_gz_keep_their_graphs(stub: Stub, tmp_path: Path) -> None:
    path = tmp_path / "tiny.nq.gz"
    path.write_bytes(gzip.compress(f"<{EX}b> <{EX}p> <{EX}c> <{EX}g3> .\n".encode()))
    push(path, stub.url)
    assert [r.target for r in stub.uploads] == ["/store?graph=http%3A%2F%2Fexample.org%2Fg3", "/store?default"]


def test_a_graph_larger_than_the_memory_spool_goes_through_a_file(stub: Stub, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.push.SPOOL_IN_MEMORY", 1000)
    lines = [f'<{EX}s{i}> <{EX}p> "{i}" <{EX}big> .\n' for i in range(3000)]
    path = tmp_path / "big.nq"
    path.write_text("".join(lines), encoding="utf-8")
    push(path, stub.url)
    big, merge = stub.uploads
    assert big.lines == [line.replace(f" <{EX}big> .", " .") for line in lines]
    assert merge.body == big.body


def test_the_merge_is_written_again_in_chunks_not_one_string(tmp_path: Path) -> None:
    lines = [f'<{EX}s{i}> <{EX}p> "{"长" * 50}" <{EX}g> .\n' for i in range(2000)]
    path = tmp_path / "many.nq"
    path.write_text("".join(lines), encoding="utf-8")
    source = Source.open(path)
    size = sum(len(line.encode()) - len(f" <{EX}g>") for line in lines)
    chunks = list(_MergeBody(source, size))
    assert len(chunks) > 1 and max(len(c) for c in chunks) < CHUNK + 500
    assert sum(len(c) for c in chunks) == size


def test_a_file_that_changed_while_it_was_pushed_is_an_error(trig: Path) -> None:
    with pytest.raises(PushError, match="changed while it was being pushed"):
        list(_MergeBody(Source.open(trig), 10))


# -------------------------------------------------------------------------------------- authentication


def test_no_credentials_are_sent_to_a_server_that_does_not_ask(stub: Stub, trig: Path) -> None:
    push(trig, stub.url, user="alice", password="s3cret")
    assert all("authorization" not in r.headers for r in stub.requests)


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_the_server_s_challenge_is_answered(stub: Stub, trig: Path, scheme: str) -> None:
    stub.auth = scheme
    push(trig, stub.url, user="alice", password="s3cret")
    assert len(stub.uploads) == 4
    # the probe learns the challenge: each graph goes out once, with the credentials
    assert [r.method for r in stub.requests] == ["OPTIONS", "OPTIONS", "PUT", "PUT", "POST", "PUT"]
    assert all(r.headers["authorization"].lower().startswith(scheme) for r in stub.requests[1:])


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_a_wrong_password_is_one_line_before_any_graph(stub: Stub, trig: Path, scheme: str) -> None:
    stub.auth = scheme
    with pytest.raises(PushError, match=r"refused the user name or password \(HTTP 401\)$"):
        push(trig, stub.url, user="alice", password="wrong")
    assert not stub.uploads and {r.method for r in stub.requests} == {"OPTIONS"}


def test_a_server_that_asks_for_a_user_says_how_to_give_one(stub: Stub, trig: Path) -> None:
    stub.auth = "digest"
    with pytest.raises(PushError, match="asks for a user name and password.*--user USER.*KG_PUSH_PASSWORD"):
        push(trig, stub.url)


# ---------------------------------------------------------------------------------------------- errors


def test_connection_refused(trig: Path) -> None:
    port = _free_port()
    with pytest.raises(PushError, match=rf"^cannot connect to http://127.0.0.1:{port}/store \(connection refused"):
        push(trig, f"http://127.0.0.1:{port}/store")


@pytest.mark.parametrize("status, kind, text, expected", [
    (400, "text/plain", "Parser error at line 1\n between columns 1 and 8",
     "HTTP 400 Bad Request: Parser error at line 1 between columns 1 and 8"),
    (403, "text/html", "<html><head><title>Failed</title><style>h1 {color: red}</style></head>"
                       "<body><h1>HTTP/1.1 403</h1><xmp>SQ110:SECURITY: Permission denied</xmp></body></html>",
     "HTTP 403 Forbidden: Failed HTTP/1.1 403 SQ110:SECURITY: Permission denied"),
    (500, "text/plain", "", "HTTP 500 Internal Server Error"),
], ids=["400-text", "403-html", "500-empty"])
def test_a_refusal_is_one_line_with_the_server_s_message(stub: Stub, trig: Path, status, kind, text,
                                                           expected) -> None:
    stub.fail = (status, kind, text)
    with pytest.raises(PushError) as caught:
        push(trig, stub.url)
    message = str(caught.value)
    assert message == f"PUT {EX}g1: {expected}" and "\n" not in message
    assert len(stub.uploads) == 1  # the rest is not sent


def test_a_long_message_is_cut() -> None:
    response = httpx.Response(500, text="x" * 1000, headers={"content-type": "text/plain"})
    assert server_message(response) == "x" * 299 + "…"


def test_a_refused_default_graph_suggests_a_merge_graph(stub: Stub, tmp_path: Path) -> None:
    path = tmp_path / "tiny.nt"
    path.write_text(LINE_B, encoding="utf-8")
    stub.fail = (500, "text/plain", 'the endpoint is not configured to have default graph')
    with pytest.raises(PushError, match=f"--merge-graph {MERGED_GRAPH}"):
        push(path, stub.url)


def test_a_redirect_is_not_followed(stub: Stub, trig: Path, listener: socket.socket) -> None:
    elsewhere = f"http://127.0.0.1:{listener.getsockname()[1]}/store"
    stub.location = elsewhere
    with pytest.raises(PushError, match=f"redirects to {elsewhere} .*does not follow redirects"):
        push(trig, stub.url)
    assert _untouched(listener)


def test_proxy_settings_in_the_environment_are_not_used(stub: Stub, trig: Path, listener: socket.socket,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = f"http://127.0.0.1:{listener.getsockname()[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    push(trig, stub.url)
    assert len(stub.uploads) == 4 and _untouched(listener)


def test_a_server_that_does_not_answer_in_time(stub: Stub, trig: Path) -> None:
    stub.delay = 1.0
    with pytest.raises(PushError, match=r"no answer from .* within 0.2 s \(raise --timeout"):
        push(trig, stub.url, timeout=0.2)


@pytest.mark.parametrize("url, message", [
    ("ftp://127.0.0.1/store", "give the Graph Store URL as http://"),
    ("127.0.0.1:7878/store", "give the Graph Store URL as http://"),
    ("http:///store", "give the Graph Store URL as http://"),
    ("http://bob:pw@127.0.0.1:7878/store", "put the user in --user and the password in KG_PUSH_PASSWORD"),
    ("http://127.0.0.1:7878/store?graph=x", "without '\\?…' or '#…'"),
], ids=["ftp", "no-scheme", "no-host", "credentials", "query"])
def test_a_bad_endpoint_is_refused_before_anything_is_sent(trig: Path, url: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        push(trig, url)


def test_the_password_does_not_show_in_the_url_error(trig: Path) -> None:
    with pytest.raises(InputError) as caught:
        push(trig, "http://bob:hunter2@127.0.0.1:7878/store")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("content, message", [
    ("<a> <b> .", "does not parse as TriG"),
    ("", "the graph is empty"),
    (f"<{MERGED_GRAPH}> {{ <{EX}a> <{EX}b> <{EX}c> . }}", "has a graph named .*merged, the graph the merge would"),
], ids=["syntax", "empty", "merge-graph-taken"])
def test_a_bad_file_sends_nothing(stub: Stub, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.trig"
    path.write_text(TRIG + content if content.startswith("<a>") else content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        push(path, stub.url, merge_graph=MERGED_GRAPH)
    assert stub.requests == []  # not even the probe: the good graphs before the error stay unsent


@pytest.mark.parametrize("name, message", [("missing.trig", "no such file"), ("graph.xml", "unknown graph format")],
                         ids=["missing", "format"])
def test_a_missing_file_or_unknown_format(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "graph.xml").write_text("<rdf/>", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        push(tmp_path / name, "http://127.0.0.1:9/store")


@pytest.mark.parametrize("value", ["graph", "not an iri"], ids=["relative", "space"])
def test_a_merge_graph_is_default_or_an_absolute_iri(trig: Path, value: str) -> None:
    with pytest.raises(InputError, match="give 'default' or an absolute IRI"):
        push(trig, "http://127.0.0.1:9/store", merge_graph=value)


# ---------------------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg push", description=push_cli.DESCRIPTION, epilog=push_cli.EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    push_cli.add_arguments(parser)
    return parser


def test_cli_password_from_the_environment(stub: Stub, trig: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stub.auth = "basic"
    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret")
    err = io.StringIO()
    args = _parser().parse_args([str(trig), "--endpoint", stub.url, "--user", "alice"])
    assert push_cli.run(args, stderr=err) == 0
    lines = err.getvalue().splitlines()
    assert lines[0] == f"PUT {EX}g1: 2 triples, 0.0 MB, " + lines[0].split(", 0.0 MB, ")[1]
    assert lines[-2].startswith("PUT the merge → the default graph: 6 triples")
    assert lines[-1].startswith(f"kg: pushed 2 named graphs and their merge (5 triples, 0.0 MB) to {stub.url} in ")


def test_cli_password_prompt_on_a_terminal(stub: Stub, trig: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stub.auth = "digest"
    monkeypatch.delenv("KG_PUSH_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "s3cret")
    args = _parser().parse_args([str(trig), "--endpoint", stub.url, "--user", "alice", "-q"])
    assert push_cli.run(args, stderr=io.StringIO()) == 0
    assert asked == [f"password of alice at {stub.url}: "] and len(stub.uploads) == 4


def test_cli_without_a_terminal_or_variable(trig: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_PUSH_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    args = _parser().parse_args([str(trig), "--endpoint", "http://127.0.0.1:9/store", "--user", "alice"])
    with pytest.raises(InputError, match="set the password in KG_PUSH_PASSWORD"):
        push_cli.run(args)


def test_cli_has_no_password_option() -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["g.trig", "--endpoint", "http://127.0.0.1:9/store", "--password", "x"])


@pytest.mark.parametrize("argv, message", [
    (["--timeout", "0"], "--timeout must be more than 0 seconds"),
    (["--merge-graph", "x y"], "give 'default' or an absolute IRI"),
], ids=["timeout", "merge-graph"])
def test_cli_bad_options_fail_before_the_prompt(trig: Path, argv: list[str], message: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked for a password"))
    args = _parser().parse_args([str(trig), "--endpoint", "http://127.0.0.1:9/store", "--user", "a", *argv])
    with pytest.raises(InputError, match=message):
        push_cli.run(args)


# --------------------------------------------------------------------------------- real servers (e2e)

XSD_STRING = XSD + "string"
# Oxigraph stores every XSD integer type as xsd:integer; Virtuoso keeps the type the file gives
# (kg push sends it as written, see test_literals_keep_their_language_tag_case_and_datatype).
INTEGER_TYPES = {XSD + name for name in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long")}
Row = tuple[object, ...]


def _term(binding: dict[str, str] | None) -> object:
    if binding is None:
        return None
    kind = binding["type"]
    if kind == "uri":
        return ("iri", binding["value"])
    if kind == "bnode":
        return ("bnode",)
    if "xml:lang" in binding:  # language tags compare without case
        return ("literal", binding["value"], "@" + binding["xml:lang"].lower())
    datatype = binding.get("datatype", XSD_STRING)
    return ("literal", binding["value"], XSD + "integer" if datatype in INTEGER_TYPES else datatype)


def _rows(results: dict) -> tuple[list[str], list[Row]]:  # type: ignore[type-arg]
    names = results["head"]["vars"]
    return names, [tuple(_term(solution.get(name)) for name in names) for solution in results["results"]["bindings"]]


def _bundled() -> list[str]:
    from kg.query import bundled_queries

    return list(bundled_queries())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.cli import main

    out = tmp_path_factory.mktemp("push-corpus") / "corpus.trig"
    assert main(["build", str(CORPUS), "-o", str(out), "-q", "--jobs", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def expected(corpus: Path) -> dict[str, tuple[list[str], list[Row]]]:
    """``kg query``'s rows for every bundled query on the corpus file."""
    from kg.query import bundled_queries, run_query
    from kg.store import load_store

    store = load_store(corpus)
    return {name: _rows(json.loads(run_query(store, sparql, "json"))) for name, sparql in bundled_queries().items()}


@pytest.fixture(scope="module")
def distinct_triples(corpus: Path) -> int:
    import pyoxigraph as ox

    return len({(q.subject, q.predicate, q.object) for q in ox.parse(path=str(corpus), format=ox.RdfFormat.TRIG)})


@dataclass
class Server:
    gsp: str
    sparql: str
    params: dict[str, str]  # added to every query
    push: dict[str, object]  # push()'s keyword arguments

    def select(self, query: str) -> tuple[list[str], list[Row]]:
        response = httpx.post(self.sparql, data={"query": query, **self.params},
                              headers={"Accept": "application/sparql-results+json"}, timeout=60, trust_env=False)
        assert response.status_code == 200, f"HTTP {response.status_code}: {server_message(response, 600)}"
        return _rows(response.json())


def _wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float, ready: set[int]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server stopped (exit {proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.options(url, timeout=2, trust_env=False).status_code in ready:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within {seconds} s: {log.read_text(errors='replace')[-2000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Server]:
    binary = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if binary is None:
        pytest.skip("no oxigraph server binary (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph")
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/store", proc, log, 30, ready={200, 204, 404, 405})
        server = Server(base + "/store", base + "/query", {}, {})
        push(corpus, server.gsp)
        yield server
    finally:
        _stop(proc)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Server]:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("no Virtuoso server binary virtuoso-t (Debian: apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}"
        gsp = base + "/sparql-graph-crud-auth"  # Digest authentication; dba/dba in a new database
        _wait_for(gsp, proc, log, 60, ready={401})
        server = Server(gsp, base + "/sparql", {"default-graph-uri": MERGED_GRAPH},
                        {"user": "dba", "password": "dba", "merge_graph": MERGED_GRAPH})
        push(corpus, gsp, **server.push)  # type: ignore[arg-type]
        yield server
    finally:
        _stop(proc)


SERVERS = ["oxigraph", "virtuoso"]


def _cases() -> list[object]:
    cases: list[object] = []
    for query in _bundled():
        for server in SERVERS:
            cases.append(pytest.param(server, query, id=f"{query}-{server}"))
    return cases


@pytest.mark.parametrize("server_name, query", _cases())
def test_bundled_queries_give_kg_query_s_rows_on_the_server(request: pytest.FixtureRequest, server_name: str,
                                                              query: str, expected) -> None:
    from kg.query import bundled_queries

    server: Server = request.getfixturevalue(server_name)
    names, rows = server.select(bundled_queries()[query])
    want_names, want_rows = expected[query]
    assert names == want_names
    assert len(rows) == len(set(rows)), "duplicate rows"
    missing, extra = set(want_rows) - set(rows), set(rows) - set(want_rows)
    assert collections.Counter(rows) == collections.Counter(want_rows), (
        f"missing {sorted(missing, key=repr)[:3]}; extra {sorted(extra, key=repr)[:3]}")


@pytest.mark.parametrize("server_name", SERVERS)
def test_pushing_again_replaces_and_the_merge_holds_each_triple_once(request: pytest.FixtureRequest, corpus: Path,
                                                                     server_name: str, distinct_triples: int) -> None:
    server: Server = request.getfixturevalue(server_name)
    push(corpus, server.gsp, **server.push)  # type: ignore[arg-type]
    _, rows = server.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert rows == [(("literal", str(distinct_triples), XSD + "integer"),)]
