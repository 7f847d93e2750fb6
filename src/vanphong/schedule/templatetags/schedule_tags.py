"""Small filters for the schedule's tables."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping|get:key``: a dictionary value in a template (None when missing)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def changed(row: Any, fields: str) -> bool:
    """Whether a row's change in this revision touches one of the space-separated ``fields``."""
    return bool(row.is_changed(*fields.split()))
