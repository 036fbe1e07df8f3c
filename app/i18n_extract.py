"""What the API may say to a user, found in the source: the catalog's extraction method.

babel.cfg names `extract` for `pybabel extract` (`make messages`), and tests/test_i18n.py calls
`messages()` to hold the catalog complete. A string is a message when it is
- the first argument of `Msg(...)` (app.messages), anywhere;
- a literal given to an exception that carries messages to the API: the AppError classes and
  werkzeug's BadRequest (detail, and the values of `errors={...}`), marshmallow's
  ValidationError, the rules' field → messages errors, and FileRejected's message;
- a literal put into a variable named `errors` (`errors[f] = ["..."]`, `errors.append("...")`,
  `errors.setdefault(f, []).append("...")`), the name every module gives the messages it builds.
Nothing else is: a message built any other way is written `Msg(...)`. An f-string, `%` or `+`
in one of those places cannot be translated, and `problems()` reports it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

MARKER = "Msg"
# Exception class name -> indexes of the positional arguments that are messages (None: all).
CARRIERS: dict[str, tuple[int, ...] | None] = {
    name: None
    for name in (
        # app.errors
        "AppError",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "Conflict",
        "PreconditionFailed",
        "PreconditionRequired",
        "Unprocessable",
        "BadRequest",
        # marshmallow
        "ValidationError",
        # the rules' errors: field -> messages, or one message
        "InvalidInput",
        "AssessmentError",
        "GradingConfigError",
        "EnterpriseColorInputError",
        "AccidentTypeError",
        "RulesError",
        "ModelError",
        "FactsError",
        "AssignmentError",
    )
} | {
    "FileRejected": (1,),
    "problem": (1, 2, 3),  # app.errors.problem(status, title, detail, errors)
    "error": (3,),  # app.hazards.rules.lookup.error(index, field, code, message)
}
KEYWORDS = ("detail", "errors", "message")
ERRORS = "errors"  # the conventional name of a field -> messages dict (or list) being built


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """babel's extraction method interface: (lineno, funcname, message, comments)."""
    tree = ast.parse(fileobj.read())
    for lineno, text, _ in _walk(tree):
        if text is not None:
            yield lineno, None, text, []


def messages(root: Path) -> dict[str, list[str]]:
    """Every message under `root` (a folder of .py files) -> where it occurs."""
    found: dict[str, list[str]] = {}
    for path, lineno, text, _ in _scan(root):
        if text is not None:
            found.setdefault(text, []).append(f"{path}:{lineno}")
    return found


def problems(root: Path) -> list[str]:
    """Places where a message is built in a way the catalog cannot hold."""
    return [f"{path}:{lineno}: {why}" for path, lineno, text, why in _scan(root) if text is None]


def _scan(root: Path):
    for path in sorted(root.rglob("*.py")):
        if path.name == "messages.py" and path.parent == root:
            continue  # where Msg is defined (it rebuilds itself from a variable)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for lineno, text, why in _walk(tree):
            yield path.relative_to(root.parent), lineno, text, why


def _walk(tree: ast.AST) -> Iterator[tuple[int, str | None, str | None]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_errors(t) for t in targets):
                yield from _literals(node.value)
            continue
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend"):
            if _is_errors(node.func.value):
                for arg in node.args:
                    yield from _literals(arg)
            continue
        name = _name(node.func)
        if name == MARKER:
            if node.args and isinstance(node.args[0], ast.Constant):
                if isinstance(node.args[0].value, str):
                    yield node.lineno, node.args[0].value, None
            else:
                yield node.lineno, None, "Msg needs a literal msgid"
        elif name in CARRIERS:
            positions = CARRIERS[name]
            for index, arg in enumerate(node.args):
                if positions is None or index in positions:
                    yield from _literals(arg)
            for keyword in node.keywords:
                if keyword.arg in KEYWORDS:
                    yield from _literals(keyword.value)


def _literals(node: ast.AST) -> Iterator[tuple[int, str | None, str | None]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value, None
    elif isinstance(node, ast.JoinedStr):
        yield node.lineno, None, "an f-string message: write Msg('... %(name)s ...', name=...)"
    elif isinstance(node, ast.BinOp) and _has_literal(node):
        yield node.lineno, None, "a message built with % or +: write Msg(...) with parameters"
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _literals(value)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for item in node.elts:
            yield from _literals(item)
    elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
        yield from _literals(node.elt)
    elif isinstance(node, ast.DictComp):
        yield from _literals(node.value)


def _is_errors(node: ast.AST) -> bool:
    """`errors`, `errors[...]` or `errors.setdefault(...)`: the field -> messages being built."""
    if isinstance(node, ast.Subscript):
        node = node.value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr != "setdefault":
            return False
        node = node.func.value
    return isinstance(node, ast.Name) and node.id == ERRORS


def _has_literal(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) or isinstance(n, ast.JoinedStr)
        for n in ast.walk(node)
    )


def _name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None
