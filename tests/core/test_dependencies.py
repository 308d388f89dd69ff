"""Which packages of `marketplace` import which, read from the source with `ast`.

Two packages that import each other cannot be understood, tested or changed apart, and
they are where import cycles come from. The README's Architecture section draws the
direction; this test keeps the code to it. Every import counts, including those inside
functions (a late import is still a dependency, only a hidden one).

Run `python tests/core/test_dependencies.py` to print every pair and the lines behind it.
"""

import ast
from collections import defaultdict
from itertools import combinations
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "marketplace"

# The two pairs that are meant: orders plans and cancels a fulfilment's parcel, a scan tells
# orders what happened; cancelling refunds or expires a payment, a webhook tells orders the
# money arrived.
INTENDED_PAIRS = {frozenset({"logistics", "orders"}), frozenset({"orders", "payments"})}
# Layers above the domain: they may import anything, and no domain package imports them
# (the app factory, the CLI and its prefecture-scale generator, the JSON API, the model list).
TOP_LAYERS = {"__init__", "web", "cli", "scale", "api", "models"}
LEDGER_MUST_NOT_KNOW = {"orders", "payments", "logistics"}


def unit_of(path: Path) -> str:
    """The top-level package (or top-level module) a source file belongs to."""
    parts = path.relative_to(PACKAGE_ROOT).with_suffix("").parts
    return parts[0]


def imported_modules(node: ast.AST, path: Path) -> list[str]:
    """The dotted names (under `marketplace`) an import statement refers to."""
    if isinstance(node, ast.Import):
        return [
            alias.name.removeprefix("marketplace.")
            for alias in node.names
            if alias.name.startswith("marketplace.")
        ]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        if node.module is None or not (
            node.module == "marketplace" or node.module.startswith("marketplace.")
        ):
            return []
        base = node.module.split(".")[1:]
    else:
        package = list(path.relative_to(PACKAGE_ROOT).parent.parts)
        if node.level > 1:
            package = package[: len(package) - (node.level - 1)]
        base = package + (node.module.split(".") if node.module else [])
    if base:
        return [".".join(base)]
    # `from marketplace import money` / `from . import money` at the top level: the names
    # themselves are the modules or packages.
    return [alias.name for alias in node.names]


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) -> the 'file:line' of each import, across units."""
    edges = defaultdict(list)
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        source = unit_of(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for module in imported_modules(node, path):
                target = module.split(".")[0]
                if target and target != source:
                    where = f"marketplace/{path.relative_to(PACKAGE_ROOT)}:{node.lineno}"
                    edges[(source, target)].append(where)
    return edges


def mutual_pairs(edges) -> set[frozenset]:
    units = {unit for edge in edges for unit in edge}
    return {
        frozenset({a, b})
        for a, b in combinations(sorted(units), 2)
        if (a, b) in edges and (b, a) in edges
    }


def describe(edges, pairs) -> str:
    lines = []
    for pair in sorted(pairs, key=sorted):
        a, b = sorted(pair)
        for x, y in ((a, b), (b, a)):
            lines.append(f"{x} -> {y}:")
            lines.extend(f"    {where}" for where in edges[(x, y)])
    return "\n".join(lines)


def test_only_the_intended_pairs_import_each_other():
    edges = import_edges()
    pairs = mutual_pairs(edges)
    unexpected = pairs - INTENDED_PAIRS
    assert not unexpected, "packages that import each other:\n" + describe(edges, unexpected)
    # The intended pairs are still mutual; if one disappears, update INTENDED_PAIRS and README.
    assert pairs == INTENDED_PAIRS, f"no longer mutual: {INTENDED_PAIRS - pairs}"


def test_households_knows_nothing_of_the_sale():
    edges = import_edges()
    bad = {target: edges[("households", target)] for target in LEDGER_MUST_NOT_KNOW}
    bad = {target: where for target, where in bad.items() if where}
    assert not bad, "households imports the sale:\n" + "\n".join(
        f"households -> {target}:\n" + "\n".join(f"    {w}" for w in where)
        for target, where in sorted(bad.items())
    )


def test_no_domain_package_imports_the_layers_above():
    edges = import_edges()
    bad = {
        (source, target): where
        for (source, target), where in edges.items()
        if target in TOP_LAYERS and source not in TOP_LAYERS
    }
    assert not bad, "domain code imports a layer above it:\n" + "\n".join(
        f"{source} -> {target}:\n" + "\n".join(f"    {w}" for w in where)
        for (source, target), where in sorted(bad.items())
    )


if __name__ == "__main__":
    found = import_edges()
    print(describe(found, mutual_pairs(found)) or "no packages import each other")
