"""The person's local time: the request's timestamp in the device's time zone.

The time zone comes from Alexa's Settings API (UpsServiceClient), with the
API client's short timeout, and is cached per device for a while. When the API
fails or is slow the answer is "unknown", and the skill speaks normally.
"""

from __future__ import annotations

import re
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


def is_night_at(timestamp: float, zone) -> bool:
    """Whether it is night at a request's time (epoch seconds) in a time zone; False
    whenever that can't be told: no zone, or a time at the ends of the calendar
    (year 1 or 9999 shifted by the zone's offset) or not a time at all. Never raises."""
    if zone is None:
        return False
    try:
        return is_night(datetime.fromtimestamp(timestamp, zone))
    except (OverflowError, OSError, ValueError, TypeError):
        return False


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
        except Exception as error:  # the API client raises several types; none may stop the skill
            log.warning("Settings API unavailable, speaking normally: %s", error)
            return None
        if not is_zone_name(name):  # never echoed: it is whatever the answer held
            log.warning("unusable time zone from the Settings API: not a time zone name")
            return None
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError, OSError) as error:
            log.warning("unusable time zone from the Settings API: %s", error)
        return None


# An IANA time zone name ("Europe/London", "America/Argentina/Buenos_Aires",
# "Etc/GMT+5", "EST5EDT"): at most four ASCII words of letters, digits, "_", "+"
# and "-", each starting with a letter, joined by "/" (so no dots, no ".."). Its
# shape is checked before ZoneInfo turns it into a path to open; the longest real
# name is 32 characters. (Compiled on first use, as everywhere on the cold path.)
MAX_ZONE_NAME_CHARS = 64
_ZONE_NAME = r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z][A-Za-z0-9_+-]*){0,3}"


def is_zone_name(name: object) -> bool:
    return (isinstance(name, str) and 0 < len(name) <= MAX_ZONE_NAME_CHARS
            and re.fullmatch(_ZONE_NAME, name, re.ASCII) is not None)

