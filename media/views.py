import logging

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from media.models import Document, Image
from media.services import DuplicateUpload, image_upload
from media.validation import UploadRejected
from portal.search import unaccent_search

logger = logging.getLogger(__name__)

# PDF opens in the browser's viewer, which runs no page script; office files
# are always saved, never opened by the browser.
INLINE_TYPES = {"pdf"}


@require_safe
def document_download(request, pk, name):
    """A library document, with its real content type; office files as attachments."""
    document = get_object_or_404(Document, pk=pk)
    stored = document.file.name.rsplit("/", 1)[-1]
    if name != stored:
        return redirect(document, permanent=True)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        logger.error("Document %s is missing its file %s", document.pk, document.file.name)
        raise Http404(_("Tài liệu không còn trên máy chủ.")) from exc
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=document.file_type not in INLINE_TYPES,
        filename=stored,
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response


# --- CKEditor ---------------------------------------------------------------
# Our own endpoints instead of ckeditor_uploader's: they sit behind the admin
# login and CSRF check, need the media permission, go through the same
# validation as every other upload, and answer JSON (CKEditor's "xhr" upload
# method), so no request parameter is ever written into markup or script.


@require_POST
@permission_required("media.add_image", raise_exception=True)
def ckeditor_upload(request):
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse(
            {"uploaded": 0, "error": {"message": _("Không nhận được tệp ảnh.")}}, status=400
        )
    try:
        image = image_upload(upload, user=request.user)
    except DuplicateUpload as duplicate:
        # The same photo is already in the library: use it, and say so.
        image = duplicate.existing
        return JsonResponse(
            {
                "uploaded": 1,
                "fileName": image.file.name.rsplit("/", 1)[-1],
                "url": image.file.url,
                "error": {"message": str(duplicate)},
            }
        )
    except UploadRejected as rejected:
        logger.info("CKEditor upload refused for user %s: %s", request.user.pk, rejected)
        return JsonResponse({"uploaded": 0, "error": {"message": str(rejected)}}, status=400)
    return JsonResponse(
        {"uploaded": 1, "fileName": image.file.name.rsplit("/", 1)[-1], "url": image.file.url}
    )


def _browse(request, queryset, fields, template):
    query = request.GET.get("q", "").strip()
    if query:
        queryset = unaccent_search(queryset, fields, query)
    page = Paginator(queryset, 24).get_page(request.GET.get("page"))
    try:
        func_num = int(request.GET.get("CKEditorFuncNum", ""))
    except ValueError:
        func_num = None
    return TemplateResponse(request, template, {"page": page, "query": query, "func_num": func_num})


@require_safe
@permission_required("media.view_image", raise_exception=True)
def ckeditor_browse_images(request):
    return _browse(
        request,
        Image.objects.all(),
        ["title", "alt_text", "default_caption", "credit", "file"],
        "media/ckeditor_browse_images.html",
    )


@require_safe
@permission_required("media.view_document", raise_exception=True)
def ckeditor_browse_documents(request):
    return _browse(
        request,
        Document.objects.all(),
        ["title", "number", "description", "file"],
        "media/ckeditor_browse_documents.html",
    )
