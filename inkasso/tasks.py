"""Background tasks: e-mailing recorded letters, on the shop's own worker.

Django's tasks framework (``django.tasks`` from Django 6.0, the
``django-tasks`` backport before): the default immediate backend sends at
once; a shop with a worker configures another backend in ``TASKS``.
"""

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the backport.
    from django_tasks import task

import contextlib
from collections import defaultdict

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction

from .conf import app_settings
from .dunning_models import Letter
from .letters import html_body


@task()
def email_letters(letter_ids: list[int]) -> dict:
    """E-mail pending letters; record each as sent, or as failed with the reason.

    One task per chunk of letters: one connection to the mail server, and
    the same few queries for 10 letters as for 2,000. A letter the backend
    refuses is recorded as failed and goes out again on the next run.
    """
    sent, failed = [], defaultdict(list)
    # The rows stay locked while they are sent, until their status is
    # recorded: a run that finds them pending for too long skips locked rows
    # (sending.expire_stale_letters), and a second worker given the same
    # letters skips them too. A worker that dies releases its locks with its
    # connection; its letters are then failed after the timeout and sent again.
    # SQLite has no row locks (and a transaction here would only make its
    # writers wait): there, the timeout alone must outlast the sending.
    locks = connection.features.has_select_for_update_skip_locked
    with transaction.atomic() if locks else contextlib.nullcontext():
        pending = Letter.objects.filter(
            pk__in=letter_ids, status=Letter.Status.PENDING
        ).order_by("pk")
        if locks:
            pending = pending.select_for_update(skip_locked=True)
        with get_connection() as mail:
            for letter in pending.iterator(chunk_size=200):
                try:
                    _message(letter, mail).send()
                except Exception as exc:  # Whatever the backend raises: record it.
                    failed[f"{type(exc).__name__}: {exc}"[:1000]].append(letter.pk)
                else:
                    sent.append(letter.pk)
        # Only pending letters change: a task run twice sends once.
        Letter.objects.filter(pk__in=sent, status=Letter.Status.PENDING).update(
            status=Letter.Status.SENT
        )
        for reason, ids in failed.items():
            Letter.objects.filter(pk__in=ids, status=Letter.Status.PENDING).update(
                status=Letter.Status.FAILED, failure_reason=reason
            )
    return {"sent": len(sent), "failed": sum(map(len, failed.values()))}


def _message(letter: Letter, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=letter.subject,
        body=letter.text,
        from_email=app_settings.DUNNING_FROM_EMAIL,
        to=[letter.email],
        connection=connection,
    )
    message.attach_alternative(
        html_body(subject=letter.subject, text=letter.text, language=letter.language),
        "text/html",
    )
    message.attach(letter.download_name, bytes(letter.pdf), "application/pdf")
    return message
