"""The /hsds/ read API: every response checked against the HSDS 3.0 OpenAPI document, paging, filters, limits.

The OpenAPI document and the schemas it points at are read from ``../shared/eval/hsds`` (tests only;
the product never reads it). Its remote ``$ref`` URLs are mapped to the local schema files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from core.categories import CATEGORY_IDS
from core.db import make_engine, make_sessionmaker, transaction
from core.settings import Settings
from directory.areas import resolve_place
from directory.formats import convert_hsds_json
from directory.general_queue import GENERAL_QUEUE_ID, ensure_general_queue
from directory.matching import load_records
from frontdoor.app import create_app
from tests.support import keyword_runtime

HSDS = Path(__file__).resolve().parents[4] / "shared" / "eval" / "hsds" / "hsds-3.0" / "schema"
if not HSDS.is_dir():
    pytest.skip(f"the shared HSDS schemas are not here ({HSDS}); CI has them", allow_module_level=True)
SPEC = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI = "urn:hsds:openapi.json"
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
ERROR_STATUSES = {400, 404, 429}  # the spec declares no error bodies: ours are {"detail": "..."}


def _registry() -> Registry[Any]:
    """Each schema file under its bare name and the spec's URLs; the compiled list schemas map to their object's."""
    files = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in HSDS.glob("*.json")}
    openapi = files.pop("openapi.json")
    aliases = {"service_list.json": "service.json", "organization_list.json": "organization.json",
               "service_at_location_list.json": "service_at_location.json"}
    resources: list[tuple[str, Resource[Any]]] = [(OPENAPI, Resource.from_contents(openapi, DRAFT202012))]
    for name, contents in [*files.items(), *((alias, files[target]) for alias, target in aliases.items())]:
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources += [(name, resource), (SPEC + name, resource), (SPEC + "compiled/" + name, resource)]
    return Registry().with_resources(resources)


REGISTRY = _registry()
PATHS: dict[str, Any] = json.loads((HSDS / "openapi.json").read_text(encoding="utf-8"))["paths"]


def _pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _problems(template: str, body: Any) -> list[str]:
    """The body's problems against the 200 response schema the spec gives for GET ``template``."""
    assert template in PATHS, f"{template} is not an endpoint of the HSDS 3.0 API"
    ref = f"{OPENAPI}#/paths/{_pointer(template)}/get/responses/200/content/{_pointer('application/json')}/schema"
    validator = Draft202012Validator({"$ref": ref}, registry=REGISTRY)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]


def conforms(response: httpx.Response, template: str, status: int = 200) -> Any:
    """Check a response of GET /hsds``template``: its status, its body against the spec, paging exactly, CORS."""
    assert response.status_code == status, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if response.status_code in ERROR_STATUSES:
        assert template in PATHS
        assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"]
        return body
    assert response.status_code == 200, response.text
    assert _problems(template, body) == []
    if "contents" in body:  # a page: exactly the spec's header fields, consistent with each other
        assert set(body) == PAGE_KEYS
        assert body["size"] == len(body["contents"])
        assert body["empty"] == (body["size"] == 0)
        assert body["first_page"] == (body["page_number"] == 1)
        assert body["last_page"] == (body["page_number"] >= body["total_pages"])
    return body


@pytest.fixture
def client(db_url: str, clock: Any) -> Iterator[TestClient]:
    """The app with a rate limit no test here reaches (the limit has its own test below)."""
    settings = Settings(database_url=db_url, outbox_in_app=0, hsds_requests_per_minute=1e9)
    with keyword_runtime(settings, clock) as runtime, TestClient(create_app(settings, runtime)) as test_client:
        yield test_client


