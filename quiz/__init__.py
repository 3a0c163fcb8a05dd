"""Quizzes: the question bank built from the glossary, attempts, classes and reports."""
