-- Revision 0005_analytics, upgrade on PostgreSQL: the statements it ran, rendered once from
-- casebook.analytics_cube / casebook.analytics_advocacy at commit 52012cd and frozen
-- here. Do not edit: a new database must get what this revision made then.
-- statement 1
CREATE OR REPLACE FUNCTION casebook_cube_incident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'incident', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_count, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'room', CASE WHEN NEW.room_members IS NULL THEN 'unknown' WHEN NEW.room_members < 100 THEN 'lt100' WHEN NEW.room_members < 1000 THEN '100to999' WHEN NEW.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.room_members, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'age', j.key, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, CAST(j.value AS INTEGER) FROM json_each_text(NEW.suspects_by_age) AS j(key, value) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'obstacle', j.value, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM json_array_elements_text(NEW.obstacles) AS j(value) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
ELSIF TG_OP = 'UPDATE' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_count, 0) WHERE measure = 'incident' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.room_members, 0) WHERE measure = 'room' AND key = CASE WHEN OLD.room_members IS NULL THEN 'unknown' WHEN OLD.room_members < 100 THEN 'lt100' WHEN OLD.room_members < 1000 THEN '100to999' WHEN OLD.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE((SELECT CAST(j.value AS INTEGER) FROM json_each_text(OLD.suspects_by_age) AS j(key, value) WHERE j.key = analytics_cube.key), 0) WHERE measure = 'age' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.key FROM json_each_text(OLD.suspects_by_age) AS j(key, value));
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'obstacle' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.value FROM json_array_elements_text(OLD.obstacles) AS j(value));
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'conduct' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT conduct FROM incidentconduct WHERE incident_id = OLD.id);
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'institution' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT CAST(institution_id AS VARCHAR) FROM incidentinstitution WHERE incident_id = OLD.id);
  UPDATE analytics_cube SET n = n - 1, total = total - ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) - OLD.reported_on) WHERE measure = 'police' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'incident', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_count, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'room', CASE WHEN NEW.room_members IS NULL THEN 'unknown' WHEN NEW.room_members < 100 THEN 'lt100' WHEN NEW.room_members < 1000 THEN '100to999' WHEN NEW.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.room_members, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'age', j.key, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, CAST(j.value AS INTEGER) FROM json_each_text(NEW.suspects_by_age) AS j(key, value) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'obstacle', j.value, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM json_array_elements_text(NEW.obstacles) AS j(value) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'conduct', c.conduct, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incidentconduct c WHERE c.incident_id = NEW.id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'institution', CAST(c.institution_id AS VARCHAR), NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incidentinstitution c WHERE c.incident_id = NEW.id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) - NEW.reported_on) WHERE (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
  DELETE FROM incidentconduct WHERE incident_id = OLD.id;
  DELETE FROM incidentinstitution WHERE incident_id = OLD.id;
  DELETE FROM incidentevent WHERE incident_id = OLD.id;
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_count, 0) WHERE measure = 'incident' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.room_members, 0) WHERE measure = 'room' AND key = CASE WHEN OLD.room_members IS NULL THEN 'unknown' WHEN OLD.room_members < 100 THEN 'lt100' WHEN OLD.room_members < 1000 THEN '100to999' WHEN OLD.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE((SELECT CAST(j.value AS INTEGER) FROM json_each_text(OLD.suspects_by_age) AS j(key, value) WHERE j.key = analytics_cube.key), 0) WHERE measure = 'age' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.key FROM json_each_text(OLD.suspects_by_age) AS j(key, value));
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'obstacle' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.value FROM json_array_elements_text(OLD.obstacles) AS j(value));
RETURN OLD;
END;
$$
-- statement 2
CREATE TRIGGER trg_cube_incident_ins AFTER INSERT ON incident FOR EACH ROW EXECUTE FUNCTION casebook_cube_incident()
-- statement 3
CREATE TRIGGER trg_cube_incident_upd AFTER UPDATE ON incident FOR EACH ROW WHEN (OLD.reported_on::text IS DISTINCT FROM NEW.reported_on::text OR OLD.reported_month::text IS DISTINCT FROM NEW.reported_month::text OR OLD.region::text IS DISTINCT FROM NEW.region::text OR OLD.institution_kind::text IS DISTINCT FROM NEW.institution_kind::text OR OLD.platform::text IS DISTINCT FROM NEW.platform::text OR OLD.status::text IS DISTINCT FROM NEW.status::text OR OLD.legal_gap::text IS DISTINCT FROM NEW.legal_gap::text OR OLD.victims_count::text IS DISTINCT FROM NEW.victims_count::text OR OLD.room_members::text IS DISTINCT FROM NEW.room_members::text OR OLD.suspects_by_age::text IS DISTINCT FROM NEW.suspects_by_age::text OR OLD.obstacles::text IS DISTINCT FROM NEW.obstacles::text) EXECUTE FUNCTION casebook_cube_incident()
-- statement 4
CREATE TRIGGER trg_cube_incident_del BEFORE DELETE ON incident FOR EACH ROW EXECUTE FUNCTION casebook_cube_incident()
-- statement 5
CREATE OR REPLACE FUNCTION casebook_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, floor(random() * 1000000000000)::bigint) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
RETURN NULL;
END;
$$
-- statement 6
CREATE OR REPLACE FUNCTION casebook_cube_conduct() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'conduct', NEW.conduct, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
UPDATE analytics_cube SET n = n - 1 WHERE measure = 'conduct' AND key = OLD.conduct AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
RETURN OLD;
END;
$$
-- statement 7
CREATE TRIGGER trg_cube_conduct AFTER INSERT OR DELETE ON incidentconduct FOR EACH ROW EXECUTE FUNCTION casebook_cube_conduct()
-- statement 8
CREATE OR REPLACE FUNCTION casebook_cube_institution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'institution', CAST(NEW.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
UPDATE analytics_cube SET n = n - 1 WHERE measure = 'institution' AND key = CAST(OLD.institution_id AS VARCHAR) AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
RETURN OLD;
END;
$$
-- statement 9
CREATE TRIGGER trg_cube_institution AFTER INSERT OR DELETE ON incidentinstitution FOR EACH ROW EXECUTE FUNCTION casebook_cube_institution()
-- statement 10
CREATE OR REPLACE FUNCTION casebook_cube_police() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - (SELECT ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id) - i.reported_on) FROM incident i WHERE i.id = NEW.incident_id) WHERE measure = 'police' AND key = '' AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = NEW.incident_id) AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, (LEAST(NEW.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id)) - i.reported_on) FROM incident i WHERE i.id = NEW.incident_id AND LEAST(NEW.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id)) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
  UPDATE analytics_cube SET n = n - 1, total = total - (SELECT (LEAST(OLD.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id)) - i.reported_on) FROM incident i WHERE i.id = OLD.incident_id) WHERE measure = 'police' AND key = '' AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND LEAST(OLD.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id)) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id) - i.reported_on) FROM incident i WHERE i.id = OLD.incident_id AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
