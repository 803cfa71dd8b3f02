"""Import of IATI activity files (issue 17): parse.py reads a file, mapping.py maps an activity
onto the portal, importer.py writes it."""