@pytest.fixture
def published(db_url: str) -> dict[str, Any]:
    """The active services of active organisations, as matching reads them (the API also lists the others)."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        records = load_records(session)
    engine.dispose()
    return {r.id: r for r in records}


CLOSED = {"svc-bristol-ukraine-hosts"}  # "temporarily closed" in the demo: published with its status, never matched


def _all_pages(client: TestClient, path: str, template: str, per_page: int, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    first = conforms(client.get(path, params={**params, "per_page": str(per_page)}), template)
    for page in range(1, first["total_pages"] + 1):
        body = conforms(client.get(path, params={**params, "per_page": str(per_page), "page": str(page)}), template)
        assert body["total_items"] == first["total_items"] and body["page_number"] == page
        assert body["size"] == (per_page if page < body["total_pages"]
                                else first["total_items"] - per_page * (page - 1))
        items += body["contents"]
    assert len(items) == first["total_items"]
    return items


def test_the_validation_has_teeth() -> None:
    broken_page = {"total_items": "87", "contents": [{"id": "s", "name": "No status"}]}
    assert sorted(_problems("/services", broken_page)) == [
        "contents/0: 'status' is a required property", "total_items: '87' is not of type 'integer'"]
    assert _problems("/taxonomy_terms/{id}", {"id": "x", "name": "y"}) == [": 'description' is a required property"]


def test_api_metadata(client: TestClient) -> None:
    body = conforms(client.get("/hsds/"), "/")
    assert body == {"version": "3.0", "openapi_url": SPEC + "openapi.json"}


def test_services_are_paged_as_the_spec_says(client: TestClient, published: dict[str, Any]) -> None:
    items = _all_pages(client, "/hsds/services", "/services", 10)
    assert [i["id"] for i in items] == sorted({*published, *CLOSED})  # every service once, in id order
    assert {i["status"] for i in items if i["id"] in CLOSED} == {"temporarily closed"}
    assert all("organization" not in i and "phones" not in i for i in items)  # lists carry one-to-one fields
    total = len(published) + len(CLOSED)
    past = conforms(client.get("/hsds/services", params={"page": str(math.ceil(total / 10) + 1), "per_page": "10"}),
                    "/services")
    assert past["contents"] == [] and past["empty"] and past["last_page"] and past["total_items"] == total
    default = conforms(client.get("/hsds/services"), "/services")
    assert default["size"] == min(total, 50) and default["total_pages"] == math.ceil(total / 50)
    for bad in ({"page": "0"}, {"per_page": "-1"}, {"page": "two"}):
        conforms(client.get("/hsds/services", params=bad), "/services", 400)
    minimal = conforms(client.get("/hsds/services", params={"minimal": "true", "per_page": "5"}), "/services")
    assert set(minimal["contents"][0]) == {"id", "name", "status"}  # as little as the list schema allows


def test_every_service_in_full(client: TestClient, published: dict[str, Any]) -> None:
    for service_id in CLOSED:
        assert conforms(client.get(f"/hsds/services/{service_id}"), "/services/{id}")["status"] != "active"
    for service_id, record in published.items():
        body = conforms(client.get(f"/hsds/services/{service_id}"), "/services/{id}")
        assert body["id"] == service_id and body["organization"]["id"] == record.organization_id
        assert [a["taxonomy_term_id"] for a in body["attributes"]] == list(record.categories)
        assert {lang["code"] for lang in body["languages"]} == record.languages
        assert [(a["extent_type"], a["extent"]) for a in body["service_areas"]] == list(record.areas)
        assert "x_frontdoor" not in body and "categories" not in body  # capacity is nobody else's business
    rich = conforms(client.get("/hsds/services/svc-bristol-ca-adviceline"), "/services/{id}")
    for key in ("schedules", "service_areas", "languages", "cost_options", "phones", "contacts"):
        assert key in rich
    assert rich["schedules"] and rich["service_areas"] and rich["languages"]
    assert rich["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]


def test_full_pages_validate_too(client: TestClient) -> None:
    body = conforms(client.get("/hsds/services", params={"full": "true", "per_page": "20"}), "/services")
    assert body["size"] == 20 and all("organization" in s for s in body["contents"])


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path, template in (("/hsds/services/nope", "/services/{id}"), ("/hsds/organizations/nope",
                           "/organizations/{id}"), ("/hsds/taxonomies/nope", "/taxonomies/{id}"),
                           ("/hsds/taxonomy_terms/nope", "/taxonomy_terms/{id}")):
        conforms(client.get(path), template, 404)


def test_organizations(client: TestClient, published: dict[str, Any]) -> None:
    orgs = _all_pages(client, "/hsds/organizations", "/organizations", 7)
    assert {o["id"] for o in orgs} >= {r.organization_id for r in published.values()}
    for org in orgs:
        body = conforms(client.get(f"/hsds/organizations/{org['id']}"), "/organizations/{id}")
        assert {s["id"] for s in body["services"]} >= {
            r.id for r in published.values() if r.organization_id == org["id"]}
    full = conforms(client.get(f"/hsds/organizations/{orgs[0]['id']}", params={"full_service": "true"}),
                    "/organizations/{id}")
    assert all("service_areas" in s for s in full["services"])
    conforms(client.get("/hsds/organizations", params={"full": "true", "per_page": "5"}), "/organizations")


def test_categories_are_a_taxonomy(client: TestClient) -> None:
    taxonomies = conforms(client.get("/hsds/taxonomies"), "/taxonomies")
    assert [t["id"] for t in taxonomies["contents"]] == ["frontdoor-categories"]
    conforms(client.get("/hsds/taxonomies/frontdoor-categories"), "/taxonomies/{id}")
    terms = _all_pages(client, "/hsds/taxonomy_terms", "/taxonomy_terms", 5)
    assert [t["id"] for t in terms] == list(CATEGORY_IDS)
    assert {t["taxonomy_id"] for t in terms} == {"frontdoor-categories"}
    assert conforms(client.get("/hsds/taxonomy_terms/housing"), "/taxonomy_terms/{id}")["name"] == "Housing"
    other = conforms(client.get("/hsds/taxonomy_terms", params={"taxonomy_id": "elsewhere"}), "/taxonomy_terms")
    assert other["empty"] and other["total_items"] == 0 and other["total_pages"] == 0


def test_filters(client: TestClient, published: dict[str, Any]) -> None:
    def ids(**params: str) -> set[str]:
        return {s["id"] for s in _all_pages(client, "/hsds/services", "/services", 25, **params)} - CLOSED

    housing = ids(taxonomy_term_id="housing")
    assert housing == {i for i, r in published.items() if "housing" in r.categories} and housing
    assert ids(taxonomy_id="frontdoor-categories") == set(published)
    place = resolve_place("BS3 4AA")
    in_bs3 = ids(postcode="BS3 4AA")
    assert in_bs3 == {i for i, r in published.items() if r.covers(place) is not None} and in_bs3
    somali = ids(language="so")
    assert somali == {i for i, r in published.items() if "so" in r.languages} and somali
    debt = ids(search="DEBT")
    assert debt and all("debt" in (r.name + r.description + r.organization_name).lower()
                        for i, r in published.items() if i in debt)
    both = ids(taxonomy_term_id="housing", postcode="LU2 7AB", language="pl")
    assert both == {i for i, r in published.items() if "housing" in r.categories and "pl" in r.languages
                    and r.covers(resolve_place("LU2 7AB")) is not None}
    assert ids(search="100%_") == set()  # LIKE wildcards are literal
    for bad in ({"taxonomy_term_id": "not-a-term"}, {"postcode": "nowhere"}, {"modified_after": "2026-01-01"}):
        conforms(client.get("/hsds/services", params=bad), "/services", 400)
    links = _all_pages(client, "/hsds/service_at_locations", "/service_at_locations", 20, postcode="BS3 4AA")
    assert links and {link["service_id"] for link in links} - CLOSED <= in_bs3
    full = conforms(client.get("/hsds/service_at_locations", params={"full": "true"}), "/service_at_locations")
    assert all("location" in link for link in full["contents"])


def test_a_published_service_imports_elsewhere(client: TestClient) -> None:
    """Another Frontdoor (or any HSDS reader) can take a service from the API, categories included."""
    body = client.get("/hsds/services/svc-bristol-ca-adviceline").json()
    document = convert_hsds_json(body)
    assert document["services"][0]["id"] == "svc-bristol-ca-adviceline"
    assert document["services"][0]["categories"] == [a["taxonomy_term_id"] for a in body["attributes"]]


def test_read_only_and_open_to_any_origin(client: TestClient) -> None:
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/hsds/services").status_code == 405
    preflight = client.options("/hsds/services", headers={"Origin": "https://example.org",
                                                          "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]


@pytest.fixture
def limited(db_url: str, clock: Any) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, outbox_in_app=0, hsds_requests_per_minute=0.01)
    with keyword_runtime(settings, clock) as runtime, TestClient(create_app(settings, runtime)) as test_client:
        yield test_client


def test_rate_limited_per_address(limited: TestClient) -> None:
    codes = [limited.get("/hsds/taxonomies").status_code for _ in range(31)]
    assert codes == [200] * 30 + [429]  # the burst, then wait
    refused = limited.get("/hsds/services")
    assert int(refused.headers["retry-after"]) > 0
    conforms(refused, "/services", 429)


def test_the_network_general_queue_is_never_published(db_url: str, client: TestClient) -> None:
    """The queue behind "talk to a person" is an organisation and service row, but not a service to publish."""
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as session:
        ensure_general_queue(session, GENERAL_QUEUE_ID, "Luton, Bristol and Suffolk")
    engine.dispose()
    services = client.get("/hsds/services", params={"per_page": 200}).json()["contents"]
    organizations = client.get("/hsds/organizations", params={"per_page": 200}).json()["contents"]
    assert services and GENERAL_QUEUE_ID not in {s["id"] for s in services}
    assert organizations and GENERAL_QUEUE_ID not in {o["id"] for o in organizations}
    conforms(client.get(f"/hsds/services/{GENERAL_QUEUE_ID}"), "/services/{id}", 404)
