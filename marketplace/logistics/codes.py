"""A parcel's code as machine-readable marks for labels and slips: a QR code and a 1D
Code 128 barcode, both inline SVG drawn on the server (no JavaScript, sharp in print).

Both carry the bare parcel code, not a URL: the station app scans it offline and looks the
parcel up in its own copy of the day's parcels.
"""

import io

import qrcode
import qrcode.image.svg
from barcode import Code128
from markupsafe import Markup, escape


def qr_svg(text: str, label: str = "") -> Markup:
    """A QR code of `text` as an inline <svg> that scales to its box."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :].replace(' id="qr-path"', "")  # no declaration, no id
    attrs = f'<svg role="img" aria-label="{escape(label or text)}" class="parcel-qr" '
    return Markup(svg.replace("<svg ", attrs, 1))


def code128_modules(text: str) -> str:
    """The bars of `text` in Code 128 (auto code set, checksum, stop) as '1'/'0' modules."""
    return "".join(Code128(text).build())


def code128_svg(text: str, label: str = "", height: int = 40) -> Markup:
    """A Code 128 barcode of `text` as an inline <svg>: one rect per bar, 10 modules of
    quiet zone on either side, width following its box (viewBox in modules)."""
    modules = code128_modules(text)
    quiet = 10
    bars, x = [], quiet
    for run in _runs(modules):
        if run[0] == "1":
            bars.append(f'<rect x="{x}" y="0" width="{len(run)}" height="{height}"/>')
        x += len(run)
    width = x + quiet
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="parcel-barcode" role="img" '
        f'aria-label="{escape(label or text)}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{height}" fill="#fff"/><g fill="#000">{"".join(bars)}</g>'
        "</svg>"
    )


def _runs(modules: str):
    start = 0
    for i in range(1, len(modules) + 1):
        if i == len(modules) or modules[i] != modules[start]:
            yield modules[start:i]
            start = i
