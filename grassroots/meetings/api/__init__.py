"""The meetings router (组织生活). Operations live in modules by sub-domain, each adding to `router`."""

from ninja import Router

router = Router(tags=["meetings"])

from . import (  # noqa: E402, F401  (they add their operations to `router`)
    documents,
    lapse,
    meetings,
    minutes,
    policies,
    signin,
    talks,
)
