"""summit-kg: knowledge graphs of multilateral summits from Chinese news reports.

Importing the package is cheap: it loads no dictionary, no jieba, no RDF store. The pipeline
lives in :mod:`kg.pipeline`, the command line in :mod:`kg.cli`.
"""
from __future__ import annotations

from kg.errors import KGError

__all__ = ["KGError", "__version__"]
__version__ = "0.1.0"
