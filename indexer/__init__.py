"""polyfind: multilingual full-text search for Georgian, Hebrew, Kazakh, Polish and Afrikaans."""

__version__ = "0.1.0"
