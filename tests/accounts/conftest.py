"""Fixtures of the sign-in tests."""

import time

import pytest
from django_otp.oath import TOTP


@pytest.fixture
def clock(time_machine):
    """A still clock that tests move on by a time step between codes (a code is accepted once)."""
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    return time_machine


def code_of(device):
    """The code the owner's authenticator shows now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"
