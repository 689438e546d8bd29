-- Revision 0010_analytics_advocacy, upgrade on SQLite: the statements it ran, rendered once from
-- casebook.analytics_cube / casebook.analytics_advocacy at commit 52012cd and frozen
-- here. Do not edit: a new database must get what this revision made then.
-- statement 1
DROP TRIGGER IF EXISTS trg_cube_adv_incident_ins
-- statement 2
DROP TRIGGER IF EXISTS trg_cube_adv_incident_del
-- statement 3
DROP TRIGGER IF EXISTS trg_cube_adv_incident_upd
-- statement 4
DROP TRIGGER IF EXISTS trg_cube_link_gap_ins
-- statement 5
DROP TRIGGER IF EXISTS trg_cube_link_gap_del
-- statement 6
DROP TRIGGER IF EXISTS trg_cube_link_gap_upd
-- statement 7
DROP TRIGGER IF EXISTS trg_cube_takedown_req_ins
-- statement 8
DROP TRIGGER IF EXISTS trg_cube_takedown_req_del
-- statement 9
DROP TRIGGER IF EXISTS trg_cube_takedown_req_upd
-- statement 10
CREATE TRIGGER trg_cube_adv_incident_ins AFTER INSERT ON incident FOR EACH ROW
BEGIN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'minor', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_minor, 0) WHERE NEW.has_minor ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 11
CREATE TRIGGER trg_cube_adv_incident_del AFTER DELETE ON incident FOR EACH ROW
BEGIN
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_minor, 0) WHERE measure = 'minor' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND OLD.has_minor;
END
-- statement 12
CREATE TRIGGER trg_cube_adv_incident_upd AFTER UPDATE ON incident FOR EACH ROW WHEN OLD.reported_month IS NOT NEW.reported_month OR OLD.region IS NOT NEW.region OR OLD.institution_kind IS NOT NEW.institution_kind OR OLD.platform IS NOT NEW.platform OR OLD.status IS NOT NEW.status OR OLD.legal_gap IS NOT NEW.legal_gap OR OLD.has_minor IS NOT NEW.has_minor OR OLD.victims_minor IS NOT NEW.victims_minor
BEGIN
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_minor, 0) WHERE measure = 'minor' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND OLD.has_minor;
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link_gap' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT l.gap FROM legallink l WHERE l.incident_id = OLD.id AND l.gap IN ('not_criminal_then', 'penalty_raised') AND l.state <> 'removed');
  UPDATE analytics_cube SET n = n - (SELECT COUNT(*) FROM takedown t WHERE t.incident_id = OLD.id AND t.outcome = analytics_cube.key) WHERE measure = 'takedown_req' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT t.outcome FROM takedown t WHERE t.incident_id = OLD.id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'minor', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_minor, 0) WHERE NEW.has_minor ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT DISTINCT 'link_gap', l.gap, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM legallink l WHERE l.incident_id = NEW.id AND l.gap IN ('not_criminal_then', 'penalty_raised') AND l.state <> 'removed' ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', t.outcome, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM takedown t WHERE t.incident_id = NEW.id GROUP BY t.outcome ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 13
CREATE TRIGGER trg_cube_link_gap_ins AFTER INSERT ON legallink FOR EACH ROW
BEGIN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link_gap', NEW.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id AND NEW.gap IN ('not_criminal_then', 'penalty_raised') AND NEW.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = NEW.incident_id AND o.gap = NEW.gap AND o.state <> 'removed' AND o.id <> NEW.id) ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 14
CREATE TRIGGER trg_cube_link_gap_del AFTER DELETE ON legallink FOR EACH ROW
BEGIN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link_gap' AND key = OLD.gap AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.gap IN ('not_criminal_then', 'penalty_raised') AND OLD.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = OLD.incident_id AND o.gap = OLD.gap AND o.state <> 'removed' AND o.id <> OLD.id);
END
-- statement 15
CREATE TRIGGER trg_cube_link_gap_upd AFTER UPDATE ON legallink FOR EACH ROW WHEN OLD.incident_id IS NOT NEW.incident_id OR OLD.gap IS NOT NEW.gap OR OLD.state IS NOT NEW.state
BEGIN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link_gap' AND key = OLD.gap AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND OLD.gap IN ('not_criminal_then', 'penalty_raised') AND OLD.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = OLD.incident_id AND o.gap = OLD.gap AND o.state <> 'removed' AND o.id <> OLD.id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link_gap', NEW.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id AND NEW.gap IN ('not_criminal_then', 'penalty_raised') AND NEW.state <> 'removed' AND NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = NEW.incident_id AND o.gap = NEW.gap AND o.state <> 'removed' AND o.id <> NEW.id) ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 16
CREATE TRIGGER trg_cube_takedown_req_ins AFTER INSERT ON takedown FOR EACH ROW
BEGIN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', NEW.outcome, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 17
CREATE TRIGGER trg_cube_takedown_req_del AFTER DELETE ON takedown FOR EACH ROW
BEGIN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'takedown_req' AND key = OLD.outcome AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
END
-- statement 18
CREATE TRIGGER trg_cube_takedown_req_upd AFTER UPDATE ON takedown FOR EACH ROW WHEN OLD.incident_id IS NOT NEW.incident_id OR OLD.outcome IS NOT NEW.outcome
BEGIN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'takedown_req' AND key = OLD.outcome AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', NEW.outcome, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 19
DELETE FROM analytics_cube WHERE measure IN ('minor', 'link_gap', 'takedown_req')
-- statement 20
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'minor', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(COALESCE(i.victims_minor, 0)) FROM incident i WHERE i.has_minor AND 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 21
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'link_gap', l.gap, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN (SELECT DISTINCT incident_id, gap FROM legallink WHERE gap IN ('not_criminal_then', 'penalty_raised') AND state <> 'removed' AND 1=1) l ON l.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 22
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'takedown_req', t.outcome, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN takedown t ON t.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 23
INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1
