"""A claim's photos: checked exactly as product photos are (`catalog.photos.check_image`:
decoded by Pillow, size and pixel bounds), re-encoded without EXIF under generated names,
and shown only to those who may see the claim."""

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image

from ..catalog.photos import MAX_PHOTO_BYTES, check_image, save_renditions, too_big  # noqa: F401
from ..errors import DomainError, NotFound
from ..extensions import db
from ..transaction import verb
from .models import Claim, ClaimPhoto
from .services import can_view, is_buyer

MAX_CLAIM_PHOTOS = 3


def claim_photo_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "claims"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store(claim: Claim, image: Image.Image) -> ClaimPhoto:
    filename, thumb_filename = save_renditions(image, claim_photo_dir())
    photo = ClaimPhoto(filename=filename, thumb_filename=thumb_filename)
    claim.photos.append(photo)
    db.session.flush()
    return photo


@verb
def add_photos(claim: Claim, by, uploads: list[tuple[str, bytes]]) -> list[ClaimPhoto]:
    """The buyer adds photos to their claim: all checked first, at most 3 in all."""
    if not is_buyer(by, claim):
        raise NotFound(_l("There is no such claim."))
    uploads = [(name, data) for name, data in uploads if name or data]
    if not uploads:
        raise DomainError(_l("Choose a photo."), field="photos")
    have = len(claim.photos)
    if have + len(uploads) > MAX_CLAIM_PHOTOS:
        raise DomainError(
            _l(
                "A claim has at most %(max)s photos; it has %(have)s already.",
                max=MAX_CLAIM_PHOTOS,
                have=have,
            ),
            field="photos",
        )
    for name, data in uploads:
        if error := too_big(name or "?", len(data)):
            raise error
    images = [check_image(name, data) for name, data in uploads]
    return [_store(claim, image) for image in images]


def photo_path(user, claim: Claim, name: str) -> Path:
    """The file of one of the claim's photos, for someone who may see the claim."""
    if not can_view(user, claim):
        raise NotFound(_l("There is no such claim."))
    names = {p.filename for p in claim.photos} | {p.thumb_filename for p in claim.photos}
    if name not in names:
        raise NotFound(_l("There is no such photo."))
    return claim_photo_dir() / name
