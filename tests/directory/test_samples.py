"""The shared HSDS 3.0 samples import, and our export validates against the official HSDS 3.0 JSON schemas.

The samples live in ``../shared/eval/hsds/`` (present in CI); without them these tests skip and say so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy.orm import Session, sessionmaker

from core.db import Base, make_engine, make_sessionmaker, transaction
from directory.demo import DEMO_FILE
from directory.exporter import export_directory
from directory.files import read_json
from directory.formats import load_source
from directory.importer import import_directory
from directory.problems import DirectoryImportError

HSDS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "hsds"
SCHEMAS = HSDS / "hsds-3.0" / "schema"
if not HSDS.is_dir():
    pytest.skip(f"the shared HSDS samples are not here ({HSDS}); CI has them", allow_module_level=True)

# Files that hold no organisation or service: refused with a clear message, never half-imported.
NOT_DIRECTORY = {"base.json", "tabular.json", "location.json", "taxonomy.json", "taxonomy_list.json",
                 "taxonomy_term.json", "taxonomy_term_list.json"}
SAMPLES = sorted(HSDS.glob("*/examples/*.json")) + sorted(HSDS.glob("*/examples/csv"))


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'directory.db'}")
    Base.metadata.create_all(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_the_samples_are_all_here() -> None:
    assert len(SAMPLES) == 25, [str(p.relative_to(HSDS)) for p in SAMPLES]


@pytest.mark.parametrize("sample", SAMPLES, ids=[str(p.relative_to(HSDS)) for p in SAMPLES])
def test_every_shared_sample_imports(sessions: sessionmaker[Session], sample: Path) -> None:
    if sample.name in NOT_DIRECTORY:
        with pytest.raises(DirectoryImportError) as caught:
            load_source(sample)
        assert caught.value.errors[0].startswith(f"{sample}: holds ")
        assert caught.value.errors[0].endswith("; nothing imported")
        return
    warnings: list[str] = []
    data = load_source(sample, warnings=warnings)
    with transaction(sessions) as session:
        report = import_directory(session, data, file=str(sample))
    assert report.organizations == 1 and not report.skipped
    assert report.services == (0 if sample.name == "organization_list.json" else 1)
    with transaction(sessions) as session:  # the same sample again: nothing changes
        assert import_directory(session, load_source(sample), file=str(sample)).changes == 0
    with sessions() as session:
        exported = export_directory(session)
    _validate(exported)


def _registry() -> Registry[Any]:
    resources = [(f.name, Resource.from_contents(json.loads(f.read_text(encoding="utf-8")),
                                                 default_specification=DRAFT202012))
                 for f in SCHEMAS.glob("*.json") if f.name != "openapi.json"]
    return Registry().with_resources(resources)


def _problems(document: dict[str, Any]) -> list[str]:
    """Every organisation and service against the official schema, $refs resolved between the schema files."""
    registry = _registry()
    problems: list[str] = []
    for name, items in (("organization.json", document["organizations"]), ("service.json", document["services"])):
        validator = Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")), registry=registry)
        for item in items:
            problems += [f"{item['id']}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                         for e in validator.iter_errors(item)]
    return problems


def _validate(document: dict[str, Any]) -> None:
    assert _problems(document) == []


def test_demo_export_validates_against_the_hsds_schemas(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        import_directory(session, read_json(DEMO_FILE))
    with sessions() as session:
        exported = export_directory(session)
    assert exported == read_json(DEMO_FILE)  # the demo file is itself an export
    _validate(exported)


def test_the_validation_catches_a_broken_export(sessions: sessionmaker[Session]) -> None:
    """The check has teeth: a service without its required status, or a bad location type, fails it."""
    data: Any = read_json(DEMO_FILE)
    del data["services"][0]["status"]
    data["organizations"][0]["locations"][0]["location_type"] = "mobile"
    assert _problems(data) == [
        f"{data['organizations'][0]['id']}: locations/0/location_type: "
        "'mobile' is not one of ['physical', 'postal', 'virtual']",
        f"{data['services'][0]['id']}: : 'status' is a required property"]


def test_cli_export_validates(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                              db_url: str) -> None:
    from frontdoor.cli import main

    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", db_url)
    assert main(["directory", "export", "--format", "hsds-json"]) == 0
    _validate(json.loads(capsys.readouterr().out))
