"""Every surface that shows a masked ID number (pages, API answers, exports), read as a viewer (who sees
masked numbers only): the number cannot be rebuilt from what the surface shows. The attacker is granted the
birth date, the sex and the region of the person (whatever the surface shows or not) and enumerates every
valid number consistent with the masked form: at least ENOUGH remain, the true one among them. The same
enumeration over the mask stored before finds exactly the true number (the defect this proves fixed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.core import crypto, id_number
from grassroots.core.scoping import unscoped
from tests.support.api import api_client_for
from tests.support.dossiers import applicant
from tests.support.rebuild import ENOUGH, candidates, masked_forms, text_of_response


def _member_surfaces(client, api, member):
    yield "member page", client.get(reverse("members:detail", args=[member.pk]))
    yield "member list page", client.get(reverse("members:list"), {"org": member.org.code})
    yield "roster export", client.get(reverse("members:export"), {"org": member.org.code})
    yield "API member", api.get(f"/members/{member.pk}")
    yield "API member list", api.get("/members", org=member.org.code)


def _dossier_surfaces(client, api, person):
    yield "dossier page", client.get(reverse("recruitment:detail", args=[person.pk]))
    yield "dossier summary page", client.get(reverse("recruitment:summary", args=[person.pk]))
    yield (
        "dossier summary export",
        client.get(reverse("recruitment:summary", args=[person.pk]), {"format": "xlsx"}),
    )
    yield "ledger page", client.get(reverse("recruitment:ledger"), {"org": person.org.code})
    yield (
        "ledger export",
        client.get(reverse("recruitment:ledger"), {"org": person.org.code, "format": "xlsx"}),
    )
    yield "API dossier", api.get(f"/recruitment/applicants/{person.pk}")
    yield "API dossier list", api.get("/recruitment/applicants", org=person.org.code)


# The surfaces that show the number (masked for a viewer); the others must show nothing of it.
SHOWS_NUMBER = {
    "member page", "roster export", "API member", "API member list", "dossier page", "dossier summary page",
    "dossier summary export", "API dossier",
}  # fmt: skip


@pytest.fixture
def people(tree, personas):
    person = applicant(tree.a, "陈浩哲")
    with unscoped():
        records = [
            (tree.zhang, crypto.decrypt(tree.zhang.id_number_encrypted)),
            (person, crypto.decrypt(person.id_number_encrypted)),
        ]
    return person, records


def test_no_surface_lets_a_viewer_rebuild_an_id_number(client, personas, tree, people):
    person, records = people
    client.force_login(personas.county_viewer)
    api = api_client_for("county_viewer")
    regions = {number[:6] for _, number in records}
    seen = set()
    for (record, number), surfaces in zip(
        records,
        (_member_surfaces(client, api, tree.zhang), _dossier_surfaces(client, api, person)),
        strict=True,
    ):
        for name, response in surfaces:
            assert response.status_code == 200, (name, response.status_code)
            text = text_of_response(response)
            assert number not in text, name
            shown = [m for m in masked_forms(text) if m == id_number.mask(number)]
            assert bool(shown) == (name in SHOWS_NUMBER), (name, masked_forms(text))
            for masked in shown:
                found = candidates(masked, birth=record.birth_date, sex=record.sex, regions=regions)
                assert number in found and len(found) >= ENOUGH, name
                old = candidates(
                    id_number.legacy_mask(number), birth=record.birth_date, sex=record.sex, regions=regions
                )
                assert old == [number], name  # the mask stored before gave the number away
                seen.add(name)
    assert seen == SHOWS_NUMBER


def test_every_masked_form_on_a_surface_is_the_one_mask(client, personas, tree, people):
    """No surface shows a masked form other than core.id_number.mask's (no tail, no birth date)."""
    client.force_login(personas.county_viewer)
    response = client.get(reverse("members:export"), {"org": tree.county.code})
    forms = masked_forms(text_of_response(response))
    assert forms and all(f[6:] == "*" * 12 for f in forms)
