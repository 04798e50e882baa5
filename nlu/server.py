"""Train the Rasa model when its inputs change, and keep a `rasa run` server alive on loopback.

Training takes a minute or more, so a model is cached under ``var/nlu-models`` by
the content hash of everything that shapes it (training data, pipeline config,
custom components, pinned versions) and reused until one of them changes.

The server is a child process owned by a :class:`Supervisor` thread: it starts
Rasa, waits for ``/status`` to report a loaded model, restarts it if it exits or
stops answering, and stops it on :meth:`Supervisor.stop`. The child is also told
by the kernel to exit when its parent dies (``PR_SET_PDEATHSIG``), so a killed
app never leaves a Rasa behind. Rasa's noisy output goes to ``var/`` log files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from core.settings import PROJECT_ROOT
from nlu.rasa_venv import CONSTRAINTS, RASA_VENV, REQUIREMENTS, RasaSetupError, rasa_env, rasa_executable

__all__ = [
    "DATA_DIR", "MODEL_DIR", "RasaServer", "Supervisor", "SupervisorGroup", "content_hash", "ensure_model",
    "find_model", "server_status", "training_files",
]

log = logging.getLogger("frontdoor.nlu.server")

DATA_DIR = PROJECT_ROOT / "nlu" / "data"
PROJECT_DIR = PROJECT_ROOT / "nlu" / "rasa_project"
CONFIG = PROJECT_DIR / "config.yml"
MODEL_DIR = PROJECT_ROOT / "var" / "nlu-models"
# Every model trained on this machine is also kept here, by the same content hash, so a fresh clone (CI, a new
# worktree) whose inputs match takes it instead of training for ten minutes.
MODEL_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "frontdoor" / "nlu-models"
LOG_DIR = PROJECT_ROOT / "var"
_KEEP_MODELS = 3
_LOG_MAX_BYTES = 20_000_000

# Run in the child before exec: ask the kernel for SIGTERM when the parent goes, then become Rasa.
_EXEC_WITH_PDEATHSIG = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)\n"
    "if os.getppid() != int(sys.argv[1]): sys.exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def training_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The Rasa training data files: ``nlu_*.yml`` in ``data_dir``, sorted."""
    return sorted(p for p in data_dir.glob("nlu_*.y*ml") if p.is_file())


def _model_inputs(data_dir: Path, config: Path) -> list[Path]:
    components = sorted((PROJECT_DIR / "frontdoor_rasa").glob("*.py"))
    return [config, *components, CONSTRAINTS, *training_files(data_dir)]


def content_hash(data_dir: Path = DATA_DIR, config: Path = CONFIG) -> str:
    """A short hash of everything that shapes the model; a new hash means retrain."""
    digest = hashlib.sha256("\n".join(REQUIREMENTS).encode())
    for path in _model_inputs(data_dir, config):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def find_model(data_dir: Path = DATA_DIR, config: Path = CONFIG, model_dir: Path = MODEL_DIR,
               cache: Path | None = MODEL_CACHE) -> Path | None:
    """The model for the current inputs (from ``model_dir``, else copied from the machine's ``cache``), or None."""
    path = model_dir / f"nlu-{content_hash(data_dir, config)}.tar.gz"
    if path.exists():
        return path
    cached = cache / path.name if cache is not None else None
    if cached is None or not cached.exists():
        return None
    try:
        model_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        shutil.copyfile(cached, partial)
        partial.replace(path)  # atomic: a reader never sees half a model
    except OSError as exc:
        log.warning("cached model not copied", extra={"error": str(exc)})
        return None
    return path


