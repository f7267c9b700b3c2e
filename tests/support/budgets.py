"""Query budgets: the most queries each page (by URL name) and each API operation (by OpenAPI operation id)
may make, as the county's org admin on branch B's objects in the scoping sweep's world
(tests/test_query_budgets.py). Set at the measured count, not padded; a new page or operation must add its
line here, and a change that needs more queries must raise its number in the same commit, with the reason.

A number holds on both engines; where they differ, the entry names each. Audited writes through the API
(the token revocation, the receipt, a dossier step or document, a policy) make one query more on PostgreSQL:
the advisory lock that serializes the audit chain."""

from __future__ import annotations

Budget = int | dict[str, int]  # one number, or one per engine (connection.vendor)

PAGES: dict[str, Budget] = {
    "orgs:tree": 5,
    "accounts:password_change": 3,
    "accounts:otp": 2,  # the code step: without a pending sign-in, the session and a redirect
    "accounts:account": 4,
    "accounts:totp": 8,  # a GET starts an enrolment: the earlier unconfirmed device dropped, a new one created
    "accounts:totp_remove": 8,  # POST only: the refusal (no password) as a message, then a redirect
    "accounts:users": 5,
    "accounts:user_password_reset": 5,  # the GET confirmation
    "orgs:search": 2,
    "orgs:detail": 20,  # + the MEM-* warnings card (one aggregate) and the party groups' members (issue 8); + the cadence card and to-do count, the lapse to-do (issue 10: one read of the stored lapse state)
    "orgs:children": 7,  # + the members of a branch's party groups (issue 8, item 11)
    "orgs:history": 6,
    "orgs:warnings": 9,
    "orgs:elect": 8,
    "orgs:edit": 5,
    "orgs:create_child": 5,
    "orgs:move": 5,
    "orgs:move_parents": 4,
    "orgs:policy": 7,
    "orgs:term": 6,
    "orgs:units": 6,
    "orgs:unit_end": 6,
    "members:list": 7,  # + the party groups of the branch listed, for ?group= (issue 8, item 11)
    "members:me": 4,
    # + its audit event (issue 9): savepoint, the chain's head, the insert, release (and the chain lock on PostgreSQL)
    "members:export": {"sqlite": 9, "postgresql": 10},
    "members:transfers": 8,
    "members:transfer_receive": 11,  # POST only: a GET gets the 405 page in the site layout (its menu reads the grants)
    "members:transfer_receipt": 11,  # POST only: a GET gets the 405 page in the site layout (its menu reads the grants)
    "members:create": 5,
    # + whether a letter is out, for the MEM-* warnings (issue 8, item 8); + the lapse badge (issue 10, item 7:
    # the member's stored lapse state)
    "members:detail": 10,
    "members:edit": 5,
    "members:end": 4,
    "members:transfer": 4,
    "members:transfer_destinations": 2,
    "members:transfer_print": 6,
    "members:transfer_cancel": 4,
    "members:transfer_reissue": 4,
    "recruitment:board": 7,
    "recruitment:ledger": 6,
    "recruitment:create": 4,
    "recruitment:policy": 6,
    "recruitment:detail": 8,
    "recruitment:event": 9,
    "recruitment:event_void": 12,  # POST only: a GET gets the 405 page in the site layout (its menu reads the grants)
    "recruitment:summary": 8,
    "recruitment:document_upload": 11,  # POST only: a GET gets the 405 page in the site layout (its menu reads the grants)
    "recruitment:document_withdraw": 12,  # POST only: a GET gets the 405 page in the site layout (its menu reads the grants)
    "meetings:minutes": 10,  # + the seal check of the one meeting once final (draft here)
    "meetings:minutes_save": 13,  # POST: an empty draft is refused and the page shown again
    "meetings:minutes_finalize": 13,  # POST: without the tick the page is shown again with the refusal
    "meetings:minutes_confirm": 17,  # POST: not yet finalized, refused, the page shown again
    "meetings:amendment_add": 13,  # POST: an empty amendment is refused, the page shown again
    "meetings:vote_record": 15,  # POST: an empty vote is refused, the page shown again
    "meetings:appraisal_record": 19,  # POST: not an appraisal meeting, refused, the page shown again
    "meetings:index": 4,  # the caller's first org, then a redirect
    "meetings:list": 8,  # one page of meetings (org and minutes joined), its count, the year's rate
    "meetings:create": 5,
    "meetings:detail": 7,  # the meeting, its lines (members joined), the guest choices, its documents
    "meetings:edit": 5,
    "meetings:held": 4,
    "meetings:cancel": 4,
    "meetings:attendance_record": 11,  # POST: an empty line is refused, the meeting's page shown again
    "meetings:guest_add": 10,  # POST: no member chosen, refused, the meeting's page shown again
    "meetings:leave": 5,
    "meetings:leave_decide": 11,  # POST: no decision, refused, the meeting's page shown again
    "meetings:document_add": 10,  # POST: no file sent, refused, the meeting's page shown again
    "meetings:document_withdraw": 11,  # POST: no reason, refused, the meeting's page shown again
    "documents:content": 4,
    # The working-day calendar of its administrators: the year's row, days in force and removed, the list of
    # years (rows and counts), its history; the year shown by default asks whether this year and (from
    # November) next year are complete. A POST without fields shows the page again with the form's errors.
    "workcalendar:calendar": 11,
    "workcalendar:day_add": 12,
    "workcalendar:day_remove": 12,
    "workcalendar:schedule": 12,
    "workcalendar:confirm": 12,
    # +1 for the calendar administrator's CAL-YEAR-MISSING check of this year, +1 more from 1 November for
    # next year (workcalendar.todo; the years are then cached for the request's working-day computations).
    "meetings:cadence": 11,  # the org's own cells (counts, committees, policies), the children's rollup, the heat map
    "home": 17,  # + the MEM-* warnings of each grant's subtree (issue 8, item 8); + the cadence to-do count, 我的会议, the lapse to-do (issue 10: one read of the stored lapse state)
    # Issue 10, item 9 and the member's side (part `ledger`). The register's print and .xlsx read 3 more
    # (amendments, attendance, votes) when the year has a finalized meeting; the audit event of the export
    # takes 4 (savepoint, the chain's head, the insert, release; + the chain lock on PostgreSQL).
    "meetings:register": 5,
    "meetings:register_print": {"sqlite": 12, "postgresql": 13},
    "meetings:register_xlsx": {"sqlite": 12, "postgresql": 13},
    "meetings:mine": 4,
    # Signing in (MTG-SIGN-IN), as the county's admin, who has no member record: the phone page says so; the
    # QR target reads the meeting, the caller's record, the policy for the window; the screen and its
    # fragment read the meeting, the policy and who has signed in.
    "meetings:sign_in_home": 4,
    "meetings:sign_in": 7,
    "meetings:sign_in_screen": 7,
    "meetings:sign_in_code": 7,
    "meetings:notice": 5,
    "meetings:feeds": 7,
    "meetings:feed_create": 10,  # POST only: a GET gets the 405 page in the site layout (its menu reads the grants)
    "meetings:feed_revoke": 4,
    "meetings:ical": 4,  # the feed by its token's hash and its meetings (+ the signed-in admin's session)
    # Organizational life (issue 10): the meeting policy, talks, the lapse watch (its grouped attendance,
    # excusal ranges, and the page's evidence and excusals; the excusal form's member choices).
    "meetings:policy": 6,
    "meetings:talks": 8,
    "meetings:lapse": 11,
}

