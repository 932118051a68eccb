"""Send a graph file to a SPARQL server with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the file replaces the graph of the same name on the server (``PUT
?graph=IRI``; a graph that comes back later in the file is added with ``POST``). Then the RDF
merge of all of them, every triple once, replaces the server's default graph (``PUT ?default``),
which is what the bundled queries read. Servers whose default graph is always the union of their
named graphs, Virtuoso among them, count a triple held in two graphs twice there: push the merge
into a named graph instead (``merge_graph=MERGED_GRAPH``) and query with
``default-graph-uri=MERGED_GRAPH``.

Bodies are N-Triples (UTF-8, language tags in RFC 5646 case, as ``kg build`` writes them), sent
with a ``Content-Length``: a graph is spooled to a temporary file first (kept in memory up to
:data:`SPOOL_IN_MEMORY`), and the merge is written again from the file while it is sent, so no
graph is ever held whole in memory. Some servers accept a chunked body without reading it
(Virtuoso 7.2 answers 201 and stores nothing), so no body is chunked. A file that does not parse
sends nothing: it is read once through before the first graph goes out.

Nothing goes anywhere but the URL given: redirects are not followed, proxy settings in the
environment are ignored, and credentials are sent only to answer that server's 401 challenge
(HTTP Basic or Digest, whichever it asks for).

This module imports httpx and pyoxigraph; ``kg.push_cli`` holds the command line and imports it
only when ``kg push`` runs.
"""
from __future__ import annotations

import contextlib
import gzip
import tempfile
import time
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

import httpx
import pyoxigraph as ox

from kg import iris
from kg.errors import InputError, KGError, one_line
from kg.store import FORMAT_NAMES, FORMATS, graph_file
from kg.terms import from_oxigraph

#: Where the merge goes by default: the server's default graph (``?default``).
DEFAULT = "default"
#: The graph to push the merge into on servers whose default graph is the union of all graphs.
MERGED_GRAPH = iris.GRAPH + "merged"
#: A graph's N-Triples stay in memory up to this size, and go to a temporary file beyond it.
SPOOL_IN_MEMORY = 8 << 20
CHUNK = 1 << 16
N_TRIPLES = "application/n-triples"



class PushError(KGError):
    """The server cannot be reached, refuses the request or does not answer in time."""

    exit_code = 1


@dataclass(frozen=True)
class GraphSent:
    """One request that succeeded: a named graph (``graph`` its IRI) or the merge (``merge`` true)."""

    graph: str | None  # None: the server's default graph
    method: str
    triples: int
    bytes: int
    seconds: float
    status: int
    merge: bool = False


@dataclass
class PushReport:
    """What :func:`push` sent, in order: the named graphs, then the merge."""

    endpoint: str
    graphs: list[GraphSent] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def named_graphs(self) -> int:
        return len({sent.graph for sent in self.graphs if not sent.merge})

    @property
    def triples(self) -> int:
        """Triples sent in named graphs (the merge sends them again)."""
        return sum(sent.triples for sent in self.graphs if not sent.merge)

    @property
    def bytes(self) -> int:
        return sum(sent.bytes for sent in self.graphs)


Progress = Callable[[GraphSent], None]


