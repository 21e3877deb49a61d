"""Image and PDF files for the upload tests: real ones, hostile ones, and a raw multipart body that
carries a file name exactly as a hostile client would send it."""

import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter


def png_bytes(size=(40, 30), colour=(200, 0, 0, 255), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, format="PNG", **save)
    return out.getvalue()


def jpeg_bytes(size=(60, 80), colour=(0, 90, 200), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", **save)
    return out.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width=20000, height=20000) -> bytes:
    """A valid PNG header claiming width × height pixels, in a few hundred bytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def text_info(key: str, value: str):
    """A PNG text chunk (metadata) to save with png_bytes(pnginfo=...)."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info


BOUNDARY = "----upload-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(fields: dict[str, str], files: list[tuple[str, bytes, bytes, str]]) -> bytes:
    """A multipart/form-data body; each file is (field, raw file name, content, type).

    Django's test client keeps only the base name of a file, so a name with ``../`` or a
    NUL would never reach the server through it: this body sends the name's bytes as is.
    """
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for field, filename, content, content_type in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="'.encode()
            + filename
            + f'"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def pdf_bytes(pages: int = 2, *, password: str = "") -> bytes:
    """A PDF of blank A4 pages, encrypted with ``password`` if one is given."""
    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
