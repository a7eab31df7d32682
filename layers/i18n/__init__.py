"""The languages peacemap writes for people (English, Ukrainian): the choice of language and the
language being written (``language``), message catalogues (gettext, ``catalogue``), and how
numbers, dates, names and the sources' own texts are written in each (``numbers``, ``dates``,
``names``, ``source_names``).

A request sets its language once (``--lang``, ``lang=``: :func:`language.writing_in`); every text
for people is then written in it, translated at the edge where it is written. JSON keys, ids, CSV
column names and file names stay English in every language.
"""
