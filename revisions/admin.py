"""The Publishers' review of changes to published records: what is proposed beside what the
record holds, and Accept / Reject (the author may Withdraw). Nothing is edited here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from dialogues.services import can_publish
from dialogues_portal.roles import CONTENT_APPS

from . import services
from .models import PendingRevision, RevisionStatus


def may_change_records(user):
    return user.is_active and user.is_staff and any(user.has_module_perms(app) for app in CONTENT_APPS)


@admin.register(PendingRevision)
class PendingRevisionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "content_type", "author", "origin", "created_at", "status", "reviewed_by")
    list_filter = ("status", "content_type", "origin")
    list_select_related = ("content_type", "author", "reviewed_by")
    search_fields = ("author__username", "review_note")
    change_form_template = "admin/revisions/pendingrevision/change_form.html"
    fields = ("record_link", "author", "origin", "created_at", "status", "reviewed_by", "reviewed_at", "review_note")
    readonly_fields = fields
    list_per_page = 50

    def has_module_permission(self, request):
        return may_change_records(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return may_change_records(request.user)
        model = obj.content_type.model_class()
        return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a decision stays on record

    @admin.display(description=_("record"))
    def record_link(self, revision):
        from django.utils.html import format_html

        opts = revision.content_type.model_class()._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[revision.object_id])
        return format_html('<a href="{}">{}</a>', url, revision.record_label())

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:revision_id>/decide/<str:decision>/", decide, name="revisions_pendingrevision_decide"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["described_changes"] = services.described_changes(obj)
            context["is_pending"] = obj.status == RevisionStatus.PENDING
            context["may_review"] = can_publish(request.user, obj.content_type.model_class())
            context["is_author"] = obj.author_id == request.user.pk
        return super().render_change_form(request, context, add, change, form_url, obj)

    DECISIONS = {"accept": services.accept, "reject": services.reject, "withdraw": services.withdraw}

    def decide_view(self, request, revision_id, decision):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        revision = get_object_or_404(PendingRevision, pk=revision_id)
        if decision not in self.DECISIONS or not self.has_view_permission(request, revision):
            raise PermissionDenied
        note = request.POST.get("review_note", "")[:2000]
        try:
            if decision == "withdraw":
                services.withdraw(revision, user=request.user)
            else:
                self.DECISIONS[decision](revision, user=request.user, note=note)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        else:
            done = {
                "accept": _("The change was accepted: the record now shows it."),
                "reject": _("The change was rejected: the record is unchanged."),
                "withdraw": _("You withdrew your change."),
            }[decision]
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:revisions_pendingrevision_change", args=[revision.pk]))
