"""The languages peacemap writes for people (English, Ukrainian): the choice of language, message
catalogues (gettext), and how numbers, dates and names are written in each.

Phase 1 of issue 30: the outputs do not take a language yet; they will call these modules. JSON
keys and ids stay English in every language.
"""
