"""Uploaded files: a size limit enforced while the body streams in, and the checks every
CSV upload passes before a service reads it (extension, size, UTF-8 text, no binary).

A refused upload raises ``InvalidInput`` with a message in the user's language; nothing is
written, because the check runs before the service that would write.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from .errors import InvalidInput

# Leading bytes of the binary formats people most often send by mistake.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "xlsx",  # Excel workbook (and every other zip)
    b"\xd0\xcf\x11\xe0": "xls",  # legacy Excel / Word
    b"%PDF": "pdf",
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"GIF8": "image",
}
# Control characters other than tab, line feed and carriage return mean binary content.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SizeLimitUploadHandler(FileUploadHandler):
    """First upload handler: stops reading a file once it passes
    settings.COURTFLOW_UPLOAD_MAX_BYTES and marks the request, so the form can say why the
    file is missing (``upload_refused``) instead of holding gigabytes in a temporary file."""

    # Room for the form's other fields and the multipart framing around the file.
    FRAMING_BYTES = 64 * 1024

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        self.body_too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,  # noqa: N803 (Django's signature)
        content_length: int,
        boundary: Any,
        encoding: Any = None,
    ) -> None:
        limit = settings.COURTFLOW_UPLOAD_MAX_BYTES + self.FRAMING_BYTES
        self.body_too_large = content_length > limit

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.upload_refused = self.file_name or True
        raise SkipFile

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.body_too_large:
            # Refused before the handlers after this one open a (temporary) file.
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.COURTFLOW_UPLOAD_MAX_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def size_label(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit // 1024} KB"


def too_large_error(limit: int) -> InvalidInput:
    return InvalidInput(
        _("The file is larger than %(size)s.") % {"size": size_label(limit)},
        field="file",
        code="file_too_large",
    )


def _not_utf8(line: int) -> InvalidInput:
    return InvalidInput(
        _(
            "The file is not UTF-8 text (line %(line)s). Save it as “CSV UTF-8” (Excel) or "
            "in UTF-8 (a text editor); GBK is not accepted."
        )
        % {"line": line},
        field="file",
        code="file_encoding",
    )


def csv_upload_read(
    upload: Any, *, max_bytes: int, extensions: tuple[str, ...] = (".csv", ".txt")
) -> bytes:
    """The bytes of an uploaded CSV file after the checks: the name ends in one of
    ``extensions``, the size is at most ``max_bytes``, and the content is UTF-8 text (a
    byte-order mark allowed) with no NUL or other binary control characters."""
    if upload is None:
        raise InvalidInput(_("Choose a file to upload."), field="file", code="file_missing")
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(extensions):
        raise InvalidInput(
            _("Only %(types)s files are accepted.") % {"types": ", ".join(extensions)},
            field="file",
            code="file_type",
        )
    if upload.size > max_bytes:
        raise too_large_error(max_bytes)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large_error(max_bytes)
    if not data.strip():
        raise InvalidInput(_("The file is empty."), field="file", code="file_empty")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            if kind in ("xlsx", "xls"):
                message = _(
                    "This is an Excel workbook, not a CSV file. Save it as “CSV UTF-8” and "
                    "upload that."
                )
            else:
                message = _("This is not a text file.")
            raise InvalidInput(message, field="file", code="file_type")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 ("Unicode text" in Excel)
        raise _not_utf8(1)
    if b"\x00" in data:
        raise InvalidInput(
            _("The file contains NUL bytes: it is not a text file."),
            field="file",
            code="file_type",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(data[: exc.start].count(b"\n") + 1) from exc
    if _CONTROL.search(text):
        raise InvalidInput(
            _("The file contains control characters: it is not a text file."),
            field="file",
            code="file_type",
        )
    return data
