"""The subject access bundle, built by the background worker (pps/documents.py): one PDF
for reading and one JSON file for machines, zipped together."""

import io
import json
import zipfile

from pps.documents import Built, check_asker
from pps.models import GeneratedDocument
from pps.pdf import render_pdf
from pps.roles import COORDINATORS

BUNDLE = "subject-access-bundle"
BUNDLE_PDF_TEMPLATE = "access_requests/bundle_pdf.html"


def build_bundle(document: GeneratedDocument) -> Built:
    """The bundle of the request named in the document, as the records stand now, with the
    names recorded on the request redacted. Refused when the asker is no longer a
    coordinator of the service."""
    from access_requests.bundle import gather
    from access_requests.models import SubjectAccessRequest

    check_asker(document, COORDINATORS)
    request = SubjectAccessRequest.objects.get(pk=document.parameters["request"])
    bundle = gather(request)
    pdf = render_pdf(BUNDLE_PDF_TEMPLATE, {"bundle": bundle, "request": request})
    data = json.dumps(bundle.as_json(), indent=2, ensure_ascii=False, default=str)
    # No name in the file names: a zip's listing is seen before it is opened.
    stem = f"subject-access-request-{request.pk}-{bundle.made_at:%Y-%m-%d}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.pdf", pdf)
        archive.writestr(f"{stem}.json", data.encode())
    return Built(f"{stem}.zip", out.getvalue())
