"""The request id of the request being served, for audit events (a context variable, so
it is right under threads and async alike)."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("vigil_request_id", default="")
