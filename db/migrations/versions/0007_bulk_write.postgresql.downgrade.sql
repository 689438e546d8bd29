-- Revision 0008_bulk_write, downgrade on PostgreSQL: the statements it ran, rendered once from
-- casebook.analytics_cube / casebook.analytics_advocacy at commit 52012cd and frozen
-- here. Do not edit: a new database must get what this revision made then.
-- statement 1
DROP TRIGGER IF EXISTS trg_cube_adv_incident_ins ON incident
-- statement 2
DROP TRIGGER IF EXISTS trg_cube_adv_incident_del ON incident
-- statement 3
DROP TRIGGER IF EXISTS trg_cube_adv_incident_upd ON incident
-- statement 4
DROP FUNCTION IF EXISTS casebook_cube_adv_incident()
-- statement 5
DROP TRIGGER IF EXISTS trg_cube_link_gap_ins ON legallink
-- statement 6
DROP TRIGGER IF EXISTS trg_cube_link_gap_del ON legallink
-- statement 7
DROP TRIGGER IF EXISTS trg_cube_link_gap_upd ON legallink
-- statement 8
DROP FUNCTION IF EXISTS casebook_cube_link_gap()
-- statement 9
DROP TRIGGER IF EXISTS trg_cube_takedown_req_ins ON takedown
-- statement 10
DROP TRIGGER IF EXISTS trg_cube_takedown_req_del ON takedown
-- statement 11
DROP TRIGGER IF EXISTS trg_cube_takedown_req_upd ON takedown
-- statement 12
DROP FUNCTION IF EXISTS casebook_cube_takedown_req()
-- statement 13
DROP TRIGGER IF EXISTS trg_cube_link_ins ON legallink
-- statement 14
DROP TRIGGER IF EXISTS trg_cube_link_del ON legallink
-- statement 15
DROP TRIGGER IF EXISTS trg_cube_link_upd ON legallink
-- statement 16
DROP FUNCTION IF EXISTS casebook_cube_link()
-- statement 17
DROP TRIGGER IF EXISTS trg_cube_takedown_ins ON takedown
-- statement 18
DROP TRIGGER IF EXISTS trg_cube_takedown_del ON takedown
-- statement 19
DROP TRIGGER IF EXISTS trg_cube_takedown_upd ON takedown
-- statement 20
DROP FUNCTION IF EXISTS casebook_cube_takedown()
-- statement 21
DROP TRIGGER IF EXISTS trg_cube_discinst_ins ON incidentinstitution
-- statement 22
DROP TRIGGER IF EXISTS trg_cube_discinst_del ON incidentinstitution
-- statement 23
DROP FUNCTION IF EXISTS casebook_cube_discinst()
-- statement 24
DROP TRIGGER IF EXISTS trg_cube_release_ins ON incidentevent
-- statement 25
DROP TRIGGER IF EXISTS trg_cube_release_del ON incidentevent
-- statement 26
DROP FUNCTION IF EXISTS casebook_cube_release()
-- statement 27
DROP TRIGGER IF EXISTS trg_cube_discipline_ins ON incidentevent
-- statement 28
DROP TRIGGER IF EXISTS trg_cube_discipline_del ON incidentevent
-- statement 29
DROP FUNCTION IF EXISTS casebook_cube_discipline()
-- statement 30
DROP TRIGGER IF EXISTS trg_ver_incident ON incident
-- statement 31
DROP TRIGGER IF EXISTS trg_ver_incidentconduct ON incidentconduct
-- statement 32
DROP TRIGGER IF EXISTS trg_ver_incidentinstitution ON incidentinstitution
-- statement 33
DROP TRIGGER IF EXISTS trg_ver_incidentevent ON incidentevent
-- statement 34
DROP TRIGGER IF EXISTS trg_ver_legallink ON legallink
-- statement 35
DROP TRIGGER IF EXISTS trg_ver_takedown ON takedown
-- statement 36
DROP TRIGGER IF EXISTS trg_cube_conduct ON incidentconduct
-- statement 37
DROP TRIGGER IF EXISTS trg_cube_institution ON incidentinstitution
-- statement 38
DROP TRIGGER IF EXISTS trg_cube_police_ins ON incidentevent
-- statement 39
DROP TRIGGER IF EXISTS trg_cube_police_del ON incidentevent
-- statement 40
DROP FUNCTION IF EXISTS casebook_cube_police()
-- statement 41
DROP TRIGGER IF EXISTS trg_cube_incident_ins ON incident
-- statement 42
DROP TRIGGER IF EXISTS trg_cube_incident_upd ON incident
-- statement 43
DROP TRIGGER IF EXISTS trg_cube_incident_del ON incident
-- statement 44
DROP FUNCTION IF EXISTS casebook_cube_conduct()
-- statement 45
DROP FUNCTION IF EXISTS casebook_cube_institution()
-- statement 46
DROP FUNCTION IF EXISTS casebook_cube_incident()
-- statement 47
DROP FUNCTION IF EXISTS casebook_bump_version()
-- statement 48
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
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT l.conduct || ':' || l.gap FROM legallink l WHERE l.incident_id = OLD.id AND l.gap IN ('not_criminal_then', 'penalty_raised') AND l.state <> 'removed');
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'release' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT e.reason FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind = 'released');
  UPDATE analytics_cube SET n = n - (SELECT COUNT(*) FROM takedown t WHERE t.incident_id = OLD.id AND t.outcome = 'removed' AND t.resolved_on IS NOT NULL AND t.platform = analytics_cube.key), total = total - (SELECT SUM((t.resolved_on - t.requested_on)) FROM takedown t WHERE t.incident_id = OLD.id AND t.outcome = 'removed' AND t.resolved_on IS NOT NULL AND t.platform = analytics_cube.key) WHERE measure = 'takedown' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT t.platform FROM takedown t WHERE t.incident_id = OLD.id AND t.outcome = 'removed' AND t.resolved_on IS NOT NULL);
  UPDATE analytics_cube SET n = n - 1, total = total - ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind IN ('school_discipline', 'employer_discipline')) - OLD.reported_on) WHERE measure = 'discipline' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT CAST(ii.institution_id AS VARCHAR) FROM incidentinstitution ii WHERE ii.incident_id = OLD.id) AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind IN ('school_discipline', 'employer_discipline')) IS NOT NULL;
  UPDATE analytics_cube SET n = n - (SELECT COUNT(*) FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind IN ('school_discipline', 'employer_discipline')) WHERE measure = 'disc_events' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT CAST(ii.institution_id AS VARCHAR) FROM incidentinstitution ii WHERE ii.incident_id = OLD.id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'incident', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_count, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'room', CASE WHEN NEW.room_members IS NULL THEN 'unknown' WHEN NEW.room_members < 100 THEN 'lt100' WHEN NEW.room_members < 1000 THEN '100to999' WHEN NEW.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.room_members, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'age', j.key, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, CAST(j.value AS INTEGER) FROM json_each_text(NEW.suspects_by_age) AS j(key, value) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'obstacle', j.value, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM json_array_elements_text(NEW.obstacles) AS j(value) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'conduct', c.conduct, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incidentconduct c WHERE c.incident_id = NEW.id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'institution', CAST(c.institution_id AS VARCHAR), NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incidentinstitution c WHERE c.incident_id = NEW.id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) - NEW.reported_on) WHERE (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT DISTINCT 'link', l.conduct || ':' || l.gap, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM legallink l WHERE l.incident_id = NEW.id AND l.gap IN ('not_criminal_then', 'penalty_raised') AND l.state <> 'removed' ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT DISTINCT 'release', e.reason, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind = 'released' ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown', t.platform, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM((t.resolved_on - t.requested_on)) FROM takedown t WHERE t.incident_id = NEW.id AND t.outcome = 'removed' AND t.resolved_on IS NOT NULL GROUP BY t.platform ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'discipline', CAST(ii.institution_id AS VARCHAR), NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('school_discipline', 'employer_discipline')) - NEW.reported_on) FROM incidentinstitution ii WHERE ii.incident_id = NEW.id AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('school_discipline', 'employer_discipline')) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'disc_events', CAST(ii.institution_id AS VARCHAR), NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, (SELECT COUNT(*) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('school_discipline', 'employer_discipline')), 0 FROM incidentinstitution ii WHERE ii.incident_id = NEW.id AND (SELECT COUNT(*) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('school_discipline', 'employer_discipline')) > 0 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
  DELETE FROM incidentconduct WHERE incident_id = OLD.id;
  DELETE FROM incidentinstitution WHERE incident_id = OLD.id;
  DELETE FROM incidentevent WHERE incident_id = OLD.id;
  DELETE FROM legallink WHERE incident_id = OLD.id;
  DELETE FROM takedown WHERE incident_id = OLD.id;
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_count, 0) WHERE measure = 'incident' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.room_members, 0) WHERE measure = 'room' AND key = CASE WHEN OLD.room_members IS NULL THEN 'unknown' WHEN OLD.room_members < 100 THEN 'lt100' WHEN OLD.room_members < 1000 THEN '100to999' WHEN OLD.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE((SELECT CAST(j.value AS INTEGER) FROM json_each_text(OLD.suspects_by_age) AS j(key, value) WHERE j.key = analytics_cube.key), 0) WHERE measure = 'age' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.key FROM json_each_text(OLD.suspects_by_age) AS j(key, value));
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'obstacle' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.value FROM json_array_elements_text(OLD.obstacles) AS j(value));
RETURN OLD;
END;
$$
-- statement 49
CREATE TRIGGER trg_cube_incident_ins AFTER INSERT ON incident FOR EACH ROW EXECUTE FUNCTION casebook_cube_incident()
-- statement 50
CREATE TRIGGER trg_cube_incident_upd AFTER UPDATE ON incident FOR EACH ROW WHEN (OLD.reported_on::text IS DISTINCT FROM NEW.reported_on::text OR OLD.reported_month::text IS DISTINCT FROM NEW.reported_month::text OR OLD.region::text IS DISTINCT FROM NEW.region::text OR OLD.institution_kind::text IS DISTINCT FROM NEW.institution_kind::text OR OLD.platform::text IS DISTINCT FROM NEW.platform::text OR OLD.status::text IS DISTINCT FROM NEW.status::text OR OLD.legal_gap::text IS DISTINCT FROM NEW.legal_gap::text OR OLD.victims_count::text IS DISTINCT FROM NEW.victims_count::text OR OLD.room_members::text IS DISTINCT FROM NEW.room_members::text OR OLD.suspects_by_age::text IS DISTINCT FROM NEW.suspects_by_age::text OR OLD.obstacles::text IS DISTINCT FROM NEW.obstacles::text) EXECUTE FUNCTION casebook_cube_incident()
-- statement 51
CREATE TRIGGER trg_cube_incident_del BEFORE DELETE ON incident FOR EACH ROW EXECUTE FUNCTION casebook_cube_incident()
-- statement 52
CREATE OR REPLACE FUNCTION casebook_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, floor(random() * 1000000000000)::bigint) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
RETURN NULL;
END;
$$
-- statement 53
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
-- statement 54
CREATE TRIGGER trg_cube_conduct AFTER INSERT OR DELETE ON incidentconduct FOR EACH ROW EXECUTE FUNCTION casebook_cube_conduct()
-- statement 55
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
-- statement 56
CREATE TRIGGER trg_cube_institution AFTER INSERT OR DELETE ON incidentinstitution FOR EACH ROW EXECUTE FUNCTION casebook_cube_institution()
-- statement 57
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
-- statement 58
CREATE TRIGGER trg_cube_police_ins BEFORE INSERT ON incidentevent FOR EACH ROW WHEN (NEW.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) EXECUTE FUNCTION casebook_cube_police()
-- statement 59
CREATE TRIGGER trg_cube_police_del BEFORE DELETE ON incidentevent FOR EACH ROW WHEN (OLD.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) EXECUTE FUNCTION casebook_cube_police()
-- statement 60
CREATE TRIGGER trg_ver_incident AFTER INSERT OR UPDATE OR DELETE ON incident FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 61
CREATE TRIGGER trg_ver_incidentconduct AFTER INSERT OR UPDATE OR DELETE ON incidentconduct FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 62
CREATE TRIGGER trg_ver_incidentinstitution AFTER INSERT OR UPDATE OR DELETE ON incidentinstitution FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 63
CREATE TRIGGER trg_ver_incidentevent AFTER INSERT OR UPDATE OR DELETE ON incidentevent FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 64
CREATE TRIGGER trg_ver_legallink AFTER INSERT OR UPDATE OR DELETE ON legallink FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 65
CREATE TRIGGER trg_ver_takedown AFTER INSERT OR UPDATE OR DELETE ON takedown FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()
-- statement 66
CREATE OR REPLACE FUNCTION casebook_cube_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link', NEW.conduct || ':' || NEW.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id AND NEW.gap IN ('not_criminal_then', 'penalty_raised') AND NEW.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = NEW.incident_id AND o.conduct = NEW.conduct AND o.gap = NEW.gap AND o.state <> 'removed' AND o.id <> NEW.id) ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link' AND key = OLD.conduct || ':' || OLD.gap AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.gap IN ('not_criminal_then', 'penalty_raised') AND OLD.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = OLD.incident_id AND o.conduct = OLD.conduct AND o.gap = OLD.gap AND o.state <> 'removed' AND o.id <> OLD.id);
  RETURN OLD;