def ensure_model(data_dir: Path = DATA_DIR, config: Path = CONFIG, model_dir: Path = MODEL_DIR, *,
                 force: bool = False, quiet: bool = False, cache: Path | None = MODEL_CACHE) -> Path:
    """Train a model unless one for the current inputs is cached; returns its path."""
    files = training_files(data_dir)
    if not files:
        raise RasaSetupError(f"No training data: expected nlu_<lang>.yml files in {data_dir}.")
    digest = content_hash(data_dir, config)
    target = model_dir / f"nlu-{digest}.tar.gz"
    if not force:  # this checkout's model, or the same inputs' model from the machine's cache (a fresh clone)
        found = find_model(data_dir, config, model_dir, cache)
        if found is not None:
            return found
    exe = rasa_executable()
    model_dir.mkdir(parents=True, exist_ok=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / "rasa-train.log"
    _say(quiet, f"Training the NLU model {target.name} on {len(files)} files (log: {log_path}) ...")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fd-nlu-") as tmp:
        staged = Path(tmp) / "data"
        staged.mkdir()
        for path in files:  # only the training files: nothing else in nlu/data reaches Rasa
            shutil.copy(path, staged / path.name)
        out = Path(tmp) / "out"
        command = [str(exe), "train", "nlu", "--config", str(config), "--nlu", str(staged), "--out", str(out),
                   "--fixed-model-name", target.name.removesuffix(".tar.gz")]
        env = rasa_env({"RASA_CACHE_DIRECTORY": str(LOG_DIR / "rasa-cache")}, batch=True)
        with log_path.open("w", encoding="utf-8") as handle:
            done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=tmp)
        built = out / target.name
        if done.returncode != 0 or not built.exists():
            raise RasaSetupError(f"Rasa training failed (exit {done.returncode}); see {log_path}.")
        shutil.move(str(built), target)
    _prune(model_dir, keep=target)
    _keep_in_cache(target, MODEL_CACHE)
    _say(quiet, f"Model trained in {time.monotonic() - started:.0f} s: {target}")
    return target


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def _keep_in_cache(model: Path, cache: Path) -> None:
    """Best effort: a full disk or a read-only home only costs the next clone a training."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f".{model.name}.{os.getpid()}"
        shutil.copyfile(model, partial)
        partial.replace(cache / model.name)
        _prune(cache, keep=cache / model.name)
    except OSError as exc:
        log.warning("model not kept in the machine's cache", extra={"error": str(exc)})


def _prune(model_dir: Path, keep: Path) -> None:
    models = sorted(model_dir.glob("nlu-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [m for m in models if m != keep][_KEEP_MODELS - 1:]:
        old.unlink(missing_ok=True)


def server_status(url: str, timeout: float = 2.0) -> str | None:
    """The model file a Rasa server at ``url`` has loaded, or None if it is not up and ready."""
    try:
        response = httpx.get(f"{url.rstrip('/')}/status", timeout=timeout)
        model = response.json().get("model_file") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return str(model) if model else None


class RasaServer:
    """One ``rasa run --enable-api`` child process on 127.0.0.1."""

    def __init__(self, model: Path, *, port: int, host: str = "127.0.0.1", log_path: Path | None = None) -> None:
        self.model, self.host, self.port = model, host, port
        self.log_path = log_path or LOG_DIR / "rasa-server.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        """Start the process (returns at once; see :meth:`wait_ready`). Call from a long-lived thread."""
        exe = rasa_executable()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self.log_path.exists() and self.log_path.stat().st_size > _LOG_MAX_BYTES:
            self.log_path.replace(self.log_path.with_suffix(".log.1"))
        command = [str(RASA_VENV / "bin" / "python"), "-c", _EXEC_WITH_PDEATHSIG, str(os.getpid()), str(exe),
                   "run", "--enable-api", "-i", self.host, "-p", str(self.port), "-m", str(self.model)]
        with self.log_path.open("ab") as handle:
            handle.write(f"--- starting rasa on {self.url} with {self.model.name}\n".encode())
            self._process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             env=rasa_env(), cwd=PROJECT_ROOT, start_new_session=True)
        log.info("rasa starting", extra={"pid": self._process.pid, "port": self.port})

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ready(self) -> bool:
        return self.alive() and server_status(self.url) is not None

    def wait_ready(self, timeout: float = 180.0, cancel: threading.Event | None = None) -> None:
        """Block until ``/status`` reports the model (or ``cancel`` is set); raise if Rasa dies or is too slow."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (cancel is not None and cancel.is_set()):
            if not self.alive():
                raise RasaSetupError(f"Rasa exited while starting; see {self.log_path}.")
            if server_status(self.url) is not None:
                return
            time.sleep(0.5)
        if cancel is not None and cancel.is_set():
            return
        raise RasaSetupError(f"Rasa did not become ready on {self.url} within {timeout:.0f} s; see {self.log_path}.")

    def stop(self, timeout: float = 15.0) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.info("rasa stopped", extra={"pid": process.pid})


