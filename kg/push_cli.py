"""``kg push``: the command line of :mod:`kg.push` (argparse only; httpx and pyoxigraph are imported
when the command runs, so ``import kg.cli`` stays cheap)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TextIO

from kg.errors import InputError

PASSWORD_VARIABLE = "KG_PUSH_PASSWORD"

DESCRIPTION = ("Send each named graph of a graph file to a SPARQL server with the SPARQL 1.1 Graph Store "
               "HTTP Protocol (PUT, replacing the server's graph of the same name), then the merge of all "
               "of them, each triple once, as the default graph the bundled queries read.")

EPILOG = """examples:
  # Oxigraph (pip install oxigraph): the Graph Store is /store, queries go to /query
  oxigraph serve --location out/oxigraph --bind 127.0.0.1:7878 &
  kg push out/corpus.trig --endpoint http://127.0.0.1:7878/store
  curl -H 'Accept: text/csv' --data-urlencode query@kg/queries/summits.rq http://127.0.0.1:7878/query

  # Virtuoso: its default graph is the union of all graphs (a triple in two graphs counts twice),
  # so the merge goes to a named graph, and queries name it as their default graph
  KG_PUSH_PASSWORD=dba kg push out/corpus.trig --user dba \\
      --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth \\
      --merge-graph https://w3id.org/summit-kg/graph/merged
  curl -H 'Accept: text/csv' --data-urlencode query@kg/queries/summits.rq \\
      --data-urlencode default-graph-uri=https://w3id.org/summit-kg/graph/merged \\
      http://127.0.0.1:8890/sparql

--endpoint is the server's Graph Store URL; kg push adds ?graph=IRI and ?default. Each named graph
replaces the server's graph of that name; graphs the file does not have are left as they are. The
merge replaces the default graph (or the --merge-graph graph), so it always matches this file.
With --user, the password comes from the environment variable KG_PUSH_PASSWORD or, on a terminal,
a prompt (never from the command line); it is sent only when the server asks (HTTP Basic or Digest).
Requests go to --endpoint and nowhere else: redirects are not followed and proxy settings in the
environment are not used. The file is read through once before anything is sent, so a file that
does not parse changes nothing on the server. Bodies are N-Triples with a Content-Length (never
chunked), spooled to a temporary file beyond 8 MB. Exit 0 when everything was sent, 1 when the
server cannot be reached or refuses (the rest is not sent), 2 for a bad file, URL or option."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``kg push``; use with ``formatter_class=argparse.RawDescriptionHelpFormatter``,
    ``description=DESCRIPTION`` and ``epilog=EPILOG``."""
    parser.add_argument("graph", metavar="GRAPH",
                        help="graph file from kg build (.trig, .nq, .jsonld keep the named graphs; .ttl, .nt; "
                             "optionally .gz)")
    parser.add_argument("--endpoint", required=True, metavar="URL",
                        help="the server's Graph Store URL (Oxigraph: http://HOST:7878/store; Virtuoso: "
                             "http://HOST:8890/sparql-graph-crud-auth)")
    parser.add_argument("--user", metavar="USER",
                        help=f"user name for the server (password from ${PASSWORD_VARIABLE} or a prompt)")
    parser.add_argument("--merge-graph", default="default", metavar="IRI",
                        help="where the merge of all graphs goes: 'default' (the server's default graph, "
                             "GSP ?default) or a graph IRI, for servers whose default graph is the union "
                             "of all graphs, such as Virtuoso (default: default)")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                        help="give up when the server does not answer for this long (default: 120)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no line per graph or summary on standard error")


def run(args: argparse.Namespace, *, stderr: TextIO | None = None) -> int:
    """Run ``kg push`` with parsed arguments; raises :class:`~kg.errors.KGError` for the CLI to print."""
    from kg.progress import Progress
    from kg.push import GraphSent, check_endpoint, check_merge_graph, push

    err = stderr or sys.stderr
    check_endpoint(args.endpoint)  # bad options fail before any prompt
    check_merge_graph(args.merge_graph)
    if args.timeout <= 0:
        raise InputError(f"--timeout must be more than 0 seconds, not {args.timeout:g}")
    password = read_password(args.user, args.endpoint) if args.user is not None else None
    with Progress("pushing", quiet=args.quiet, stream=err, unit="graphs") as progress:

        def report(sent: GraphSent) -> None:
            graph = "the default graph" if sent.graph is None else sent.graph
            what = f"the merge → {graph}" if sent.merge else graph
            progress.advance(f"{sent.method} {what}: {sent.triples} triples, {sent.bytes / 1e6:.1f} MB, "
                             f"{sent.seconds:.2f} s (HTTP {sent.status})")

        result = push(args.graph, args.endpoint, user=args.user, password=password,
                      merge_graph=args.merge_graph, timeout=args.timeout, progress=report)
    if not args.quiet:
        print(f"kg: pushed {result.named_graphs} named graph{'s' if result.named_graphs != 1 else ''} and their "
              f"merge ({result.triples} triples, {result.bytes / 1e6:.1f} MB) to {result.endpoint} in "
              f"{result.seconds:.1f} s", file=err)
    return 0


def read_password(user: str, endpoint: str) -> str:
    """The password of ``user``: ``$KG_PUSH_PASSWORD``, else a prompt on the terminal."""
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise InputError(f"--user {user}: set the password in {PASSWORD_VARIABLE} (there is no terminal to ask on)")
    return getpass.getpass(f"password of {user} at {endpoint}: ")


__all__ = ["DESCRIPTION", "EPILOG", "PASSWORD_VARIABLE", "add_arguments", "read_password", "run"]
