"""Errors meant for a user: each says what was wrong and what to do; shown without a trace."""


class PolyfindError(Exception):
    """A problem the user can fix; the message is shown as is."""


class ConfigError(PolyfindError):
    """config.toml is missing, malformed or has a bad key or value."""


class IndexMissingError(PolyfindError):
    """No index has been built at the configured path."""


class IndexLockedError(PolyfindError):
    """Another build holds the index lock."""


class CorpusError(PolyfindError):
    """The corpus folder is missing, empty, or yields no article."""


class QueryError(PolyfindError):
    """The query cannot be searched (empty, only punctuation, too long)."""


class ExplainNotAllowedError(PolyfindError):
    """The API was asked to explain scores where the configuration does not allow it."""


class UnknownLanguageError(QueryError):
    """A language filter names a language the index does not have."""


class IndexDamagedError(PolyfindError):
    """Index files are missing, truncated or changed since polyfind wrote them."""


class IndexUntrustedError(PolyfindError):
    """Index files someone else could have written: never unpickled."""


class BusyError(PolyfindError):
    """The server has no searcher or admission slot free in time: retry in a moment (503)."""

    retry_after = 2
