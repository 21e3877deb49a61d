"""The sections of an audit pack: each registered exporter with a ``pack_order`` gives a part
for the pack's period, and the part writes its files into a Pack.

A part (PackPart) has a ``cost`` (its work in receipt pages, for the progress bar),
``write(pack)`` and ``summary()`` (a few words for the manifest's header, or "").
A Pack is either the ZIP of every section (ZipPack, with the SHA-256 of each file) or one
section's file alone (SingleFile: the section's own download, see PackSection).

A pack can hold a year of receipts, so files are written into the ZIP as they are made,
never held whole: ``open(name)`` gives a stream, ``add(name, content)`` takes small files.
"""

import hashlib
import itertools
import zipfile
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Protocol

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.centre import current_centre
from config.exporters import Exporter, ExportRefused, Period, Progress, no_progress
from config.pdf import PdfJoiner


class PackPart(Protocol):
    cost: float

    def write(self, pack: "Pack") -> None: ...

    def summary(self) -> str: ...


class Pack:
    """What a part writes into: files by name, notes for the manifest, progress."""

    def __init__(self, period: Period, progress: Progress | None, total_work: float):
        self.period = period
        # Read once: every part and the manifest name the same centre, even if the
        # administrator edits it while a long pack is being written.
        self.centre = current_centre()
        self.notes: list[str] = []
        self.total_work = max(total_work, 1)
        self.work_done = 0.0
        self.report = progress
        self.message = ""
        self.last_percent = -1

    def add(self, name: str, content: bytes) -> None:
        raise NotImplementedError

    @contextmanager
    def open(self, name: str):
        raise NotImplementedError
        yield

    def note(self, text: str) -> None:
        """A line for the manifest (e.g. why a file is missing)."""
        self.notes.append(text)

    def say(self, message) -> None:
        """Report what the pack is doing now."""
        self.message = message
        self.last_percent = min(99, int(self.work_done * 100 / self.total_work))
        if self.report is not None:
            self.report(self.last_percent, message)

    def advance(self, work: float, message=None) -> None:
        """Count work done; report when the percentage moves (or the message changes)."""
        self.work_done += work
        percent = min(99, int(self.work_done * 100 / self.total_work))
        if percent != self.last_percent or message is not None:
            self.say(message if message is not None else self.message)

    def joined_pdf(
        self,
        name: str,
        title: str,
        parts: Iterable[bytes | tuple],
        empty_note: str,
        *,
        whole_font: bool = False,
    ) -> None:
        """One PDF from documents rendered part by part; none (and the note) without parts.
        A part is a PDF's bytes, or (bytes, overlay pages to draw on its pages);
        ``whole_font``: see config.pdf.PdfJoiner."""
        parts = iter(parts)
        first = next(parts, None)
        if first is None:  # a PDF of no pages is not a valid file
            self.note(empty_note)
            return
        with self.open(name) as stream:
            joiner = PdfJoiner(stream, whole_font=whole_font)
            for part in itertools.chain([first], parts):
                pdf, over = part if isinstance(part, tuple) else (part, [])
                joiner.append(pdf, over=over)
            joiner.finish(title=f"{self.centre.name} {title} {self.period.label}")


class _HashingWriter:
    """A write-only stream into a ZIP entry that hashes what passes through."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        return self.raw.write(data)


class ZipPack(Pack):
    """The parts' files as entries of one ZIP; ``sums`` keeps each file's SHA-256."""

    def __init__(self, zf, period: Period, progress: Progress | None, total_work: float):
        super().__init__(period, progress, total_work)
        self.zf = zf
        self.sums: dict[str, str] = {}

    def add(self, name: str, content: bytes) -> None:
        self.zf.writestr(name, content)
        self.sums[name] = hashlib.sha256(content).hexdigest()

    @contextmanager
    def open(self, name: str):
        info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zf.open(info, "w", force_zip64=True) as entry:
            stream = _HashingWriter(entry)
            yield stream
        self.sums[name] = stream.digest.hexdigest()


class SingleFile(Pack):
    """One part's file written straight into ``out``: a section downloaded alone."""

    def __init__(self, out, period: Period, progress: Progress | None, total_work: float):
        super().__init__(period, progress, total_work)
        self.out = out
        self.written: str | None = None

    def _take(self, name: str) -> None:
        if self.written is not None:
            raise ValueError(f"one file only: {self.written} is written, not {name}")
        self.written = name

    def add(self, name: str, content: bytes) -> None:
        self._take(name)
        self.out.write(content)

    @contextmanager
    def open(self, name: str):
        self._take(name)
        yield self.out


class PackSection(Exporter):
    """An exporter whose file is one section of the audit pack: the same file of a period,
    alone. Subclasses set ``pack_order`` and write pack_part(period)."""

    def pack_part(self, period: Period) -> PackPart:
        raise NotImplementedError

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        period = Period(params["date_from"], params["date_to"])
        # The pack's files are documents for the record, in the centre's language.
        with translation.override(settings.LANGUAGE_CODE):
            part = self.pack_part(period)
            single = SingleFile(out, period, progress, part.cost)
            part.write(single)
        if single.written is None:
            raise ExportRefused(_("This period holds nothing for this file."))
