"""The meetings router (组织生活). Operations live in modules by sub-domain, each adding to `router`."""

from ninja import Router

router = Router(tags=["meetings"])

from . import minutes  # noqa: E402, F401  (adds the minutes operations to `router`)
