"""Speaker photos: recognise the image type from the bytes themselves (not the file name or the
browser's claim), so only JPEG, PNG and WebP are ever stored and served. No Django import."""

PHOTO_LIMIT = 500 * 1024  # bytes

SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def image_type(data: bytes) -> str | None:
    """The image's media type, or None if it is not a JPEG, PNG or WebP image."""
    for signature, media_type in SIGNATURES:
        if data.startswith(signature):
            return media_type
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None