def push(path: str | Path, endpoint: str, *, user: str | None = None, password: str | None = None,
         merge_graph: str = DEFAULT, timeout: float = 120.0, progress: Progress | None = None) -> PushReport:
    """Send every named graph of the graph file ``path`` to the Graph Store at ``endpoint``, then
    their merge to ``merge_graph`` (:data:`DEFAULT`, the server's default graph, or a graph IRI).

    ``user`` and ``password`` answer the server's Basic or Digest challenge. ``timeout`` (seconds)
    bounds connecting and each wait for the server. ``progress`` is called after each request.
    Raises :class:`~kg.errors.InputError` for a bad file, URL or option (before anything is sent)
    and :class:`PushError` when the server cannot be reached or refuses.
    """
    url = check_endpoint(endpoint)
    merge_target = check_merge_graph(merge_graph)
    if timeout <= 0:
        raise InputError(f"the timeout must be a positive number of seconds, not {timeout}")
    if (user is None) != (password is None):
        raise InputError("give both a user and a password, or neither")
    source = Source.open(path)
    source.check(merge_target)
    report = PushReport(endpoint=str(url))
    started = time.perf_counter()
    auth = ChallengeAuth(user, password) if user is not None and password is not None else None
    with httpx.Client(auth=auth, timeout=timeout, follow_redirects=False, trust_env=False) as client:
        sender = _Sender(client, url, user is not None)
        sender.probe()
        merge_size = 0
        for graph, spool, triples, size in source.graph_spools():
            with spool:
                merge_size += size
                if graph is None:  # the file's own default graph: it is part of the merge only
                    continue
                sent = sender.send(graph, _SpoolBody(spool), size, triples)
            report.graphs.append(sent)
            if progress is not None:
                progress(sent)
        sent = sender.send(merge_target, _MergeBody(source, merge_size), merge_size, source.triples, merge=True)
        report.graphs.append(sent)
        if progress is not None:
            progress(sent)
    report.seconds = time.perf_counter() - started
    return report


# ------------------------------------------------------------------------------------------- checks


