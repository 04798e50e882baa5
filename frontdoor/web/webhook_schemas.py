"""What the providers post to the webhooks, as OpenAPI request bodies.

The handlers read the raw form or JSON themselves (the signature is over the
raw fields, so nothing may be coerced first); these descriptions make the
app's OpenAPI document (``FRONTDOOR_API_DOCS=1``) say what each webhook takes,
and the fuzz tests generate requests from them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TELEGRAM_UPDATE", "TWILIO_SMS", "TWILIO_STATUS"]

_STRING = {"type": "string"}


def _form(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": _STRING}
    return {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": schema}}},
            "parameters": [{"name": "X-Twilio-Signature", "in": "header", "required": True, "schema": _STRING}]}


TWILIO_SMS = _form({"MessageSid": _STRING, "AccountSid": _STRING, "From": _STRING, "To": _STRING, "Body": _STRING,
                    "NumMedia": _STRING}, ["MessageSid", "From", "Body"])
TWILIO_STATUS = _form({"MessageSid": _STRING, "MessageStatus": _STRING, "ErrorCode": _STRING, "To": _STRING},
                      ["MessageSid", "MessageStatus"])

_CHAT = {"type": "object", "properties": {"id": {"type": "integer"}, "type": {"enum": ["private", "group", "channel"]}},
         "required": ["id", "type"]}
_USER = {"type": "object", "properties": {"id": {"type": "integer"}, "is_bot": {"type": "boolean"},
                                          "first_name": _STRING}, "required": ["id", "is_bot", "first_name"]}
_MESSAGE = {"type": "object", "properties": {"message_id": {"type": "integer"}, "date": {"type": "integer"},
                                             "chat": _CHAT, "from": _USER, "text": _STRING},
            "required": ["message_id", "date", "chat"]}
TELEGRAM_UPDATE = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["update_id"],
        "properties": {
            "update_id": {"type": "integer"},
            "message": _MESSAGE,
            "callback_query": {"type": "object", "required": ["id", "from", "chat_instance"], "properties": {
                "id": _STRING, "from": _USER, "chat_instance": _STRING, "data": _STRING, "message": _MESSAGE}},
            "my_chat_member": {"type": "object", "properties": {
                "chat": _CHAT, "new_chat_member": {"type": "object", "properties": {
                    "status": {"enum": ["member", "kicked", "left"]}}}}},
        }}}}},
    "parameters": [{"name": "X-Telegram-Bot-Api-Secret-Token", "in": "header", "required": True, "schema": _STRING}],
}
