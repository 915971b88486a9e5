"""Changelists with the dashboard list's columns: trackers (name with categories, id, phrase
count, first phrases) and groups (name with description, criteria, id); 50 per page."""

from django.contrib import admin

from .models import Group, Tracker

FIRST = 3  # the dashboard's list shows the first three phrases as chips


@admin.register(Tracker)
class TrackerAdmin(admin.ModelAdmin):
    list_display = ("name", "category_list", "id", "phrases", "first_phrases")
    list_per_page = 50
    search_fields = ("name", "vocabulary", "description", "categories")

    @admin.display(description="Categories")
    def category_list(self, obj: Tracker) -> str:
        return ", ".join(obj.categories)

    @admin.display(description="Phrases")
    def phrases(self, obj: Tracker) -> int:
        return len(obj.vocabulary)

    @admin.display(description="First phrases")
    def first_phrases(self, obj: Tracker) -> str:
        more = len(obj.vocabulary) - FIRST
        return "; ".join(obj.vocabulary[:FIRST]) + (f" +{more} more" if more > 0 else "")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "criteria", "id")
    list_per_page = 50
    search_fields = ("name", "description", "criteria")
