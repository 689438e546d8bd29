-- Revision 0010_analytics_advocacy, downgrade on SQLite: the statements it ran, rendered once from
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
DELETE FROM analytics_cube WHERE measure IN ('minor', 'link_gap', 'takedown_req')
