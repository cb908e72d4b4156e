"""Uploaded documents: which files are taken, how large, and under what name.

One set of rules for every upload in the product (quality evidence, documents on cases and
parents):

- The type is decided by the file's CONTENT, never by its name or the browser's content
  type: PDF, PNG, JPEG, Word/Excel/PowerPoint (a ZIP holding [Content_Types].xml),
  OpenDocument text/spreadsheet (a ZIP whose first member "mimetype" names it), and plain
  text or CSV (UTF-8 without NUL bytes). Anything else is refused.
- The name's extension must be one of that type's: the download is served with the type
  the extension implies, so "notes.html" holding text is refused rather than served as a
  web page.
- The size limit is enforced while the request is read (LimitedUploadHandler): past the
  limit nothing more is kept in memory or on disk, and the form says the file is too large.
- Long names keep their extension: the stem is shortened, never the ".pdf".

Files are saved through Django's storage API (the model's FileField), so an S3-compatible
store can hold them, under a random name (`stored_name`); they leave the server only as the
answer of an access-checked download view (`attachment`), never from MEDIA_URL.
"""

import codecs
import io
import mimetypes
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat

NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class DocumentType:
    label: str
    extensions: tuple[str, ...]


PDF = DocumentType("PDF", (".pdf",))
PNG = DocumentType("PNG image", (".png",))
JPEG = DocumentType("JPEG image", (".jpg", ".jpeg"))
WORD = DocumentType("Word document", (".docx",))
EXCEL = DocumentType("Excel spreadsheet", (".xlsx",))
POWERPOINT = DocumentType("PowerPoint presentation", (".pptx",))
ODT = DocumentType("OpenDocument text", (".odt",))
ODS = DocumentType("OpenDocument spreadsheet", (".ods",))
TEXT = DocumentType("plain text or CSV", (".txt", ".csv"))
ALLOWED = (PDF, PNG, JPEG, WORD, EXCEL, POWERPOINT, ODT, ODS, TEXT)
ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, text or CSV"

_OOXML_PARTS = (("word/", WORD), ("xl/", EXCEL), ("ppt/", POWERPOINT))
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


def max_size() -> int:
    return settings.PPS_UPLOAD_MAX_SIZE


def _zip_type(upload) -> DocumentType | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML_PARTS:
                    if any(name.startswith(prefix) for name in names):
                        return kind
                return None
            if names and names[0] == "mimetype":
                return _ODF_TYPES.get(archive.read("mimetype").strip())
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    return None


def _is_text(upload) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_type(upload) -> DocumentType | None:
    """The allowed type the file's bytes are, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(upload)
        return TEXT if _is_text(upload) else None
    finally:
        upload.seek(0)


def safe_name(name: str, max_length: int = NAME_MAX_LENGTH) -> str:
    """The file's own name without folders or control characters, at most max_length long,
    shortened in the stem so the extension survives."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    if len(suffix) > 10:
        stem, suffix = name, ""
    stem = stem[: max(1, max_length - len(suffix))].rstrip(" .") or "document"
    return f"{stem}{suffix}"


def validate_document(upload) -> DocumentType:
    """The document's type, or a ValidationError saying in plain words what is wrong."""
    if getattr(upload, "too_large", False) or upload.size > max_size():
        raise ValidationError(
            f"The file is larger than {filesizeformat(max_size())}.", code="too_large"
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    kind = detect_type(upload)
    if kind is None:
        raise ValidationError(
            f"This kind of file cannot be attached. Attach a {ALLOWED_DESCRIPTION} file.",
            code="type",
        )
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in kind.extensions:
        raise ValidationError(
            f"The file is a {kind.label} but its name ends “{suffix or 'with no extension'}”: "
            f"rename it to end {' or '.join(kind.extensions)}.",
            code="extension",
        )
    return kind


def stored_name(folder: str, filename: str) -> str:
    """Where an upload is kept: a random name in `folder`, with the original's extension.

    The stored name says nothing about its content or owner, and is never linked to: only
    a download view that checks access serves the file."""
    suffix = PurePosixPath(filename or "").suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def served_type(name: str) -> str:
    """The content type a document is served with: the one its (checked) extension implies."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def attachment(file, name: str) -> FileResponse:
    """A stored file as a download (Content-Disposition: attachment), under `name`.

    Always an attachment, never shown in the browser's window: a file someone uploaded is
    not a page of this site. Django's FileResponse quotes the name (RFC 6266, with the
    UTF-8 form for names outside ASCII)."""
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=served_type(name)
    )


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the size limit: its content was not kept."""

    too_large = True

    def __init__(self, name, content_type, size, charset, field_name):
        super().__init__(io.BytesIO(), name, content_type, size, charset)
        self.field_name = field_name


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive and, past the
    limit, passes no more on to the handlers that keep them (memory, temporary file)."""

    def new_file(self, field_name, file_name, content_type, content_length, charset, *args):
        super().new_file(field_name, file_name, content_type, content_length, charset, *args)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_size():
            self.too_large = True
            return None
        return raw_data

    def file_complete(self, file_size):
        if not self.too_large:
            return None
        return OversizedUpload(
            self.file_name, self.content_type, self.received, self.charset, self.field_name
        )
