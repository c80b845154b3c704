"""The /v1/webhooks endpoints, declared once for the router and the OpenAPI document."""

from __future__ import annotations

from counterparty.api import webhooks as handlers
from counterparty.api.contacts import PATCH_MEDIA_TYPES
from counterparty.api.parameters import CURSOR
from counterparty.domain.webhooks import EndpointChanges, EndpointInput
from counterparty.services.webhooks import DELIVERY_LIMIT
from counterparty.web.routing import Operation, Parameter

WEBHOOK_ID = Parameter("webhook_id", "path", {"type": "string", "format": "uuid"})
DELIVERY_ID = Parameter("delivery_id", "path", {"type": "string", "format": "uuid"})
ONE = "/v1/webhooks/{webhook_id}"
SIGNING = (
    "Each webhook is signed as the Standard Webhooks specification says: `webhook-id` (the "
    "event's id, the same on every attempt), `webhook-timestamp` and `webhook-signature` "
    "(`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` keyed with the secret's bytes)."
)

WEBHOOK_OPERATIONS = (
    Operation(
        "POST",
        "/v1/webhooks",
        handlers.create_webhook,
        "createWebhook",
        "Add an endpoint that receives the tenant's contact events",
        tag="webhooks",
        description="`events`: `contact.created`, `contact.updated`, `contact.archived`, "
        "`contact.unarchived`, `contact.deleted`, `contact.erased`, `contact.merged` (the "
        "survivor of a merge), `contact.merged_into` (a merged contact, without `contact`), "
        "`contact.unmerged`, or `*` for all. The URL must be https:// "
        "and resolve to public addresses only. At most 20 endpoints per tenant. The answer "
        "holds the signing `secret`, shown only here and on rotation. " + SIGNING,
        body=EndpointInput,
        status=201,
        response=handlers.WebhookWithSecret,
        response_description="Created",
        response_headers=("Location",),
        errors=(400, 409, 413, 415, 422),
    ),
    Operation(
        "GET",
        "/v1/webhooks",
        handlers.list_webhooks,
        "listWebhooks",
        "The tenant's webhook endpoints",
        tag="webhooks",
        response=handlers.WebhookList,
    ),
    Operation(
        "GET",
        ONE,
        handlers.get_webhook,
        "getWebhook",
        "One webhook endpoint",
        tag="webhooks",
        response=handlers.WebhookOut,
        errors=(404,),
        parameters=(WEBHOOK_ID,),
    ),
    Operation(
        "PATCH",
        ONE,
        handlers.patch_webhook,
        "patchWebhook",
        "Change an endpoint's URL, events, description or enabled flag (JSON Merge Patch)",
        tag="webhooks",
        description="An endpoint enabled again receives the events after that moment.",
        body=EndpointChanges,
        body_media_types=PATCH_MEDIA_TYPES,
        response=handlers.WebhookOut,
        errors=(400, 404, 413, 415, 422),
        parameters=(WEBHOOK_ID,),
    ),
    Operation(
        "DELETE",
        ONE,
        handlers.delete_webhook,
        "deleteWebhook",
        "Delete an endpoint and its delivery log",
        tag="webhooks",
        status=204,
        response_description="Deleted",
        errors=(404,),
        parameters=(WEBHOOK_ID,),
    ),
    Operation(
        "POST",
        ONE + "/rotate-secret",
        handlers.rotate_secret,
        "rotateWebhookSecret",
        "A new signing secret; the old one keeps signing too for 24 hours",
        tag="webhooks",
        description="For 24 hours each webhook carries two signatures, by the new and the "
        "old secret, so that receivers can switch without missing an event.",
        response=handlers.WebhookWithSecret,
        errors=(404,),
        parameters=(WEBHOOK_ID,),
    ),
    Operation(
        "POST",
        ONE + "/test",
        handlers.send_test,
        "testWebhook",
        "Queue a `webhook.test` event for the endpoint",
        tag="webhooks",
        status=202,
        response=handlers.DeliveryOut,
        response_description="Queued",
        errors=(404,),
        parameters=(WEBHOOK_ID,),
    ),
    Operation(
        "GET",
        ONE + "/deliveries",
        handlers.list_deliveries,
        "listWebhookDeliveries",
        "The endpoint's deliveries, newest first",
        tag="webhooks",
        response=handlers.DeliveryList,
        response_headers=("Link",),
        errors=(400, 404, 422),
        parameters=(
            WEBHOOK_ID,
            Parameter(
                "state", "query", {"type": "string", "enum": ["pending", "delivered", "failed"]}
            ),
            Parameter(
                "limit",
                "query",
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": DELIVERY_LIMIT[1],
                    "default": DELIVERY_LIMIT[0],
                },
            ),
            CURSOR,
        ),
    ),
    Operation(
        "GET",
        ONE + "/deliveries/{delivery_id}",
        handlers.get_delivery,
        "getWebhookDelivery",
        "A delivery with each attempt's request headers and the first 4 KB of the answer",
        tag="webhooks",
        response=handlers.DeliveryDetail,
        errors=(404,),
        parameters=(WEBHOOK_ID, DELIVERY_ID),
    ),
    Operation(
        "POST",
        ONE + "/deliveries/{delivery_id}/retry",
        handlers.retry_delivery,
        "retryWebhookDelivery",
        "Send a delivered or failed delivery once more, now",
        tag="webhooks",
        status=202,
        response=handlers.DeliveryOut,
        response_description="Queued",
        errors=(404, 409),
        parameters=(WEBHOOK_ID, DELIVERY_ID),
    ),
    Operation(
        "POST",
        ONE + "/replay",
        handlers.replay,
        "replayWebhook",
        "Send again every matching event after a position of the change feed",
        tag="webhooks",
        body=handlers.ReplayRequest,
        status=202,
        response=handlers.ReplayAnswer,
        response_description="Queued",
        errors=(400, 404, 413, 415, 422),
        parameters=(WEBHOOK_ID,),
    ),
)
