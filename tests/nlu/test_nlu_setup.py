"""The Rasa venv and model cache: clear errors, and retraining exactly when the inputs change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nlu import rasa_venv, server
from nlu.rasa_venv import RasaSetupError, find_python310


def test_missing_python310_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FRONTDOOR_PYTHON310", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    with pytest.raises(RasaSetupError, match=r"python3\.10"):
        find_python310()


def test_bad_override_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDOOR_PYTHON310", "/nonexistent/python3.10")
    with pytest.raises(RasaSetupError, match="FRONTDOOR_PYTHON310"):
        find_python310()


def test_content_hash_follows_data_and_config(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "nlu_en.yml").write_text("a", encoding="utf-8")
    (data / "README.md").write_text("not training data", encoding="utf-8")
    config = tmp_path / "config.yml"
    shutil.copy(server.CONFIG, config)
    first = server.content_hash(data, config)
    (data / "README.md").write_text("changed", encoding="utf-8")
    assert server.content_hash(data, config) == first
    (data / "nlu_en.yml").write_text("b", encoding="utf-8")
    second = server.content_hash(data, config)
    assert second != first
    config.write_text(config.read_text(encoding="utf-8") + "\n# tuned\n", encoding="utf-8")
    assert server.content_hash(data, config) not in (first, second)
    assert server.find_model(data, config, tmp_path / "models") is None


def test_training_without_data_says_so(tmp_path: Path) -> None:
    with pytest.raises(RasaSetupError, match="No training data"):
        server.ensure_model(tmp_path, server.CONFIG, tmp_path / "models")


def test_supervisor_only_starts_rasa_on_loopback(tmp_path: Path) -> None:
    with pytest.raises(RasaSetupError, match="loopback"):
        server.Supervisor("http://10.0.0.5:5005", tmp_path / "model.tar.gz")


def test_rasa_commands_run_with_telemetry_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "/tmp/metrics")  # the app's, not to be filled by Rasa
    env = rasa_venv.rasa_env()
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["PYTHONPATH"].endswith("nlu/rasa_project")
    assert "PROMETHEUS_MULTIPROC_DIR" not in env


def test_server_computes_on_one_thread_and_batch_jobs_on_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(rasa_venv.os, "cpu_count", lambda: 4)
    assert rasa_venv.rasa_env()["OMP_NUM_THREADS"] == "1"
    assert rasa_venv.rasa_env(batch=True)["OMP_NUM_THREADS"] == "4"
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert rasa_venv.rasa_env(batch=True)["OMP_NUM_THREADS"] == "3"
