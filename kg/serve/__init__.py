"""``kg serve``: a read-only SPARQL 1.1 endpoint (Starlette and uvicorn) over a store, its queries
answered by worker processes."""
