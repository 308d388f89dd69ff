"""One commit point: only `marketplace/transaction.py` commits or rolls back the session.

A view that commits on its own keeps half of a request that then fails, and skips the work
queued with `on_commit`; one that rolls back throws away what came before it. Requests
commit in `web.py` and commands in `cli.py`, both through `transaction.commit()` /
`transaction.rollback()`; demo loaders and the `scale/` bulk loaders flush and leave the
commit to the command. So the allow-list is the one module that does it for everyone.
"""

import ast
from pathlib import Path

import marketplace

PACKAGE = Path(marketplace.__file__).parent
ALLOWED = {"transaction.py"}
# Calls to these names on `transaction` are the point; on anything else they are not.
ENDINGS = {"commit", "rollback"}


def session_endings(source: str) -> list[tuple[int, str]]:
    """(line, call) for every `x.commit()` / `x.rollback()` not made on `transaction`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ENDINGS
            and ast.unparse(node.func.value) != "transaction"
        ):
            found.append((node.lineno, ast.unparse(node.func)))
    return found


def test_the_check_finds_a_commit_and_a_rollback_however_spelled():
    source = (
        "from . import transaction\n"
        "db.session.commit()\n"
        "session.rollback()\n"
        "db.session().commit()\n"
        "transaction.commit()\n"
        "transaction.rollback()\n"
    )
    assert session_endings(source) == [
        (2, "db.session.commit"),
        (3, "session.rollback"),
        (4, "db.session().commit"),
    ]


def test_only_the_transaction_module_commits_or_rolls_back():
    offenders = [
        f"marketplace/{path.relative_to(PACKAGE)}:{line}: {call}()"
        for path in sorted(PACKAGE.rglob("*.py"))
        if str(path.relative_to(PACKAGE)) not in ALLOWED
        for line, call in session_endings(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], (
        "Commit and roll back only in marketplace/transaction.py: views call a @verb and "
        "let the request commit (web.py); commands call transaction.commit().\n"
        + "\n".join(offenders)
    )


def test_the_allowed_module_is_there_and_is_found_by_the_check():
    # If transaction.py were renamed, the allow-list would silently allow nothing.
    for name in ALLOWED:
        assert session_endings((PACKAGE / name).read_text(encoding="utf-8"))
