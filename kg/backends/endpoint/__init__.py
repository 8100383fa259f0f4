"""A remote SPARQL 1.1 endpoint: queries by the SPARQL Protocol, writes by the Graph Store Protocol.

Plain ``urllib`` with a timeout on every request. Whatever goes wrong (no server, no answer in
time, an HTTP error) becomes one :class:`~kg.errors.KgError` line naming the URL and the status.
Only the host the user named is contacted (``kg.safety.allow_host``).

By job: :mod:`~kg.backends.endpoint.exchange` (URLs, the HTTP errors, the total time limit),
:mod:`~kg.backends.endpoint.answers` (the columns of an answer, an answer cut at the server's
row limit, RDF answers), :mod:`~kg.backends.endpoint.backend` (:class:`EndpointBackend`).
"""

from kg.backends.endpoint.answers import TruncatedAnswer, projected_variables
from kg.backends.endpoint.backend import EndpointBackend
from kg.backends.endpoint.exchange import ACCEPT, TotalTimeError, check_url, graph_store_url, http_error

__all__ = [
    "ACCEPT",
    "EndpointBackend",
    "TotalTimeError",
    "TruncatedAnswer",
    "check_url",
    "graph_store_url",
    "http_error",
    "projected_variables",
]
