-- Revision 0005_analytics, downgrade on PostgreSQL: the statements it ran, rendered once from
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
