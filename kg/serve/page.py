"""The query page of ``kg serve`` (``/``): one self-contained HTML page, UTF-8, that works offline.

YASGUI (``@zazuko/yasgui``, vendored in ``data/vendor/yasgui`` by ``tools/vendor_yasgui.py``), the
page's script and its style sheet are inlined, as for the network page (:mod:`kg.viz.render`). The
page sends its queries to ``endpoint`` on its own origin, lists the example queries (one click puts
one into the editor; a fresh profile starts with the first) and the project's prefixes, shows
results as a table, and links to the network page. Its Content-Security-Policy allows its own two
scripts (by hash) and requests to its own origin only, so nothing leaves the machine even when a
user types another endpoint. The output is deterministic.
"""
from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources as importlib_resources

from kg import __version__
from kg.errors import InputError

#: A path on the page's own origin: no scheme, no ``//host``, no backslash, no space or control character.
_SAME_ORIGIN = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\\\s\x00-\x1f\x7f]+$")


def query_page(endpoint: str = "/sparql", examples: dict[str, str] | None = None,
               title: str = "summit-kg SPARQL", network_href: str | None = "/network") -> str:
    """The HTML of the query page: YASGUI on ``endpoint``, ``examples`` (name → SPARQL text, the
    bundled queries by default, the first one in the editor on a fresh profile) and a link to
    ``network_href`` when given. ``endpoint`` and ``network_href`` are paths on the page's origin."""
    import jinja2

    from kg.query import bundled_queries
    from kg.resources import Resources
    from kg.sparql import PREFIXES
    from kg.viz.render import _inline_safe, script_json

    for what, value in (("endpoint", endpoint), ("network page", network_href)):
        if value is not None and not _SAME_ORIGIN.match(value):
            raise InputError(f"the {what} must be a path on the page's own server, not {value!r}")
    examples = bundled_queries() if examples is None else examples
    if not examples:
        raise InputError("the query page needs at least one example query")
    resources = Resources()
    yasgui_js = _inline_safe(resources.path("vendor/yasgui/yasgui.min.js").read_text(encoding="utf-8"), "script")
    page_js = _inline_safe(_asset("query.js"), "script")
    scripts = " ".join(f"'sha256-{_digest(text)}'" for text in (yasgui_js, page_js))
    csp = (f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; connect-src 'self'; "
           "img-src 'self' data:; base-uri 'none'; form-action 'none'")
    payload = {"endpoint": endpoint, "examples": list(examples.items()), "prefixes": PREFIXES}
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             loader=jinja2.FunctionLoader(_asset))
    return env.get_template("query.html.j2").render(
        title=title, version=__version__, csp=csp, endpoint=endpoint, network_href=network_href,
        examples=[{"name": name, "about": about(text)} for name, text in examples.items()],
        prefixes=sorted(PREFIXES.items()),
        yasgui_css=_inline_safe(resources.path("vendor/yasgui/yasgui.min.css").read_text(encoding="utf-8"), "style"),
        page_css=_inline_safe(_asset("query.css"), "style"),
        yasgui_js=yasgui_js, page_js=page_js, payload=script_json(payload),
    )


def about(sparql: str) -> str:
    """What a query is for: its leading ``#`` comment lines as one line, without the ``name:`` they
    start with in ``kg/queries``."""
    lines = []
    for line in sparql.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    text = " ".join(line for line in lines if line)
    return re.sub(r"^[\w-]+: ", "", text)


def _digest(script: str) -> str:
    """The CSP hash of an inline script: base64 of the SHA-256 of its text as it sits between the tags."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _asset(name: str) -> str:
    return (importlib_resources.files("kg.serve") / "templates" / name).read_text(encoding="utf-8")
