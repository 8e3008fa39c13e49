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


class UnreadableImage(ValueError):
    pass


# JPEG segments that carry metadata (EXIF with GPS and camera serials, XMP, IPTC, comments).
JPEG_METADATA = {0xE1, 0xED, 0xFE}
# PNG chunks that carry metadata.
PNG_METADATA = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
# WebP chunks that carry metadata, and the VP8X flag bits that announce them.
WEBP_METADATA = {b"EXIF", b"XMP "}
WEBP_EXIF_AND_XMP_FLAGS = 0x08 | 0x04


def without_metadata(data: bytes) -> bytes:
    """The same image without EXIF (GPS, camera), XMP, IPTC or text comments: a photo taken on
    a phone often says where it was taken. Raises UnreadableImage if the file is malformed."""
    kind = image_type(data)
    try:
        if kind == "image/jpeg":
            return _jpeg(data)
        if kind == "image/png":
            return _png(data)
        if kind == "image/webp":
            return _webp(data)
    except (IndexError, ValueError) as error:
        raise UnreadableImage(str(error)) from error
    raise UnreadableImage("not a JPEG, PNG or WebP image")


def _jpeg(data: bytes) -> bytes:
    kept = [data[:2]]
    at = 2
    while True:
        if data[at] != 0xFF:
            raise ValueError("a JPEG segment without its marker")
        marker = data[at + 1]
        if marker == 0xD9:  # end of image
            kept.append(data[at : at + 2])
            return b"".join(kept)
        if marker == 0xDA:  # start of scan: the image data runs to the end
            kept.append(data[at:])
            return b"".join(kept)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            kept.append(data[at : at + 2])
            at += 2
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if length < 2 or at + 2 + length > len(data):
            raise ValueError("a JPEG segment runs past the end")
        if marker not in JPEG_METADATA:
            kept.append(data[at : at + 2 + length])
        at += 2 + length


def _png(data: bytes) -> bytes:
    kept = [data[:8]]
    at = 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if len(kind) < 4 or end > len(data):
            raise ValueError("a PNG chunk runs past the end")
        if kind not in PNG_METADATA:
            kept.append(data[at:end])
        at = end
        if kind == b"IEND":
            break
    return b"".join(kept)


def _webp(data: bytes) -> bytes:
    chunks = []
    at = 12
    while at < len(data):
        kind = data[at : at + 4]
        size = int.from_bytes(data[at + 4 : at + 8], "little")
        end = at + 8 + size + (size & 1)
        if len(kind) < 4 or at + 8 + size > len(data):
            raise ValueError("a WebP chunk runs past the end")
        chunk = bytearray(data[at : min(end, len(data))])
        if kind == b"VP8X":
            chunk[8] &= ~WEBP_EXIF_AND_XMP_FLAGS & 0xFF
        if kind not in WEBP_METADATA:
            chunks.append(bytes(chunk))
        at = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body
