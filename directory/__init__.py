"""The shared directory: HSDS-shaped organisations and services, matching, import/export."""
