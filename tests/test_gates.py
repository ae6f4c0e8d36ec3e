"""The static gates run with the suite: ruff, mypy and the import-linter contract that keeps
the core headless. They run the tools installed with the test extra."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "hrdd"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs a checkout")
def test_ruff_is_clean():
    result = run("ruff", "check", "hrdd")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs a checkout")
def test_mypy_is_clean():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs a checkout")
def test_the_core_never_imports_textual_click_the_tui_or_the_cli():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contract_lists_every_core_module():
    """A new core module must be under the headless contract: only tui, cli and __main__ may import the UI."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = config["tool"]["importlinter"]["contracts"]
    listed = set(contract["source_modules"])
    modules = {f"hrdd.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__", "cli")}
    modules |= {f"hrdd.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name != "tui"}
    assert modules <= listed, sorted(modules - listed)
