"""The pages that span the apps: home, countries, topics, search, feeds, sitemap and robots.txt."""
