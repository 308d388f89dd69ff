"""Product photos: uploads are checked by decoding them with Pillow (never trusting the name
or the browser's type), re-encoded, shrunk to a thumbnail and stored under generated names."""

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import DomainError
from ..extensions import db
from ..transaction import on_commit, verb
from .models import Product, ProductPhoto

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Larger pictures are refused before decoding: a small file can unpack to a huge bitmap.
MAX_PIXELS = 40_000_000
PHOTO_EDGE = 1600
THUMB_EDGE = 480


def photo_dir() -> Path:
    """Where product photos live (created on first use)."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "products"
    path.mkdir(parents=True, exist_ok=True)
    return path


def too_big(name: str, size: int) -> DomainError | None:
    """The refusal for an upload of `size` bytes, or None; checked before any decoding."""
    if size <= MAX_PHOTO_BYTES:
        return None
    size_mb = f"{size / 1024 / 1024:.1f}"
    return DomainError(
        _l("%(name)s is %(size)s MB; a photo may be at most 5 MB.", name=name, size=size_mb)
    )


def check_image(filename: str, data: bytes) -> Image.Image:
    """Decode an upload, or raise DomainError saying plainly what is wrong with it."""
    name = filename or "?"
    if error := too_big(name, len(data)):
        raise error
    if not data:
        raise DomainError(_l("%(name)s is empty.", name=name))
    try:
        probe = Image.open(io.BytesIO(data))
        kind = probe.format
        if probe.width * probe.height > MAX_PIXELS:
            raise DomainError(_l("%(name)s has too many pixels.", name=name))
        probe.verify()
        image = Image.open(io.BytesIO(data))
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size: no more than is kept.
        image.draft("RGB", (PHOTO_EDGE, PHOTO_EDGE))
        image.load()
    except DomainError:
        raise
    except Image.DecompressionBombError:  # Pillow's own check, at twice MAX_IMAGE_PIXELS
        raise DomainError(_l("%(name)s has too many pixels.", name=name)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(_l("%(name)s is not a JPEG, PNG or WebP picture.", name=name)) from None
    if kind not in ALLOWED_FORMATS:
        raise DomainError(_l("%(name)s is not a JPEG, PNG or WebP picture.", name=name))
    return image


def check_uploads(product: Product | None, uploads: list[tuple[str, bytes]]) -> list:
    """The decoded pictures of `uploads`, or DomainError. Their number and sizes are checked
    before any is decoded: 230 pictures in one form once kept a worker busy until killed."""
    have = len(product.photos) if product is not None else 0
    if have + len(uploads) > MAX_PHOTOS:
        raise DomainError(
            _l(
                "A product has at most %(max)s photos; it has %(have)s already.",
                max=MAX_PHOTOS,
                have=have,
            )
        )
    for name, data in uploads:
        if error := too_big(name or "?", len(data)):
            raise error
    return [check_image(name, data) for name, data in uploads]


def _flatten(image: Image.Image) -> Image.Image:
    """Upright RGB on white, so transparent PNGs do not turn black as JPEG."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def store_image(product: Product, image: Image.Image) -> ProductPhoto:
    """Re-encode `image` as a JPEG and a WebP thumbnail under new names; add the photo row."""
    image = _flatten(image)
    stem = secrets.token_hex(16)
    folder = photo_dir()
    large = image.copy()
    large.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
    # Saving without exif drops GPS positions and camera data from farmers' phones.
    large.save(folder / f"{stem}.jpg", "JPEG", quality=85, optimize=True)
    thumb = image.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE))
    thumb.save(folder / f"{stem}_t.webp", "WEBP", quality=80)
    position = max((p.position for p in product.photos), default=-1) + 1
    photo = ProductPhoto(filename=f"{stem}.jpg", thumb_filename=f"{stem}_t.webp", position=position)
    product.photos.append(photo)
    db.session.flush()
    return photo


def add_photos(product: Product, uploads: list[tuple[str, bytes]]) -> list[ProductPhoto]:
    """Check every upload first (all or none), then store them; at most 5 per product."""
    uploads = [(name, data) for name, data in uploads if name or data]
    return [store_image(product, image) for image in check_uploads(product, uploads)]


@verb
def remove_photo(photo: ProductPhoto) -> None:
    """Delete a photo row, and its files once that is committed (a request that fails
    keeps the row, so it must keep the files the row names)."""
    folder = photo_dir()
    names = (photo.filename, photo.thumb_filename)

    def delete_files() -> None:
        for name in names:
            (folder / name).unlink(missing_ok=True)

    on_commit(delete_files)
    product = photo.product
    product.photos.remove(photo)
    db.session.flush()
