"""Import of IATI activity files (issue 17): parse.py reads a file, mapping.py maps an activity
onto the portal, importer.py decides what to write, a batch of activities at a time: stored.py
reads and writes a batch's projects, implementers.py their organisations, hierarchy.py links
children to their parents."""
