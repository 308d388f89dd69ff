"""Parts of a page that another package adds: the page's package asks, the other answers.

A lower package cannot import a higher one (tests/core/test_dependencies.py), yet its pages
may show what the higher one knows: the order page shows a parcel's claims, the product
page its reviews, the manager's home the claims waiting for an answer. The page's builder
calls `extras_for(place, subject, viewer)`; a package that has something to add connects
to `page_extras` and returns an `Extra` (a template to include and its data) or None.
Templates include `extra.template` with `extra.data`; they call nothing.
"""

from dataclasses import dataclass

from blinker import Namespace

page_extras = Namespace().signal("page-extras")


@dataclass(frozen=True)
class Extra:
    template: str
    data: object


def extras_for(place: str, subject=None, viewer=None) -> list[Extra]:
    """What the packages listening add at `place` for `subject`, as `viewer` sees it."""
    found = page_extras.send(place, subject=subject, viewer=viewer)
    return [extra for _receiver, extra in found if extra is not None]
