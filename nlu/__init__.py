"""Natural-language understanding: issue classification, crisis flags, dates, language."""
