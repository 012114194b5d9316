from . import navigation


def navigation_links(request):
    """The main menu for base.html: `nav_main`, `nav_more` and whether the current page is under "More"."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    found = navigation.links(user, request.path)
    more = [link for link in found if link.more]
    return {
        "nav_main": [link for link in found if not link.more],
        "nav_more": more,
        "nav_more_current": any(link.current for link in more),
    }
