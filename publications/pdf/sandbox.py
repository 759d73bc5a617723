"""Run the PDF reader in a child process, within limits, and collect what it read.

The child (`child.py`) sets its own address-space and CPU limits and may write
no file; this side adds a wall clock, a file size cap and a cap on what it
accepts back. Pages arrive one JSON line at a time, so those read before a
kill are kept. Nothing here needs Django configured: limits are passed in.
"""

import base64
import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CHILD = Path(__file__).resolve().with_name("child.py")
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the header may follow some junk, as readers allow

DEFAULT_LIMITS = {
    "max_file_bytes": 100 * 1024 * 1024,
    "max_pages": 2_000,
    "max_page_chars": 20_000,
    "max_file_chars": 1_000_000,
    "memory_bytes": 768 * 1024 * 1024,
    "cpu_seconds": 60,
    "wall_seconds": 90,
    "letters_per_page": 20,  # fewer on average: no text layer (scanned)
    "thumbnail_box": (600, 850),
}

# Statuses, as publications.choices.DocumentTextStatus stores them.
OK = "ok"
NO_TEXT = "no_text"
ENCRYPTED = "encrypted"
TOO_LARGE = "too_large"
TIMED_OUT = "timed_out"
FAILED = "failed"
NOT_PDF = "not_pdf"
CHILD_ERRORS = {ENCRYPTED, TOO_LARGE, FAILED}
# Whatever the child sends, NUL and lone surrogates are never stored.
_UNSTORABLE = dict.fromkeys([0, *range(0xD800, 0xE000)])


@dataclass
class PdfReading:
    """What the sandbox got out of one file: a status, why, and the pages read."""

    status: str
    reason: str = ""
    page_count: int = 0  # pages in the file, as it declares them
    pages: list[str] = field(default_factory=list)  # text of pages 1, 2, …
    png: bytes = b""  # thumbnail mode only
    seconds: float = 0.0


def limits_merged(overrides: dict | None) -> dict:
    return {**DEFAULT_LIMITS, **(overrides or {})}


