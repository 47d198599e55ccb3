"""The conversation: one router, handlers per feature, a fallback last."""

from handlers.conversation import handle_event

__all__ = ["handle_event"]
