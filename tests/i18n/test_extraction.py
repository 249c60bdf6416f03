"""Extraction finds every id the code renders: Python marks, flow steps and the letter template."""

from __future__ import annotations

import io
from pathlib import Path

from bot.hearings import letters
from bot.hearings.models import DocumentSource
from bot.i18n_cli import TEMPLATE, extract, extract_jinja_calls, po_path, read_catalog

LETTER_TEMPLATE = letters.TEMPLATES / "hearing_letter.html"


def ids_in(path: Path) -> set[str]:
    return {m.id for m in read_catalog(path) if isinstance(m.id, str) and m.id}


def jinja_ids(source: str, functions: str = "t") -> list[str]:
    found = extract_jinja_calls(io.BytesIO(source.encode()), [], [], {"functions": functions})
    return [msgid for _, _, msgid, _ in found]


def test_the_jinja_extractor_reads_method_and_plain_calls_with_a_literal_id() -> None:
    source = '{{ s.t("a.title") }} {{ t("a.plain", n=1) }} {{ s.t(name) }} {{ other("a.not") }}'
    assert jinja_ids(source) == ["a.title", "a.plain"]
    assert jinja_ids(source, functions="other, t") == ["a.title", "a.plain", "a.not"]


def test_every_id_of_the_hearing_letter_is_in_the_template() -> None:
    in_template = set(jinja_ids(LETTER_TEMPLATE.read_text(encoding="utf-8")))
    assert {"hearing.letter.title", "hearing.letter.answer", "hearing.letter.not_translated"} <= in_template
    built_in_python = {
        *letters.KIND_IDS.values(), *letters.SOURCE_IDS,
        "hearing.letter.kind.other", "hearing.letter.absent_without_notice",
    }
    english = {i for i in ids_in(po_path("en")) if i.startswith("hearing.letter.")}
    assert (in_template | built_in_python | english) - ids_in(TEMPLATE) == set()


def test_every_documentation_source_has_a_marked_id() -> None:
    assert {f"hearing.letter.source.{source.value}" for source in DocumentSource} == set(letters.SOURCE_IDS)


def test_the_committed_template_is_what_extraction_writes_now(tmp_path: Path) -> None:
    fresh = ids_in(extract(tmp_path / "messages.pot"))
    committed = ids_in(TEMPLATE)
    assert fresh - committed == set(), "new ids: run `bot i18n extract` and `bot i18n update`, then translate"
    assert committed - fresh == set(), "ids no longer used: run `bot i18n extract` and `bot i18n update`"
