"""The supporters' admin: giving and the people who give, the appeals, and bringing supporters over."""

from . import appeals, giving, imports  # noqa: F401
