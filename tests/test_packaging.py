"""A non-editable install finds its questionnaires, catalogues and fonts inside the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_carries_the_data_and_works_from_elsewhere(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist")], check=True, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("hrdd-*.whl")
    from hrdd import __version__

    assert wheel.name.startswith(f"hrdd-{__version__}-")  # the version has one source: hrdd/__init__.py
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("hrdd/_data/questionnaires/due_diligence.yaml", "hrdd/_data/questionnaires/resources.yaml",
                     "hrdd/_data/questionnaires/schema/questionnaire.schema.json",
                     "hrdd/_data/questionnaires/reference/nace_sections.csv",
                     "hrdd/_data/locales/nl/LC_MESSAGES/messages.po",
                     "hrdd/_data/locales/fr/LC_MESSAGES/messages.po",
                     "hrdd/fonts/DejaVuSans.ttf", "hrdd/tui/app.tcss"):
        assert expected in names, expected
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("from hrdd.paths import questionnaires_dir; from hrdd.loader import load_bundled;"
            "from hrdd.i18n import t; b = load_bundled(); print(questionnaires_dir());"
            "print(len(b.questionnaires), t('Action plan', 'fr'))")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=elsewhere,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HRDD_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stderr
    where, summary = proc.stdout.splitlines()
    assert where.startswith(str(site / "hrdd" / "_data"))
    assert summary.split(" ", 1) == [summary.split(" ", 1)[0], "Plan d'action"] and int(summary[0]) >= 1
    # the catalogue tool ships in the wheel: outside a checkout it says what it needs, and writes nothing
    tool = [sys.executable, "-m", "hrdd.catalogs"]
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(tool, capture_output=True, text=True, cwd=elsewhere, env=env)
    assert proc.returncode == 2 and "is not a locales folder" in proc.stderr and "Traceback" not in proc.stderr
    assert not (site / "locales").exists() and list(elsewhere.iterdir()) == []
    shutil.copytree(ROOT / "locales", elsewhere / "locales")
    proc = subprocess.run(tool + [str(elsewhere / "locales")], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "msgid \"Action plan\"" in (elsewhere / "locales" / "messages.pot").read_text(encoding="utf-8")
