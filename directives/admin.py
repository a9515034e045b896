from django.contrib import admin

from directives.models import Directive, Enclosure, Recipient, Submission, SubmissionCopy


class EnclosureInline(admin.TabularInline):
    model = Enclosure
    extra = 0
    fields = ("order", "title", "detail", "quantity", "original_name", "content_type", "size")
    readonly_fields = ("original_name", "content_type", "size")


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ("number", "subject", "issuer", "date", "status", "deadline")
    list_filter = ("status", "urgency", "ask")
    search_fields = ("number", "subject", "issuer__name_th")
    raw_id_fields = ("issuer", "parent", "submit_to", "created_by", "issued_by")
    readonly_fields = ("root", "register_year", "register_number", "issued_at", "version")
    inlines = [EnclosureInline]


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("directive", "org", "role", "group", "acknowledged_at")
    list_filter = ("role", "group")
    raw_id_fields = ("directive", "org", "acknowledged_by")


class SubmissionCopyInline(admin.TabularInline):
    model = SubmissionCopy
    extra = 0
    raw_id_fields = ("org",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("receipt_number", "org", "submitted_to", "submitted_at", "on_time", "status")
    list_filter = ("status", "on_time")
    search_fields = ("receipt_number", "org__name_th")
    raw_id_fields = ("directive", "org", "plan", "submitted_to", "replaces", "submitted_by", "reviewed_by")
    readonly_fields = ("root", "idempotency_key", "plan_digest")
    inlines = [SubmissionCopyInline]