def check_endpoint(endpoint: str) -> httpx.URL:
    """The Graph Store URL: http or https, a host, no credentials, query or fragment in it."""
    try:
        url = httpx.URL(endpoint)
    except (httpx.InvalidURL, TypeError) as exc:
        raise InputError(f"{endpoint!r} is not a URL ({one_line(str(exc))})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InputError(f"{endpoint!r}: give the Graph Store URL as http://HOST:PORT/PATH (or https://)")
    if url.userinfo:
        raise InputError(f"{url.copy_with(username=None, password=None)}: put the user in --user and the "
                         "password in KG_PUSH_PASSWORD, not in the URL")
    if url.query or url.fragment:
        raise InputError(f"{endpoint}: give the Graph Store URL without '?…' or '#…'; "
                         "kg push adds ?graph=IRI and ?default itself")
    return url


def check_merge_graph(merge_graph: str) -> str | None:
    """None for the server's default graph, else the IRI of the graph that receives the merge."""
    if merge_graph == DEFAULT:
        return None
    try:
        ox.NamedNode(merge_graph)
    except ValueError:
        raise InputError(f"--merge-graph {merge_graph!r}: give 'default' or an absolute IRI") from None
    if ":" not in merge_graph:
        raise InputError(f"--merge-graph {merge_graph!r}: give 'default' or an absolute IRI")
    return merge_graph


# ------------------------------------------------------------------------------------------- source


@dataclass
class Source:
    """A graph file: its format, and its quads read again from the start each time they are asked for."""

    path: Path
    fmt: str
    compressed: bool
    triples: int = 0

    @classmethod
    def open(cls, path: str | Path) -> Source:
        path, suffix = graph_file(path)  # a known extension, optionally .gz; an existing file
        return cls(path, FORMATS[suffix], path.suffix.lower() == ".gz")

    def quads(self) -> Iterator[ox.Quad]:
        """The file's quads in file order; a one-line InputError when it does not parse."""
        try:
            with self._open() as handle:
                yield from ox.parse(handle, format=getattr(ox.RdfFormat, self.fmt))
        except (SyntaxError, ValueError, EOFError, zlib.error) as exc:
            raise InputError(f"{self.path}: does not parse as {FORMAT_NAMES[self.fmt]}: "
                             f"{one_line(str(exc))[:300]}") from None
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read ({one_line(str(exc.strerror or exc))})") from None

    def _open(self) -> IO[bytes]:
        return gzip.open(self.path, "rb") if self.compressed else self.path.open("rb")

    def check(self, merge_graph: str | None) -> None:
        """Read the whole file once before anything is sent: it parses, is not empty, and does not
        use the merge graph's IRI for a graph of its own."""
        count = 0
        for quad in self.quads():
            count += 1
            if merge_graph is not None and isinstance(quad.graph_name, ox.NamedNode) \
                    and quad.graph_name.value == merge_graph:
                raise InputError(f"{self.path}: has a graph named {merge_graph}, the graph the merge would "
                                 "replace; give another --merge-graph")
        if count == 0:
            raise InputError(f"{self.path}: the graph is empty")
        self.triples = count

    def lines(self) -> Iterator[tuple[str | None, bytes]]:
        """``(graph IRI or None, N-Triples line)`` for every quad, in file order."""
        for quad in self.quads():
            graph = quad.graph_name
            line = (f"{from_oxigraph(quad.subject)} {from_oxigraph(quad.predicate)} "
                    f"{from_oxigraph(quad.object)} .\n").encode()
            yield (graph.value if isinstance(graph, ox.NamedNode) else None), line

    def graph_spools(self) -> Iterator[tuple[str | None, IO[bytes], int, int]]:
        """``(graph, spool, triples, bytes)`` for each run of consecutive quads of one graph (None: the
        default graph), its N-Triples in a spool file the caller closes."""
        graph: str | None = None
        spool: IO[bytes] | None = None
        triples = size = 0
        try:
            for name, line in self.lines():
                if spool is None or name != graph:
                    if spool is not None:
                        yield graph, spool, triples, size
                    graph, triples, size = name, 0, 0
                    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
                spool.write(line)
                triples += 1
                size += len(line)
            if spool is not None:
                yield graph, spool, triples, size
                spool = None
        finally:
            if spool is not None and not spool.closed:
                spool.close()


class _SpoolBody:
    """A request body read from a spool file, from its start each time it is iterated (an
    authentication challenge makes httpx send the body again)."""

    def __init__(self, spool: IO[bytes]) -> None:
        self._spool = spool

    def __iter__(self) -> Iterator[bytes]:
        self._spool.seek(0)
        while chunk := self._spool.read(CHUNK):
            yield chunk


class _MergeBody:
    """The N-Triples of every quad of the file, read again from the file each time it is iterated;
    its length was counted while the named graphs were sent."""

    def __init__(self, source: Source, size: int) -> None:
        self._source, self._size = source, size

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        batch: list[bytes] = []
        batched = 0
        for _graph, line in self._source.lines():
            batch.append(line)
            batched += len(line)
            if batched >= CHUNK:
                sent = self._checked(sent + batched)
                yield b"".join(batch)
                batch, batched = [], 0
        sent = self._checked(sent + batched)
        if batch:
            yield b"".join(batch)
        if sent != self._size:
            raise self._changed()

    def _checked(self, sent: int) -> int:
        if sent > self._size:
            raise self._changed()
        return sent

    def _changed(self) -> PushError:
        return PushError(f"{self._source.path} changed while it was being pushed; push it again")


# ----------------------------------------------------------------------------------------- requests


class ChallengeAuth(httpx.Auth):
    """HTTP Basic or Digest authentication, whichever the server's 401 challenge asks for.

    Nothing is sent before the server asks; a Digest challenge is then kept for the next requests
    (httpx's DigestAuth), so later bodies go out once."""

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is not None:
            yield from (self._digest if self._scheme == "digest" else self._basic).auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = [value.split(" ", 1)[0].lower() for value in response.headers.get_list("www-authenticate")]
        if "digest" in offered:
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)  # the request as it is: no challenge known yet
            response = yield flow.send(response)  # with the answer to this challenge
            with contextlib.suppress(StopIteration):
                flow.send(response)
        elif "basic" in offered:
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


