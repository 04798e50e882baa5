"""The app venv (.venv): installed by uv with the machine's pip configuration, by pip when uv cannot be.

uv installs the app's dependencies in seconds where pip takes minutes, but it reads none of pip's
configuration (pip.conf, ``PIP_*`` variables): on a machine whose pip is given a constraints file and
local package indexes, a plain ``uv pip install`` could resolve versions pip never would. So pip's
effective configuration (``pip config list``) is translated into uv's options, with pip's rule for
several indexes (the best version across all of them); a setting uv has no equivalent for, or no
uv, means pip installs as before. ``FRONTDOOR_VENV_INSTALLER=pip`` asks for pip.

The stamp (``.venv/.installed``) holds the sha256 of pyproject.toml: ``make`` re-installs only when
the dependencies change, not when a checkout touches the file. Standard library only: this runs
with the system's Python 3.11 before the venv exists (``python3.11 -m frontdoor.app_venv``).
"""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["UvPlan", "Unsupported", "install", "installed", "pip_settings", "uv_plan", "wanted_stamp"]

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENT = "-e .[dev]"
UV = "uv>=0.5"
# pip settings that change nothing about which files get installed (output, caches, pip's own checks).
IGNORED = frozenset({
    "disable-pip-version-check", "no-input", "quiet", "verbose", "progress-bar", "no-color", "retries",
    "cache-dir", "no-cache-dir", "root-user-action", "require-virtualenv", "no-warn-script-location",
    "no-python-version-warning", "log",
})
# pip reads these sections for `pip install`, each overriding the one before.
SECTIONS = ("global", "install", ":env:")


class Unsupported(ValueError):
    """A pip setting uv has no faithful equivalent for: pip must install."""


@dataclass
class UvPlan:
    """What ``uv pip install`` needs beyond the requirements to install what pip would."""

    options: list[str] = field(default_factory=lambda: ["--no-config", "--index-strategy", "unsafe-best-match"])
    env: dict[str, str] = field(default_factory=dict)


def pip_settings(listing: str) -> dict[str, str]:
    """pip's effective settings for ``pip install`` from the output of ``pip config list``.

    Each line reads ``section.name='value'``; ``:env:`` holds the ``PIP_*`` variables. Files already
    override each other inside pip's listing; sections are merged here as pip does (global, install, env).
    """
    by_section: dict[str, dict[str, str]] = {section: {} for section in SECTIONS}
    for line in listing.splitlines():
        key, sep, raw = line.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot or section not in by_section:
            continue
        value = ast.literal_eval(raw.strip())
        by_section[section][name] = str(value)
    merged: dict[str, str] = {}
    for section in SECTIONS:
        merged.update(by_section[section])
    return merged


def _true(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def uv_plan(settings: Mapping[str, str]) -> UvPlan:
    """uv options and environment equal to pip's ``settings``; ``Unsupported`` names a setting that has none."""
    plan = UvPlan()
    for name, value in settings.items():
        many = value.split()
        if name in IGNORED:
            continue
        if name == "index-url":
            plan.options += ["--index-url", value.strip()]
        elif name in ("extra-index-url", "find-links", "constraint"):
            for item in many:
                plan.options += [f"--{name}", item]
        elif name == "trusted-host":
            for host in many:
                plan.options += ["--allow-insecure-host", host]
        elif name == "no-index":
            plan.options += ["--no-index"] if _true(value) else []
        elif name == "pre":
            plan.options += ["--prerelease", "allow"] if _true(value) else []
        elif name == "no-build-isolation":
            plan.options += ["--no-build-isolation"] if _true(value) else []
        elif name == "cert":
            plan.env["SSL_CERT_FILE"] = value.strip()
        elif name == "client-cert":
            plan.env["SSL_CLIENT_CERT"] = value.strip()
        elif name in ("timeout", "default-timeout"):
            plan.env["UV_HTTP_TIMEOUT"] = value.strip()
        elif name == "proxy":
            plan.env.update({"HTTPS_PROXY": value.strip(), "HTTP_PROXY": value.strip()})
        else:
            raise Unsupported(f"pip setting {name}={value!r} has no uv equivalent here")
    return plan


def wanted_stamp(pyproject: Path = PYPROJECT) -> str:
    return hashlib.sha256(pyproject.read_bytes()).hexdigest()


def installed(venv: Path = VENV, pyproject: Path = PYPROJECT) -> bool:
    """True when ``venv`` was installed from this pyproject.toml.

    An empty stamp newer than pyproject.toml was written by the Makefile's former rule (by time): it
    is taken at its word once and given the hash, so an existing venv is not re-installed for that.
    """
    stamp = venv / ".installed"
    if not (venv / "bin" / "python").exists() or not stamp.exists():
        return False
    text = stamp.read_text(encoding="utf-8").strip()
    if not text and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        stamp.write_text(wanted_stamp(pyproject) + "\n", encoding="utf-8")
        return True
    return text == wanted_stamp(pyproject)


def _run(command: list[str], env: Mapping[str, str] | None = None) -> bool:
    print("$ " + " ".join(command), file=sys.stderr, flush=True)
    return subprocess.run(command, cwd=ROOT, env=None if env is None else dict(env)).returncode == 0


def _with_uv(python: str, venv: Path) -> bool:
    """Install with uv; False (after saying why) when pip must do it instead."""
    if os.environ.get("FRONTDOOR_VENV_INSTALLER", "uv") == "pip":
        return False
    if not _run([python, "-m", "pip", "install", "--quiet", UV]):
        print("uv could not be installed: pip installs the app's dependencies.", file=sys.stderr)
        return False
    listing = subprocess.run([python, "-m", "pip", "config", "list"], capture_output=True, text=True, check=True)
    try:
        plan = uv_plan(pip_settings(listing.stdout))
    except Unsupported as exc:
        print(f"{exc}: pip installs the app's dependencies.", file=sys.stderr)
        return False
    command = [str(venv / "bin" / "uv"), "pip", "install", "--quiet", "--python", python, *plan.options,
               "--upgrade-package", "pip", "pip", *REQUIREMENT.split()]
    if _run(command, {**os.environ, **plan.env}):
        return True
    print("uv failed: pip installs the app's dependencies.", file=sys.stderr)
    return False


def install(venv: Path = VENV) -> int:
    """Create ``venv`` when missing and install the app into it unless it is up to date."""
    if installed(venv):
        return 0
    if sys.version_info[:2] != (3, 11):
        print(f"Python 3.11 is needed for the app venv; this is {sys.version.split()[0]}.", file=sys.stderr)
        return 1
    python = str(venv / "bin" / "python")
    if not Path(python).exists() and not _run([sys.executable, "-m", "venv", str(venv)]):
        return 1
    if not _with_uv(python, venv) and not (
        _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        and _run([python, "-m", "pip", "install", "--quiet", *REQUIREMENT.split()])
    ):
        return 1
    (venv / ".installed").write_text(wanted_stamp() + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(install())