def _file_check(path: str, limits: dict) -> PdfReading | None:
    """A reading for a file refused before any child starts, else None."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(MAGIC_WINDOW)
    except OSError as error:
        return PdfReading(FAILED, f"The file could not be opened ({error.strerror}).")
    if size > limits["max_file_bytes"]:
        return PdfReading(
            TOO_LARGE,
            f"The file is {size // (1024 * 1024)} MB, more than the "
            f"{limits['max_file_bytes'] // (1024 * 1024)} MB read.",
        )
    if PDF_MAGIC not in head:
        return PdfReading(NOT_PDF, "The file does not start like a PDF.")
    return None


def _child_run(request: dict, limits: dict) -> tuple[list[dict], str]:
    """Start the child, send it the request, read its lines until it ends or
    the wall clock runs out. Returns the messages and how it ended: "" when
    it exited by itself, "wall" when killed for time, "output" when killed
    for saying too much, or "signal N" when a signal ended it."""
    max_output = limits["max_file_chars"] * 8 + limits["max_pages"] * 64 + 2**20
    if request["mode"] == "thumbnail":
        max_output = 64 * 2**20
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "-I", "-B", str(CHILD)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd="/",
        env={"LC_ALL": "C.UTF-8"},
        start_new_session=True,
    )
    messages: list[dict] = []
    ended = ""
    buffer = b""
    received = 0
    deadline = time.monotonic() + limits["wall_seconds"]
    try:
        process.stdin.write(json.dumps(request).encode() + b"\n")
        process.stdin.close()
    except OSError:
        pass
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                ended = "wall"
                break
            if not selector.select(timeout=remaining):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            received += len(chunk)
            if received > max_output:
                ended = "output"
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                with contextlib.suppress(ValueError):
                    messages.append(json.loads(line))
    finally:
        selector.close()
        if ended:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.stdout.close()
        try:
            code = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
    if not ended and code < 0:
        ended = f"signal {-code}"
    return messages, ended


def _reading_from(messages: list[dict], ended: str, limits: dict) -> PdfReading:
    reading = PdfReading(FAILED)
    done = False
    capped = False
    error = None
    for message in messages:
        if "pages" in message:
            reading.page_count = int(message["pages"])
        elif "page" in message:
            text = str(message.get("text", ""))[: limits["max_page_chars"]]
            reading.pages.append(text.translate(_UNSTORABLE))
        elif "png" in message:
            reading.png = base64.b64decode(message["png"])
        elif "error" in message:
            error = message
        elif message.get("done"):
            done = True
            capped = bool(message.get("text_capped"))
    read = len(reading.pages)
    if ended == "wall":
        reading.status = TIMED_OUT
        reading.reason = (
            f"Reading took longer than {limits['wall_seconds']} seconds and was "
            f"stopped after {read} pages."
        )
    elif ended == f"signal {int(signal.SIGXCPU)}" or (
        ended == f"signal {int(signal.SIGKILL)}" and not error
    ):
        reading.status = TIMED_OUT
        reading.reason = (
            f"Reading used more than {limits['cpu_seconds']} seconds of processor "
            f"time (or too much memory) and was stopped after {read} pages."
        )
    elif ended == "output":
        reading.status = FAILED
        reading.reason = "The reader returned more text than the limits allow."
    elif error is not None:
        kind = error.get("error")
        reading.status = kind if kind in CHILD_ERRORS else FAILED
        detail = str(error.get("reason", ""))[:200]
        reading.reason = {
            ENCRYPTED: f"The file is encrypted ({detail}).",
            TOO_LARGE: f"The file needs more memory than allowed to read ({detail}).",
        }.get(reading.status, f"The file could not be read ({detail}).")
        if read:
            reading.reason += f" {read} pages were read before that."
    elif not done:
        reading.status = FAILED
        reading.reason = f"The reader stopped unexpectedly ({ended or 'no answer'})."
    else:
        reading.status = OK
    if reading.status == OK:
        _text_status(reading, limits, capped=capped)
    return reading


def _text_status(reading: PdfReading, limits: dict, *, capped: bool) -> None:
    read = len(reading.pages)
    notes = []
    if reading.png:
        return
    if reading.page_count == 0:
        reading.status = FAILED
        reading.reason = "The file has no pages."
        return
    letters = sum(char.isalpha() for text in reading.pages for char in text)
    # Text cut at the limits is text all the same: not a scan.
    if not capped and read and letters < limits["letters_per_page"] * read:
        reading.status = NO_TEXT
        reading.reason = (
            f"{letters} letters in {read} pages: it looks scanned, with no text layer."
        )
        return
    if read < reading.page_count:
        notes.append(f"The first {read} of {reading.page_count} pages were read.")
    if capped:
        notes.append("The text was cut at the limit per file.")
    reading.reason = " ".join(notes)


def pdf_read(*, path: str, limits: dict | None = None) -> PdfReading:
    """The text of each page of the PDF at `path`, read in the sandbox."""
    limits = limits_merged(limits)
    started = time.perf_counter()
    refused = _file_check(path, limits)
    if refused is not None:
        return refused
    request = {
        "mode": "text",
        "path": os.path.abspath(path),
        "max_pages": limits["max_pages"],
        "max_page_chars": limits["max_page_chars"],
        "max_file_chars": limits["max_file_chars"],
        "memory_bytes": limits["memory_bytes"],
        "cpu_seconds": limits["cpu_seconds"],
    }
    messages, ended = _child_run(request, limits)
    reading = _reading_from(messages, ended, limits)
    reading.seconds = time.perf_counter() - started
    return reading


def pdf_thumbnail(*, path: str, limits: dict | None = None) -> PdfReading:
    """The first page of the PDF at `path` as PNG bytes, drawn in the sandbox."""
    limits = limits_merged(limits)
    started = time.perf_counter()
    refused = _file_check(path, limits)
    if refused is not None:
        return refused
    request = {
        "mode": "thumbnail",
        "path": os.path.abspath(path),
        "box": list(limits["thumbnail_box"]),
        "memory_bytes": limits["memory_bytes"],
        "cpu_seconds": limits["cpu_seconds"],
    }
    messages, ended = _child_run(request, limits)
    reading = _reading_from(messages, ended, limits)
    if reading.status == OK and not reading.png:
        reading.status = FAILED
        reading.reason = "No image came back."
    reading.seconds = time.perf_counter() - started
    return reading
