import segno


def qr_data_uri(text: str) -> str:
    """A PNG QR code as a data: URI, for pages and PDFs alike (no file, no request)."""
    return segno.make(text, error="m").png_data_uri(scale=4, border=2)