END IF;
IF TG_OP = 'UPDATE' THEN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link' AND key = OLD.conduct || ':' || OLD.gap AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.gap IN ('not_criminal_then', 'penalty_raised') AND OLD.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = OLD.incident_id AND o.conduct = OLD.conduct AND o.gap = OLD.gap AND o.state <> 'removed' AND o.id <> OLD.id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link', NEW.conduct || ':' || NEW.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id AND NEW.gap IN ('not_criminal_then', 'penalty_raised') AND NEW.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = NEW.incident_id AND o.conduct = NEW.conduct AND o.gap = NEW.gap AND o.state <> 'removed' AND o.id <> NEW.id) ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
RETURN NULL;
END;
$$
-- statement 67
CREATE TRIGGER trg_cube_link_ins BEFORE INSERT ON legallink FOR EACH ROW EXECUTE FUNCTION casebook_cube_link()
-- statement 68
CREATE TRIGGER trg_cube_link_del BEFORE DELETE ON legallink FOR EACH ROW EXECUTE FUNCTION casebook_cube_link()
-- statement 69
CREATE TRIGGER trg_cube_link_upd BEFORE UPDATE ON legallink FOR EACH ROW WHEN (OLD.incident_id IS DISTINCT FROM NEW.incident_id OR OLD.conduct IS DISTINCT FROM NEW.conduct OR OLD.gap IS DISTINCT FROM NEW.gap OR OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION casebook_cube_link()
-- statement 70
CREATE OR REPLACE FUNCTION casebook_cube_takedown() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown', NEW.platform, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, (NEW.resolved_on - NEW.requested_on) FROM incident i WHERE i.id = NEW.incident_id AND NEW.outcome = 'removed' AND NEW.resolved_on IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - (OLD.resolved_on - OLD.requested_on) WHERE measure = 'takedown' AND key = OLD.platform AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.outcome = 'removed' AND OLD.resolved_on IS NOT NULL;
  RETURN OLD;
END IF;
IF TG_OP = 'UPDATE' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - (OLD.resolved_on - OLD.requested_on) WHERE measure = 'takedown' AND key = OLD.platform AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.outcome = 'removed' AND OLD.resolved_on IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown', NEW.platform, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, (NEW.resolved_on - NEW.requested_on) FROM incident i WHERE i.id = NEW.incident_id AND NEW.outcome = 'removed' AND NEW.resolved_on IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
RETURN NULL;
END;
$$
-- statement 71
CREATE TRIGGER trg_cube_takedown_ins AFTER INSERT ON takedown FOR EACH ROW EXECUTE FUNCTION casebook_cube_takedown()
-- statement 72
CREATE TRIGGER trg_cube_takedown_del AFTER DELETE ON takedown FOR EACH ROW EXECUTE FUNCTION casebook_cube_takedown()
-- statement 73
CREATE TRIGGER trg_cube_takedown_upd AFTER UPDATE ON takedown FOR EACH ROW WHEN (OLD.incident_id IS DISTINCT FROM NEW.incident_id OR OLD.platform IS DISTINCT FROM NEW.platform OR OLD.outcome IS DISTINCT FROM NEW.outcome OR OLD.requested_on IS DISTINCT FROM NEW.requested_on OR OLD.resolved_on IS DISTINCT FROM NEW.resolved_on) EXECUTE FUNCTION casebook_cube_takedown()
-- statement 74
CREATE OR REPLACE FUNCTION casebook_cube_discinst() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'discipline', CAST(NEW.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = i.id AND e.kind IN ('school_discipline', 'employer_discipline')) - i.reported_on) FROM incident i WHERE i.id = NEW.incident_id AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = i.id AND e.kind IN ('school_discipline', 'employer_discipline')) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'disc_events', CAST(NEW.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, (SELECT COUNT(*) FROM incidentevent e WHERE e.incident_id = i.id AND e.kind IN ('school_discipline', 'employer_discipline')), 0 FROM incident i WHERE i.id = NEW.incident_id AND (SELECT COUNT(*) FROM incidentevent e WHERE e.incident_id = i.id AND e.kind IN ('school_discipline', 'employer_discipline')) > 0 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - (SELECT ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = i.id AND e.kind IN ('school_discipline', 'employer_discipline')) - i.reported_on) FROM incident i WHERE i.id = OLD.incident_id) WHERE measure = 'discipline' AND key = CAST(OLD.institution_id AS VARCHAR) AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('school_discipline', 'employer_discipline')) IS NOT NULL;
  UPDATE analytics_cube SET n = n - (SELECT COUNT(*) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('school_discipline', 'employer_discipline')) WHERE measure = 'disc_events' AND key = CAST(OLD.institution_id AS VARCHAR) AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
  RETURN OLD;
