from django.utils.functional import SimpleLazyObject


def membership(request):
    """`is_member` for templates: ads and appeals hide for members.

    An anonymous reader costs no query: only a signed-in user is looked up, and only if a
    template asks.
    """

    def member():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        supporter = getattr(user, "supporter", None)
        return bool(supporter and supporter.erased_at is None and supporter.is_member)

    return {"is_member": SimpleLazyObject(member)}
