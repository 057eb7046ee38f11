"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

PATHS = {
    "requests": "/api/v1/requests",
    "request": "/api/v1/requests/{code}",
    "teams": "/api/v1/teams",
    "kpis": "/api/v1/kpis",
    "track": "/api/v1/track/{code}",
    "schema": "/api/v1/openapi.json",
}

_FILTERS = [
    (
        "date_from",
        "string",
        "date",
        "Từ ngày (YYYY-MM-DD, giờ Việt Nam); mặc định 30 ngày",
    ),
    ("date_to", "string", "date", "Đến ngày (YYYY-MM-DD), tính cả ngày này"),
    ("team", "integer", None, "Mã tổ đang phụ trách"),
    ("village", "integer", None, "Mã thôn, bon"),
    ("category", "string", None, "vneid, portal, dossier, epayment, scam, other"),
    ("channel", "string", None, "sms, voice, web, operator, zalo"),
]


def _param(name: str, kind: str, fmt: str | None, text: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    if fmt:
        schema["format"] = fmt
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": text,
    }


def _ok(description: str, ref: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": ref}}},
        },
        "400": {"$ref": "#/components/responses/Invalid"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
    }


def _error_response(text: str) -> dict[str, Any]:
    return {
        "description": text,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }


def schema() -> dict[str, Any]:
    filters = [_param(*f) for f in _FILTERS]
    paging = [
        _param("page", "integer", None, "Trang, từ 1"),
        _param("page_size", "integer", None, "Số mục mỗi trang (tối đa 200)"),
        _param("status", "string", None, "Trạng thái yêu cầu"),
    ]
    obj = {"type": "object"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cầu Nối API",
            "version": "1",
            "description": "API cho cán bộ xã: yêu cầu hỗ trợ, tổ và chỉ số.",
        },
        "security": [{"token": []}],
        "paths": {
            PATHS["requests"]: {
                "get": {
                    "summary": "Danh sách yêu cầu (lọc, phân trang)",
                    "parameters": filters + paging,
                    "responses": _ok("Một trang yêu cầu", "#/components/schemas/Page"),
                }
            },
            PATHS["request"]: {
                "get": {
                    "summary": "Chi tiết một yêu cầu, kèm dòng thời gian",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        **_ok("Yêu cầu", "#/components/schemas/Request"),
                        "404": _error_response("Không tìm thấy"),
                    },
                }
            },
            PATHS["teams"]: {
                "get": {
                    "summary": "Các tổ, số thành viên và số người đang trực",
                    "responses": _ok("Các tổ", "#/components/schemas/Teams"),
                }
            },
            PATHS["kpis"]: {
                "get": {
                    "summary": "Chỉ số của một khoảng thời gian",
                    "parameters": filters,
                    "responses": _ok("Chỉ số", "#/components/schemas/Kpis"),
                }
            },
            PATHS["track"]: {
                "get": {
                    "summary": "Tra cứu công khai cho người dân (không cần khoá)",
                    "security": [],
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"200": {"description": "Tình trạng yêu cầu"}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "Authorization: Token <khoá>",
                }
            },
            "responses": {
                "Invalid": _error_response("Tham số không hợp lệ"),
                "Unauthorized": _error_response("Thiếu hoặc sai khoá"),
                "Forbidden": _error_response("Tài khoản không được dùng API"),
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
                "Request": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "status": {"type": "string"},
                        "channel": {"type": "string"},
                        "category": {"type": "string"},
                        "priority": {"type": "integer"},
                        "village": {"type": ["string", "null"]},
                        "team": {"type": ["string", "null"]},
                        "created_at": {"type": "string", "format": "date-time"},
                        "resident_phone": {
                            "type": "string",
                            "description": "Chỉ thư ký xã và quản trị thấy",
                        },
                        "timeline": {"type": "array", "items": obj},
                    },
                },
                "Page": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "next": {"type": ["integer", "null"]},
                        "previous": {"type": ["integer", "null"]},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Request"},
                        },
                    },
                },
                "Teams": {
                    "type": "object",
                    "properties": {"results": {"type": "array", "items": obj}},
                },
                "Kpis": {
                    "type": "object",
                    "properties": {
                        "period": obj,
                        "summary": obj,
                        "teams": {"type": "array", "items": obj},
                        "daily": {"type": "array", "items": obj},
                    },
                },
            },
        },
    }
