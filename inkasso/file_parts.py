"""A handover's file as it is recorded: parts of at most ``PART_SIZE`` bytes.

:func:`inkasso.services.hand_over` writes the rows through a :class:`FileWriter`
while it checks the orders, so that a handover of 100,000 orders never holds
its whole file in memory; the bytes and their SHA-256 are recorded once.
"""

import codecs
import csv
import hashlib
import io
from collections.abc import Sequence

from . import contract
from .models import Handover, HandoverFilePart

PART_SIZE = 1 << 20


class FileWriter:
    """Write CSV rows into a handover's file parts, hashing as it goes."""

    def __init__(self, handover: Handover, encoding: str):
        self.handover = handover
        self.encoder = codecs.getincrementalencoder(encoding)()
        self.text = io.StringIO()
        self.csv = csv.writer(self.text, dialect=contract.HandoverDialect)
        self.pending = bytearray()
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.index = 0

    def writerow(self, values: Sequence[str]) -> str:
        """Write one row to the file; return its line, without the line end."""
        self.text.seek(0)
        self.text.truncate()
        self.csv.writerow(values)
        line = self.text.getvalue()
        self._add(self.encoder.encode(line))
        return line[: -len(contract.HandoverDialect.lineterminator)]

    def close(self) -> None:
        self._add(self.encoder.encode("", final=True))
        if self.pending:
            self._save_part()

    def _add(self, data: bytes) -> None:
        self.pending += data
        self.sha256.update(data)
        self.size += len(data)
        if len(self.pending) >= PART_SIZE:
            self._save_part()

    def _save_part(self) -> None:
        HandoverFilePart.objects.create(
            handover=self.handover, index=self.index, data=bytes(self.pending)
        )
        self.index += 1
        self.pending.clear()
