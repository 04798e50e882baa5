"""What a fresh clone reuses from the machine: the trained model (by content hash) and the Rasa venv (by pins)."""

from __future__ import annotations

import shutil
from pathlib import Path

from nlu import rasa_venv, server


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "nlu_en.yml").write_text("a", encoding="utf-8")
    config = tmp_path / "config.yml"
    shutil.copy(server.CONFIG, config)
    return data, config


def test_a_clone_takes_the_model_the_machine_already_trained_for_the_same_inputs(tmp_path: Path) -> None:
    data, config = _inputs(tmp_path)
    clone_models, cache = tmp_path / "clone" / "var" / "nlu-models", tmp_path / "cache"
    name = f"nlu-{server.content_hash(data, config)}.tar.gz"
    assert server.find_model(data, config, clone_models, cache) is None
    cache.mkdir()
    (cache / "nlu-0000000000000000.tar.gz").write_bytes(b"another input set")
    assert server.find_model(data, config, clone_models, cache) is None
    (cache / name).write_bytes(b"the model")
    found = server.find_model(data, config, clone_models, cache)
    assert found == clone_models / name and found.read_bytes() == b"the model"
    (data / "nlu_en.yml").write_text("b", encoding="utf-8")  # new inputs: the cached model is not theirs
    assert server.find_model(data, config, clone_models, cache) is None


def test_a_trained_model_is_kept_in_the_cache_and_the_cache_pruned(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for number in range(5):
        model = tmp_path / f"nlu-{number:016d}.tar.gz"
        model.write_bytes(b"model %d" % number)
        server._keep_in_cache(model, cache)  # noqa: SLF001
    kept = sorted(p.name for p in cache.iterdir())
    assert len(kept) == 3 and "nlu-0000000000000004.tar.gz" in kept
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no half-copied files left


def test_a_clone_without_a_rasa_venv_links_the_cached_one_for_its_pins(tmp_path: Path) -> None:
    venv, cache = tmp_path / "clone" / ".venv-rasa", tmp_path / "cache"
    venv.parent.mkdir()
    target = rasa_venv._link_shared_venv(venv, cache)  # noqa: SLF001
    assert target.parent == cache and target.name.startswith("venv-rasa-")
    assert venv.is_symlink() and venv.resolve() == target.resolve()
    assert rasa_venv._link_shared_venv(venv, cache) == target  # noqa: SLF001 (already linked: unchanged)


def test_a_link_to_another_venv_is_repointed_not_reinstalled_in_place(tmp_path: Path) -> None:
    venv, cache, elsewhere = tmp_path / ".venv-rasa", tmp_path / "cache", tmp_path / "main-checkout-venv"
    elsewhere.mkdir()
    (elsewhere / "marker").write_text("someone else's venv", encoding="utf-8")
    venv.symlink_to(elsewhere, target_is_directory=True)
    target = rasa_venv._link_shared_venv(venv, cache)  # noqa: SLF001
    assert venv.resolve() == target.resolve() != elsewhere.resolve()
    assert (elsewhere / "marker").exists()


def test_a_real_venv_directory_is_used_as_it_is(tmp_path: Path) -> None:
    venv = tmp_path / ".venv-rasa"
    venv.mkdir()
    assert rasa_venv._link_shared_venv(venv, tmp_path / "cache") == venv  # noqa: SLF001
    assert not (tmp_path / "cache").exists()


def test_training_in_a_clone_copies_the_cached_model_instead_of_running_rasa(tmp_path: Path, monkeypatch) -> None:
    """`frontdoor nlu train` (what `make test` and `make run` call) takes the machine's model for the same inputs."""
    data, config = _inputs(tmp_path)
    clone_models, cache = tmp_path / "clone" / "var" / "nlu-models", tmp_path / "cache"
    cache.mkdir()
    name = f"nlu-{server.content_hash(data, config)}.tar.gz"
    (cache / name).write_bytes(b"the model")

    def no_rasa() -> Path:
        raise AssertionError("Rasa was run although the machine had the model")

    monkeypatch.setattr(server, "rasa_executable", no_rasa)
    found = server.ensure_model(data, config, clone_models, quiet=True, cache=cache)
    assert found == clone_models / name and found.read_bytes() == b"the model"
