"""Two-factor sign-in in the browser: an org admin whose role requires it is sent from the password to the
enrolment page, scans (reads) the secret, confirms with a code, and the next sign-in asks for the code."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.support.otp import code_for
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(GRASSROOTS_2FA_REQUIRED_ROLES=("org_admin",))
def test_org_admin_enrols_after_password_then_signs_in_with_the_code(
    live_server, chromium, screens, personas
):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "county_admin")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/account/two-factor/")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    expect(page.locator("#totp-secret")).not_to_be_empty()
    page.screenshot(path=str(screens / "totp-enrol-1280.png"), full_page=True)

    page.goto(f"{live_server.url}/")  # nothing else until enrolled
    page.wait_for_url(f"{live_server.url}/accounts/account/two-factor/")
    device = TOTPDevice.objects.get(user=personas.county_admin, confirmed=False)
    page.fill("#id_token", code_for(device))
    page.click("#totp-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/account/")
    expect(page.locator("#totp-state")).to_contain_text("已启用")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "county_admin")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/login/otp/")
    page.fill("#id_token", code_for(TOTPDevice.objects.get(user=personas.county_admin, confirmed=True)))
    page.click("#otp-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
