"""The conversation: one router, handlers per feature, a fallback last."""

from handlers.router import handle_event

__all__ = ["handle_event"]
