"""A package whose __init__ re-exports a function of a submodule."""
from .services.pricing import quote

__all__ = ["quote"]
