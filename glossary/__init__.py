"""The glossary: syllabi, sections and concepts, with browse, search and import/export."""
