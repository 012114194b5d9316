"""The event feed in the OpenAPI document: one component per event kind, generated from core/event_kinds.py and
core/event_payloads.py (the payload each kind carries), joined in a oneOf discriminated by `kind`."""

from __future__ import annotations

import copy
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent

from core.event_kinds import KINDS
from core.event_payloads import SUBJECT_ROUTES, payload_schema

from . import auth  # noqa: F401  # registers the integration token's security scheme

SUBJECT = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": list(SUBJECT_ROUTES)},
        "id": {"type": "integer", "nullable": True},
        "link": {"type": "string", "format": "uri", "nullable": True, "description": "The subject in this API"},
    },
    "required": ["type", "id", "link"],
}


def component_name(kind: str) -> str:
    return "Event" + "".join(part.title() for part in kind.replace(".", "_").split("_"))


def event_schema(kind: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": KINDS[kind],
        "properties": {
            "id": {"type": "integer", "description": "Stable: the same event always has the same id"},
            "kind": {"type": "string", "enum": [kind]},
            "occurred_at": {"type": "string", "format": "date-time"},
            "partner": {"type": "integer", "nullable": True},
            "summary": {"type": "string"},
            "subject": {"$ref": "#/components/schemas/EventSubject"},
            "payload": payload_schema(kind),
        },
        "required": ["id", "kind", "occurred_at", "partner", "summary", "subject", "payload"],
    }


class EventSerializerExtension(OpenApiSerializerExtension):
    target_class = "integrations.serializers.FeedEventSerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        # Copies: drf-spectacular's enum hook rewrites the schemas it is given in place (an inline enum becomes a
        # $ref), so shared dicts would reach the next generation of the document without their enum components.
        registry = auto_schema.registry
        registry.register_on_missing(
            ResolvedComponent(
                "EventSubject", ResolvedComponent.SCHEMA, object="EventSubject", schema=copy.deepcopy(SUBJECT)
            )
        )
        refs = {}
        for kind in KINDS:
            name = component_name(kind)
            schema = copy.deepcopy(event_schema(kind))
            component = ResolvedComponent(name, ResolvedComponent.SCHEMA, object=name, schema=schema)
            registry.register_on_missing(component)
            refs[kind] = component.ref
        return {
            "oneOf": list(refs.values()),
            "discriminator": {"propertyName": "kind", "mapping": {k: ref["$ref"] for k, ref in refs.items()}},
        }
