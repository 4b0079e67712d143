"""QR codes of the public survey links, drawn as SVG with segno (pure Python, BSD licence).

SVG scales to any print size without blurring, so one drawing serves the page, an A4 poster and a
small sticker on the counter. Error correction M tolerates a scuffed or partly covered print.
"""

import io

import segno

SVG_TYPE = "image/svg+xml"


def svg(content: str, *, title: str = "") -> bytes:
    """The QR code of `content` as a standalone SVG document, black on white with the standard margin."""
    code = segno.make(content, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=8,
        border=4,
        dark="#000",
        light="#fff",
        title=title or None,
        svgclass="survey-qr",
    )
    return buffer.getvalue()
