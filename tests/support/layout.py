"""The product's top-level packages, read by the structure tests (module sizes, import
directions, the apps' layout): one list, so a package added is checked by all of them."""

# The project package, then every Django app of ours (all at the top level), then the rest.
PROJECT = "symbl_admin"
APPS = (
    "accounts",
    "audit",
    "review",
    "resources",
    "dashboard",
    "local_api",
    "backup",
    "trackers",
    "groups",
    "tester",
    "conversations",
)
PRODUCT = (PROJECT, *APPS)