class _Sender:
    """Requests to one Graph Store, with one-line errors."""

    def __init__(self, client: httpx.Client, url: httpx.URL, has_user: bool) -> None:
        self.client, self.url, self.has_user = client, url, has_user
        self.sent: set[str | None] = set()  # graphs already sent: a later run of one is added with POST

    def target(self, graph: str | None) -> httpx.URL:
        if graph is None:
            return self.url.copy_with(query=b"default")
        return self.url.copy_merge_params({"graph": graph})

    def probe(self) -> None:
        """OPTIONS on the endpoint before any data: an unreachable server or refused credentials
        fail here, and a Digest challenge is learnt without sending a graph twice."""
        response = self._request("OPTIONS", self.url, "OPTIONS")
        if response.status_code == 401:
            raise self._unauthorised(response)

    def send(self, graph: str | None, body: _SpoolBody | _MergeBody, size: int, triples: int, *,
             merge: bool = False) -> GraphSent:
        method = "PUT"
        if not merge and graph in self.sent:
            method = "POST"  # the graph comes back later in the file: add to what was sent
        url = self.target(graph)
        what = f"{method} {'the merge to ' if merge else ''}{'the default graph' if graph is None else graph}"
        started = time.perf_counter()
        response = self._request(method, url, what, content=body,
                                 headers={"Content-Type": N_TRIPLES, "Content-Length": str(size)})
        if not response.is_success:
            raise self._refused(response, what, default=graph is None)
        self.sent.add(graph)
        return GraphSent(graph, method, triples, size, time.perf_counter() - started, response.status_code, merge)

    def _request(self, method: str, url: httpx.URL, what: str, **kwargs: object) -> httpx.Response:
        try:
            response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise PushError(f"{what}: no answer from {self.url} within {self._timeout()} s "
                            "(raise --timeout for a slow server or a large graph)") from None
        except httpx.ConnectError as exc:
            raise PushError(f"cannot connect to {self.url} ({_connect_reason(exc)})") from None
        except httpx.TransportError as exc:
            raise PushError(f"{what}: {self.url}: {type(exc).__name__}: {one_line(str(exc))[:200]}") from None
        return response

    def _timeout(self) -> str:
        seconds = self.client.timeout.read
        return f"{seconds:g}" if seconds is not None else "?"

    def _unauthorised(self, response: httpx.Response) -> PushError:
        if self.has_user:
            return PushError(f"{self.url} refused the user name or password (HTTP 401)")
        return PushError(f"{self.url} asks for a user name and password (HTTP 401): give --user USER, "
                         "the password in KG_PUSH_PASSWORD or at the prompt")

    def _refused(self, response: httpx.Response, what: str, *, default: bool) -> PushError:
        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if response.status_code == 401:
            return self._unauthorised(response)
        if response.is_redirect:
            where = response.headers.get("location", "?")
            return PushError(f"{what}: {self.url} redirects to {where} ({status}); kg push does not follow "
                             "redirects: give that URL as --endpoint if it is the Graph Store")
        message = server_message(response)
        hint = ""
        if default and response.status_code >= 400:
            hint = (f" (if the server has no default graph of its own, as Virtuoso, push the merge into a "
                    f"named graph: --merge-graph {MERGED_GRAPH})")
        return PushError(f"{what}: {status}{': ' + message if message else ''}{hint}")


def server_message(response: httpx.Response, limit: int = 300) -> str:
    """The server's error message as one line: HTML reduced to its text, cut to ``limit`` characters."""
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        text = response.content.decode("utf-8", "replace")
    if "html" in response.headers.get("content-type", "").lower() or text.lstrip().startswith("<"):
        text = _html_text(text)
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _TextOf(HTMLParser):
    """The text of an HTML page, without scripts and style sheets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def _connect_reason(exc: httpx.ConnectError) -> str:
    text = one_line(str(exc))
    if "refused" in text.lower():
        return "connection refused: is the server running?"
    return text[:200] or type(exc).__name__


__all__ = ["DEFAULT", "MERGED_GRAPH", "ChallengeAuth", "GraphSent", "PushError", "PushReport", "Source",
           "check_endpoint", "check_merge_graph", "push", "server_message"]
