from django.test import Client


def test_schema_lists_every_operation_with_bearer_security_when_fetched(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {"title": "Grassroots API", "version": "1", "description": ""}
    assert schema["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/auth/token": {"post", "delete"},
        "/api/v1/orgs": {"get", "post"},
        "/api/v1/orgs/{code}": {"get", "patch"},
        "/api/v1/orgs/{code}/move": {"post"},
        "/api/v1/members": {"get", "post"},
        "/api/v1/members/{member_id}": {"get", "patch"},
        "/api/v1/members/{member_id}/end": {"post"},
        "/api/v1/members/{member_id}/transfer": {"post"},
        "/api/v1/transfers": {"get"},
        "/api/v1/transfers/{transfer_id}/receive": {"post"},
        "/api/v1/transfers/{transfer_id}/receipt": {"post"},
    }.items():
        assert set(paths[path]) == methods, path
    for name in ("OrgIn", "OrgOut", "MemberIn", "MemberOut", "TransferIn", "TransferOut", "RuleErrorOut"):
        assert name in schema["components"]["schemas"]


def test_docs_page_served_when_requested(db):
    assert Client().get("/api/v1/docs").status_code == 200


PAGED = {"items", "count", "page", "page_size", "next"}


def _ref(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_every_list_paged_alike_with_a_typed_item_when_documented(db):
    from grassroots.members.filters import MemberFilter, TransferFilter
    from grassroots.orgs.filters import OrgFilter
    from grassroots.recruitment.filters import ApplicantFilter

    schema = Client().get("/api/v1/openapi.json").json()
    for path, item, filterset in (
        ("/api/v1/orgs", "OrgSummaryOut", OrgFilter),
        ("/api/v1/members", "MemberSummaryOut", MemberFilter),
        ("/api/v1/transfers", "TransferOut", TransferFilter),
        ("/api/v1/recruitment/applicants", "ApplicantItemOut", ApplicantFilter),
    ):
        get = schema["paths"][path]["get"]
        ok = get["responses"]["200"]["content"]["application/json"]["schema"]
        paged = _ref(schema, ok["$ref"])
        assert set(paged["properties"]) == PAGED, path
        assert paged["properties"]["items"]["items"]["$ref"].endswith(f"/{item}"), path
        # The API takes exactly the filters of the page's filterset, and the page parameters.
        # The lists searched by ID number also take the search in the X-Search header (core.id_search).
        header = {"X-Search"} if path in ("/api/v1/members", "/api/v1/recruitment/applicants") else set()
        assert {p["name"] for p in get["parameters"]} == {
            *filterset.base_filters,
            "page",
            "page_size",
            *header,
        }, path


def test_every_operation_documents_its_error_answers_when_the_schema_is_generated(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operations = [(p, m, op) for p, methods in schema["paths"].items() for m, op in methods.items()]
    assert len(operations) > 40
    for path, method, operation in operations:
        expected = {"404": "DetailOut", "405": "DetailOut", "422": "RuleErrorOut"}
        if operation.get("security"):
            expected |= {"401": "DetailOut", "403": "DetailOut"}
        if "requestBody" in operation:
            expected |= {"400": "DetailOut", "413": "RuleErrorOut"}
        for status, name in expected.items():
            answer = operation["responses"].get(status)
            assert answer, f"{method.upper()} {path} does not document {status}"
            ref = answer["content"]["application/json"]["schema"]["$ref"]
            assert ref == f"#/components/schemas/{name}", (method, path, status)
    # The token is asked without a token: no 401 for a missing bearer, but 401 for wrong credentials.
    token = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"200", "400", "401", "413", "422"} <= set(token)
    assert "403" not in token
