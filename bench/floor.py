"""The floor: the SQL that fetches one page of the project listing, through psycopg, no ORM.

The same filter, the same order (start date, newest first, unknown last; then id) and the same
LIMIT as the portal's listings, plus what the page shows beside each row: its programme and its
countries. Two queries, as a hand-written view would make them.
"""

PAGE_SQL = """
SELECT p.id, p.title, p.starts_on, p.starts_on_precision, p.eu_contribution_eur,
       g.slug, g.name, g.acronym, g.publication_status
FROM funding_project p JOIN funding_programme g ON g.id = p.programme_id
WHERE p.publication_status = 'published' {where}
ORDER BY p.starts_on DESC NULLS LAST, p.id DESC
LIMIT %(limit)s
"""
COUNTRIES_SQL = """
SELECT pc.project_id, c.iso_code, c.name, c.slug
FROM funding_project_countries pc JOIN dialogues_country c ON c.id = pc.country_id
WHERE pc.project_id = ANY(%(ids)s) AND c.publication_status = 'published'
ORDER BY c.name
"""
# As the portal searches (dialogues/search.py): the stored document, the best of the first 2,000
# matches first.
SEARCH_SQL = """
SELECT p.id, p.title, p.starts_on, p.starts_on_precision, p.eu_contribution_eur,
       g.slug, g.name, g.acronym, g.publication_status
FROM funding_project p JOIN funding_programme g ON g.id = p.programme_id
WHERE p.id IN (
    SELECT id FROM funding_project WHERE publication_status = 'published' AND {vector} @@ ({query}) LIMIT 2000
)
ORDER BY ts_rank(p.{vector}, {query}) DESC, p.id DESC
LIMIT %(limit)s
"""
VECTOR = "search_document"
QUERY = "websearch_to_tsquery('english'::regconfig, %(q)s) || websearch_to_tsquery('russian'::regconfig, %(q)s)"


def page_rows(connection, limit, *, country_id=None, topic_id=None, year_from=None, year_to=None, after=None, q=None):
    where, params = [], {"limit": limit}
    # the related ids as the portal filters them: the arrays its listing index includes
    # (funding/migrations/0005_project_relation_arrays.py)
    if country_id is not None:
        where.append("p.country_ids && ARRAY[%(country)s]::bigint[]")
        params["country"] = country_id
    if topic_id is not None:
        where.append("p.topic_ids && ARRAY[%(topic)s]::bigint[]")
        params["topic"] = topic_id
    if year_from is not None:
        where.append("p.starts_on >= make_date(%(year_from)s, 1, 1)")
        params["year_from"] = year_from
    if year_to is not None:
        where.append("p.starts_on <= make_date(%(year_to)s, 12, 31)")
        params["year_to"] = year_to
    if after is not None:
        # keyset: the rows after (start date, id) in the listing's order, as two index-ordered
        # branches (dated rows from the cursor on, then the undated ones), like the portal's
        params["after_date"], params["after_id"] = after
        filters = "".join(f" AND {clause}" for clause in where)
        dated = PAGE_SQL.format(
            where=filters + " AND p.starts_on IS NOT NULL AND p.starts_on <= %(after_date)s"
            " AND (p.starts_on < %(after_date)s OR p.id < %(after_id)s)"
        )
        undated = PAGE_SQL.format(where=filters + " AND p.starts_on IS NULL").replace(
            "ORDER BY p.starts_on DESC NULLS LAST, p.id DESC", "ORDER BY p.id DESC"
        )
        sql = (
            f"SELECT * FROM (({dated}) UNION ALL ({undated})) AS page"
            " ORDER BY starts_on DESC NULLS LAST, id DESC LIMIT %(limit)s"
        )
    elif q is not None:
        sql = SEARCH_SQL.format(vector=VECTOR, query=QUERY)
        params["q"] = q
    else:
        sql = PAGE_SQL.format(where="".join(f" AND {clause}" for clause in where))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute(COUNTRIES_SQL, {"ids": [row[0] for row in rows]})
        countries = {}
        for project_id, *country in cursor.fetchall():
            countries.setdefault(project_id, []).append(country)
    return [[*row, countries.get(row[0], [])] for row in rows]