RETURN OLD;
END;
$$
-- statement 11
CREATE TRIGGER trg_cube_police_ins BEFORE INSERT ON incidentevent FOR EACH ROW WHEN (NEW.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) EXECUTE FUNCTION casebook_cube_police()
-- statement 12
CREATE TRIGGER trg_cube_police_del BEFORE DELETE ON incidentevent FOR EACH ROW WHEN (OLD.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) EXECUTE FUNCTION casebook_cube_police()
-- statement 13
CREATE TRIGGER trg_ver_incident AFTER INSERT OR UPDATE OR DELETE ON incident FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 14
CREATE TRIGGER trg_ver_incidentconduct AFTER INSERT OR UPDATE OR DELETE ON incidentconduct FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 15
CREATE TRIGGER trg_ver_incidentinstitution AFTER INSERT OR UPDATE OR DELETE ON incidentinstitution FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 16
CREATE TRIGGER trg_ver_incidentevent AFTER INSERT OR UPDATE OR DELETE ON incidentevent FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 17
CREATE TRIGGER trg_ver_legallink AFTER INSERT OR UPDATE OR DELETE ON legallink FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 18
CREATE TRIGGER trg_ver_takedown AFTER INSERT OR UPDATE OR DELETE ON takedown FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 19
DELETE FROM analytics_cube
-- statement 20
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'incident', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(COALESCE(i.victims_count, 0)) FROM incident i WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 21
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'room', CASE WHEN i.room_members IS NULL THEN 'unknown' WHEN i.room_members < 100 THEN 'lt100' WHEN i.room_members < 1000 THEN '100to999' WHEN i.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(COALESCE(i.room_members, 0)) FROM incident i WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 22
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'age', j.key, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(CAST(j.value AS INTEGER)) FROM incident i CROSS JOIN json_each_text(i.suspects_by_age) AS j(key, value) WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 23
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'obstacle', j.value, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i CROSS JOIN json_array_elements_text(i.obstacles) AS j(value) WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 24
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'conduct', c.conduct, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN incidentconduct c ON c.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 25
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'institution', CAST(c.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN incidentinstitution c ON c.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 26
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM((f.first_on - i.reported_on)) FROM incident i JOIN (SELECT incident_id, MIN(occurred_on) AS first_on FROM incidentevent WHERE kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND 1=1 GROUP BY incident_id) f ON f.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 27
INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, floor(random() * 1000000000000)::bigint) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1
