-- A safety audit's nine ratings as JSON ({"penerangan": 2, …}), so the device can show an audit
-- and colour its pin by score without reading its op or the server's state. NULL for every
-- other kind of report, and for an audit made before the audit form.
ALTER TABLE report ADD COLUMN ratings TEXT;

-- Audits already on the device: from the op still waiting to be sent, else from what the
-- server sent.
UPDATE report SET ratings = (
    SELECT json_extract(o.body, '$.data.ratings') FROM outbox o
    WHERE o.report_id = report.id AND o.kind = 'report.create'
) WHERE kind = 'audit';
UPDATE report SET ratings = json_extract(server_state, '$.report.ratings')
WHERE kind = 'audit' AND ratings IS NULL AND server_state IS NOT NULL;
