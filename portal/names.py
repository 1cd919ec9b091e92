"""Staff members' names as Vietnamese writes them."""


def staff_name(user) -> str:
    """Family and middle names, then the given name: "Nguyễn Thị Lan".

    Django's ``get_full_name()`` puts the given name first ("Lan Nguyễn
    Thị"), the Western order; the admin's "Họ" field holds the family and
    middle names, "Tên" the given name. Without either, the username.
    """
    if user is None:
        return ""
    parts = (getattr(user, "last_name", "").strip(), getattr(user, "first_name", "").strip())
    return " ".join(part for part in parts if part) or user.get_username()
