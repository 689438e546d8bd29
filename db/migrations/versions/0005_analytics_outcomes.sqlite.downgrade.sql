-- Revision 0006_analytics_outcomes, downgrade on SQLite: the statements it ran, rendered once from
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
DROP TRIGGER IF EXISTS trg_cube_incident_ins
-- statement 11
DROP TRIGGER IF EXISTS trg_cube_incident_upd
-- statement 12
DROP TRIGGER IF EXISTS trg_cube_incident_del
-- statement 13
DROP TRIGGER IF EXISTS trg_cube_conduct_ins
-- statement 14
DROP TRIGGER IF EXISTS trg_cube_conduct_del
-- statement 15
DROP TRIGGER IF EXISTS trg_cube_institution_ins
-- statement 16
DROP TRIGGER IF EXISTS trg_cube_institution_del
-- statement 17
DROP TRIGGER IF EXISTS trg_cube_police_ins
-- statement 18
DROP TRIGGER IF EXISTS trg_cube_police_del
-- statement 19
DROP TRIGGER IF EXISTS trg_ver_incident_insert
-- statement 20
DROP TRIGGER IF EXISTS trg_ver_incident_update
-- statement 21
DROP TRIGGER IF EXISTS trg_ver_incident_delete
-- statement 22
DROP TRIGGER IF EXISTS trg_ver_incidentconduct_insert
-- statement 23
DROP TRIGGER IF EXISTS trg_ver_incidentconduct_update
-- statement 24
DROP TRIGGER IF EXISTS trg_ver_incidentconduct_delete
-- statement 25
DROP TRIGGER IF EXISTS trg_ver_incidentinstitution_insert
-- statement 26
DROP TRIGGER IF EXISTS trg_ver_incidentinstitution_update
-- statement 27
DROP TRIGGER IF EXISTS trg_ver_incidentinstitution_delete
-- statement 28
DROP TRIGGER IF EXISTS trg_ver_incidentevent_insert
-- statement 29
DROP TRIGGER IF EXISTS trg_ver_incidentevent_update
-- statement 30
DROP TRIGGER IF EXISTS trg_ver_incidentevent_delete
-- statement 31
DROP TRIGGER IF EXISTS trg_ver_legallink_insert
-- statement 32
DROP TRIGGER IF EXISTS trg_ver_legallink_update
-- statement 33
DROP TRIGGER IF EXISTS trg_ver_legallink_delete
-- statement 34
DROP TRIGGER IF EXISTS trg_ver_takedown_insert
-- statement 35
DROP TRIGGER IF EXISTS trg_ver_takedown_update
-- statement 36
DROP TRIGGER IF EXISTS trg_ver_takedown_delete
-- statement 37
DROP TRIGGER IF EXISTS trg_cube_link_ins
-- statement 38
DROP TRIGGER IF EXISTS trg_cube_link_del
-- statement 39
DROP TRIGGER IF EXISTS trg_cube_link_upd
-- statement 40
DROP TRIGGER IF EXISTS trg_cube_takedown_ins
-- statement 41
DROP TRIGGER IF EXISTS trg_cube_takedown_del
-- statement 42
DROP TRIGGER IF EXISTS trg_cube_takedown_upd
-- statement 43
DROP TRIGGER IF EXISTS trg_cube_discinst_ins
-- statement 44
DROP TRIGGER IF EXISTS trg_cube_discinst_del
-- statement 45
DROP TRIGGER IF EXISTS trg_cube_release_ins
-- statement 46
DROP TRIGGER IF EXISTS trg_cube_release_del
-- statement 47
DROP TRIGGER IF EXISTS trg_cube_discipline_ins
-- statement 48
DROP TRIGGER IF EXISTS trg_cube_discipline_del
-- statement 49
CREATE TRIGGER trg_cube_incident_ins AFTER INSERT ON incident FOR EACH ROW
BEGIN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'incident', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_count, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'room', CASE WHEN NEW.room_members IS NULL THEN 'unknown' WHEN NEW.room_members < 100 THEN 'lt100' WHEN NEW.room_members < 1000 THEN '100to999' WHEN NEW.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.room_members, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'age', j.key, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, CAST(j.value AS INTEGER) FROM json_each(NEW.suspects_by_age) AS j WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'obstacle', j.value, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM json_each(NEW.obstacles) AS j WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 50
CREATE TRIGGER trg_cube_incident_upd AFTER UPDATE ON incident FOR EACH ROW WHEN OLD.reported_on IS NOT NEW.reported_on OR OLD.reported_month IS NOT NEW.reported_month OR OLD.region IS NOT NEW.region OR OLD.institution_kind IS NOT NEW.institution_kind OR OLD.platform IS NOT NEW.platform OR OLD.status IS NOT NEW.status OR OLD.legal_gap IS NOT NEW.legal_gap OR OLD.victims_count IS NOT NEW.victims_count OR OLD.room_members IS NOT NEW.room_members OR OLD.suspects_by_age IS NOT NEW.suspects_by_age OR OLD.obstacles IS NOT NEW.obstacles
BEGIN
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_count, 0) WHERE measure = 'incident' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.room_members, 0) WHERE measure = 'room' AND key = CASE WHEN OLD.room_members IS NULL THEN 'unknown' WHEN OLD.room_members < 100 THEN 'lt100' WHEN OLD.room_members < 1000 THEN '100to999' WHEN OLD.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE((SELECT CAST(j.value AS INTEGER) FROM json_each(OLD.suspects_by_age) AS j WHERE j.key = analytics_cube.key), 0) WHERE measure = 'age' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.key FROM json_each(OLD.suspects_by_age) AS j);
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'obstacle' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.value FROM json_each(OLD.obstacles) AS j);
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'conduct' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT conduct FROM incidentconduct WHERE incident_id = OLD.id);
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'institution' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT CAST(institution_id AS VARCHAR) FROM incidentinstitution WHERE incident_id = OLD.id);
  UPDATE analytics_cube SET n = n - 1, total = total - CAST(julianday((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred'))) - julianday(OLD.reported_on) AS INTEGER) WHERE measure = 'police' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'incident', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.victims_count, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'room', CASE WHEN NEW.room_members IS NULL THEN 'unknown' WHEN NEW.room_members < 100 THEN 'lt100' WHEN NEW.room_members < 1000 THEN '100to999' WHEN NEW.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, COALESCE(NEW.room_members, 0) WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'age', j.key, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, CAST(j.value AS INTEGER) FROM json_each(NEW.suspects_by_age) AS j WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'obstacle', j.value, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM json_each(NEW.obstacles) AS j WHERE 1=1 ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'conduct', c.conduct, NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incidentconduct c WHERE c.incident_id = NEW.id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'institution', CAST(c.institution_id AS VARCHAR), NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incidentinstitution c WHERE c.incident_id = NEW.id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', NEW.reported_month, COALESCE(NEW.region, ''), COALESCE(NEW.institution_kind, ''), NEW.platform, NEW.status, CASE WHEN NEW.legal_gap THEN 1 ELSE 0 END, 1, CAST(julianday((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred'))) - julianday(NEW.reported_on) AS INTEGER) WHERE (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 51
CREATE TRIGGER trg_cube_incident_del BEFORE DELETE ON incident FOR EACH ROW
BEGIN
  DELETE FROM incidentconduct WHERE incident_id = OLD.id;
  DELETE FROM incidentinstitution WHERE incident_id = OLD.id;
  DELETE FROM incidentevent WHERE incident_id = OLD.id;
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.victims_count, 0) WHERE measure = 'incident' AND key = '' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE(OLD.room_members, 0) WHERE measure = 'room' AND key = CASE WHEN OLD.room_members IS NULL THEN 'unknown' WHEN OLD.room_members < 100 THEN 'lt100' WHEN OLD.room_members < 1000 THEN '100to999' WHEN OLD.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END);
  UPDATE analytics_cube SET n = n - 1, total = total - COALESCE((SELECT CAST(j.value AS INTEGER) FROM json_each(OLD.suspects_by_age) AS j WHERE j.key = analytics_cube.key), 0) WHERE measure = 'age' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.key FROM json_each(OLD.suspects_by_age) AS j);
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'obstacle' AND (month, region, kind, platform, status, gap) = (OLD.reported_month, COALESCE(OLD.region, ''), COALESCE(OLD.institution_kind, ''), OLD.platform, OLD.status, CASE WHEN OLD.legal_gap THEN 1 ELSE 0 END) AND key IN (SELECT j.value FROM json_each(OLD.obstacles) AS j);
END
-- statement 52
CREATE TRIGGER trg_cube_conduct_ins AFTER INSERT ON incidentconduct FOR EACH ROW
BEGIN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'conduct', NEW.conduct, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 53
CREATE TRIGGER trg_cube_conduct_del AFTER DELETE ON incidentconduct FOR EACH ROW
BEGIN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'conduct' AND key = OLD.conduct AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
END
-- statement 54
CREATE TRIGGER trg_cube_institution_ins AFTER INSERT ON incidentinstitution FOR EACH ROW
BEGIN
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'institution', CAST(NEW.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, 0 FROM incident i WHERE i.id = NEW.incident_id ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 55
CREATE TRIGGER trg_cube_institution_del AFTER DELETE ON incidentinstitution FOR EACH ROW
BEGIN
  UPDATE analytics_cube SET n = n - 1 WHERE measure = 'institution' AND key = CAST(OLD.institution_id AS VARCHAR) AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id);
END
-- statement 56
CREATE TRIGGER trg_cube_police_ins AFTER INSERT ON incidentevent FOR EACH ROW WHEN NEW.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')
BEGIN
  UPDATE analytics_cube SET n = n - 1, total = total - (SELECT CAST(julianday((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id)) - julianday(i.reported_on) AS INTEGER) FROM incident i WHERE i.id = NEW.incident_id) WHERE measure = 'police' AND key = '' AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = NEW.incident_id) AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, CAST(julianday(MIN(NEW.occurred_on, COALESCE((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id), NEW.occurred_on))) - julianday(i.reported_on) AS INTEGER) FROM incident i WHERE i.id = NEW.incident_id AND MIN(NEW.occurred_on, COALESCE((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = NEW.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> NEW.id), NEW.occurred_on)) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 57
CREATE TRIGGER trg_cube_police_del AFTER DELETE ON incidentevent FOR EACH ROW WHEN OLD.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred')
BEGIN
  UPDATE analytics_cube SET n = n - 1, total = total - (SELECT CAST(julianday(MIN(OLD.occurred_on, COALESCE((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id), OLD.occurred_on))) - julianday(i.reported_on) AS INTEGER) FROM incident i WHERE i.id = OLD.incident_id) WHERE measure = 'police' AND key = '' AND (month, region, kind, platform, status, gap) IN (SELECT i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END FROM incident i WHERE i.id = OLD.incident_id) AND MIN(OLD.occurred_on, COALESCE((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id), OLD.occurred_on)) IS NOT NULL;
  INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, 1, CAST(julianday((SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id)) - julianday(i.reported_on) AS INTEGER) FROM incident i WHERE i.id = OLD.incident_id AND (SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = OLD.incident_id AND e.kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND e.id <> OLD.id) IS NOT NULL ON CONFLICT (measure, key, month, region, kind, platform, status, gap) DO UPDATE SET n = analytics_cube.n + excluded.n, total = analytics_cube.total + excluded.total;
END
-- statement 58
CREATE TRIGGER trg_ver_incident_insert AFTER INSERT ON incident FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 59
CREATE TRIGGER trg_ver_incident_update AFTER UPDATE ON incident FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 60
CREATE TRIGGER trg_ver_incident_delete AFTER DELETE ON incident FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 61
CREATE TRIGGER trg_ver_incidentconduct_insert AFTER INSERT ON incidentconduct FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 62
CREATE TRIGGER trg_ver_incidentconduct_update AFTER UPDATE ON incidentconduct FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 63
CREATE TRIGGER trg_ver_incidentconduct_delete AFTER DELETE ON incidentconduct FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 64
CREATE TRIGGER trg_ver_incidentinstitution_insert AFTER INSERT ON incidentinstitution FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 65
CREATE TRIGGER trg_ver_incidentinstitution_update AFTER UPDATE ON incidentinstitution FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 66
CREATE TRIGGER trg_ver_incidentinstitution_delete AFTER DELETE ON incidentinstitution FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 67
CREATE TRIGGER trg_ver_incidentevent_insert AFTER INSERT ON incidentevent FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 68
CREATE TRIGGER trg_ver_incidentevent_update AFTER UPDATE ON incidentevent FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 69
CREATE TRIGGER trg_ver_incidentevent_delete AFTER DELETE ON incidentevent FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 70
CREATE TRIGGER trg_ver_legallink_insert AFTER INSERT ON legallink FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 71
CREATE TRIGGER trg_ver_legallink_update AFTER UPDATE ON legallink FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 72
CREATE TRIGGER trg_ver_legallink_delete AFTER DELETE ON legallink FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 73
CREATE TRIGGER trg_ver_takedown_insert AFTER INSERT ON takedown FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 74
CREATE TRIGGER trg_ver_takedown_update AFTER UPDATE ON takedown FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 75
CREATE TRIGGER trg_ver_takedown_delete AFTER DELETE ON takedown FOR EACH ROW
BEGIN
  INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1;
END
-- statement 76
DELETE FROM analytics_cube
-- statement 77
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'incident', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(COALESCE(i.victims_count, 0)) FROM incident i WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 78
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'room', CASE WHEN i.room_members IS NULL THEN 'unknown' WHEN i.room_members < 100 THEN 'lt100' WHEN i.room_members < 1000 THEN '100to999' WHEN i.room_members < 10000 THEN '1000to9999' ELSE '10000plus' END, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(COALESCE(i.room_members, 0)) FROM incident i WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 79
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'age', j.key, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(CAST(j.value AS INTEGER)) FROM incident i CROSS JOIN json_each(i.suspects_by_age) AS j WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 80
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'obstacle', j.value, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i CROSS JOIN json_each(i.obstacles) AS j WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 81
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'conduct', c.conduct, i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN incidentconduct c ON c.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 82
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'institution', CAST(c.institution_id AS VARCHAR), i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), 0 FROM incident i JOIN incidentinstitution c ON c.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 83
INSERT INTO analytics_cube (measure, key, month, region, kind, platform, status, gap, n, total) SELECT 'police', '', i.reported_month, COALESCE(i.region, ''), COALESCE(i.institution_kind, ''), i.platform, i.status, CASE WHEN i.legal_gap THEN 1 ELSE 0 END, COUNT(*), SUM(CAST(julianday(f.first_on) - julianday(i.reported_on) AS INTEGER)) FROM incident i JOIN (SELECT incident_id, MIN(occurred_on) AS first_on FROM incidentevent WHERE kind IN ('investigating', 'suspect_identified', 'arrested', 'released', 'referred') AND 1=1 GROUP BY incident_id) f ON f.incident_id = i.id WHERE 1=1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
-- statement 84
INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, abs(random() % 1000000000000)) ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1
