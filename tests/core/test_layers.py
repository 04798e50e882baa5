"""The import contract of the README's "Layers" holds, and an upward import breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "bot", "nlu", "directory", "referrals", "staff", "frontdoor")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True,
                          env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"}, timeout=300)


def _copy(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "rasa_project", "data", "eval", "*.yml"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_the_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_ground_importing_a_domain_breaks_it(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    text = tree / "core" / "text.py"
    text.write_text(text.read_text("utf-8") + "\nimport bot.engine  # noqa\n", "utf-8")
    result = _lint(tree)
    assert result.returncode != 0
    assert "core.text -> bot.engine" in result.stdout


def test_a_domain_importing_upwards_breaks_it(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    matching = tree / "directory" / "matching.py"
    matching.write_text(matching.read_text("utf-8") + "\nimport referrals.models  # noqa\n", "utf-8")
    result = _lint(tree)
    assert result.returncode != 0
    assert "directory.matching -> referrals.models" in result.stdout
