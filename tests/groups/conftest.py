"""Groups fixtures: a dashboard on a server without the conversation extensions."""

from tests.groups.conversation_support import no_extension  # noqa: F401
