-- Revision 0005_analytics, downgrade on SQLite: the statements it ran, rendered once from
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
