-- Revision 0010_analytics_advocacy, downgrade on PostgreSQL: the statements it ran, rendered once from
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
DELETE FROM analytics_cube WHERE measure IN ('minor', 'link_gap', 'takedown_req')
