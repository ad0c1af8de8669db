"""The error answers in the OpenAPI document: which operation can give which status, with the
schema of its body (see config/api.py for the answers themselves).

- 422 (``ValidationErrorOut``): every operation that reads a parameter or a body.
- 400: every write (a body that is not JSON; a multipart body the session's CSRF check cannot
  read).
- 401 and 403: every operation that needs an account (403 also: a write refused, a session write
  without its CSRF token); 403 on every public write (staff-only parts of it).
- 404: every operation with a path parameter, a body (a token that names nothing) or an account
  (someone without a role is answered 404 everywhere).
- 409: every write (the request contradicts the current state).
- 429: every public write (the abuse limits on registration and confirmation emails).
"""

from ninja import Schema

WRITES = {"post", "put", "patch", "delete"}


class ErrorOut(Schema):
    detail: str
    code: str | None = None


class ValidationErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]


DESCRIPTIONS = {
    "400": "リクエスト本文を読めません（JSON でない、など）",
    "401": "認証が必要です",
    "403": "この操作は許可されていません",
    "404": "見つかりません",
    "409": "現在の状態と矛盾します",
    "422": "入力に誤りがあります（項目ごとのメッセージ）",
    "429": "リクエストが多すぎます",
}


def _statuses(method: str, operation: dict) -> list[str]:
    parameters = operation.get("parameters", [])
    has_input = bool(parameters) or "requestBody" in operation
    has_path = any(p.get("in") == "path" for p in parameters)
    needs_account = bool(operation.get("security"))
    write = method in WRITES
    statuses = []
    if write:
        statuses.append("400")
    if needs_account:
        statuses.append("401")
    if needs_account or write:
        statuses.append("403")
    if needs_account or has_path or "requestBody" in operation:
        statuses.append("404")
    if write:
        statuses.append("409")
    if has_input:
        statuses.append("422")
    if write and not needs_account:
        statuses.append("429")
    return statuses


def document_errors(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ValidationErrorOut):
        definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, nested in definition.pop("$defs", {}).items():
            components.setdefault(name, nested)
        components.setdefault(model.__name__, definition)
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "head", *WRITES}:
                continue
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status in _statuses(method, operation):
                body = "ValidationErrorOut" if status == "422" else "ErrorOut"
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}
                        },
                    },
                )
    return schema
