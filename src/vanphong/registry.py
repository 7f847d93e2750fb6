"""The one place where modules plug in: home-page panels, periodic jobs, sections of the document page.

A module registers what it offers when its AppConfig is ready; the core reads the registry and
never names the modules (NetBox keeps the same idea in its ``registry``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    """A home-page panel: ``render(request)`` returns a context dict, or None to hide the panel."""

    key: str
    title: Any  # a lazy translation
    template: str
    render: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class Job:
    """A periodic job: ``run(now)`` does one round and returns a one-line summary.

    Jobs must be idempotent (run twice, they change nothing more), because a round that crashed is
    simply run again; ``notices.jobs.run_due`` makes sure two runners never run the same job at once.
    """

    key: str
    run: Callable[[datetime.datetime], str]
    every: datetime.timedelta


@dataclass(frozen=True)
class DocumentSection:
    """A section another app adds to the document page, loaded by htmx from ``url_name`` (which takes
    the document's pk and answers 404 when the person may not see the document)."""

    key: str
    title: Any  # a lazy translation
    url_name: str
    order: int = 100


@dataclass
class Registry:
    panels: dict[str, Panel] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    document_sections: dict[str, DocumentSection] = field(default_factory=dict)

    def panel(self, panel: Panel) -> Panel:
        if panel.key in self.panels:
            raise ValueError(f"panel {panel.key!r} is registered twice")
        self.panels[panel.key] = panel
        return panel

    def job(self, job: Job) -> Job:
        if job.key in self.jobs:
            raise ValueError(f"job {job.key!r} is registered twice")
        self.jobs[job.key] = job
        return job

    def document_section(self, section: DocumentSection) -> DocumentSection:
        if section.key in self.document_sections:
            raise ValueError(f"document section {section.key!r} is registered twice")
        self.document_sections[section.key] = section
        return section

    def ordered_document_sections(self) -> list[DocumentSection]:
        return sorted(self.document_sections.values(), key=lambda s: (s.order, s.key))

    def ordered_panels(self) -> list[Panel]:
        return sorted(self.panels.values(), key=lambda p: (p.order, p.key))


registry = Registry()
