-- The analyst-data figures of the README (issue 20) over a marsad database:
--   marsad bench ingest --keep bench.db && sqlite3 bench.db < scripts/analyst-figures.sql
-- "counted" events are those that count (asserted, reported, claimed: events.factual = 1); an
-- event's article is the first article that reported it.
.mode line
WITH first AS (
    SELECT e.rowid AS event, e.factual, e.event_type, e.date, e.country, e.admin1, e.record,
           d.date AS published
    FROM events e
    JOIN event_mentions m ON m.event = e.rowid AND m.record IS NULL
    JOIN documents d ON d.rowid = m.doc
)
SELECT
    (SELECT count(*) FROM events) AS events,
    (SELECT round(100.0 * count(*) / (SELECT count(*) FROM events), 1) FROM events e
        WHERE EXISTS (SELECT 1 FROM event_mentions m JOIN documents d ON d.rowid = m.doc
                      WHERE m.event = e.rowid AND d.outlet IS NOT NULL
                        AND d.external_id IS NOT NULL)) AS pct_with_outlet_and_external_id,
    (SELECT count(*) FROM first WHERE factual = 1) AS counted,
    (SELECT count(*) FROM first WHERE factual = 1 AND date > published) AS counted_after_article,
    (SELECT round(100.0 * count(*) / (SELECT count(*) FROM first WHERE factual = 1), 2) FROM first
        WHERE factual = 1 AND julianday(published) - julianday(date) > 60)
        AS pct_counted_over_60_days_before,
    (SELECT round(100.0 * count(*) / (SELECT count(*) FROM first WHERE factual = 1), 1) FROM first
        WHERE factual = 1 AND json_extract(record, '$.date.basis') = 'text')
        AS pct_counted_dated_by_text,
    (SELECT max(json_extract(record, '$.counts.killed.value')) FROM events
        WHERE factual = 1 AND event_type = 'ASSAULT'
          AND coalesce(json_extract(record, '$.counts.aggregate'), 0) = 0)
        AS largest_own_assault_toll,
    (SELECT count(*) FROM events WHERE json_extract(record, '$.counts.aggregate') = 1)
        AS aggregate_tolls,
    (SELECT count(*) FROM events
        WHERE json_extract(record, '$.trigger.text') LIKE '%صادر%'
          AND json_extract(record, '$.trigger.text') NOT LIKE '%مصادر%') AS sadir_issued_triggers,
    (SELECT count(*) FROM events
        WHERE factual = 1 AND event_type = 'ASSAULT' AND country = 'SA' AND admin1 = '11'
          AND date BETWEEN '2015-08-06' AND '2015-08-12') AS asir_assault_records_6_12_aug_2015,
    (SELECT sum(mentions) FROM events
        WHERE factual = 1 AND event_type = 'ASSAULT' AND country = 'SA' AND admin1 = '11'
          AND date BETWEEN '2015-08-06' AND '2015-08-12') AS their_mentions;
