"""Speaker photos lose their metadata (a phone photo often says where it was taken)."""

import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kindred.events.photos import UnreadableImage, image_type, without_metadata


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _jpeg(*segments: bytes) -> bytes:
    scan = _jpeg_segment(0xDA, b"\x00" * 10) + b"\x12\x34\x56"  # compressed data
    return b"\xff\xd8" + b"".join(segments) + scan + b"\xff\xd9"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data).to_bytes(4, "big")
    return len(data).to_bytes(4, "big") + kind + data + crc


def _png(*chunks: bytes) -> bytes:
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    return (
        b"\x89PNG\r\n\x1a\n"
        + header
        + b"".join(chunks)
        + _png_chunk(b"IDAT", b"pixels")
        + _png_chunk(b"IEND", b"")
    )


def _webp_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + len(data).to_bytes(4, "little") + data + (b"\x00" if len(data) % 2 else b"")


def _webp(*chunks: bytes) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


GPS = b"Exif\x00\x00GPS 51.5072 N 0.1276 W iPhone serial 12345"


def test_a_jpeg_loses_exif_and_comments_and_keeps_its_image():
    jfif = _jpeg_segment(0xE0, b"JFIF\x00\x01\x02")
    original = _jpeg(jfif, _jpeg_segment(0xE1, GPS), _jpeg_segment(0xFE, b"taken at home"))
    cleaned = without_metadata(original)
    assert b"GPS" not in cleaned and b"taken at home" not in cleaned
    assert cleaned == _jpeg(jfif)
    assert image_type(cleaned) == "image/jpeg"


def test_a_png_loses_its_text_and_exif_chunks():
    original = _png(_png_chunk(b"tEXt", b"Location\x00Ward 7"), _png_chunk(b"eXIf", GPS))
    cleaned = without_metadata(original)
    assert cleaned == _png()
    assert b"Ward 7" not in cleaned


def test_a_webp_loses_exif_and_xmp_and_says_so_in_its_header():
    flags = bytes([0x08 | 0x04 | 0x10]) + b"\x00" * 9  # EXIF, XMP and alpha
    original = _webp(
        _webp_chunk(b"VP8X", flags),
        _webp_chunk(b"VP8 ", b"frame"),
        _webp_chunk(b"EXIF", GPS),
        _webp_chunk(b"XMP ", b"<x:xmpmeta>home</x:xmpmeta>"),
    )
    cleaned = without_metadata(original)
    expected = _webp(
        _webp_chunk(b"VP8X", bytes([0x10]) + b"\x00" * 9), _webp_chunk(b"VP8 ", b"frame")
    )
    assert cleaned == expected
    assert int.from_bytes(cleaned[4:8], "little") == len(cleaned) - 8


def test_a_broken_jpeg_is_refused():
    broken = b"\xff\xd8" + b"\xff\xe1\xff\xff" + b"short"
    with pytest.raises(UnreadableImage):
        without_metadata(broken)


@given(st.binary(max_size=200))
def test_any_bytes_after_a_jpeg_marker_are_read_or_refused_never_crash(tail):
    try:
        cleaned = without_metadata(b"\xff\xd8" + tail)
    except UnreadableImage:
        return
    assert cleaned.startswith(b"\xff\xd8")


@given(st.binary(max_size=200))
def test_any_bytes_after_a_png_signature_are_read_or_refused_never_crash(tail):
    try:
        without_metadata(b"\x89PNG\r\n\x1a\n" + tail)
    except UnreadableImage:
        return


def test_the_uploaded_photo_is_stored_without_its_metadata(world):
    from kindred.events import services
    from tests.events.builders import make_event

    event = make_event(world)
    photo = _jpeg(_jpeg_segment(0xE1, GPS))
    speaker = services.add_speaker(
        coordinator=world.cora, event=event, name="Dr Priya Raman", photo=photo
    )
    speaker.refresh_from_db()
    assert b"GPS" not in bytes(speaker.photo)
    assert bytes(speaker.photo) == _jpeg()
