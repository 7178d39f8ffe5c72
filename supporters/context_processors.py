from django.utils.functional import SimpleLazyObject


def membership(request):
    """`is_member` for templates: ads and appeals hide for members.

    A member is a supporter signed in by emailed link, or a browser whose own gift (made in
    this session) grants membership. An anonymous reader costs no query: only a session is
    looked at, and only if a template asks.
    """

    def member():
        from .sessions import signed_in_supporter
        from .views.giving import checkout_membership

        supporter = signed_in_supporter(request) if getattr(request, "user", None) else None
        if supporter is not None and supporter.is_member:
            return True
        return checkout_membership(request)

    return {"is_member": SimpleLazyObject(member)}
