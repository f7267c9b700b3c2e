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
