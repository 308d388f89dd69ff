"""Translation catalogues: each domain package owns `translations/zh/LC_MESSAGES/messages.po`
for the strings in its code and templates; the core catalogue covers shared pages.

Keeping one catalogue per package means work on two packages never edits the same file.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGES = (
    "regions",
    "accounts",
    "catalog",
    "households",
    "orders",
    "payments",
    "logistics",
    "reports",
    "claims",
    "api",
    "jobs",
    "notifications",
)
LOCALES = ("zh",)
METHOD_MAP = [("**.py", "python"), ("**.html", "jinja2.ext:babel_extract")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    # A short word that means different things on different pages ("Next" page / stop,
    # "To" whom / date) gets a context: the packages' catalogues are merged into one.
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
    "_lp": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    # A message kept as data (a job's result) and translated when a page shows it.
    "N_": None,
}
CONTEXT_SEPARATOR = "|"  # `flask i18n fill` and `missing` write "context|msgid"


def _roots(package_root: Path) -> dict[str, tuple[Path, list[Path], list[Path]]]:
    """name -> (catalogue dir, directories to scan, single files to scan)."""
    project = package_root.parent
    out = {
        "core": (
            package_root / "translations",
            [project / "templates" / "errors", project / "templates" / "core"],
            sorted(package_root.glob("*.py")) + sorted((project / "templates").glob("*.html")),
        )
    }
    for name in PACKAGES:
        out[name] = (
            package_root / name / "translations",
            [package_root / name, project / "templates" / name],
            [],
        )
    return out


def translation_dirs(package_root: str) -> list[str]:
    """Catalogue directories for Flask-Babel, core first."""
    return [str(d) for d, _, _ in _roots(Path(package_root)).values()]


def extract(package_root: Path, name: str) -> dict:
    """(context, msgid or (singular, plural)) -> source locations, for one package."""
    _, dirs, files = _roots(package_root)[name]
    found: dict = {}

    def add(filename, lineno, message, context):
        found.setdefault((context, message), []).append((filename, lineno))

    for directory in dirs:
        if not directory.is_dir():
            continue
        for filename, lineno, message, _comments, context in extract_from_dir(
            directory, METHOD_MAP, OPTIONS, keywords=KEYWORDS
        ):
            add(str(directory / filename), lineno, message, context)
    for path in files:
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        opts = OPTIONS["**.html"] if path.suffix == ".html" else {}
        for lineno, message, _comments, context in extract_from_file(
            method, path, keywords=KEYWORDS, options=opts
        ):
            add(str(path), lineno, message, context)
    return found


def _key(message) -> str:
    return message[0] if isinstance(message, tuple) else message


def _label(context, msgid: str) -> str:
    return f"{context}{CONTEXT_SEPARATOR}{msgid}" if context else msgid


def _po_path(catalogue_dir: Path, locale: str) -> Path:
    return catalogue_dir / locale / "LC_MESSAGES" / "messages.po"


def load(package_root: Path, name: str, locale: str = "zh") -> Catalog:
    path = _po_path(_roots(package_root)[name][0], locale)
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def update(package_root: Path) -> dict[str, int]:
    """Rewrite every .po with the strings now in the code; keep existing translations.

    Returns the number of untranslated strings per package.
    """
    missing = {}
    for name, (catalogue_dir, _, _) in _roots(package_root).items():
        messages = extract(package_root, name)
        for locale in LOCALES:
            old = load(package_root, name, locale)
            new = Catalog(locale=locale, project="linxia-marketplace", fuzzy=False)
            new.creation_date = old.creation_date  # no date-only churn in the .po files
            for context, msgid in messages:
                previous = old.get(_key(msgid), context=context)
                new.add(
                    msgid,
                    previous.string if previous else ("", "") if isinstance(msgid, tuple) else "",
                    context=context,
                )
            if not messages and not _po_path(catalogue_dir, locale).exists():
                continue
            path = _po_path(catalogue_dir, locale)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as f:
                write_po(f, new, no_location=True, sort_output=True, width=100)
            missing[name] = sum(1 for m in new if m.id and not _translated(m))
    return missing


def _translated(message) -> bool:
    if isinstance(message.string, tuple):
        return all(message.string)
    return bool(message.string)


def compile_all(package_root: Path) -> int:
    """Write a .mo beside every .po; returns how many were written."""
    count = 0
    for catalogue_dir, _, _ in _roots(package_root).values():
        for locale in LOCALES:
            po = _po_path(catalogue_dir, locale)
            if not po.exists():
                continue
            with po.open("rb") as f:
                catalog = read_po(f, locale=locale)
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog)
            count += 1
    return count


def untranslated(package_root: Path, locale: str = "zh") -> dict[str, list[str]]:
    """Strings in the code that have no translation yet, per package."""
    out = {}
    for name in _roots(package_root):
        catalog = load(package_root, name, locale)
        gaps = []
        for context, msgid in extract(package_root, name):
            message = catalog.get(_key(msgid), context=context)
            if message is None or not _translated(message) or message.fuzzy:
                gaps.append(_label(context, _key(msgid)))
        if gaps:
            out[name] = sorted(gaps)
    return out


def fill(package_root: Path, name: str, translations: dict[str, str], locale: str = "zh") -> int:
    """Set translations for msgids already in a package's .po ("context|msgid" for one with
    a context); returns how many were set."""
    catalogue_dir = _roots(package_root)[name][0]
    catalog = load(package_root, name, locale)
    count = 0
    for label, text in translations.items():
        context, _, msgid = label.rpartition(CONTEXT_SEPARATOR)
        message = catalog.get(msgid, context=context or None)
        if message is None:
            continue
        message.string = text
        message.flags.discard("fuzzy")
        count += 1
    path = _po_path(catalogue_dir, locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, no_location=True, sort_output=True, width=100)
    return count


def conflicting(package_root: Path, locale: str = "zh") -> dict:
    """Strings two packages translate differently: {(context, msgid): {package: text}}.

    Flask-Babel merges every package's catalogue into one, so only one of the two texts can
    ever be shown: the word must be the same, or the string needs a context.
    """
    seen: dict = {}
    for name in _roots(package_root):
        for message in load(package_root, name, locale):
            if message.id and _translated(message):
                text = message.string if isinstance(message.string, str) else message.string[0]
                seen.setdefault((message.context, _key(message.id)), {})[name] = text
    return {key: texts for key, texts in seen.items() if len(set(texts.values())) > 1}
