"""The conversation: one router, handlers per feature, a fallback last."""

from handlers.conversation import Conversation, handle_event

__all__ = ["Conversation", "handle_event"]
