"""``karigar import``: a programme's spreadsheet (a roster) turned into artisan entries.

The roster (:mod:`.roster`) and the mapping that says which column gives which
field (:mod:`.mapping`) are read first; each row becomes the text of an
``index.md`` whose every line remembers the cell it came from (:mod:`.rows`),
and that text is validated by the same code as ``karigar check``, each problem
reported at its spreadsheet cell.  Rows are then compared with each other and
with the catalog -- duplicates, entries an earlier run imported, district
names, slugs (:mod:`.matching`) -- and :mod:`.plan` puts it together.  The
files are written by :mod:`.entry_files`, the writer ``karigar new`` uses too.
"""
