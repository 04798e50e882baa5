"""Broken files are refused with a precise problem and the directory is left exactly as it was."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from core.db import make_engine
from directory.demo import DEMO_FILE
from directory.files import Limits
from frontdoor.cli import main

TABLES = ("organization", "location", "address", "phone", "service", "service_category", "language", "service_area",
          "cost_option", "schedule", "contact", "service_at_location")


def _rows(db_url: str) -> dict[str, list[str]]:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = {t: sorted(map(repr, connection.execute(text(f"SELECT * FROM {t}")))) for t in TABLES}
    engine.dispose()
    return rows


def _import(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db_url: str,
            *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", db_url)
    code = main(["directory", "import", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _demo() -> Any:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _missing_id(data: Any) -> Any:
    del data["services"][3]["id"]
    return data


def _unknown_reference(data: Any) -> Any:
    data["services"][4]["organization_id"] = "org-nowhere"
    data["services"][5]["service_at_locations"] = [{"id": "sal-x", "location_id": "loc-nowhere"}]
    return data


def _duplicate_id(data: Any) -> Any:
    data["services"][7]["id"] = data["services"][6]["id"]
    return data


def _huge_field(data: Any) -> Any:
    data["services"][0]["description"] = "x" * 100_000
    return data


CASES = [
    ("missing id", _missing_id, "services[3]: id: is required"),
    ("unknown reference", _unknown_reference, "organization_id: no organization with id 'org-nowhere'"),
    ("unknown location", _unknown_reference, "service_at_locations[0].location_id: no location with id 'loc-nowhere'"),
    ("duplicate id", _duplicate_id, "id: duplicate id"),
    ("huge field", _huge_field, "description: is 100000 characters long; the most allowed is 20000"),
]


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in CASES], ids=[n for n, _, _ in CASES])
def test_broken_records_change_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                       db_url: str, tmp_path: Path, mutate: Any, expected: str) -> None:
    before = _rows(db_url)
    path = _write(tmp_path, mutate(_demo()))
    code, out, err = _import(monkeypatch, capsys, db_url, str(path))
    assert code == 1 and out == ""
    assert "Import failed; the directory was not changed." in err
    assert f"  - {path}: " in err and expected in err, err
    assert _rows(db_url) == before


def _junk(path: Path) -> None:
    path.write_bytes(os.urandom(5_000_000))


def _bad_json(path: Path) -> None:
    path.write_text('{"hsds_version": "3.0",\n "organizations": [,]}', encoding="utf-8")


def _deep(path: Path) -> None:
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_text("\n", encoding="utf-8")


def _empty_document(path: Path) -> None:
    path.write_text('{"hsds_version": "3.0", "organizations": [], "services": []}', encoding="utf-8")


def _too_big(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:  # a 49 MB description, as the probe sent
        handle.write('{"hsds_version": "3.0", "organizations": [], "services": [{"id": "s", "description": "')
        handle.write("x" * 49_000_000)
        handle.write('"}]}')


FILES = [
    ("5 MB of junk", _junk, "not UTF-8 text"),
    ("bad JSON", _bad_json, "line 2 column 20: invalid JSON (Expecting value)"),
    ("deeply nested", _deep, "line 1: nested more than 32 levels deep; not a directory file"),
    ("empty file", _empty, "is empty; nothing imported (an empty file never clears the directory)"),
    ("no records", _empty_document, "has no organizations and no services; nothing imported"),
    ("49 MB", _too_big, "is 49.0 MB; the most allowed is 20 MB"),
]


@pytest.mark.parametrize(("make", "expected"), [(m, e) for _, m, e in FILES], ids=[n for n, _, _ in FILES])
def test_broken_files_change_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                     db_url: str, tmp_path: Path, make: Any, expected: str) -> None:
    before = _rows(db_url)
    path = tmp_path / "directory.json"
    make(path)
    code, out, err = _import(monkeypatch, capsys, db_url, str(path))
    assert code == 1 and out == ""
    assert f"  - {path}: {expected}" in err, err
    assert "Traceback" not in err
    assert _rows(db_url) == before


def test_a_huge_field_is_refused_by_name_even_under_a_larger_file_limit(tmp_path: Path) -> None:
    from directory.formats import load_source
    from directory.problems import DirectoryImportError
    from directory.validate import check_document

    path = _write(tmp_path, _huge_field(_demo()))
    data = load_source(path, limits=Limits(max_bytes=100_000_000))
    checked = check_document(data, file=str(path))
    assert [str(p) for p in checked.problems] == [
        f"{path}: services[0] (id 'svc-bristol-ca-adviceline'): description: "
        "is 100000 characters long; the most allowed is 20000"]
    with pytest.raises(DirectoryImportError):
        load_source(_write(tmp_path, _demo()), limits=Limits(max_bytes=1000))


def test_cli_import_twice_reports_zero_changes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                               db_url: str) -> None:
    before = _rows(db_url)
    code, out, _ = _import(monkeypatch, capsys, db_url, str(DEMO_FILE))
    assert code == 0 and ": 0 changes (created 0; updated 0; removed 0; deactivated 0)." in out
    assert _rows(db_url) == before


def test_cli_partial_import_lists_what_it_left_out(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], db_url: str,
                                                   tmp_path: Path) -> None:
    data = _missing_id(_demo())
    data["services"][0]["name"] = "Renamed"
    code, out, _ = _import(monkeypatch, capsys, db_url, str(_write(tmp_path, data)), "--partial")
    assert code == 2  # done, with records left out
    assert ": 1 changes (created 0; updated 1 (1 service);" in out
    assert "Left out because of problems (1):\n" in out and "services[3]: id: is required" in out


HSDS_CSV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "hsds" / "hsds-3.0" / "examples" / "csv"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def _csv_missing_id(folder: Path) -> None:
    text = (folder / "services.csv").read_text(encoding="utf-8")
    (folder / "services.csv").write_text(text.replace(SERVICE_ID + ",", ",", 1), encoding="utf-8")


def _csv_unknown_organization(folder: Path) -> None:
    text = (folder / "services.csv").read_text(encoding="utf-8")
    (folder / "services.csv").write_text(text.replace(ORG_ID, "org-nowhere", 1), encoding="utf-8")


def _csv_duplicate_id(folder: Path) -> None:
    lines = (folder / "services.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    (folder / "services.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")


def _csv_bad_number(folder: Path) -> None:
    text = (folder / "cost_options.csv").read_text(encoding="utf-8")
    header, row = text.rstrip("\n").split("\n")[:2]
    cells = row.split(",")
    cells[header.split(",").index("amount")] = "lots"
    (folder / "cost_options.csv").write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8")


CSV_CASES = [
    ("missing id", _csv_missing_id, "services.csv row 2: id: is required"),
    ("unknown organisation", _csv_unknown_organization,
     f"services[0] (id '{SERVICE_ID}'): organization_id: no organization with id 'org-nowhere'"),
    ("duplicate id", _csv_duplicate_id, f"services[1] (id '{SERVICE_ID}'): id: duplicate id '{SERVICE_ID}'"),
    ("bad number", _csv_bad_number, "cost_options.csv row 2"),
]


@pytest.mark.skipif(not HSDS_CSV.is_dir(), reason="the shared HSDS samples are not here; CI has them")
@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in CSV_CASES], ids=[n for n, _, _ in CSV_CASES])
def test_broken_csv_datapackages_change_nothing(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path,
                                                mutate: Any, expected: str) -> None:
    """The official CSV example, broken one way at a time: refused by file, row or record, and field."""
    folder = tmp_path / "csv"
    shutil.copytree(HSDS_CSV, folder)
    mutate(folder)
    before = _rows(db_url)
    code, out, err = _import(monkeypatch, capsys, db_url, str(folder))
    assert code == 1 and out == ""
    assert f"  - {folder}: {expected}" in err, err
    assert _rows(db_url) == before


@pytest.mark.skipif(not HSDS_CSV.is_dir(), reason="the shared HSDS samples are not here; CI has them")
def test_a_broken_hsds_api_document_changes_nothing(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], db_url: str,
                                                    tmp_path: Path) -> None:
    data = json.loads((HSDS_CSV.parent / "service_full.json").read_text(encoding="utf-8"))
    del data["organization"]["id"]
    path = _write(tmp_path, data)
    before = _rows(db_url)
    code, out, err = _import(monkeypatch, capsys, db_url, str(path))
    assert code == 1 and out == ""
    assert f"  - {path}: $.organization: id: is required" in err, err
    assert _rows(db_url) == before
