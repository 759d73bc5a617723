"""The sandboxed child: read one PDF with pypdf (or draw its first page with
pypdfium2) inside limits it sets on itself before touching the file.

Run as a script by `publications.pdf.sandbox` (`python -I -B child.py`), never
imported by Django code: it imports nothing of the project. It reads one JSON
request line on stdin and writes JSON lines on stdout, one per page read and
flushed at once, so the pages already read reach the parent even if this
process is killed half-way. Its limits: address space, CPU seconds, no file
written (RLIMIT_FSIZE 0), no core dump.
"""

import base64
import io
import json
import signal
import sys

# Lone surrogates and NUL cannot be stored (PostgreSQL refuses NUL in text).
_UNSTORABLE = dict.fromkeys([0, *range(0xD800, 0xE000)])


def _emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _limits_set(*, memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    # A write to a file then fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # SIGXCPU at the soft limit (Python dies of it), SIGKILL a second later.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _clean(text: str, limit: int) -> str:
    return text[: limit * 2].translate(_UNSTORABLE)[:limit]


def text_read(request: dict) -> None:
    """Emit {"pages": N}, then {"page": n, "text": ...} per page, then {"done"}."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, LimitReachedError

    max_pages = request["max_pages"]
    max_page_chars = request["max_page_chars"]
    budget = request["max_file_chars"]
    try:
        reader = PdfReader(request["path"], strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as error:
                _emit({"error": "encrypted", "reason": str(error)[:200]})
                return
            if not opened:
                _emit({"error": "encrypted", "reason": "needs a password"})
                return
        total = len(reader.pages)
    except LimitReachedError as error:
        _emit({"error": "too_large", "reason": str(error)[:200]})
        return
    except MemoryError:
        _emit({"error": "too_large", "reason": "needs too much memory"})
        return
    except Exception as error:  # noqa: BLE001 (reported to the parent)
        _emit({"error": "failed", "reason": f"{type(error).__name__}: {error}"[:300]})
        return
    _emit({"pages": total})
    for index in range(min(total, max_pages)):
        try:
            text = reader.pages[index].extract_text() or ""
        except LimitReachedError as error:
            _emit({"error": "too_large", "reason": str(error)[:200], "at": index + 1})
            return
        except MemoryError:
            _emit({"error": "too_large", "reason": "needs too much memory"})
            return
        except Exception:  # noqa: BLE001, S112 (one broken page, the rest is read)
            text = ""
        text = _clean(text, min(max_page_chars, budget))
        budget -= len(text)
        _emit({"page": index + 1, "text": text})
        if budget <= 0:
            _emit({"done": True, "text_capped": True})
            return
    _emit({"done": True, "text_capped": False})


def thumbnail_draw(request: dict) -> None:
    """Emit {"png": base64} of the first page, fitted in the box, or an error."""
    import pypdfium2

    width, height = request["box"]
    try:
        document = pypdfium2.PdfDocument(request["path"])
        if len(document) == 0:
            _emit({"error": "failed", "reason": "no pages"})
            return
        page = document[0]
        page_width, page_height = page.get_size()
        scale = min(width / max(page_width, 1), height / max(page_height, 1))
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    except MemoryError:
        _emit({"error": "too_large", "reason": "needs too much memory"})
        return
    except pypdfium2.PdfiumError as error:
        kind = "encrypted" if "password" in str(error).lower() else "failed"
        _emit({"error": kind, "reason": str(error)[:200]})
        return
    except Exception as error:  # noqa: BLE001 (reported to the parent)
        _emit({"error": "failed", "reason": f"{type(error).__name__}: {error}"[:300]})
        return
    _emit({"png": base64.b64encode(buffer.getvalue()).decode("ascii")})
    _emit({"done": True})


def main() -> None:
    sys.dont_write_bytecode = True
    request = json.loads(sys.stdin.readline())
    # Import the readers before the limits, so a cold import is not counted.
    if request["mode"] == "thumbnail":
        import pypdfium2  # noqa: F401
        from PIL import Image  # noqa: F401
    else:
        import pypdf  # noqa: F401
    _limits_set(
        memory_bytes=request["memory_bytes"], cpu_seconds=request["cpu_seconds"]
    )
    if request["mode"] == "thumbnail":
        thumbnail_draw(request)
    else:
        text_read(request)


if __name__ == "__main__":
    main()
