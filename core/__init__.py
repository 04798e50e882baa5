"""The ground floor: settings, database, categories, languages, text rules, logs, migrations.

Nothing here imports any other package of this project; every other package may import it.
"""
