"""The web shell: provider webhooks, staff pages, simulator; routers the app in ``frontdoor.app`` mounts."""
