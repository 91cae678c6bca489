"""Company logos: an upload is checked by what Pillow decodes, never by its name or the
browser's content type, and only a fresh PNG of our own making is ever stored or served.

An image file is a program for a decoder. So the upload is size-capped before decoding, its
pixel count is checked from the header before any pixel is decoded (a small file can
claim gigapixels), only the PNG, JPEG, WebP and GIF decoders are tried, and what is kept is
a re-encoded thumbnail without metadata (no EXIF position, no comments, no colour profile).
"""

from __future__ import annotations

import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from taskboerse.services.errors import ValidationFailed

MAX_LOGO_BYTES = 1024 * 1024
# Enough for any logo (4096 × 4096); more is refused before decoding. Pillow's own bomb
# limit is far higher, made for photos.
MAX_LOGO_SIDE = 4096
MAX_LOGO_PIXELS = MAX_LOGO_SIDE * MAX_LOGO_SIDE
LOGO_SIZE = 256  # the stored logo fits in LOGO_SIZE × LOGO_SIZE pixels
LOGO_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")

NOT_AN_IMAGE = _l("The logo must be a PNG, JPEG, WebP or GIF image.")
DAMAGED = _l("The logo image is damaged or incomplete. Save it again and upload it.")


def _open(data: bytes) -> Image.Image:
    """The decoded first frame of ``data``, or a ValidationFailed saying why not."""
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; here any bomb is an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=LOGO_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels() from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ValidationFailed(NOT_AN_IMAGE, field="logo") from None
        if image.format not in LOGO_FORMATS:
            raise ValidationFailed(NOT_AN_IMAGE, field="logo")
        width, height = image.size
        if width < 1 or height < 1 or width * height > MAX_LOGO_PIXELS:
            raise _too_many_pixels()
        try:
            image.seek(0)  # an animated GIF or WebP: its first frame
            if image.format == "JPEG":
                # Decode at a reduced scale where JPEG allows it: less memory, same thumbnail.
                image.draft("RGB", (LOGO_SIZE * 2, LOGO_SIZE * 2))
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels() from None
        except Exception:  # a decoder fed hostile bytes may raise anything
            raise ValidationFailed(DAMAGED, field="logo") from None
    return image


def _too_many_pixels() -> ValidationFailed:
    return ValidationFailed(
        _l(
            "The logo image is too large: at most %(w)d × %(h)d pixels. Make it smaller "
            "and try again.",
            w=MAX_LOGO_SIDE,
            h=MAX_LOGO_SIDE,
        ),
        field="logo",
    )


def process_logo(data: bytes) -> bytes:
    """The PNG to store for an uploaded logo: upright (EXIF orientation applied), at most
    LOGO_SIZE pixels on each side, no metadata. Raises ValidationFailed (field "logo")
    for anything too large or not a PNG/JPEG/WebP/GIF image."""
    if not data:
        raise ValidationFailed(_l("The logo file is empty."), field="logo")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed(_l("The logo can be at most 1 MB."), field="logo")
    image = _open(data)
    try:
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
        # A new image holds only the pixels: nothing of the upload's info (EXIF, ICC
        # profile, text chunks) can reach the PNG we write.
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        out = io.BytesIO()
        clean.save(out, format="PNG", optimize=True)
    except Exception:  # as in _open: never a 500 for a bad image
        raise ValidationFailed(DAMAGED, field="logo") from None
    return out.getvalue()
