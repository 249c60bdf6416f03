"""What each domain adds to the shared pages: the parts the composed domains name are loaded."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType

from admin.templating import environment


def load(parts: Sequence[str]) -> list[ModuleType]:
    """Import each part (``DOMAIN.admin_sections`` of the composed domains), in order."""
    loaded = []
    for part in parts:
        loaded.append(importlib.import_module(part))
        # Templates show a domain's navigation link only when its pages exist.
        environment.globals["domain_" + part.rsplit(".", 1)[1]] = True
    return loaded
