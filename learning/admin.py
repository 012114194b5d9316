from . import ce_admin  # noqa: F401
