"""The files a clerk downloads, the same from the admin and Oscar's dashboard.

Each is the recorded bytes, never a new rendering: a handover's file, one
letter's PDF, and the postal letters of a run in one PDF to print.
"""

import datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from . import selectors, sending
from .dunning_models import Letter
from .models import Handover


def handover_file(handover: Handover) -> StreamingHttpResponse:
    """Return the handover's file as it was recorded, with its size and SHA-256."""
    return StreamingHttpResponse(
        selectors.handover_file(handover),
        content_type="text/csv",
        headers={
            "Content-Disposition": content_disposition_header(True, handover.filename),
            "Content-Length": str(handover.file_size),
            "X-Content-SHA256": handover.sha256,
        },
    )


def letter_pdf(letter: Letter) -> HttpResponse:
    """Return the letter's recorded PDF, byte for byte."""
    return HttpResponse(
        bytes(letter.pdf),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(True, letter.filename)
        },
    )


def postal_letters(postal_ids: list, *, today: datetime.date) -> HttpResponse:
    """Return the postal letters of a run in one PDF to print."""
    return HttpResponse(
        sending.merged_pdf(postal_ids),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(
                True, f"letters-{today:%Y%m%d}.pdf"
            )
        },
    )
