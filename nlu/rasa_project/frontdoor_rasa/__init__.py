"""Custom Rasa components for Frontdoor. Runs inside the Rasa venv (Python 3.10), not the app's."""
