"""db.tables (the Core views `stats summary` queries without building the SQLModel
classes) must name real columns of db.models with the same types."""

from __future__ import annotations

from sqlmodel import SQLModel

import db.models  # noqa: F401 (registers the tables in SQLModel.metadata)
from db import tables


def test_every_lightweight_column_is_a_model_column_of_the_same_type() -> None:
    for light in tables.ALL:
        model = SQLModel.metadata.tables[light.name]
        for col in light.c:
            assert col.name in model.c, f"{light.name}.{col.name} is not in db.models"
            want = model.c[col.name].type._type_affinity
            assert col.type._type_affinity is want, f"{light.name}.{col.name}: {col.type}"


def test_the_analytics_cube_view_has_every_column_of_the_model() -> None:
    # the cube's rows are read whole (the same columns as the base-table sources)
    model = SQLModel.metadata.tables["analytics_cube"]
    assert [c.name for c in tables.analytics_cube.c] == [c.name for c in model.c]
