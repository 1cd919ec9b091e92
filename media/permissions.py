"""Who may change a photo's description (title, caption, credit, alt text).

A photo's description goes out on every public page that shows it, at once.
Editors (Biên tập viên) and administrators may change any photo. A reporter
(Phóng viên) changes only photos they uploaded themselves, and only until a
public page shows them: after that, a change would reach readers with no
editor having seen it. A photo whose uploader is unknown is an editor's.
The admin asks here for the change form and anything else that writes one.
"""

from media.models import Image

CHANGE_IMAGE = "media.change_image"


def can_change_image(user, image: Image | None = None) -> bool:
    from news.permissions import is_editor

    if not (user.is_active and user.has_perm(CHANGE_IMAGE)):
        return False
    if image is None or is_editor(user):
        return True
    return (
        image.uploaded_by_id is not None
        and image.uploaded_by_id == user.pk
        and not Image.objects.filter(pk=image.pk).in_public_use().exists()
    )