END IF;
RETURN NULL;
END;
$$
-- statement 75
CREATE TRIGGER trg_cube_discinst_ins AFTER INSERT ON incidentinstitution FOR EACH ROW EXECUTE FUNCTION casebook_cube_discinst()
-- statement 76
CREATE TRIGGER trg_cube_discinst_del AFTER DELETE ON incidentinstitution FOR EACH ROW EXECUTE FUNCTION casebook_cube_discinst()
-- statement 77
CREATE OR REPLACE FUNCTION casebook_cube_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'release', NEW.reason, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id AND NOT EXISTS (SELECT 1 FROM incidentevent o WHERE o.incident_id = NEW.incident_id AND o.kind = 'released' AND o.reason = NEW.reason AND o.id <> NEW.id) ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'release' AND key = OLD.reason AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND NOT EXISTS (SELECT 1 FROM incidentevent o WHERE o.incident_id = OLD.incident_id AND o.kind = 'released' AND o.reason = OLD.reason AND o.id <> OLD.id);
  RETURN OLD;
END IF;
RETURN NULL;
END;
$$
-- statement 78
CREATE TRIGGER trg_cube_release_ins BEFORE INSERT ON incidentevent FOR EACH ROW WHEN (NEW.kind = 'released') EXECUTE FUNCTION casebook_cube_release()
-- statement 79
CREATE TRIGGER trg_cube_release_del BEFORE DELETE ON incidentevent FOR EACH ROW WHEN (OLD.kind = 'released') EXECUTE FUNCTION casebook_cube_release()
-- statement 80
CREATE OR REPLACE FUNCTION casebook_cube_discipline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - (SELECT ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> NEW.id) - i.reported_on) FROM incident i WHERE i.id = NEW.incident_id) WHERE measure = 'discipline' AND key IN (SELECT CAST(ii.institution_id AS VARCHAR) FROM incidentinstitution ii WHERE ii.incident_id = NEW.incident_id) AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = NEW.incident_id) AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> NEW.id) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'discipline', CAST(ii.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, (LEAST(NEW.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> NEW.id)) - i.reported_on) FROM incident i, incidentinstitution ii WHERE ii.incident_id = i.id AND i.id = NEW.incident_id AND LEAST(NEW.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> NEW.id)) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'disc_events', CAST(ii.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i, incidentinstitution ii WHERE ii.incident_id = i.id AND i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - (SELECT (LEAST(OLD.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> OLD.id)) - i.reported_on) FROM incident i WHERE i.id = OLD.incident_id) WHERE measure = 'discipline' AND key IN (SELECT CAST(ii.institution_id AS VARCHAR) FROM incidentinstitution ii WHERE ii.incident_id = OLD.incident_id) AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND LEAST(OLD.occurred_on, (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> OLD.id)) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'discipline', CAST(ii.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, ((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> OLD.id) - i.reported_on) FROM incident i, incidentinstitution ii WHERE ii.incident_id = i.id AND i.id = OLD.incident_id AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('school_discipline', 'employer_discipline') AND e.id <> OLD.id) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'disc_events' AND key IN (SELECT CAST(ii.institution_id AS VARCHAR) FROM incidentinstitution ii WHERE ii.incident_id = OLD.incident_id) AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
  RETURN OLD;
END IF;
RETURN NULL;
END;
$$
-- statement 81
CREATE TRIGGER trg_cube_discipline_ins BEFORE INSERT ON incidentevent FOR EACH ROW WHEN (NEW.kind IN ('school_discipline', 'employer_discipline')) EXECUTE FUNCTION casebook_cube_discipline()
-- statement 82
CREATE TRIGGER trg_cube_discipline_del BEFORE DELETE ON incidentevent FOR EACH ROW WHEN (OLD.kind IN ('school_discipline', 'employer_discipline')) EXECUTE FUNCTION casebook_cube_discipline()
