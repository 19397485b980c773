"""The person's local time: the request's timestamp in the device's time zone.

The time zone comes from Alexa's Settings API (UpsServiceClient), with the
API client's short timeout, and is cached per device for a while. When the API
fails or is slow the answer is "unknown", and the skill speaks normally.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from ask_sdk_core.handler_input import HandlerInput

from skill import log

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


NIGHT_STARTS, NIGHT_ENDS = 22, 6
KNOWN_FOR_SECONDS = 6 * 3600
UNKNOWN_FOR_SECONDS = 300
MAX_DEVICES = 10_000
MAX_DEVICE_ID_CHARS = 256  # real ids are about 100; longer ones are never remembered


def is_night(moment: datetime) -> bool:
    return moment.hour >= NIGHT_STARTS or moment.hour < NIGHT_ENDS


class DeviceTimeZones:
    """Time zones by device id, from the Settings API, remembered for a while."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._zones: dict[str, tuple[Optional["ZoneInfo"], float]] = {}

    def zone_of(self, handler_input: HandlerInput) -> Optional["ZoneInfo"]:
        system = getattr(handler_input.request_envelope.context, "system", None)
        device_id = getattr(getattr(system, "device", None), "device_id", None)
        if not (isinstance(device_id, str) and 0 < len(device_id) <= MAX_DEVICE_ID_CHARS
                and getattr(system, "api_endpoint", None)
                and getattr(system, "api_access_token", None)):
            return None
        cached = self._zones.get(device_id)
        if cached and cached[1] > self._clock():
            return cached[0]
        zone = self._ask_settings_api(handler_input, device_id)
        lifetime = KNOWN_FOR_SECONDS if zone else UNKNOWN_FOR_SECONDS
        if len(self._zones) >= MAX_DEVICES:
            self._zones.pop(next(iter(self._zones)))
        self._zones[device_id] = (zone, self._clock() + lifetime)
        return zone

    @staticmethod
    def _ask_settings_api(handler_input: HandlerInput, device_id: str) -> Optional["ZoneInfo"]:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only devices with an API endpoint

        try:
            name = handler_input.service_client_factory.get_ups_service() \
                .get_system_time_zone(device_id)
            return ZoneInfo(name) if isinstance(name, str) else None
        except (ZoneInfoNotFoundError, ValueError) as error:
            log.warning("unusable time zone from the Settings API: %s", error)
        except Exception as error:  # the API client raises several types; none may stop the skill
            log.warning("Settings API unavailable, speaking normally: %s", error)
        return None
