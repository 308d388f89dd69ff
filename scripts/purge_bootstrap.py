"""Write static/css/bootstrap.purged.css: Bootstrap's CSS with only the rules whose classes
the templates, scripts and Python code use (227 KiB -> about a fifth). Run `make css`
after using a Bootstrap class no page used before; tests/core/test_static_assets.py fails
while a class used somewhere is missing from the purged file.

A rule is kept when one of its selectors names only classes that occur as a word in
templates/, static/js/ or marketplace/ (classes built in a template, `alert-{{ ... }}`,
keep every class with that prefix), plus the states Bootstrap's JavaScript sets.
"""

import re
import sys
from pathlib import Path

import tinycss2

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "css" / "bootstrap.purged.css"
# Classes Bootstrap's JavaScript adds (collapse, alerts, dropdowns): in no template.
SAFE = {"show", "showing", "hiding", "collapsing", "collapse", "fade", "active", "disabled"}
CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PREFIX = re.compile(r"([a-z][a-z0-9-]*-)\{\{")


def bootstrap_css() -> Path:
    import flask_bootstrap

    return Path(flask_bootstrap.__file__).parent / "static/bootstrap5/css/bootstrap.min.css"


def used_words() -> tuple[set[str], tuple[str, ...]]:
    words, prefixes = set(SAFE), set()
    sources = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/js/*.js")]
    sources += [p for p in ROOT.glob("marketplace/**/*.py")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        words.update(WORD.findall(text))
        prefixes.update(PREFIX.findall(text))
    return words, tuple(sorted(prefixes))


def keep_selector(selector: str, words, prefixes) -> bool:
    return all(c in words or c.startswith(prefixes) for c in CLASS.findall(selector))


def purge(rules, words, prefixes) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            chosen = [s for s in selectors if keep_selector(s, words, prefixes)]
            if chosen:
                body = tinycss2.serialize(rule.content).strip()
                kept.append(f"{','.join(chosen)}{{{body}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            inner = purge(tinycss2.parse_rule_list(rule.content), words, prefixes)
            if inner:
                kept.append(
                    f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}"
                )
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return kept


def main() -> int:
    source = bootstrap_css().read_text(encoding="utf-8")
    words, prefixes = used_words()
    rules = tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True)
    text = (
        "/*! Bootstrap v5 (MIT), purged to the classes used here: scripts/purge_bootstrap.py */\n"
    )
    text += "".join(purge(rules, words, prefixes)) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.name}: {len(source) // 1024} KiB -> {len(text) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
