"""Real PDF files written in raw PDF syntax for the tests: text pages, hostile files.

reportlab is not in the environment, so the files are written object by
object: a catalogue, a page tree, one content stream per page, Helvetica.
"""

import io
import zlib
from collections.abc import Sequence

from publications.demo import pdf_document, pdf_text

PAGE_WIDTH, PAGE_HEIGHT = 595, 842


def _content(lines: Sequence[str]) -> bytes:
    operations = [b"BT", b"/F1 11 Tf", b"56 780 Td"]
    for line in lines:
        operations.append(pdf_text(line) + b" Tj")
        operations.append(b"0 -16 Td")
    operations.append(b"ET")
    return b"\n".join(operations)


def _stream(data: bytes, *, compressed: bool = False) -> bytes:
    extra = b" /Filter /FlateDecode" if compressed else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
)


def pdf_with_pages(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF with one page per item, each showing its lines of text."""
    count = len(pages)
    # 1 catalogue, 2 pages, 3 font, then (page, content) pairs.
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        FONT,
    ]
    for index, lines in enumerate(pages):
        content_number = 5 + 2 * index
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, content_number)
        )
        objects.append(_stream(_content(lines)))
    return pdf_document(objects)


def pdf_many_pages(
    count: int, *, line: str = "Filler page text", lines: int = 1
) -> bytes:
    """A PDF of `count` pages that all share one content stream (of `lines`)."""
    kids = b" ".join(b"%d 0 R" % (5 + index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        FONT,
        _stream(_content([line] * lines)),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>" % (PAGE_WIDTH, PAGE_HEIGHT)
    ] * count
    return pdf_document(objects)


def pdf_bomb(*, expanded_bytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to `expanded_bytes` of text.

    Compressed a megabyte at a time, so building it stays quick: zeros of a
    text operator's operand ("0 0 Td" repeated) compress about 1000:1.
    """
    chunk = b"0 0 Td " * (2**20 // 7)
    compressor = zlib.compressobj(9)
    out = io.BytesIO()
    out.write(compressor.compress(b"BT /F1 11 Tf "))
    written = 0
    while written < expanded_bytes:
        out.write(compressor.compress(chunk))
        written += len(chunk)
    out.write(compressor.compress(b"(boom) Tj ET"))
    out.write(compressor.flush())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        _stream(out.getvalue(), compressed=True),
    ]
    return pdf_document(objects)


def pdf_encrypted(pages: Sequence[Sequence[str]], *, password: str) -> bytes:
    """The PDF of `pages`, encrypted with a user password (RC4, no extra library)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_pages(pages))))
    writer.encrypt(
        user_password=password, owner_password=password + "!", algorithm="RC4-128"
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
