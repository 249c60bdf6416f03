"""YAML without YAML 1.1's surprises: "yes", "no", "on" and "off" stay words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class WordsLoader(yaml.SafeLoader):
    """A safe loader where only ``true``/``false`` are booleans."""


WordsLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
WordsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=WordsLoader)  # noqa: S506 - a SafeLoader subclass
