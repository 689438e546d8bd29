-- Revision 0010_analytics_advocacy, upgrade on PostgreSQL: the statements it ran, rendered once from
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
CREATE OR REPLACE FUNCTION casebook_cube_adv_incident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'minor', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_minor, 0) WHERE NEW.has_minor ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_minor, 0) WHERE measure = 'minor' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND OLD.has_minor;
  RETURN OLD;
END IF;
IF TG_OP = 'UPDATE' THEN
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_minor, 0) WHERE measure = 'minor' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND OLD.has_minor;
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link_gap' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT l.gap FROM legallink l WHERE l.incident_id = OLD.id AND l.gap IN ('not_criminal_then', 'penalty_raised') AND l.state <> 'removed');
  UPDATE analytics_cube SET n = n - (SELECT COUNT(*) FROM takedown t WHERE t.incident_id = OLD.id AND t.outcome = analytics_cube.key) WHERE measure = 'takedown_req' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT t.outcome FROM takedown t WHERE t.incident_id = OLD.id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'minor', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_minor, 0) WHERE NEW.has_minor ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT DISTINCT 'link_gap', l.gap, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM legallink l WHERE l.incident_id = NEW.id AND l.gap IN ('not_criminal_then', 'penalty_raised') AND l.state <> 'removed' ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', t.outcome, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM takedown t WHERE t.incident_id = NEW.id GROUP BY t.outcome ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
RETURN NULL;
END;
$$
-- statement 14
CREATE TRIGGER trg_cube_adv_incident_ins AFTER INSERT ON incident FOR EACH ROW WHEN (current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_adv_incident()
-- statement 15
CREATE TRIGGER trg_cube_adv_incident_del AFTER DELETE ON incident FOR EACH ROW WHEN (current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_adv_incident()
-- statement 16
CREATE TRIGGER trg_cube_adv_incident_upd AFTER UPDATE ON incident FOR EACH ROW WHEN ((OLD.reported_month::text IS DISTINCT FROM NEW.reported_month::text OR OLD.region::text IS DISTINCT FROM NEW.region::text OR OLD.institution_kind::text IS DISTINCT FROM NEW.institution_kind::text OR OLD.platform::text IS DISTINCT FROM NEW.platform::text OR OLD.status::text IS DISTINCT FROM NEW.status::text OR OLD.legal_gap::text IS DISTINCT FROM NEW.legal_gap::text OR OLD.has_minor::text IS DISTINCT FROM NEW.has_minor::text OR OLD.victims_minor::text IS DISTINCT FROM NEW.victims_minor::text) AND current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_adv_incident()
-- statement 17
CREATE OR REPLACE FUNCTION casebook_cube_link_gap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link_gap', NEW.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id AND NEW.gap IN ('not_criminal_then', 'penalty_raised') AND NEW.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = NEW.incident_id AND o.gap = NEW.gap AND o.state <> 'removed' AND o.id <> NEW.id) ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link_gap' AND key = OLD.gap AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.gap IN ('not_criminal_then', 'penalty_raised') AND OLD.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = OLD.incident_id AND o.gap = OLD.gap AND o.state <> 'removed' AND o.id <> OLD.id);
  RETURN OLD;
END IF;
IF TG_OP = 'UPDATE' THEN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link_gap' AND key = OLD.gap AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.gap IN ('not_criminal_then', 'penalty_raised') AND OLD.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = OLD.incident_id AND o.gap = OLD.gap AND o.state <> 'removed' AND o.id <> OLD.id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link_gap', NEW.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id AND NEW.gap IN ('not_criminal_then', 'penalty_raised') AND NEW.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = NEW.incident_id AND o.gap = NEW.gap AND o.state <> 'removed' AND o.id <> NEW.id) ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
RETURN NULL;
END;
$$
-- statement 18
CREATE TRIGGER trg_cube_link_gap_ins BEFORE INSERT ON legallink FOR EACH ROW WHEN (current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_link_gap()
-- statement 19
CREATE TRIGGER trg_cube_link_gap_del BEFORE DELETE ON legallink FOR EACH ROW WHEN (current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_link_gap()
-- statement 20
CREATE TRIGGER trg_cube_link_gap_upd BEFORE UPDATE ON legallink FOR EACH ROW WHEN ((OLD.incident_id::text IS DISTINCT FROM NEW.incident_id::text OR OLD.gap::text IS DISTINCT FROM NEW.gap::text OR OLD.state::text IS DISTINCT FROM NEW.state::text) AND current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_link_gap()
-- statement 21
CREATE OR REPLACE FUNCTION casebook_cube_takedown_req() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', NEW.outcome, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
IF TG_OP = 'DELETE' THEN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'takedown_req' AND key = OLD.outcome AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
  RETURN OLD;
END IF;
IF TG_OP = 'UPDATE' THEN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'takedown_req' AND key = OLD.outcome AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', NEW.outcome, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  RETURN NEW;
END IF;
RETURN NULL;
END;
$$
-- statement 22
CREATE TRIGGER trg_cube_takedown_req_ins AFTER INSERT ON takedown FOR EACH ROW WHEN (current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_takedown_req()
-- statement 23
CREATE TRIGGER trg_cube_takedown_req_del AFTER DELETE ON takedown FOR EACH ROW WHEN (current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_takedown_req()
-- statement 24
CREATE TRIGGER trg_cube_takedown_req_upd AFTER UPDATE ON takedown FOR EACH ROW WHEN ((OLD.incident_id::text IS DISTINCT FROM NEW.incident_id::text OR OLD.outcome::text IS DISTINCT FROM NEW.outcome::text) AND current_setting('casebook.bulk_write', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION casebook_cube_takedown_req()
-- statement 25
DELETE FROM analytics_cube WHERE measure IN ('minor', 'link_gap', 'takedown_req')
-- statement 26
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'minor', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(COALESCE(i.victims_minor, 0)) FROM incident i WHERE i.has_minor AND 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 27
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link_gap', l.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN (SELECT DISTINCT incident_id, gap FROM legallink WHERE gap IN ('not_criminal_then', 'penalty_raised') AND state <> 'removed' AND 1=1) l ON l.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 28
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', t.outcome, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN takedown t ON t.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 29
INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, floor(random() * 1000000000000)::bigint) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1
