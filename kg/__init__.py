"""summit-kg: knowledge graphs of multilateral summits from Chinese news reports.

    import kg
    g = kg.build("上海合作组织成员国元首理事会第二十次会议11月10日以视频方式举行…", published="2020-11-11")
    g.query("summits")                      # rows as dicts of Python values
    g.write("out.trig"); g.viz("page.html"); g.validate()

Importing the package is cheap: it loads no dictionary, no jieba, no RDF store; :func:`build`,
:func:`load` and :class:`Graph` (:mod:`kg.api`) are imported on first use. The pipeline lives in
:mod:`kg.pipeline`, the command line in :mod:`kg.cli`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.errors import KGError

if TYPE_CHECKING:  # pragma: no cover
    from kg.api import ArticleWarning, Graph, Validation, build, load

__all__ = ["ArticleWarning", "Graph", "KGError", "Validation", "__version__", "build", "load"]
__version__ = "0.1.0"

_API = {"ArticleWarning", "Graph", "Validation", "build", "load"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)
