"""Staff accounts: who may sign in to the staff pages, with which role, for which organisation."""