OPERATIONS: dict[str, Budget] = {
    "grassroots_accounts_api_token_create": 10,
    "grassroots_accounts_api_token_delete": {"sqlite": 10, "postgresql": 11},
    "grassroots_accounts_api_user_password_reset": {"sqlite": 11, "postgresql": 12},
    "grassroots_orgs_api_org_list": 6,
    "grassroots_orgs_api_org_create": 7,
    "grassroots_orgs_api_org_detail": 10,
    "grassroots_orgs_api_org_update": 13,
    "grassroots_orgs_api_org_move": 8,
    "grassroots_orgs_api_policy_get": 5,
    "grassroots_orgs_api_policy_set": {"sqlite": 11, "postgresql": 12},
    "grassroots_orgs_api_committee_elect": 8,
    "grassroots_orgs_api_committee_term_adjust": 8,
    "grassroots_orgs_api_unit_list": 5,
    "grassroots_orgs_api_unit_add": {"sqlite": 17, "postgresql": 18},
    "grassroots_orgs_api_unit_end": {"sqlite": 19, "postgresql": 20},
    "grassroots_members_api_member_list": 6,
    "grassroots_members_api_member_create": 7,
    "grassroots_members_api_member_detail": 5,  # + the MEM-* warnings (a letter out?)
    "grassroots_members_api_member_update": 8,  # + the MEM-* warnings of the answer
    "grassroots_members_api_member_end": 7,
    "grassroots_members_api_transfer_issue": 8,
    "grassroots_members_api_transfer_list": 6,
    "grassroots_members_api_transfer_receive": 7,
    "grassroots_members_api_me_detail": 4,
    "grassroots_members_api_me_update": 7,
    # + the stored MEM-* warnings of the member (three reads; issue 8, item 8)
    "grassroots_members_api_transfer_cancel": {"sqlite": 13, "postgresql": 14},
    "grassroots_members_api_transfer_reissue": 8,
    # + the stored MEM-* warnings of the member (three reads; issue 8, item 8)
    "grassroots_members_api_transfer_receipt": {"sqlite": 22, "postgresql": 23},
    # A page of the paged list and its count (core.api_pages), like every API list.
    "grassroots_meetings_api_cadence_org_cadence": 10,
    "grassroots_recruitment_api_applicant_list": 6,
    "grassroots_recruitment_api_applicant_create": 7,
    "grassroots_recruitment_api_applicant_detail": 7,
    "grassroots_recruitment_api_event_record": {"sqlite": 17, "postgresql": 18},
    "grassroots_recruitment_api_event_void": {"sqlite": 17, "postgresql": 18},
    "grassroots_recruitment_api_policy_get": 5,
    "grassroots_recruitment_api_policy_set": {"sqlite": 20, "postgresql": 21},
    "grassroots_recruitment_api_document_list": 6,
    "grassroots_recruitment_api_document_attach": {"sqlite": 12, "postgresql": 13},
    "grassroots_meetings_api_minutes_minutes_get": 7,
    "grassroots_meetings_api_minutes_minutes_save": {"sqlite": 13, "postgresql": 14},
    "grassroots_meetings_api_minutes_minutes_finalize": {
        "sqlite": 28,
        "postgresql": 30,
    },  # absent marked, counts, seal (chain lock), audit, the cadence count and rollup
    "grassroots_meetings_api_minutes_minutes_confirm": 8,
    "grassroots_meetings_api_minutes_amendment_add": 8,
    "grassroots_meetings_api_minutes_vote_record": 8,
    "grassroots_meetings_api_minutes_appraisal_record": 8,
    "grassroots_meetings_api_meetings_meeting_list": 6,
    "grassroots_meetings_api_meetings_meeting_create": 7,  # the sweep's kind is refused (MTG-KIND)
    "grassroots_meetings_api_meetings_meeting_get": 5,
    "grassroots_meetings_api_meetings_meeting_hold": {"sqlite": 13, "postgresql": 14},
    "grassroots_meetings_api_meetings_meeting_cancel": {"sqlite": 14, "postgresql": 15},  # + the notices
    "grassroots_meetings_api_meetings_attendance_record": 10,  # the sweep's member is not on the list: refused
    "grassroots_meetings_api_meetings_guest_add": {"sqlite": 14, "postgresql": 15},
    "grassroots_meetings_api_meetings_leave_request": 10,  # the county's admin is not on the list: refused
    "grassroots_meetings_api_meetings_leave_decide": 10,  # no request pending: refused
    "grassroots_meetings_api_documents_document_list": 5,
    "grassroots_meetings_api_documents_document_attach": {"sqlite": 12, "postgresql": 13},
    "grassroots_documents_api_document_content": 4,
    "grassroots_meetings_api_policies_policy_get": 5,
    "grassroots_meetings_api_policies_policy_set": {"sqlite": 11, "postgresql": 12},
    "grassroots_meetings_api_signin_sign_in_code": 6,
    "grassroots_meetings_api_signin_sign_in": 6,  # refused: the caller has no member record
    "grassroots_meetings_api_talks_talk_record": {"sqlite": 9, "postgresql": 10},
    "grassroots_meetings_api_talks_talk_list": 6,
    "grassroots_meetings_api_lapse_lapse_list": 9,
    "grassroots_workcalendar_api_year_list": 5,
    "grassroots_workcalendar_api_year_detail": 7,
    # A day entered or removed: the write, its audit event, and the refresh of the stored next steps of the
    # dossiers with a public notice since the year before (workcalendar.registry, recruitment).
    "grassroots_workcalendar_api_day_add": {"sqlite": 13, "postgresql": 14},
    "grassroots_workcalendar_api_schedule_enter": 3,
    "grassroots_workcalendar_api_day_remove": {"sqlite": 12, "postgresql": 13},
    "grassroots_workcalendar_api_year_confirm": 8,
}
