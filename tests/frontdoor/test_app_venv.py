"""The app venv: uv is given pip's configuration (or pip installs), and the stamp follows pyproject.toml's content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontdoor.app_venv import Unsupported, installed, pip_settings, uv_plan, wanted_stamp

# `pip config list` on this machine image: a constraints file, local indexes, local wheels, a CA bundle.
LISTING = """\
:env:.cert='/etc/ssl/certs/ca-certificates.crt'
:env:.default-timeout='180'
:env:.disable-pip-version-check='1'
:env:.find-links='/opt/wheels'
global.cert='/etc/ssl/certs/ca-certificates.crt'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.find-links='/opt/wheels'
"""


def test_every_pip_setting_that_decides_versions_reaches_uv() -> None:
    plan = uv_plan(pip_settings(LISTING))
    pairs = list(zip(plan.options, plan.options[1:], strict=False))
    assert ("--constraint", "/etc/xdg/pip/constraints.txt") in pairs
    assert ("--extra-index-url", "file:///opt/pypi/simple") in pairs
    assert ("--extra-index-url", "file:///opt/pypi-more/simple") in pairs
    assert ("--find-links", "/opt/wheels") in pairs
    # pip takes the best version across all indexes; uv's default would stop at the first index that has the name
    assert ("--index-strategy", "unsafe-best-match") in pairs and "--no-config" in plan.options
    assert plan.env == {"SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt", "UV_HTTP_TIMEOUT": "180"}


def test_pip_variables_override_the_install_section_which_overrides_global() -> None:
    listing = ("global.index-url='https://a.example/simple'\ninstall.index-url='https://b.example/simple'\n"
               "global.timeout='10'\n:env:.timeout='99'\nfreeze.index-url='https://c.example/simple'\n")
    assert pip_settings(listing) == {"index-url": "https://b.example/simple", "timeout": "99"}


def test_a_setting_uv_cannot_follow_means_pip_installs() -> None:
    with pytest.raises(Unsupported, match="keyring-provider"):
        uv_plan({"keyring-provider": "subprocess"})
    assert uv_plan({"no-index": "false", "quiet": "2"}).options == uv_plan({}).options


def test_the_stamp_is_the_content_of_pyproject_not_its_time(tmp_path: Path) -> None:
    venv, pyproject = tmp_path / ".venv", tmp_path / "pyproject.toml"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    pyproject.write_text("[project]\ndependencies = ['a']\n", encoding="utf-8")
    assert not installed(venv, pyproject)
    (venv / ".installed").write_text(wanted_stamp(pyproject) + "\n", encoding="utf-8")
    os.utime(pyproject)  # a checkout touched it: nothing to install
    assert installed(venv, pyproject)
    pyproject.write_text("[project]\ndependencies = ['a', 'b']\n", encoding="utf-8")
    assert not installed(venv, pyproject)


def test_a_stamp_from_the_former_rule_is_adopted_only_when_newer_than_pyproject(tmp_path: Path) -> None:
    venv, pyproject = tmp_path / ".venv", tmp_path / "pyproject.toml"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    pyproject.write_text("[project]\n", encoding="utf-8")
    stamp = venv / ".installed"
    stamp.touch()
    os.utime(stamp, (1, 1))
    assert not installed(venv, pyproject)
    os.utime(stamp)
    assert installed(venv, pyproject) and stamp.read_text(encoding="utf-8").strip() == wanted_stamp(pyproject)
