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
# A phone camera's JPEG is 3-15 MB: taken as it is and shrunk to PHOTO_EDGE on the server.
# The pixel limit below (not the file size) is what bounds the work of decoding one.
MAX_PHOTO_BYTES = 20 * 1024 * 1024
MAX_PHOTO_MB = MAX_PHOTO_BYTES // (1024 * 1024)
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
        _l(
            "%(name)s is %(size)s MB; a photo may be at most %(max)s MB.",
            name=name,
            size=size_mb,
            max=MAX_PHOTO_MB,
        )
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


def save_renditions(image: Image.Image, folder) -> tuple[str, str]:
    """Write `image` upright as a JPEG and a WebP thumbnail under new names in `folder`;
    their file names. Product and claim photos are stored the same way."""
    image = _flatten(image)
    stem = secrets.token_hex(16)
    large = image.copy()
    large.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
    # Saving without exif drops GPS positions and camera data from farmers' phones.
    large.save(folder / f"{stem}.jpg", "JPEG", quality=85, optimize=True)
    thumb = image.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE))
    thumb.save(folder / f"{stem}_t.webp", "WEBP", quality=80)
    return f"{stem}.jpg", f"{stem}_t.webp"


def store_image(product: Product, image: Image.Image) -> ProductPhoto:
    """Re-encode `image` as a JPEG and a WebP thumbnail under new names; add the photo row."""
    filename, thumb_filename = save_renditions(image, photo_dir())
    position = max((p.position for p in product.photos), default=-1) + 1
    photo = ProductPhoto(filename=filename, thumb_filename=thumb_filename, position=position)
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


# --- photos kept across a form that was refused ----------------------------------------
# A manager picks a photo, the form comes back with an error, and the browser has
# forgotten the file. The checked picture is kept as a pending JPEG (already shrunk),
# named by a random stem; the form carries the stems signed, so only what this server
# kept can be named back, and for a day at most.

PENDING_MAX_AGE = 24 * 3600
_SALT = "pending-product-photos"


def pending_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _signer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def keep_pending(uploads: list[tuple[str, bytes]], token: str = "") -> str:
    """Keep the good pictures of a refused form (shrunk, as JPEG) beside those already
    kept; returns the signed token naming them all (at most MAX_PHOTOS)."""
    _sweep_pending()
    stems = pending_stems(token)
    for name, data in uploads:
        if len(stems) >= MAX_PHOTOS:
            break
        try:
            image = check_image(name, data)
        except DomainError:
            continue  # the form says what is wrong with that one
        image = _flatten(image)
        image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
        stem = secrets.token_hex(16)
        image.save(pending_dir() / f"{stem}.jpg", "JPEG", quality=90)
        stems.append(stem)
    return _signer().dumps(stems) if stems else ""


def _sweep_pending() -> None:
    """Delete kept photos older than a day: their forms were never sent again."""
    import time

    limit = time.time() - PENDING_MAX_AGE
    for path in pending_dir().glob("*.jpg"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def pending_stems(token: str) -> list[str]:
    """The pending photos a signed token names (none if it is forged, old or gone)."""
    if not token:
        return []
    from itsdangerous import BadData

    try:
        stems = _signer().loads(token, max_age=PENDING_MAX_AGE)
    except BadData:
        return []
    if not isinstance(stems, list):
        return []
    folder = pending_dir()
    return [
        s
        for s in stems[:MAX_PHOTOS]
        if isinstance(s, str) and s.isalnum() and (folder / f"{s}.jpg").is_file()
    ]


def pending_uploads(token: str) -> list[tuple[str, bytes]]:
    """The kept photos as uploads (name, bytes)."""
    folder = pending_dir()
    return [(f"{s}.jpg", (folder / f"{s}.jpg").read_bytes()) for s in pending_stems(token)]


def forget_pending(token: str) -> None:
    """Delete the kept photos' files once the save that took them is committed."""
    folder = pending_dir()
    stems = pending_stems(token)

    def forget() -> None:
        for s in stems:
            (folder / f"{s}.jpg").unlink(missing_ok=True)

    if stems:
        on_commit(forget)
