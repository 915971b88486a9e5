"""User and role management lives in Django's admin site (/admin/), for admins only."""

from django.contrib import admin

admin.site.site_header = "Symbl Admin — users and roles"
admin.site.site_title = "Symbl Admin"
admin.site.index_title = "Users and roles"
