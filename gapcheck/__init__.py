"""gapcheck: check an AI operator's terms against AI vendors' usage-policy obligations."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
