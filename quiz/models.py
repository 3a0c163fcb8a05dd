"""Quiz models (the question bank, attempts and classes arrive with their issues)."""
