"""`bot i18n export | import`: the catalogs go to Weblate or Crowdin and come back without loss."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import i18n_cli
from bot.i18n import LANGUAGES, LOCALES_DIR, reload_catalogs
from bot.i18n_review import PlaceholderMismatch, export_catalogs, import_catalog, read


@pytest.fixture
def locales(tmp_path: Path) -> Iterator[Path]:
    """A copy of the package's catalogs: these tests write .po and .mo files."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    yield copy
    reload_catalogs()


def _po(locales: Path, language: str) -> Path:
    return locales / language / "LC_MESSAGES" / "messages.po"


def _edit(file: Path, msgid: str, text: str, *, fuzzy: bool) -> None:
    """Change one entry as a translation tool would (new text, 'needs editing' on or off)."""
    blocks = file.read_text(encoding="utf-8").split("\n\n")
    for index, block in enumerate(blocks):
        if f'msgid "{msgid}"' in block.splitlines():
            lines = [line for line in block.splitlines() if line != "#, fuzzy" and not line.startswith("msgstr")]
            at = next(i for i, line in enumerate(lines) if line.startswith("msgid"))
            if fuzzy:
                lines.insert(at, "#, fuzzy")
            blocks[index] = "\n".join([*lines, f'msgstr "{text}"'])
    file.write_text("\n\n".join(blocks), encoding="utf-8")


def test_export_writes_every_language_with_fuzzy_flags_and_context(locales: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = export_catalogs(locales, out, LANGUAGES)
    assert sorted(p.stem for p in written) == sorted(LANGUAGES)
    arabic = read(out / "ar.po", "ar")
    better = arabic.get("ack.better")
    assert better.fuzzy
    assert "flow citizen, step end_sick" in better.auto_comments
    assert any(c.startswith("Danish: ") for c in better.auto_comments)
    assert {m.id for m in arabic if m.id} == {m.id for m in read(_po(locales, "ar"), "ar") if m.id}


def test_an_unchanged_round_trip_changes_nothing(locales: Path, tmp_path: Path) -> None:
    before = {lang: _po(locales, lang).read_bytes() for lang in LANGUAGES}
    export_catalogs(locales, tmp_path / "out", LANGUAGES)
    for file in sorted((tmp_path / "out").glob("*.po")):
        assert import_catalog(locales, file).changed == []
    assert {lang: _po(locales, lang).read_bytes() for lang in LANGUAGES} == before


def test_an_approved_text_comes_back_without_the_fuzzy_flag(locales: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_catalogs(locales, out, ("so",))
    _edit(out / "so.po", "absence.back", "{name} wuu bogsaday, wuxuuna soo laabanayaa {back}. Tixraac {reference}.",
          fuzzy=False)
    result = import_catalog(locales, out / "so.po")
    assert result.changed == ["absence.back"]
    message = read(_po(locales, "so"), "so").get("absence.back")
    assert not message.fuzzy and message.string.startswith("{name} wuu bogsaday")
    assert not any(c.startswith("Danish: ") for c in message.auto_comments)
    assert _po(locales, "so").with_suffix(".mo").stat().st_mtime >= _po(locales, "so").stat().st_mtime


def test_a_file_with_other_placeholders_is_refused_whole(locales: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_catalogs(locales, out, ("uk",))
    _edit(out / "uk.po", "ack.better", "Добре, що вам краще.", fuzzy=False)  # a good change...
    _edit(out / "uk.po", "absence.back", "{імя} повернувся {back}. {reference}", fuzzy=False)  # ...and a bad one
    before = _po(locales, "uk").read_bytes()
    with pytest.raises(PlaceholderMismatch):
        import_catalog(locales, out / "uk.po")
    assert _po(locales, "uk").read_bytes() == before


def test_import_never_drops_a_string(locales: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_catalogs(locales, out, ("ti",))
    text = (out / "ti.po").read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    # The tool sends back a file with one entry missing and another emptied.
    kept = [b for b in blocks if 'msgid "ack.better"' not in b.splitlines()]
    (out / "ti.po").write_text("\n\n".join(kept), encoding="utf-8")
    _edit(out / "ti.po", "absence.back", "", fuzzy=True)
    before = read(_po(locales, "ti"), "ti")
    import_catalog(locales, out / "ti.po")
    after = read(_po(locales, "ti"), "ti")
    assert {m.id for m in after if m.id} == {m.id for m in before if m.id}
    assert after.get("ack.better").string == before.get("ack.better").string
    assert after.get("absence.back").string == before.get("absence.back").string


def test_the_commands(locales: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n_cli, "LOCALES_DIR", locales)
    runner = CliRunner()
    out = tmp_path / "out"
    exported = runner.invoke(i18n_cli.i18n_app, ["export", str(out), "-l", "fa", "-l", "ps"])
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in out.glob("*.po")) == ["fa.po", "ps.po"]
    _edit(out / "ps.po", "absence.back", "{name} {back} {ref}", fuzzy=False)
    refused = runner.invoke(i18n_cli.i18n_app, ["import", str(out)])
    assert refused.exit_code == 1
    assert "ps.po: refused" in refused.output and "fa: 0 changed" in refused.output
