"""Two-factor helpers: a confirmed TOTP device for a user, and a code it accepts now (never one it has
already used: django-otp refuses a code twice)."""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_for(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=confirmed)


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now: the current step, or the next one when the current was used (within
    the device's tolerance of one step)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(totp.t(), device.last_t + 1)
    totp.time = (step - device.drift) * device.step + device.t0
    return str(totp.token()).zfill(device.digits)


def wrong_code_for(device: TOTPDevice) -> str:
    right = code_for(device)
    return str((int(right) + 1) % 10**device.digits).zfill(device.digits)