class Supervisor:
    """Keeps one Rasa server answering at ``url``: starts it, health-checks it, restarts it.

    If a ready server already answers at ``url`` (e.g. ``frontdoor nlu serve`` in
    another terminal) it is used as it is and only watched; if it goes away, the
    supervisor starts its own.
    """

    def __init__(self, url: str, model: Path, *, check_every: float = 5.0, failures_to_restart: int = 3,
                 start_timeout: float = 240.0, log_path: Path | None = None) -> None:
        parts = urlsplit(url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise RasaSetupError(f"Frontdoor starts Rasa only on loopback; {url} is not (run it yourself there).")
        self.url = url.rstrip("/")
        self.model = model
        self._server = RasaServer(model, port=parts.port or 5005, host=parts.hostname or "127.0.0.1",
                                  log_path=log_path)
        self._check_every = check_every
        self._failures_to_restart = failures_to_restart
        self._start_timeout = start_timeout
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: str | None = None
        self._thread = threading.Thread(target=self._run, name="rasa-supervisor", daemon=True)
        self.restarts = 0

    @property
    def server(self) -> RasaServer:
        return self._server

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def wait_ready(self, timeout: float = 240.0) -> bool:
        """True once the server answers with a model (False after ``timeout``)."""
        return self._ready.wait(timeout)

    def is_ready(self) -> bool:
        """True while the server answers with a model (False while it starts or restarts)."""
        return self._ready.is_set()

    @property
    def last_error(self) -> str | None:
        return self._error

    def request_stop(self) -> None:
        """Tell the thread to stop its server, without waiting (see :meth:`stop`)."""
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)
        self._server.stop()
        self._ready.clear()

    def _run(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            if server_status(self.url) is not None and not self._server.alive():
                self._ready.set()  # someone else's server: watch it
                self._watch(own=False)
                continue
            try:
                self._server.start()
                self._server.wait_ready(self._start_timeout, cancel=self._stop)
                if self._stop.is_set():
                    break
            except (RasaSetupError, OSError) as exc:
                self._error = str(exc)
                log.warning("rasa did not start; retrying", extra={"error": str(exc), "backoff_s": backoff})
                self._server.stop()
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 60.0)
                continue
            backoff = 1.0
            self._error = None
            self._ready.set()
            log.info("rasa ready", extra={"port": self._server.port, "model": self.model.name})
            self._watch(own=True)
            if not self._stop.is_set():
                self.restarts += 1
                log.warning("rasa restarting", extra={"restarts": self.restarts})
        self._server.stop()

    def _watch(self, *, own: bool) -> None:
        """Return when the server died or failed enough health checks (it is then stopped), or on stop."""
        failures = 0
        while not self._stop.wait(self._check_every):
            if own and not self._server.alive():
                break
            failures = 0 if server_status(self.url) is not None else failures + 1
            if failures >= self._failures_to_restart:
                break
        self._ready.clear()
        if own:
            self._server.stop()


class SupervisorGroup:
    """``FRONTDOOR_NLU_REPLICAS`` Rasa servers, one :class:`Supervisor` each (own port, own log).

    Ready as soon as one replica answers: the client skips the others until they do.
    """

    def __init__(self, urls: list[str], model: Path, *, check_every: float = 5.0, start_timeout: float = 240.0) -> None:
        several = len(urls) > 1
        self.supervisors = [
            Supervisor(url, model, check_every=check_every, start_timeout=start_timeout,
                       log_path=LOG_DIR / f"rasa-server-{urlsplit(url).port}.log" if several else None)
            for url in urls]

    def start(self) -> SupervisorGroup:
        for supervisor in self.supervisors:
            supervisor.start()
        return self

    def wait_ready(self, timeout: float = 240.0) -> bool:
        """True once any replica answers with a model (False after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.is_ready():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.supervisors[0].wait_ready(min(left, 0.25))

    def is_ready(self) -> bool:
        return any(s.is_ready() for s in self.supervisors)

    def ready_count(self) -> int:
        return sum(1 for s in self.supervisors if s.is_ready())

    @property
    def restarts(self) -> int:
        return sum(s.restarts for s in self.supervisors)

    def stop(self) -> None:
        for supervisor in self.supervisors:
            supervisor.request_stop()  # all of them first, so their servers stop in parallel
        for supervisor in self.supervisors:
            supervisor.stop()
