import logging

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
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


def may_view_library(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("media.view_document")


@require_safe
def document_download(request, pk, name):
    """A library document, with its real content type; office files as attachments.

    Readers get a document only while a public page links to it
    (``Document.objects.public()``) and only by its exact name; anything
    else is the same 404 as a document that does not exist, so neither an
    id nor a name can be guessed. Staff who may view the library get any
    document, kept by no cache, and a wrong name sends them to the right one.
    """
    document = Document.objects.public().filter(pk=pk).first()
    public = document is not None
    staff = may_view_library(request.user)
    if document is None and staff:
        document = Document.objects.filter(pk=pk).first()
    if document is None:
        raise Http404(_("Không tìm thấy tài liệu."))
    stored = document.file.name.rsplit("/", 1)[-1]
    if name != stored:
        if not staff:
            raise Http404(_("Không tìm thấy tài liệu."))
        response = redirect(document)
        add_never_cache_headers(response)
        return response
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
    if public:
        # Every reuse is checked with the portal first (the stored bytes
        # never change, so the answer is a cheap 304 by the ETag): once no
        # public page links to the document, no cache may go on serving it.
        response["ETag"] = f'"{document.content_hash}"'
        patch_cache_control(response, public=True, no_cache=True)
    else:
        add_never_cache_headers(response)
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
