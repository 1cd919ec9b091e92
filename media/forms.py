from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media.models import Document, Image
from media.services import DuplicateUpload, document_prepare, image_prepare
from media.validation import UploadRejected
from portal.autocomplete import is_id


def rejection(error: UploadRejected, admin_url_name: str) -> forms.ValidationError:
    if isinstance(error, DuplicateUpload):
        return forms.ValidationError(
            format_html(
                '{} <a href="{}">{}</a>',
                str(error),
                reverse(admin_url_name, args=[error.existing.pk]),
                _("Mở tệp đã có"),
            )
        )
    return forms.ValidationError(str(error))


class ImageAddForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Tệp ảnh"),
        help_text=_("JPEG, PNG, WebP hoặc GIF (lấy khung hình đầu). Không nhận SVG."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    class Meta:
        model = Image
        fields = ["upload", "title", "alt_text", "default_caption", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Để trống thì lấy theo tên tệp.")
        self.clean_image = None

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            self.clean_image = image_prepare(upload)
        except UploadRejected as error:
            raise rejection(error, "admin:media_image_change") from error
        return upload


class ImageChangeForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["title", "alt_text", "default_caption", "credit"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; ``cleaned_data`` holds the list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Chọn nhiều ảnh"),
        help_text=_("Giữ Ctrl (hoặc Shift) để chọn nhiều tệp. Mỗi ảnh được kiểm tra riêng."),
    )
    credit = forms.CharField(label=_("Nguồn ảnh chung"), max_length=200, required=False)


class DocumentAddForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Tệp tài liệu"), help_text=_("PDF, Word (DOCX), Excel (XLSX), ODT hoặc ODS.")
    )

    class Meta:
        model = Document
        fields = ["upload", "title", "number", "issued_on", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Để trống thì lấy theo tên tệp.")
        self.prepared = None

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            self.prepared = document_prepare(upload)
        except UploadRejected as error:
            raise rejection(error, "admin:media_document_change") from error
        return upload


class ImageChooserWidget(ForeignKeyRawIdWidget):
    """The admin's raw-id lookup (a popup list with thumbnails), showing the chosen image."""

    template_name = "media/widgets/image_chooser.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        image = None
        # A tampered form may post anything here; only a real id is looked up.
        if value and is_id(Image._meta.pk, value):
            image = Image.objects.filter(pk=value).first()
        context["image"] = image
        return context
