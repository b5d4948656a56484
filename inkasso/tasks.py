"""Background tasks: e-mailing a recorded letter, on the shop's own worker.

Django's tasks framework (``django.tasks`` from Django 6.0, the
``django-tasks`` backport before): the default immediate backend sends at
once; a shop with a worker configures another backend in ``TASKS``.
"""

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the backport.
    from django_tasks import task

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from .conf import app_settings
from .dunning_models import Letter
from .letters import html_body


@task()
def email_letter(letter_id: int) -> str:
    """E-mail a pending letter; record it as sent, or as failed with the reason."""
    letter = Letter.objects.filter(pk=letter_id, status=Letter.Status.PENDING).first()
    if letter is None:
        return "gone"  # Sent or failed already: a task run twice sends once.
    message = EmailMultiAlternatives(
        subject=letter.subject,
        body=letter.text,
        from_email=app_settings.DUNNING_FROM_EMAIL,
        to=[letter.email],
    )
    message.attach_alternative(
        html_body(subject=letter.subject, text=letter.text, language=letter.language),
        "text/html",
    )
    message.attach(letter.download_name, bytes(letter.pdf), "application/pdf")
    try:
        message.send()
    except Exception as exc:  # Whatever the backend raises: record it, retry later.
        reason = f"{type(exc).__name__}: {exc}"[:1000]
        Letter.objects.filter(pk=letter.pk, status=Letter.Status.PENDING).update(
            status=Letter.Status.FAILED, failure_reason=reason
        )
        return "failed"
    with transaction.atomic():
        Letter.objects.filter(pk=letter.pk, status=Letter.Status.PENDING).update(
            status=Letter.Status.SENT
        )
    return "sent"
