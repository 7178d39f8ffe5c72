"""The newsletters' admin, one module per thing an editor or the audience team looks after."""

from . import imports, issues, lists, subscribers  # noqa: F401
