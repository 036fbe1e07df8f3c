"""User-facing messages that the API says in the caller's language (app.i18n translates them).

Pure, with no imports of the project: the rules modules raise these too. A `Msg` *is* its English
text, so logs, tests and `str()` read English; it also keeps its gettext msgid and parameters, so
the error handler looks the msgid up in the caller's catalog and fills the parameters in after
translating. A plain literal raised as a message needs no marker: the catalog extraction
(app/i18n_extract.py) finds literals given to the AppError classes and to ValidationError; a
message built anywhere else, or with parameters, is written `Msg("... %(name)s ...", name=...)`.

A parameter is shown by kind: a `Msg` is translated in turn; an enum member with `label_cn`, or a
`Term` (a code with the name of its dictionary in app.dictionaries), reads as its Chinese label in
Chinese and as its code in English; a list or tuple reads as its items joined.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Msg(str):
    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Msg:
        text = msgid % {k: english(v) for k, v in params.items()} if params else msgid
        self = super().__new__(cls, text)
        self.msgid = msgid
        self.params = params
        return self

    def __reduce__(self):
        # Pickled into rq jobs and caches like any str, keeping what translation needs.
        return (_rebuild, (self.msgid, self.params))


def _rebuild(msgid: str, params: dict[str, Any]) -> Msg:
    return Msg(msgid, **params)


class Term(str):
    """A code whose label lives in a dictionary of app.dictionaries (e.g. "plan_statuses")."""

    dictionary: str

    def __new__(cls, dictionary: str, code: Any) -> Term:
        self = super().__new__(cls, english(code))
        self.dictionary = dictionary
        return self

    def __reduce__(self):
        return (Term, (self.dictionary, str(self)))


def english(value: Any) -> str:
    """A parameter as the English text shows it: codes as codes, lists joined by commas."""
    if isinstance(value, list | tuple):
        return ", ".join(english(v) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)
