"""The admin's IATI import: the imported files' list, and on it an upload that the task worker
checks (the preview: what would be created, updated, left unchanged or skipped, and why) and, once
the editor confirms, imports, as `manage.py import_iati` does (funding/iati/background.py)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogues.admin_forms import PortalModelForm
from dialogues.import_background import RUNNING, has_stalled
from dialogues.models import Country

from .iati import background
from .models import IatiUpload
from .sector_codes import NotSectorCodes, sector_codes


def _countries():
    return list(Country.objects.order_by("name").values_list("iso_code", "name"))


class IatiUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("IATI activity file (.xml)"))
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries"),
        choices=_countries,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Activities in none of these countries (nor in the region 619, Central Asia) are skipped. "
            "None checked: the portal's countries."
        ),
    )
    sectors = forms.CharField(
        label=gettext_lazy("Sectors"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("DAC 5-digit codes, e.g. 15160, 15150; blank: any sector."),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the projects at once"),
        required=False,
        help_text=gettext_lazy(
            "The file is the EU's own publication. Unchecked, the projects are drafts for a Publisher to review."
        ),
    )

    def __init__(self, *args, may_publish, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].initial = [code for code, _name in self.fields["countries"].choices]
        if not may_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xml"):
            raise ValidationError(_("An IATI activity file is an .xml file."), code="not_xml")
        if upload.size > settings.IATI_UPLOAD_MAX_SIZE:
            raise ValidationError(
                _("This file is larger than %(size)s MB: import it with manage.py import_iati instead.")
                % {"size": settings.IATI_UPLOAD_MAX_SIZE // (1024 * 1024)},
                code="too_large",
            )
        return upload

    def clean_sectors(self):
        try:
            return sorted(sector_codes(self.cleaned_data["sectors"]))
        except NotSectorCodes as error:
            raise ValidationError(str(error), code="invalid") from None


class IatiFileAdmin(admin.ModelAdmin):
    """The imported files, read only (each names the source its projects cite), and the upload."""

    form = PortalModelForm
    list_display = ("name", "imported_at", "imported_by", "activity_count", "source")
    list_select_related = ("imported_by", "source")
    search_fields = ("name", "sha256")
    readonly_fields = ("name", "sha256", "imported_at", "imported_by", "activity_count", "source")
    change_list_template = "admin/funding/iatifile/change_list.html"

    def has_add_permission(self, request):
        return False  # files come in through the upload, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # its projects' history names it

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("funding.view_project")

    def may_upload(self, request):
        return request.user.has_perm("funding.add_project") and request.user.has_perm("funding.change_project")

    def get_urls(self):
        own = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="funding_iatifile_upload"),
            path(
                "upload/<uuid:upload_id>/",
                self.admin_site.admin_view(self.upload_state_view),
                name="funding_iatifile_upload_state",
            ),
            path(
                "upload/<uuid:upload_id>/confirm/",
                self.admin_site.admin_view(self.upload_confirm_view),
                name="funding_iatifile_upload_confirm",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "may_upload": self.may_upload(request)})

    def _context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **context}

    def upload_view(self, request):
        if not self.may_upload(request):
            raise PermissionDenied
        may_publish = request.user.has_perm("funding.publish_project")
        bound = (request.POST, request.FILES) if request.method == "POST" else ()
        form = IatiUploadForm(*bound, may_publish=may_publish)
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            upload = background.queue_check(
                data=b"".join(file.chunks()),
                file_name=file.name,
                user=request.user,
                publish=form.cleaned_data.get("publish", False),
                countries=form.cleaned_data["countries"],
                sectors=form.cleaned_data["sectors"],
            )
            return HttpResponseRedirect(reverse("admin:funding_iatifile_upload_state", args=[upload.pk]))
        context = self._context(request, title=_("Import an IATI activity file"), form=form)
        return TemplateResponse(request, "admin/funding/iati_upload.html", context, status=400 if form.errors else 200)

    def _own_upload(self, request, upload_id):
        """The requester's own upload: anyone else's, or one forgotten, is a 404."""
        if not self.may_upload(request):
            raise PermissionDenied
        upload = IatiUpload.objects.filter(pk=upload_id, user=request.user).defer("data").first()
        if upload is None:
            raise Http404(_("No such upload: it was imported more than a day ago, or it is not yours."))
        return upload

    def upload_state_view(self, request, upload_id):
        """Where an upload stands: waiting or running (the page refreshes itself), its preview and
        the confirmation, its refusal, or what the import did."""
        upload = self._own_upload(request, upload_id)
        stalled = has_stalled(upload)
        context = self._context(
            request,
            title=_("Import an IATI activity file"),
            upload=upload,
            summary=upload.summary,
            stalled=stalled,
            running=upload.stage in RUNNING and not stalled,
            refresh_seconds=3,
        )
        return TemplateResponse(request, "admin/funding/iati_upload_state.html", context)

    @method_decorator(require_POST)
    def upload_confirm_view(self, request, upload_id):
        upload = self._own_upload(request, upload_id)
        if not background.queue_import(upload):
            messages.error(request, _("This file is not waiting for a confirmation (already confirmed, or refused)."))
        return HttpResponseRedirect(reverse("admin:funding_iatifile_upload_state", args=[upload.pk]))
