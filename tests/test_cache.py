"""The cache of validated questionnaires: a hit gives what a fresh read gives, any change to an
input rebuilds it, and nothing wrong with the cache ever stops hrdd (issue 12)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hrdd import cache
from hrdd.loader import LoadError, _read_bundled, load_bundled
from hrdd.packs import install_pack, packs_dir, remove_pack, with_packs
from hrdd.paths import questionnaires_dir

ROOT = Path(__file__).parent.parent


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HRDD_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled questionnaires that a test may edit."""
    copy = tmp_path / "questionnaires"
    shutil.copytree(questionnaires_dir(), copy)
    return copy


def _stamp(path: Path) -> tuple[int, int]:
    """Which file is there: a rebuilt entry is a new file (written aside, then renamed)."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_a_cache_hit_gives_the_bundle_a_fresh_read_gives(cache_dir, folder):
    first = load_bundled(folder)
    entry = cache_dir / "bundled.pickle"
    stamp = _stamp(entry)
    again = load_bundled(folder)
    assert _stamp(entry) == stamp  # read from the cache, not rebuilt
    assert again is not first and again == first == _read_bundled(folder)
    assert again.hashes == {q.id: q.content_hash() for q in again.questionnaires}
    assert again.reference == first.reference and again.reference.name_index == first.reference.name_index
    # what is stored is what comes back: an entry under the right key is used as it is
    header = entry.read_bytes().split(b"\n", 1)[0] + b"\n"
    swapped = pickle.loads(entry.read_bytes()[len(header):])
    swapped.hashes = {"marker": "from the cache"}
    entry.write_bytes(header + pickle.dumps(swapped))
    assert load_bundled(folder).hashes == {"marker": "from the cache"}


@pytest.mark.parametrize("edit", ["questionnaire", "reference_csv", "new_file"])
def test_editing_any_input_file_rebuilds_the_bundle(cache_dir, folder, edit):
    before = load_bundled(folder)
    if edit == "questionnaire":
        path = folder / "due_diligence.yaml"
        text = path.read_text(encoding="utf-8")
        title = before.questionnaire("due_diligence").title.en
        path.write_text(text.replace(title, title + " (edited)", 1), encoding="utf-8")
        assert load_bundled(folder).questionnaire("due_diligence").title.en == title + " (edited)"
    elif edit == "reference_csv":
        path = folder / "reference" / "ilab_goods.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:-1]), encoding="utf-8")  # the last row removed
        assert len(load_bundled(folder).reference.ilab) == len(before.reference.ilab) - 1
    else:
        shutil.copy(folder / "due_diligence.yaml", folder / "zz_copy.yaml")  # the same module id twice
        with pytest.raises(LoadError, match="is also used by"):
            load_bundled(folder)
        (folder / "zz_copy.yaml").unlink()
    after = load_bundled(folder)
    assert after == _read_bundled(folder)
    assert (after == before) is (edit == "new_file")


def test_a_broken_file_is_reported_as_without_the_cache_and_never_cached(cache_dir, folder):
    good = load_bundled(folder)
    entry = cache_dir / "bundled.pickle"
    stamp = _stamp(entry)
    path = folder / "children.yaml"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines) if text.startswith("version:"))
    path.write_text("".join(lines[:line] + ["version: [unclosed\n"] + lines[line + 1:]), encoding="utf-8")
    with pytest.raises(LoadError) as uncached:
        _read_bundled(folder)
    for _ in range(2):  # every start reads the broken file again and says the same
        with pytest.raises(LoadError) as exc:
            load_bundled(folder)
        assert str(exc.value) == str(uncached.value)
        assert str(exc.value).startswith(f"{path}:{line + 2}:")
    assert _stamp(entry) == stamp  # the entry of the good files is kept, and nothing else is stored
    path.write_text(original, encoding="utf-8")
    assert load_bundled(folder) == good and _stamp(entry) == stamp


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "bad_pickle", "other_key", "folder"])
def test_a_damaged_cache_entry_is_rebuilt(cache_dir, folder, damage):
    good = load_bundled(folder)
    entry = cache_dir / "bundled.pickle"
    data = entry.read_bytes()
    header = data.split(b"\n", 1)[0] + b"\n"
    if damage == "folder":
        entry.unlink()
        entry.mkdir()
    else:
        entry.write_bytes({"empty": b"", "garbage": os.urandom(5000), "truncated": data[:len(data) // 2],
                           "bad_pickle": header + b"\x80\x05\x95garbage",
                           "other_key": header.replace(header[-10:-1], b"0" * 9) + data[len(header):]}[damage])
    assert load_bundled(folder) == good
    if damage != "folder":  # rebuilt and stored again: the next start is a hit
        assert entry.read_bytes().startswith(header)
        stamp = _stamp(entry)
        assert load_bundled(folder) == good and _stamp(entry) == stamp


def test_a_cache_folder_that_cannot_be_written_means_no_cache(tmp_path, monkeypatch, folder):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HRDD_CACHE_DIR", str(blocker / "cache"))
    assert load_bundled(folder) == load_bundled(folder) == _read_bundled(folder)
    assert blocker.read_text() == "not a folder"


def test_processes_starting_at_once_all_get_the_bundle(cache_dir, folder):
    code = ("import sys; from pathlib import Path; from hrdd.loader import load_bundled; "
            "b = load_bundled(Path(sys.argv[1])); print(len(b.questionnaires), sorted(b.hashes.values()))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    assert [r[0] for r in results] == [0] * 4, [r[2] for r in results]
    assert len({r[1] for r in results}) == 1
    expected = _read_bundled(folder)
    assert results[0][1].split(" ", 1)[0] == str(len(expected.questionnaires))
    entry = cache_dir / "bundled.pickle"
    assert [p.name for p in cache_dir.iterdir()] == ["bundled.pickle"]  # no temporary file left behind
    stamp = _stamp(entry)
    assert load_bundled(folder) == expected and _stamp(entry) == stamp  # a whole entry: a hit


def test_installing_changing_and_removing_a_pack_rebuilds_the_bundle(cache_dir):
    example = questionnaires_dir() / "example-pack"
    bundled = load_bundled()
    assert with_packs(bundled) == bundled and not (cache_dir / "packs.pickle").exists()  # no packs: nothing cached
    install_pack(example, bundled)
    first = with_packs(bundled)
    module = first.questionnaire("due_diligence")
    assert module.question("textile_tiers") is not None and first.packs["due_diligence"] == ("example-textiles", "1.0")
    entry = cache_dir / "packs.pickle"
    stamp = _stamp(entry)
    again = with_packs(load_bundled())
    assert _stamp(entry) == stamp and again == first  # a hit
    assert again.hashes == {q.id: q.content_hash() for q in again.questionnaires}
    installed = packs_dir() / "example-textiles" / "1.0" / "textiles.yaml"
    installed.write_text(installed.read_text(encoding="utf-8").replace("In textiles", "In fabrics"), encoding="utf-8")
    changed = with_packs(bundled).questionnaire("due_diligence").question("supplier_code")
    assert changed.help.en.startswith("In fabrics")
    remove_pack("example-textiles")
    assert with_packs(bundled).questionnaire("due_diligence").question("textile_tiers") is None


def test_a_changed_bundle_rebuilds_the_packs_entry(cache_dir, folder):
    install_pack(questionnaires_dir() / "example-pack", load_bundled())
    first = with_packs(load_bundled(folder))
    path = folder / "due_diligence.yaml"
    text = path.read_text(encoding="utf-8")
    title = first.questionnaire("due_diligence").title.en
    path.write_text(text.replace(title, title + " (edited)", 1), encoding="utf-8")
    module = with_packs(load_bundled(folder)).questionnaire("due_diligence")
    assert module.title.en == title + " (edited)" and module.question("textile_tiers") is not None


def test_the_key_changes_with_any_file_and_differs_by_kind(folder):
    assert cache.key("bundled", folder) == cache.key("bundled", folder)
    assert cache.key("bundled", folder) != cache.key("packs", folder)
    (folder / "schema" / "extra.txt").write_text("x")
    before = cache.key("bundled", folder)
    (folder / "schema" / "extra.txt").write_text("y")
    assert cache.key("bundled", folder) != before
    (folder / "schema" / "extra.txt").rename(folder / "schema" / "other.txt")
    assert cache.key("bundled", folder) not in (before, cache.key("bundled", folder / "schema"))


def test_the_compiled_catalogues_are_cached_and_a_damaged_entry_is_compiled_again(cache_dir):
    from hrdd import i18n

    try:
        i18n.translations.cache_clear()
        assert i18n.t("Action plan", "fr") == "Plan d'action"
        entry = cache_dir / "messages-fr.pickle"
        stamp = _stamp(entry)
        i18n.translations.cache_clear()
        assert i18n.t("Action plan", "fr") == "Plan d'action" and _stamp(entry) == stamp  # a hit
        whole = entry.read_bytes()
        entry.write_bytes(whole[:200])
        damaged = _stamp(entry)
        i18n.translations.cache_clear()
        assert i18n.t("Action plan", "fr") == "Plan d'action"
        assert _stamp(entry) != damaged and entry.read_bytes() == whole  # compiled and stored again
    finally:
        i18n.translations.cache_clear()
